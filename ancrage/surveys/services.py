"""Writes on questionnaires and answers. Every answer, whatever its way in (file import, paper
entry, online form), goes through `answer_rows`, which checks it and scrubs free text."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.activities.models import Action
from ancrage.core.privacy import scrub
from ancrage.indicators.cache import figures_changed
from ancrage.programmes.models import Programme
from ancrage.workbook.cells import CellError, integer

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
from .xlsform import parse_xlsform

TICKED = {"1", "y", "yes", "oui", "true", "vrai", "x"}
UNTICKED = {"", "0", "n", "no", "non", "false", "faux"}
PAIRING_RE = re.compile(r"^[A-Z0-9]{4,16}$")
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
    """Create a questionnaire from an XLSForm; raises XLSFormInvalid with French messages."""
    form = parse_xlsform(xlsform, public=public, modality=modality)
    questionnaire = Questionnaire(
        programme=programme,
        form_id=form.form_id,
        title=form.title,
        version=form.version,
        public=form.public,
        modality=form.modality,
        pairing=form.pairing,
    )
    questionnaire.full_clean()
    questionnaire.save()
    for position, parsed in enumerate(form.questions):
        question = Question.objects.create(
            questionnaire=questionnaire,
            name=parsed.name,
            path=parsed.path,
            group_label=parsed.group_label,
            kind=parsed.kind,
            label=parsed.label,
            list_name=parsed.list_name,
            required=parsed.required,
            category=parsed.category,
            position=position,
        )
        Choice.objects.bulk_create(
            Choice(question=question, name=c.name, label=c.label, favorable=c.favorable, position=i)
            for i, c in enumerate(parsed.choices)
        )
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


def answer_rows(question: Question, raw, choices: dict[str, Choice]) -> list[dict]:
    """The answer rows for one value given to one question; raises CellError in French."""
    if isinstance(raw, set):  # ticked choices of a multiple choice, from split columns
        values = sorted(raw)
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            return []
        if question.kind == QuestionKind.INTEGER:
            return [{"number": integer(text)}]
        if question.kind == QuestionKind.TEXT:
            cleaned = scrub(text)
            return [{"text": cleaned, "tone": sentiment(cleaned)}]
        values = text.split() if question.kind == QuestionKind.SELECT_MULTIPLE else [text]
    rows = []
    for value in values:
        choice = choices.get(value)
        if choice is None:
            allowed = ", ".join(choices)
            raise CellError(f"« {value} » n'est pas un choix de la question (choix : {allowed})")
        rows.append(
            {
                "choice": choice,
                "favorable": choice.favorable if question.kind == QuestionKind.SELECT_ONE else None,
            }
        )
    return rows


def pairing_value(raw) -> str:
    code = str(raw or "").strip().upper()
    if code and not PAIRING_RE.match(code):
        raise CellError("le code anonyme compte 4 à 16 lettres ou chiffres, sans espace")
    return code


def moment_value(raw) -> str:
    value = str(raw or "").strip().lower()
    if value and value not in MOMENTS:
        raise CellError(f"« {value} » : moment attendu « avant » ou « apres »")
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
                pairing_code=checked.pairing_code,
                moment=checked.moment,
            )
        )
    figures_changed(questionnaire.programme_id)  # bulk writes send no signal
    Response.objects.bulk_create(created)
    Answer.objects.bulk_create(
        Answer(
            response=response,
            questionnaire=questionnaire,
            territory_id=response.territory_id,
            school_year=response.school_year,
            question=row.pop("question"),
            **row,
        )
        for response, checked in zip(created, responses, strict=True)
        for row in checked.answers
    )
    return created


def question_choices(questionnaire: Questionnaire) -> tuple[list[Question], dict[int, dict]]:
    questions = list(questionnaire.questions.order_by("position"))
    choices: dict[int, dict[str, Choice]] = {q.pk: {} for q in questions}
    for choice in Choice.objects.filter(question__questionnaire=questionnaire).order_by("position"):
        choices[choice.question_id][choice.name] = choice
    return questions, choices
