"""Import response files exported by KoboToolbox, ODK Central or LimeSurvey (CSV or XLSX).

Columns are named by the XLSForm `name`s, with the group prefixes and multiple-choice layouts
these tools produce: `groupe/question` (Kobo), `groupe-question` (ODK Central), `question`
alone, split multiple choices `question/choix` (Kobo, ODK) or `question[choix]` (LimeSurvey).
All or nothing: every problem is reported as `fichier:ligne:colonne: message`.
"""

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from ancrage.activities.models import Action
from ancrage.workbook.cells import CellError
from ancrage.workbook.importer import Problem

from .models import Questionnaire, Response, Source
from .services import (
    TICKED,
    UNTICKED,
    CheckedResponse,
    answer_rows,
    moment_value,
    pairing_value,
    question_choices,
    responses_write,
)

ACTION_COLUMNS = {"action"}
EXTERNAL_ID_COLUMNS = {"_uuid", "instanceid", "meta/instanceid", "meta-instanceid", "key", "id"}
PAIRING_COLUMNS = {"code_anonyme"}
MOMENT_COLUMNS = {"moment"}
# Metadata the tools add to every export: read past, never analysed.
IGNORED_COLUMNS = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "_id",
    "_submission_time",
    "_index",
    "_parent_index",
    "_parent_table_name",
    "__version__",
    "_version_",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "_tags",
    "_attachments",
    "_geolocation",
    "_xform_id",
    "_xform_id_string",
    "submissiondate",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "edits",
    "formversion",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "meta/deprecatedid",
    "meta-deprecatedid",
    "meta/instancename",
    "meta-instancename",
}


class ResponsesInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problème(s) dans le fichier de réponses")
        self.problems = problems


def _read(path: Path) -> list[list[str]]:
    name = path.name
    if path.suffix.lower() == ".xlsx":
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ResponsesInvalid(
                [Problem(name, "-", "-", f"fichier illisible ({exc})")]
            ) from None
        rows = [
            ["" if v is None else str(v) for v in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        book.close()
        return rows
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ResponsesInvalid(
            [
                Problem(
                    name,
                    line,
                    "-",
                    "le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 »",
                )
            ]
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _detect_source(header: list[str]) -> str:
    lowered = {h.lower() for h in header}
    if lowered & {"_uuid", "_submission_time", "_id"}:
        return Source.KOBO
    if lowered & {"submissiondate", "key", "reviewstate"}:
        return Source.ODK
    if lowered & {"submitdate", "lastpage", "startlanguage"}:
        return Source.LIMESURVEY
    return Source.KOBO


def _column_map(questions, choices) -> dict[str, tuple]:
    """Every spelling of every column → (question, choice name or None)."""
    spellings: dict[str, tuple] = {}
    for question in questions:
        forms = {
            question.name,
            question.path,
            question.path.replace("/", "-"),
            question.path.replace("/", "."),
        }
        for form in forms:
            spellings[form.lower()] = (question, None)
            for choice in choices[question.pk]:
                for split in (
                    f"{form}/{choice}",
                    f"{form}.{choice}",
                    f"{form}[{choice}]",
                    f"{form}_{choice}",
                ):
                    spellings.setdefault(split.lower(), (question, choice))
    return spellings


def import_responses(
    *, questionnaire: Questionnaire, path: Path | str, source: str = ""
) -> list[Response]:
    path = Path(path)
    name = path.name
    rows = _read(path)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ResponsesInvalid([Problem(name, 1, "-", "fichier vide")])
    header = [h.strip() for h in rows[0]]
    if len(rows) == 1:
        raise ResponsesInvalid([Problem(name, 2, "-", "aucune réponse dans le fichier")])
    questions, choices = question_choices(questionnaire)
    spellings = _column_map(questions, choices)
    problems: list[Problem] = []
    roles: list[tuple] = []
    for column in header:
        key = column.lower()
        last = key.replace("-", "/").rsplit("/", 1)[-1]
        if key in spellings:
            roles.append(("answer", *spellings[key]))
        elif key in ACTION_COLUMNS or last in ACTION_COLUMNS:
            roles.append(("action",))
        elif key in EXTERNAL_ID_COLUMNS:
            roles.append(("external_id",))
        elif key in PAIRING_COLUMNS or last in PAIRING_COLUMNS:
            roles.append(("pairing",))
        elif key in MOMENT_COLUMNS or last in MOMENT_COLUMNS:
            roles.append(("moment",))
        elif key in IGNORED_COLUMNS or not key:
            roles.append(("ignore",))
        else:
            roles.append(("ignore",))
            problems.append(
                Problem(
                    name,
                    1,
                    column,
                    f"colonne inconnue : aucune question « {column} » dans le questionnaire "
                    f"« {questionnaire.form_id} »",
                )
            )
    if ("action",) not in roles:
        problems.append(
            Problem(
                name,
                1,
                "action",
                "colonne obligatoire absente (identifiant "
                "de l'action où le questionnaire a été rempli)",
            )
        )
    if problems:
        raise ResponsesInvalid(problems)

    # The actions the file names, fetched in one query (not the whole programme's).
    action_column = roles.index(("action",))
    codes = {row[action_column].strip() for row in rows[1:] if len(row) > action_column}
    actions = {
        a.code: a for a in Action.objects.filter(programme=questionnaire.programme, code__in=codes)
    }
    seen_ids = set(
        Response.objects.filter(questionnaire=questionnaire)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    checked: list[CheckedResponse] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values: dict = {}
        ticked: dict[int, set] = {}
        response = CheckedResponse(action=None, answers=[])
        for (role, *target), column, cell in zip(roles, header, row, strict=False):
            cell = cell.strip()
            try:
                if role == "answer":
                    question, choice = target
                    if choice is None:
                        values[question.pk] = (question, cell, column)
                    else:
                        flag = cell.lower()
                        if flag not in TICKED | UNTICKED:
                            raise CellError(f"« {cell} » : 1 ou 0 attendu (choix coché ou non)")
                        bucket = ticked.setdefault(question.pk, set())
                        if flag in TICKED:
                            bucket.add(choice)
                        values.setdefault(question.pk, (question, None, column))
                elif role == "action":
                    action = actions.get(cell)
                    if action is None:
                        raise CellError(f"action « {cell} » inconnue dans le programme")
                    if action.modality != questionnaire.modality:
                        raise CellError(
                            f"l'action « {cell} » est de modalité « {action.modality} », le "
                            f"questionnaire porte sur « {questionnaire.modality} »"
                        )
                    response.action = action
                elif role == "external_id" and cell and not response.external_id:
                    # ODK Central repeats the instance id (meta-instanceID and KEY): the
                    # first id column of a row is the one kept.
                    if cell in seen_ids:
                        raise CellError(f"réponse « {cell} » déjà importée")
                    seen_ids.add(cell)
                    response.external_id = cell[:100]
                elif role == "pairing":
                    response.pairing_code = pairing_value(cell)
                elif role == "moment":
                    response.moment = moment_value(cell)
            except CellError as exc:
                problems.append(Problem(name, number, column, str(exc)))
        if response.action is None and not any(p.row == number for p in problems):
            problems.append(Problem(name, number, "action", "valeur obligatoire manquante"))
        for pk, (question, cell, column) in values.items():
            # A multiple choice may come as one column of codes, split 1/0 columns, or both.
            raw = ticked[pk] | set((cell or "").split()) if pk in ticked else cell
            try:
                rows_ = answer_rows(question, raw, choices[pk])
            except CellError as exc:
                problems.append(Problem(name, number, column, str(exc)))
                continue
            response.answers += [{"question": question, **r} for r in rows_]
        checked.append(response)
    if problems:
        raise ResponsesInvalid(problems)
    return responses_write(
        questionnaire=questionnaire, responses=checked, source=source or _detect_source(header)
    )
