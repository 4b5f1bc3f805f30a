"""Writes on questionnaires and answers. Every answer, whatever its way in (file import, paper
entry, online form), goes through `answer_rows`, which checks it and scrubs free text."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.activities.models import Action
from ancrage.core import limits
from ancrage.core.cells import CellError, integer
from ancrage.core.privacy import scrub
from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed

from .models import (
    Answer,
    Choice,
    Collection,
    Moment,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)
from .text import sentiment
from .xlsform import ParsedForm, XLSFormInvalid, parse_xlsform

TICKED = {"1", "y", "yes", "oui", "true", "vrai", "x"}
UNTICKED = {"", "0", "n", "no", "non", "false", "faux"}
PAIRING_RE = re.compile(r"^[A-Z0-9]{4,16}$")
# Dates as the tools write them: ISO (Kobo, ODK, LimeSurvey, Excel cells), or French 31/12/2023.
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
FRENCH_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
# A time, its seconds and fraction optional, its time zone (Kobo, ODK: +01:00) read past.
TIME_RE = re.compile(r"(?:^|[T ])(\d{1,2})[:h](\d{2})(?::(\d{2}))?")
# Settings columns of the questionnaire's fields, to place full_clean's messages.
SETTINGS_COLUMNS = {
    "form_id": "form_id",
    "title": "form_title",
    "version": "version",
    "public": "public",
    "modality": "modalite",
}
MOMENTS = {
    "avant": Moment.PRE,
    "pre": Moment.PRE,
    "apres": Moment.POST,
    "après": Moment.POST,
    "post": Moment.POST,
}


@transaction.atomic
def questionnaire_create(
    *, programme: Programme, xlsform: bytes, public: str = "", modality: str = ""
) -> Questionnaire:
    """Create a questionnaire from an XLSForm; raises XLSFormInvalid with French messages.

    The parsed form's `warnings` (questions never stored) are kept on the result as
    `load_warnings` for the command line and the page to show."""
    form = parse_xlsform(xlsform, public=public, modality=modality)
    questionnaire = _questionnaire(programme, form)
    for position, parsed in enumerate(form.questions):
        question = Question.objects.create(
            questionnaire=questionnaire,
            name=parsed.name,
            path=parsed.path,
            group_label=parsed.group_label,
            kind=parsed.kind,
            label=parsed.label,
            list_name=parsed.list_name[:100],
            required=parsed.required,
            category=parsed.category,
            repeat=parsed.repeat,
            position=position,
        )
        Choice.objects.bulk_create(
            Choice(question=question, name=c.name, label=c.label, favorable=c.favorable, position=i)
            for i, c in enumerate(parsed.choices)
        )
    questionnaire.load_warnings = form.warnings
    return questionnaire


def _questionnaire(programme: Programme, form: ParsedForm) -> Questionnaire:
    if Questionnaire.objects.filter(programme=programme, form_id=form.form_id).exists():
        raise XLSFormInvalid(
            [
                "settings:2:form_id: "
                + _(
                    "un questionnaire « {form_id} » existe déjà dans ce programme : changez "
                    "form_id ou supprimez l'ancien"
                ).format(form_id=form.form_id)
            ]
        )
    questionnaire = Questionnaire(
        programme=programme,
        form_id=form.form_id,
        title=form.title,
        version=form.version,
        public=form.public,
        modality=form.modality,
        pairing=form.pairing,
        unstored_fields=form.unstored,
    )
    try:
        questionnaire.full_clean()
    except ValidationError as invalid:
        raise XLSFormInvalid(
            [
                f"settings:2:{SETTINGS_COLUMNS.get(name, name)}: {message}"
                for name, messages in invalid.message_dict.items()
                for message in messages
            ]
        ) from None
    questionnaire.save()
    return questionnaire


def collection_for(
    questionnaire: Questionnaire, action: Action, *, today: dt.date | None = None
) -> Collection:
    """The questionnaire's collection at an action, opened on first use: from today (actions are
    often entered after they happen) for the programme's collection length, and at least until
    that long after the action ends."""
    today = today or timezone.localdate()
    collection, _created = Collection.objects.get_or_create(
        questionnaire=questionnaire,
        action=action,
        defaults={"opens_on": today, "closes_on": _default_end(action, today)},
    )
    return collection


def _default_end(action: Action, today: dt.date) -> dt.date:
    last_day = max(today, action.end or action.start)
    return last_day + dt.timedelta(days=action.programme.collection_days)


class CollectionDateInvalid(ValueError):
    """A collection's end date that cannot be kept; the message is French."""


@transaction.atomic
def collection_set_end(*, collection: Collection, closes_on: dt.date) -> Collection:
    """Moves a collection's end date (earlier closes it, later extends or reopens it)."""
    start = collection.opens_on
    if start is not None and closes_on < start:
        raise CollectionDateInvalid(
            _("La fin de collecte ne peut pas précéder son ouverture, le {day}.").format(
                day=date_format(start, "j F Y")
            )
        )
    collection.closes_on = closes_on
    collection.save(update_fields=["closes_on"])
    return collection


@transaction.atomic
def collection_reopen(*, collection: Collection, today: dt.date | None = None) -> Collection:
    """Reopens a closed collection from today for the programme's collection length."""
    today = today or timezone.localdate()
    if collection.opens_on is None or collection.opens_on > today:
        collection.opens_on = today
    collection.closes_on = _default_end(collection.action, today)
    collection.save(update_fields=["opens_on", "closes_on"])
    return collection


@dataclass
class CheckedResponse:
    """One response's answers, checked, ready to be written."""

    action: Action
    answers: list[dict]
    pairing_code: str = ""
    moment: str = ""
    external_id: str = ""
    source_survey: str = ""


def answer_rows(question: Question, raw, choices: dict[str, Choice]) -> list[dict]:
    """The answer rows for one value given to one question; raises CellError in French."""
    if isinstance(raw, set):  # ticked choices of a multiple choice, from split columns
        values = sorted(raw)
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            return []
        if question.kind == QuestionKind.INTEGER:
            # Within what Answer.number keeps: a problem at its cell, not a database error.
            return [{"number": limits.of(Answer, "number").keep(integer(text))}]
        if question.kind in MEASURES:
            return [MEASURES[question.kind](text)]
        if question.kind == QuestionKind.TEXT:
            cleaned = scrub(text)
            return [{"text": cleaned, "tone": sentiment(cleaned)}]
        values = selected_codes(question, text, choices)
    rows = []
    for value in values:
        choice = (
            choices.get(value)
            or _unpadded(choices).get(value.lstrip("0"))
            or choices.get(_by_label(choices).get(folded(value), ""))
        )
        if choice is None:
            allowed = ", ".join(choices)
            raise CellError(
                _("« {value} » n'est pas un choix de la question (choix : {allowed})").format(
                    value=value, allowed=allowed
                )
            )
        rows.append(
            {
                "choice": choice,
                "favorable": choice.favorable if question.kind == QuestionKind.SELECT_ONE else None,
            }
        )
    return rows


def decimal_value(text: str) -> dict:
    """A decimal as typed in France (12,5) or written by the tools (12.5)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():  # also « inf », « nan »
        raise CellError(_("« {value} » : nombre attendu (par exemple 12,5)").format(value=text))
    # Within what the float column keeps (core.limits): 1E400 would be stored as infinity.
    return {"decimal": float(limits.of(Answer, "decimal").keep(number))}


def _date(text: str) -> dt.date:
    iso, french = ISO_DATE_RE.match(text), FRENCH_DATE_RE.match(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if french:
            return dt.date(int(french[3]), int(french[2]), int(french[1]))
    except ValueError:
        pass
    raise CellError(_("« {value} » : date attendue (2023-03-31 ou 31/03/2023)").format(value=text))


def _time(text: str) -> dt.time:
    found = TIME_RE.search(text)
    try:
        if found:
            return dt.time(int(found[1]), int(found[2]), int(found[3] or 0))
    except ValueError:
        pass
    raise CellError(_("« {value} » : heure attendue (14:30)").format(value=text))


def date_value(text: str) -> dict:
    return {"date": _date(text)}


def time_value(text: str) -> dict:
    return {"time": _time(text)}


def datetime_value(text: str) -> dict:
    """Date and time as typed (Kobo and ODK add the device's time zone: read past)."""
    return {"date": _date(text), "time": _time(text[10:]) if len(text) > 10 else dt.time(0)}


MEASURES = {
    QuestionKind.DECIMAL: decimal_value,
    QuestionKind.DATE: date_value,
    QuestionKind.TIME: time_value,
    QuestionKind.DATETIME: datetime_value,
}


def folded(text: str) -> str:
    """A label as compared: case and runs of spaces ignored."""
    return " ".join(str(text).split()).casefold()


def answers_from_cells(values: dict, ticked: dict, choices: dict, *, on_error) -> list[dict]:
    """A row's answers from its cells, `values`: question id → (question, cell, column). A
    multiple choice may come as one column of codes, split 1/0 columns (`ticked`), or both.
    A cell that cannot be read goes to `on_error(column, message)` and gives no answer."""
    answers = []
    for pk, (question, cell, column) in values.items():
        raw = (
            ticked[pk] | set(selected_codes(question, cell or "", choices[pk]))
            if pk in ticked
            else cell
        )
        try:
            rows = answer_rows(question, raw, choices[pk])
        except CellError as exc:
            on_error(column, str(exc))
            continue
        answers += [{"question": question, **row} for row in rows]
    return answers


def selected_codes(question: Question, text: str, choices: dict[str, Choice]) -> list[str]:
    """The codes of a multiple choice written as codes (« jeux dessins »: Kobo's XML values,
    ODK) or as the labels Kobo's « Labels » export writes (« Les jeux Les dessins »)."""
    if question.kind != QuestionKind.SELECT_MULTIPLE:
        return [text]
    codes = text.split()
    if all(code in choices for code in codes):
        return codes
    labels = sorted(_by_label(choices).items(), key=lambda item: -len(item[0]))
    rest, found = folded(text), []
    while rest:
        match = next(
            (
                (label, name)
                for label, name in labels
                if label and (rest == label or rest.startswith(f"{label} "))
            ),
            None,
        )
        if match is None:
            return codes  # the first unknown code is named
        found.append(match[1])
        rest = rest[len(match[0]) :].strip()
    return found


def _by_label(choices: dict[str, Choice]) -> dict[str, str]:
    """Folded label → code; each label of a merged duplicate, and pyxform's « Other »."""
    labels = {}
    for name, choice in choices.items():
        for part in choice.label.split(" / "):
            labels.setdefault(folded(part), name)
    if "other" in choices:
        labels.setdefault("other", "other")
    return labels


def _unpadded(choices: dict[str, Choice]) -> dict[str, Choice]:
    """Numeric codes without their leading zeros: Excel turns the code « 07 » into 7."""
    return {name.lstrip("0"): c for name, c in choices.items() if name.isdigit()}


def pairing_value(raw) -> str:
    code = str(raw or "").strip().upper()
    if code and not PAIRING_RE.match(code):
        raise CellError(_("le code anonyme compte 4 à 16 lettres ou chiffres, sans espace"))
    return code


def moment_value(raw) -> str:
    value = str(raw or "").strip().lower()
    if value and value not in MOMENTS:
        raise CellError(
            _("« {value} » : moment attendu « avant » ou « apres »").format(value=value)
        )
    return MOMENTS.get(value, "")


@transaction.atomic
def responses_write(
    *, questionnaire: Questionnaire, responses: list[CheckedResponse], source: str
) -> list[Response]:
    collections: dict[int, Collection] = {}
    created = []
    for checked in responses:
        action = checked.action
        if action.pk not in collections:
            collections[action.pk] = collection_for(questionnaire, action)
        created.append(
            Response(
                collection=collections[action.pk],
                questionnaire=questionnaire,
                programme_id=action.programme_id,
                territory_id=action.territory_id,
                modality=action.modality,
                school_year=action.school_year,
                source=source,
                external_id=checked.external_id,
                source_survey=checked.source_survey,
                pairing_code=checked.pairing_code,
                moment=checked.moment,
            )
        )
    # Bulk writes send no signal; the answers belong to their actions' territories.
    figures_changed(questionnaire.programme_id, {r.territory_id for r in created}, surveys=True)
    Response.objects.bulk_create(created)
    Answer.objects.bulk_create(
        answer
        for response, checked in zip(created, responses, strict=True)
        for answer in _answers(response, checked)
    )
    return created


def _answers(response: Response, checked: CheckedResponse):
    """A response's checked answers as rows to write, each with the copies the figures read
    (its questionnaire, territory and school year)."""
    return (
        Answer(
            response=response,
            questionnaire_id=response.questionnaire_id,
            territory_id=response.territory_id,
            school_year=response.school_year,
            **row,
        )
        for row in checked.answers
    )


@transaction.atomic
def response_replace(*, response: Response, checked: CheckedResponse, source: str) -> Response:
    """Correct a response in place: its fields and answers replaced, its identity kept (an
    update from a workbook corrects a response as one corrects a paper form)."""
    action = checked.action
    response.collection = collection_for(response.questionnaire, action)
    response.territory_id = action.territory_id
    response.modality = action.modality
    response.school_year = action.school_year
    response.source = source
    for field in ("external_id", "source_survey", "pairing_code", "moment"):
        setattr(response, field, getattr(checked, field))
    response.save()
    response.answers.all().delete()
    figures_changed(response.programme_id, surveys=True)  # bulk writes send no signal
    Answer.objects.bulk_create(_answers(response, checked))
    return response


def question_choices(questionnaire: Questionnaire) -> tuple[list[Question], dict[int, dict]]:
    """The questions in order, each with its `key` (its name, or its path when two groups
    share the name) for forms and paper entry; their choices by code."""
    questions = list(questionnaire.questions.order_by("position"))
    names = [q.name for q in questions]
    for question in questions:
        question.key = question.name if names.count(question.name) == 1 else question.path
    choices: dict[int, dict[str, Choice]] = {q.pk: {} for q in questions}
    for choice in Choice.objects.filter(question__questionnaire=questionnaire).order_by("position"):
        choices[choice.question_id][choice.name] = choice
    return questions, choices
