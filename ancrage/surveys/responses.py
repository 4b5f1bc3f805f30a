"""Import response files exported by KoboToolbox, ODK Central or LimeSurvey (CSV or XLSX).

Columns are named by the XLSForm `name`s, with the group prefixes and multiple-choice layouts
these tools produce: `groupe/question` (Kobo), `groupe-question` (ODK Central), `question`
alone, split multiple choices `question/choix` (Kobo, ODK) or `question[choix]` (LimeSurvey).
All or nothing: every problem is reported as `fichier:ligne:colonne: message`.
"""

import csv
import io
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ancrage.activities.models import Action
from ancrage.core.cells import CellError
from ancrage.core.problems import Problem
from ancrage.core.textfiles import TextFileError, decode_text, sniff_delimiter
from ancrage.core.uploads import UploadTooLarge, archive_check

from .models import Questionnaire, Response, Source
from .repeats import add_repeat_answers
from .services import (
    TICKED,
    UNTICKED,
    CheckedResponse,
    answers_from_cells,
    folded,
    moment_value,
    pairing_value,
    question_choices,
    responses_write,
)

ACTION_COLUMNS = {"action"}
EXTERNAL_ID_COLUMNS = {
    "_uuid",
    "meta/instanceid",
    "meta-instanceid",
    "instanceid",
    "key",
    "id",
}
PAIRING_COLUMNS = {"code_anonyme"}
MOMENT_COLUMNS = {"moment"}
# The form or survey the export comes from, when the tool writes it in a column.
SOURCE_SURVEY_COLUMNS = {"_xform_id_string", "formhub/uuid", "formhub-uuid"}
# Metadata each tool adds to its exports: read past, never stored nor analysed.
KOBO_COLUMNS = {
    "_id",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_version_",
    "_tags",
    "_index",
    "_parent_index",
    "_parent_table_name",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
    "_attachments",
    "_geolocation",
    "_xform_id",
    "_media_all_received",
    "_total_media",
    "_media_count",
    "meta/rootuuid",
    "meta/deprecatedid",
    "meta/instancename",
    "meta/audit",
}
ODK_COLUMNS = {
    "submissiondate",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "deviceid",
    "edits",
    "formversion",
    "updatedat",
    "meta-instancename",
    "instancename",
    "meta-deprecatedid",
    "deprecatedid",
    "meta-audit",
    "isvalidated",
}
LIMESURVEY_COLUMNS = {
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
    # A participant's identity when the survey is not anonymous: never read.
    "firstname",
    "lastname",
    "email",
}
# The form's own metadata fields, as named by default.
METADATA_COLUMNS = {"start", "end", "today", "deviceid", "username", "audit", "phonenumber"}
IGNORED_COLUMNS = KOBO_COLUMNS | ODK_COLUMNS | LIMESURVEY_COLUMNS | METADATA_COLUMNS
LIMESURVEY_TIMINGS = re.compile(r"^grouptime\d+$")
LIMESURVEY_ATTRIBUTES = re.compile(r"^attribute_\d+$")
LIMESURVEY_HEADING = re.compile(r"^([\w\[\]-]+)\. ")
LIMESURVEY_FILE = re.compile(r"survey[_-]?(\d+)", re.IGNORECASE)
# Columns the tools derive from a location or a media file (Kobo: `_lieu_latitude`,
# `photo_URL`; ODK Central: `lieu-Latitude`): read past with their field.
DERIVED_SUFFIXES = (
    "_latitude",
    "_longitude",
    "_altitude",
    "_precision",
    "-latitude",
    "-longitude",
    "-altitude",
    "-accuracy",
    "_url",
)


class ResponsesInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(
            _("{count} problème(s) dans le fichier de réponses").format(count=len(problems))
        )
        self.problems = problems


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code 4 that Excel keeps as 4.0
    return str(value)


def _cells(sheet) -> list[list[str]]:
    return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _csv(data: bytes, name: str) -> list[list[str]]:
    try:
        text = decode_text(data, name=name)
    except TextFileError as exc:
        message = str(exc).removeprefix(f"{name} : ")
        raise ResponsesInvalid([Problem(name, "-", "-", message)]) from None
    return list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))


def _read(path: Path, name: str) -> tuple[list[list[str]], dict[str, list[list[str]]]]:
    """The main table's rows, and each repeat's table by name: the other sheets of a Kobo
    XLSX export, the other files of an ODK Central zip export (`<form>-<repeat>.csv`)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            archive_check(path)
        except UploadTooLarge as refused:
            raise ResponsesInvalid([Problem(name, "-", "-", str(refused))]) from None
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ResponsesInvalid(
                [Problem(name, "-", "-", _("fichier illisible ({error})").format(error=exc))]
            ) from None
        try:
            rows = _cells(book.worksheets[0])
            tables = {sheet.title: _cells(sheet) for sheet in book.worksheets[1:]}
        finally:
            book.close()
        return rows, tables
    if suffix == ".zip":
        return _read_zip(path, name)
    return _csv(path.read_bytes(), name), {}


def _read_zip(path: Path, name: str):
    try:
        archive_check(path)  # before anything is inflated
    except UploadTooLarge as refused:
        raise ResponsesInvalid([Problem(name, "-", "-", str(refused))]) from None
    try:
        with zipfile.ZipFile(path) as archive:
            files = {
                Path(member).name: archive.read(member)
                for member in archive.namelist()
                if member.lower().endswith(".csv")
            }
    except zipfile.BadZipFile:
        raise ResponsesInvalid([Problem(name, "-", "-", _("archive zip illisible"))]) from None
    if not files:
        raise ResponsesInvalid([Problem(name, "-", "-", _("aucun fichier CSV dans l'archive"))])
    main = min(files, key=len)  # ODK Central: form.csv, form-repeat.csv…
    stem = Path(main).stem
    tables = {
        Path(other).stem.removeprefix(f"{stem}-"): _csv(data, f"{name}[{other}]")
        for other, data in files.items()
        if other != main
    }
    return _csv(files[main], f"{name}[{main}]"), tables


def _detect_source(header: list[str]) -> str:
    lowered = {h.lower() for h in header}
    if lowered & {"_uuid", "_submission_time", "_id", "__version__"}:
        return Source.KOBO
    if lowered & {"submissiondate", "key", "reviewstate"}:
        return Source.ODK
    if lowered & {"submitdate", "lastpage", "startlanguage"}:
        return Source.LIMESURVEY
    return Source.KOBO


def _spellings(path: str) -> set[str]:
    """A field's column names: `groupe/question` (Kobo), `groupe-question` (ODK Central),
    `groupe.question`, and the name alone (ODK « Remove group names », LimeSurvey)."""
    name = path.rsplit("/", 1)[-1]
    return {folded(form) for form in (path, path.replace("/", "-"), path.replace("/", "."), name)}


def _column_map(questions, choices) -> dict[str, tuple]:
    """Every spelling of every column → (question, choice name or None). A bare name that
    two groups share is left out: only its group path names it."""
    names = [folded(q.name) for q in questions]
    spellings: dict[str, tuple] = {}
    for question in questions:
        forms = _spellings(question.path)
        if question.repeat:  # ODK Central's repeat files name fields from the repeat down
            forms |= _spellings(question.path.removeprefix(f"{question.repeat}/"))
        if names.count(folded(question.name)) > 1:
            forms.discard(folded(question.name))
        for form in forms:
            spellings[form] = (question, None)
            for choice in choices[question.pk]:
                for split in (
                    f"{form}/{choice}",
                    f"{form}.{choice}",
                    f"{form}[{choice}]",
                    f"{form}_{choice}",
                ):
                    spellings.setdefault(folded(split), (question, choice))
            # LimeSurvey's « other » text of a choice question: the XLSForm's `x_other`.
            spellings.setdefault(f"{form}[other]", ("other", question.path))
    _label_spellings(questions, choices, spellings)
    by_path = {q.path: q for q in questions}
    for key, target in list(spellings.items()):
        if target[0] == "other":
            other = by_path.get(f"{target[1]}_other")
            if other is None:
                del spellings[key]
            else:
                spellings[key] = (other, None)
    return spellings


def _label_spellings(questions, choices, spellings) -> None:
    """Kobo's « Labels » export names columns by the questions' labels (with the groups' labels
    when « Include groups in headers » is ticked) and split choices `label/choice label`."""
    labels = [folded(q.label) for q in questions]
    for question in questions:
        label = folded(question.label)
        if not label or labels.count(label) > 1:
            continue
        forms = {label}
        if question.group_label:
            forms.add(folded("/".join([*question.group_label.split(" / "), question.label])))
        if question.name.endswith("_other"):
            forms.add("specify other.")  # pyxform's label of or_other, as Kobo exports it
        for form in forms:
            spellings.setdefault(form, (question, None))
            for name, choice in choices[question.pk].items():
                spellings.setdefault(f"{form}/{folded(choice.label)}", (question, name))


def _unstored(questionnaire: Questionnaire) -> set[str]:
    """Column names of the form's fields that are never stored, with their derived columns."""
    columns = set()
    for path in questionnaire.unstored_fields:
        for form in _spellings(path):
            columns.add(form)
            columns.update(f"{form}{suffix}" for suffix in DERIVED_SUFFIXES)
            prefix, _, name = form.rpartition("/")
            kobo_geo = f"{prefix}/_{name}" if prefix else f"_{name}"
            columns.update(f"{kobo_geo}{suffix}" for suffix in DERIVED_SUFFIXES[:4])
    return columns


def _role(column: str, spellings: dict, unstored: set[str]) -> tuple:
    key = folded(column)
    last = key.replace("-", "/").rsplit("/", 1)[-1]
    if key in spellings:
        return ("answer", *spellings[key])
    if key in ACTION_COLUMNS or last in ACTION_COLUMNS:
        return ("action",)
    if key in EXTERNAL_ID_COLUMNS:
        return ("external_id",)
    if key in PAIRING_COLUMNS or last in PAIRING_COLUMNS:
        return ("pairing",)
    if key in MOMENT_COLUMNS or last in MOMENT_COLUMNS:
        return ("moment",)
    if key in SOURCE_SURVEY_COLUMNS:
        return ("source_survey",)
    if not key or key in IGNORED_COLUMNS or key in unstored:
        return ("ignore",)
    if LIMESURVEY_TIMINGS.match(key) or LIMESURVEY_ATTRIBUTES.match(key):
        return ("ignore",)
    # LimeSurvey's time spent on a question: `<code>Time`.
    if key.endswith("time") and len(key) > 4:
        if _role(column[:-4], spellings, unstored) != ("unknown",):
            return ("ignore",)
    # LimeSurvey's « Question code & question text » headings: `aime. As-tu aimé ?`.
    coded = LIMESURVEY_HEADING.match(column)
    if coded:
        return _role(coded[1], spellings, unstored)
    return ("unknown",)


def _roles(header: list[str], questionnaire: Questionnaire, spellings, name: str):
    unstored = _unstored(questionnaire)
    problems, roles = [], []
    for column in header:
        role = _role(column, spellings, unstored)
        if role == ("unknown",):
            role = ("ignore",)
            problems.append(
                Problem(
                    name,
                    1,
                    column,
                    _(
                        "colonne inconnue : aucune question « {column} » dans le questionnaire "
                        "« {form} »"
                    ).format(column=column, form=questionnaire.form_id),
                )
            )
        roles.append(role)
    if ("action",) not in roles:
        problems.append(
            Problem(
                name,
                1,
                "action",
                _(
                    "colonne obligatoire absente (identifiant "
                    "de l'action où le questionnaire a été rempli)"
                ),
            )
        )
    return roles, problems


def _source_survey(name: str, source: str, given: str) -> str:
    """The survey the file comes from: given, else LimeSurvey's survey id in the file name
    (`results-survey482913.csv`). Kobo and ODK ids are unique across forms already."""
    if given:
        return given.strip()[:100]
    if source == Source.LIMESURVEY:
        found = LIMESURVEY_FILE.search(Path(name).stem)
        if found:
            return found[1]
    return ""


def import_responses(
    *,
    questionnaire: Questionnaire,
    path: Path | str,
    source: str = "",
    source_survey: str = "",
    file_name: str = "",
) -> list[Response]:
    """Import one export all or nothing; raises ResponsesInvalid with every problem.

    A response's identity is its tool's id within its source survey: two LimeSurvey surveys
    (ids from 1 each) feed one questionnaire, the same file twice is refused."""
    path = Path(path)
    name = file_name or path.name  # the user's own name of the file, as problems say it
    rows, tables = _read(path, name)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ResponsesInvalid([Problem(name, 1, "-", _("fichier vide"))])
    header = [h.strip() for h in rows[0]]
    if len(rows) == 1:
        raise ResponsesInvalid([Problem(name, 2, "-", _("aucune réponse dans le fichier"))])
    source = source or _detect_source(header)
    questions, choices = question_choices(questionnaire)
    spellings = _column_map(questions, choices)
    roles, problems = _roles(header, questionnaire, spellings, name)
    if problems:
        raise ResponsesInvalid(problems)
    reader = _RowReader(questionnaire, roles, header, rows, name)
    reader.survey = _source_survey(name, source, source_survey)
    reader.scoped = source == Source.LIMESURVEY
    reader.hint = (
        _(
            " (si elle vient d'une autre enquête LimeSurvey, donnez le numéro de l'enquête : "
            "--enquete)"
        )
        if source == Source.LIMESURVEY and not reader.survey
        else ""
    )
    numbered = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    checked = [reader.row(number, row) for number, row in numbered]
    if tables:
        add_repeat_answers(
            questionnaire=questionnaire,
            tables=tables,
            header=header,
            main=[(row, response) for (_, row), response in zip(numbered, checked, strict=True)],
            spellings=spellings,
            ignored=IGNORED_COLUMNS | _unstored(questionnaire),
            choices=reader.choices,
            problems=reader.problems,
            name=name,
        )
    if reader.problems:
        raise ResponsesInvalid(reader.problems)
    return responses_write(questionnaire=questionnaire, responses=checked, source=source)


class _RowReader:
    """Check each row of an export against the questionnaire, gathering every problem."""

    def __init__(self, questionnaire, roles, header, rows, name):
        self.questionnaire = questionnaire
        self.roles, self.header, self.name = roles, header, name
        self.problems: list[Problem] = []
        self.survey = ""
        self.hint = ""
        self.scoped = False
        _, self.choices = question_choices(questionnaire)
        # The actions the file names, fetched in one query (not the whole programme's).
        action_column = roles.index(("action",))
        codes = {row[action_column].strip() for row in rows[1:] if len(row) > action_column}
        self.actions = {
            a.code: a
            for a in Action.objects.filter(programme=questionnaire.programme, code__in=codes)
        }
        self.seen: dict[str, set[str]] = {}

    def _seen(self, survey: str) -> set[str]:
        """Ids already imported: within the survey for LimeSurvey (its ids restart at 1 in every
        survey); across every survey for Kobo and ODK, whose instance ids are unique anyway, so
        an export that lost its form id column is still recognised."""
        scope = survey if self.scoped else "*"
        if scope not in self.seen:
            known = Response.objects.filter(questionnaire=self.questionnaire).exclude(
                external_id=""
            )
            if self.scoped:
                known = known.filter(source_survey=survey)
            self.seen[scope] = set(known.values_list("external_id", flat=True))
        return self.seen[scope]

    def row(self, number: int, row: list[str]) -> CheckedResponse:
        values: dict = {}
        ticked: dict[int, set] = {}
        response = CheckedResponse(action=None, answers=[], source_survey=self.survey)
        ids: list[tuple[str, str]] = []
        for (role, *target), column, cell in zip(self.roles, self.header, row, strict=False):
            cell = cell.strip()
            try:
                if role == "answer":
                    self._answer(target, cell, column, values, ticked)
                elif role == "action":
                    response.action = self._action(cell)
                elif role == "external_id" and cell:
                    ids.append((column, cell))
                elif role == "source_survey" and cell and not self.survey:
                    response.source_survey = cell[:100]
                elif role == "pairing":
                    response.pairing_code = pairing_value(cell)
                elif role == "moment":
                    response.moment = moment_value(cell)
            except CellError as exc:
                self.problems.append(Problem(self.name, number, column, str(exc)))
        if ids:
            # ODK Central repeats the instance id (meta-instanceID and KEY): the first id
            # column of a row is the one kept.
            column, cell = ids[0]
            seen = self._seen(response.source_survey)
            if cell in seen:
                self.problems.append(
                    Problem(
                        self.name,
                        number,
                        column,
                        _("réponse « {id} » déjà importée").format(id=cell) + self.hint,
                    )
                )
            seen.add(cell)
            response.external_id = cell[:100]
        if response.action is None and not any(p.row == number for p in self.problems):
            self.problems.append(
                Problem(self.name, number, "action", _("valeur obligatoire manquante"))
            )
        response.answers += answers_from_cells(
            values,
            ticked,
            self.choices,
            on_error=lambda column, message: self.problems.append(
                Problem(self.name, number, column, message)
            ),
        )
        return response

    def _answer(self, target, cell, column, values, ticked) -> None:
        question, choice = target
        if choice is None:
            values[question.pk] = (question, cell, column)
            return
        flag = cell.lower()
        if flag not in TICKED | UNTICKED:
            raise CellError(
                _("« {value} » : 1 ou 0 attendu (choix coché ou non)").format(value=cell)
            )
        bucket = ticked.setdefault(question.pk, set())
        if flag in TICKED:
            bucket.add(choice)
        values.setdefault(question.pk, (question, None, column))

    def _action(self, cell: str) -> Action:
        action = self.actions.get(cell)
        if action is None:
            raise CellError(_("action « {code} » inconnue dans le programme").format(code=cell))
        if action.modality != self.questionnaire.modality:
            raise CellError(
                _(
                    "l'action « {code} » est de modalité « {modality} », le "
                    "questionnaire porte sur « {form_modality} »"
                ).format(
                    code=cell,
                    modality=action.modality,
                    form_modality=self.questionnaire.modality,
                )
            )
        return action
