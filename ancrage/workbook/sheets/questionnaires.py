"""The programme's questionnaires and their responses in the workbook (docs/workbook.md).

A questionnaire travels as the XLSForm Ancrage writes (`surveys.xlsform.write_xlsform`), its three
sheets merged into `questionnaires` (settings), `questions` (survey) and `choix` (choices), each
row prefixed by its `form_id`; it is loaded back by rebuilding that XLSForm and handing it to
`surveys.services.questionnaire_create`, so it is checked as any form a user uploads. Collections
are one row per questionnaire and action (`collectes`), answers one row each (`reponses`), read
back through `surveys.services.answer_rows` like every other way in (free text scrubbed again).
"""

import io
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ancrage.activities.models import Action
from ancrage.core.cells import CellError
from ancrage.surveys.models import Answer, Collection, Questionnaire, Response, Source
from ancrage.surveys.services import (
    CheckedResponse,
    answer_rows,
    moment_value,
    pairing_value,
    question_choices,
    questionnaire_create,
    responses_write,
)
from ancrage.surveys.xlsform import XLSFormInvalid, write_xlsform

if TYPE_CHECKING:
    from ..importer import WorkbookImporter

SETTINGS = ("form_title", "version", "public", "modalite", "appariement")
SURVEY = ("type", "name", "label", "required", "categorie")
CHOICES = ("list_name", "name", "label", "favorable")
# The workbook's sheet for each XLSForm sheet, to place the form's problems.
FORM_SHEETS = {"settings": "questionnaires", "survey": "questions", "choices": "choix"}
FORM_PROBLEM = re.compile(r"^(settings|survey|choices):(\d+|-):([^:]*): (.*)$", re.S)
COLUMNS = {
    "questionnaires": ("form_id", *SETTINGS),
    "questions": ("form_id", *SURVEY),
    "choix": ("form_id", *CHOICES),
    "collectes": ("form_id", "action", "debut", "fin"),
    "reponses": (
        "reponse",
        "form_id",
        "action",
        "question",
        "valeur",
        "moment",
        "code_anonyme",
        "source",
        "id_externe",
        "enquete_origine",
    ),
}
REQUIRED = {
    "questionnaires": ("form_id", "form_title"),
    "questions": ("form_id", "type"),
    "choix": ("form_id", "list_name", "name"),
    "collectes": ("form_id", "action", "fin"),
    "reponses": ("reponse", "form_id", "action"),
}
BATCH = 500


# -- export ------------------------------------------------------------------------------------
def _questionnaires(programme):
    return Questionnaire.objects.filter(programme=programme).order_by("form_id")


def _form_rows(programme, sheet: str):
    """One XLSForm sheet's rows (header left out) for every questionnaire, after its form_id."""
    for questionnaire in _questionnaires(programme):
        book = load_workbook(io.BytesIO(write_xlsform(questionnaire)), read_only=True)
        rows = book[sheet].iter_rows(min_row=2, values_only=True)
        for row in rows:
            if sheet == "settings":  # the writer's form_id, second column, leads the row
                row = (row[0], *row[2:])
            if any(value not in (None, "") for value in row):
                yield (questionnaire.form_id, *row)
        book.close()


def _collection_rows(programme):
    return (
        Collection.objects.filter(questionnaire__programme=programme)
        .order_by("questionnaire__form_id", "action_id")
        .values_list("questionnaire__form_id", "action__code", "opens_on", "closes_on")
        .iterator()
    )


def answer_value(answer: Answer):
    """The answer as the response exports write it: a choice's code, a number, an ISO date…"""
    if answer.choice_id is not None:
        return answer.choice.name
    if answer.number is not None:
        return answer.number
    if answer.decimal is not None:
        return repr(answer.decimal)  # every digit, read back exactly
    if answer.date is not None and answer.time is not None:
        return f"{answer.date.isoformat()} {answer.time.isoformat()}"
    if answer.date is not None:
        return answer.date.isoformat()
    if answer.time is not None:
        return answer.time.isoformat()
    return answer.text


def _response_rows(programme):
    responses = (
        Response.objects.filter(programme=programme)
        .select_related("questionnaire", "collection__action")
        .order_by("pk")
    )
    answers = (
        Answer.objects.filter(response__programme=programme)
        .select_related("question", "choice")
        .order_by("response_id", "pk")
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    for response in responses.iterator(chunk_size=2000):
        # Numbered by its id, which stays the same whatever is added or removed around it:
        # an update matches the workbook's responses with the programme's by this number.
        head = (response.pk, response.questionnaire.form_id, response.collection.action.code)
        tail = (
            response.moment,
            response.pairing_code,
            response.source,
            response.external_id,
            response.source_survey,
        )
        written = False
        while pending is not None and pending.response_id == response.pk:
            yield (*head, pending.question.path, answer_value(pending), *tail)
            written = True
            pending = next(answers, None)
        if not written:  # a response left blank still counts as a respondent
            yield (*head, "", "", *tail)


def export_rows(programme) -> dict:
    return {
        "questionnaires": _form_rows(programme, "settings"),
        "questions": _form_rows(programme, "survey"),
        "choix": _form_rows(programme, "choices"),
        "collectes": _collection_rows(programme),
        "reponses": _response_rows(programme),
    }


# -- import ------------------------------------------------------------------------------------
def _text(row, column: str, required: bool = False) -> str:
    return row.text(column, required, max_length=5000)


def _read_forms(imp: "WorkbookImporter") -> dict[str, dict]:
    """Each form_id's XLSForm rows, with the workbook's row number of each."""
    forms: dict[str, dict] = defaultdict(lambda: {"settings": [], "survey": [], "choices": []})
    for sheet, part, columns in (
        ("questionnaires", "settings", SETTINGS),
        ("questions", "survey", SURVEY),
        ("choix", "choices", CHOICES),
    ):
        for row in imp.rows(sheet):
            form_id = row.text("form_id", True, max_length=64)
            values = [_text(row, c, c in REQUIRED[sheet]) for c in columns]
            if not form_id:
                continue
            if sheet != "questionnaires" and form_id not in forms:
                row.problem(
                    "form_id",
                    _("questionnaire « {form} » absent de la feuille questionnaires").format(
                        form=form_id
                    ),
                )
                continue
            if sheet == "questionnaires" and forms[form_id]["settings"]:
                row.problem("form_id", _("questionnaire « {form} » en double").format(form=form_id))
                continue
            forms[form_id][part].append((row.line, values))
    return forms


def _xlsform(form_id: str, form: dict) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY)
    for _line, values in form["survey"]:
        survey.append(values)
    choices = book.create_sheet("choices")
    choices.append(CHOICES)
    for _line, values in form["choices"]:
        choices.append(values)
    settings = book.create_sheet("settings")
    settings.append(("form_id", *SETTINGS))
    settings.append((form_id, *form["settings"][0][1]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _form_problem(imp: "WorkbookImporter", form_id: str, form: dict, message: str) -> None:
    """A problem of the rebuilt XLSForm, placed on the workbook's sheet and row."""
    found = FORM_PROBLEM.match(message)
    if not found:
        imp.problem(
            "questions",
            "-",
            "-",
            _("questionnaire « {form} » : {message}").format(form=form_id, message=message),
        )
        return
    part, row, column, text = found.groups()
    lines = [line for line, _values in form[part]]
    index = int(row) - 2 if row.isdigit() else -1
    line = lines[index] if 0 <= index < len(lines) and part != "settings" else "-"
    if part == "settings" and lines:
        line = lines[0]
    imp.problem(FORM_SHEETS[part], line, column or "-", f"« {form_id} » : {text}")


def load_questionnaires(imp: "WorkbookImporter") -> None:
    """Questionnaires, collections and responses; each response's number in the workbook is
    kept by its id (`response_keys`), for an update to match it with the programme's."""
    imp.response_keys = {}
    forms = _read_forms(imp)
    found: dict[str, Questionnaire] = {}
    for form_id, form in forms.items():
        if imp.programme is None or not form["settings"]:
            continue
        try:
            found[form_id] = questionnaire_create(
                programme=imp.programme, xlsform=_xlsform(form_id, form)
            )
        except XLSFormInvalid as invalid:
            for message in invalid.problems:
                _form_problem(imp, form_id, form, message)
    imp.counts["questionnaire"] = len(found)
    actions = _actions(imp)
    _load_collections(imp, found, actions)
    _ResponseLoader(imp, found, actions).load()


class _CitedActions(dict):
    """The programme's actions by code, each read when a row first cites it: a national
    programme's actions as objects are hundreds of Mo, and an exported workbook (an update's)
    always has the sheets of collections and responses, most often empty."""

    def __init__(self, programme):
        super().__init__()
        self.rows = Action.objects.filter(programme=programme).select_related("programme")

    def get(self, code, default=None):
        if code not in self:
            self[code] = self.rows.filter(code=code).first()
        found = super().get(code)
        return default if found is None else found


def _actions(imp: "WorkbookImporter") -> dict[str, Action]:
    if not imp.writing or imp.programme is None or {"collectes", "reponses"} <= imp.skipped:
        return {}
    return _CitedActions(imp.programme)


def _reference(imp, row, found, actions) -> tuple:
    form_id = row.text("form_id", True, max_length=64)
    code = row.text("action", True, max_length=64)
    questionnaire = found.get(form_id)
    if form_id and questionnaire is None and "questionnaires" not in imp.skipped:
        row.problem("form_id", _("questionnaire « {form} » inconnu").format(form=form_id))
    if code and not imp.actions.knows(code):
        row.problem("action", _("action « {code} » inconnue").format(code=code))
    return questionnaire, actions.get(code)


def _load_collections(imp, found, actions) -> None:
    batch, seen = [], set()
    for row in imp.rows("collectes"):
        questionnaire, action = _reference(imp, row, found, actions)
        opens, closes = row.date("debut"), row.date("fin", True)
        key = (row.raw("form_id"), row.raw("action"))
        if key in seen:
            row.problem("action", _("collecte en double pour ce questionnaire et cette action"))
        seen.add(key)
        if opens and closes and closes < opens:
            row.problem("fin", _("la fin de collecte précède son début"))
        if row.ok and imp.writing and questionnaire and action:
            batch.append(
                Collection(
                    questionnaire=questionnaire, action=action, opens_on=opens, closes_on=closes
                )
            )
    if imp.writing:
        Collection.objects.bulk_create(batch, batch_size=BATCH)
    imp.counts["collection"] = len(batch)


class _ResponseLoader:
    """Rows of one response follow each other (key `reponse`); each response is checked whole,
    then written by questionnaire in batches through the surveys services."""

    def __init__(self, imp, found, actions):
        self.imp, self.found, self.actions = imp, found, actions
        self.questions = {}
        self.pending: dict[int, list] = defaultdict(list)
        self.seen: set[str] = set()
        self.identities: set[tuple] = set()
        self.count = 0

    def _questions(self, questionnaire):
        if questionnaire.pk not in self.questions:
            questions, choices = question_choices(questionnaire)
            self.questions[questionnaire.pk] = ({q.path: q for q in questions}, choices)
        return self.questions[questionnaire.pk]

    def load(self) -> None:
        current, key = None, None
        for row in self.imp.rows("reponses"):
            row_key = _text(row, "reponse", True)
            if row_key != key:
                self._close(current)
                if row_key in self.seen:
                    row.problem(
                        "reponse",
                        _("réponse « {id} » coupée par d'autres lignes").format(id=row_key),
                    )
                self.seen.add(row_key)
                key, current = row_key, self._open(row)
            self._answer(row, current)
        self._close(current)
        for questionnaire_id in list(self.pending):
            self._write(questionnaire_id)
        self.imp.counts["response"] = self.count

    def _open(self, row) -> dict | None:
        questionnaire, action = _reference(self.imp, row, self.found, self.actions)
        checked = CheckedResponse(action=action, answers=[])
        for column, read in (("moment", moment_value), ("code_anonyme", pairing_value)):
            try:
                setattr(
                    checked,
                    "moment" if column == "moment" else "pairing_code",
                    read(row.raw(column)),
                )
            except CellError as exc:
                row.problem(column, str(exc))
        source = _text(row, "source") or Source.PAPER
        if source not in Source.values:
            row.problem(
                "source",
                _("« {value} » inconnu : valeurs possibles {allowed}").format(
                    value=source, allowed=", ".join(Source.values)
                ),
            )
        checked.external_id = row.text("id_externe", max_length=100)
        checked.source_survey = row.text("enquete_origine", max_length=100)
        identity = (row.raw("form_id"), checked.source_survey, checked.external_id)
        if checked.external_id and identity in self.identities:
            row.problem(
                "id_externe", _("réponse « {id} » en double").format(id=checked.external_id)
            )
        self.identities.add(identity)
        return {
            "questionnaire": questionnaire,
            "checked": checked,
            "source": source,
            "key": _text(row, "reponse"),
        }

    def _answer(self, row, current) -> None:
        path = _text(row, "question")
        questionnaire = current["questionnaire"]
        if not path or questionnaire is None:
            return
        questions, choices = self._questions(questionnaire)
        question = questions.get(path)
        if question is None:
            row.problem(
                "question", _("question « {path} » absente du questionnaire").format(path=path)
            )
            return
        value = row.raw("valeur")
        try:
            rows = answer_rows(question, "" if value is None else str(value), choices[question.pk])
        except CellError as exc:
            row.problem("valeur", str(exc))
            return
        current["checked"].answers.extend({"question": question, **r} for r in rows)

    def _close(self, current) -> None:
        if current is None or current["questionnaire"] is None or current["checked"].action is None:
            return
        questionnaire = current["questionnaire"]
        self.pending[questionnaire.pk].append(
            (current["source"], current["checked"], current["key"])
        )
        self.count += 1
        if len(self.pending[questionnaire.pk]) >= BATCH:
            self._write(questionnaire.pk)

    def _write(self, questionnaire_id: int) -> None:
        batch = self.pending.pop(questionnaire_id, [])
        if not self.imp.writing or not batch:
            return
        questionnaire = next(q for q in self.found.values() if q.pk == questionnaire_id)
        by_source = defaultdict(list)
        for source, checked, key in batch:
            by_source[source].append((checked, key))
        for source, pairs in by_source.items():
            created = responses_write(
                questionnaire=questionnaire, responses=[c for c, _key in pairs], source=source
            )
            for response, (_checked, key) in zip(created, pairs, strict=True):
                self.imp.response_keys[response.pk] = key
