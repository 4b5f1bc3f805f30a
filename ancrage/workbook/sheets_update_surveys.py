"""Per questionnaire sheet (questionnaires, questions, choix, collectes, reponses), how an update
compares the programme's rows with the workbook's and writes the differences.

The workbook's questionnaires are loaded into the staging programme with every check of an
import; both sides are then read from the database alike (`rows_*`), so that an export updated
back is « rien à modifier » by construction. Edits that keep the answers' meaning are applied in
place (labels, required, category, settings, favorable answers, new questions and choices,
collection dates, a response's answers); edits that would change what existing answers mean
(a question's type or list, a choice or question removed while answered, a questionnaire removed
with its responses) are refused with a French reason, and nothing is written.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from ancrage.activities.models import Action
from ancrage.surveys.models import Answer, Choice, Collection, Question, Questionnaire, Response
from ancrage.surveys.services import (
    CheckedResponse,
    questionnaire_create,
    response_replace,
    responses_write,
)
from ancrage.surveys.xlsform import XLSFORM_TYPES, write_xlsform

from .sheets.questionnaires import answer_value
from .sheets_update import Named, SheetSpec, UpdateRefused

SEPARATOR = " / "
SELECTS = {"select_one", "select_multiple"}
YES = "oui"


def _yes(value: bool) -> str:
    return YES if value else ""


def _type(question: Question) -> str:
    kind = XLSFORM_TYPES.get(question.kind, question.kind)
    return f"{kind} {question.list_name}" if question.kind in SELECTS else kind


def _questionnaires(programme) -> dict[str, Questionnaire]:
    return {q.form_id: q for q in Questionnaire.objects.filter(programme=programme)}


# -- rows, as compared ----------------------------------------------------------------------
def rows_questionnaires(programme) -> dict[str, dict]:
    return {
        q.form_id: {
            "form_title": q.title,
            "version": q.version,
            "public": q.public,
            "modalite": q.modality,
            "appariement": _yes(q.pairing),
        }
        for q in _questionnaires(programme).values()
    }


def _questions(programme):
    return Question.objects.filter(questionnaire__programme=programme).select_related(
        "questionnaire"
    )


def rows_questions(programme) -> dict[str, dict]:
    return {
        f"{q.questionnaire.form_id}{SEPARATOR}{q.path}": {
            "type": _type(q),
            "label": q.label,
            "required": _yes(q.required),
            "categorie": q.category,
            "groupe": q.group_label,
            "repetition": q.repeat,
        }
        for q in _questions(programme).order_by("questionnaire_id", "position")
    }


def _choices(programme):
    return (
        Choice.objects.filter(question__questionnaire__programme=programme)
        .select_related("question__questionnaire")
        .order_by("question__questionnaire_id", "question__position", "position")
    )


def _choice_key(choice: Choice) -> str:
    question = choice.question
    return SEPARATOR.join((question.questionnaire.form_id, question.list_name, choice.name))


def rows_choices(programme) -> dict[str, dict]:
    """One row per list and choice, as the `choix` sheet writes it (a list shared by several
    questions is one list)."""
    rows: dict[str, dict] = {}
    for choice in _choices(programme):
        rows.setdefault(
            _choice_key(choice), {"label": choice.label, "favorable": _yes(choice.favorable)}
        )
    return rows


def _collection_key(collection: Collection) -> str:
    return f"{collection.questionnaire.form_id}{SEPARATOR}{collection.action.code}"


def rows_collections(programme) -> dict[str, dict]:
    return {
        _collection_key(c): {"debut": c.opens_on or "", "fin": c.closes_on}
        for c in Collection.objects.filter(questionnaire__programme=programme).select_related(
            "questionnaire", "action"
        )
    }


def rows_responses(programme) -> dict[str, dict]:
    """Each response by its number in the workbook (`reponse`: the number the export wrote, its
    database id, kept by the staging import in `response_keys`), its answers as columns named
    by their question."""
    keys = getattr(programme, "response_keys", None)
    by_pk: dict[int, dict] = {}
    rows: dict[str, dict] = {}
    responses = Response.objects.filter(programme=programme).select_related(
        "questionnaire", "collection__action"
    )
    for response in responses.order_by("pk").iterator(chunk_size=2000):
        key = keys.get(response.pk, "") if keys is not None else str(response.pk)
        rows[key] = by_pk[response.pk] = {
            "form_id": response.questionnaire.form_id,
            "action": response.collection.action.code,
            "moment": response.moment,
            "code_anonyme": response.pairing_code,
            "source": response.source,
            "id_externe": response.external_id,
            "enquete_origine": response.source_survey,
        }
    answers = (
        Answer.objects.filter(response__programme=programme)
        .select_related("question", "choice")
        .order_by("response_id", "pk")
    )
    values: dict[tuple, list] = defaultdict(list)
    for answer in answers.iterator(chunk_size=5000):
        values[answer.response_id, answer.question.path].append(str(answer_value(answer)))
    for (pk, path), found in values.items():
        by_pk[pk][path] = ";".join(sorted(found))
    return rows


def match_responses(target, staging, staged: dict[str, dict]) -> dict[str, dict]:
    """The workbook's responses under the key of the programme's response each one is: by its
    source's own id (Kobo `_uuid`, ODK `instanceID`, LimeSurvey id, with its survey) when it has
    one, else by its number: a response's id as exported, or the number a hand-added row was
    created under (`workbook_key`), so that the same file applied twice creates nothing twice.
    A new response keeps its number; `staging.response_keys` follows."""
    ids, numbers, pks = {}, {}, set()
    for pk, form_id, survey, external, number in Response.objects.filter(
        programme=target
    ).values_list("pk", "questionnaire__form_id", "source_survey", "external_id", "workbook_key"):
        pks.add(str(pk))
        if external:
            ids[form_id, survey, external] = str(pk)
        if number:
            numbers.setdefault(number, str(pk))
    by_number = {number: pk for pk, number in staging.response_keys.items()}
    matched: dict[str, dict] = {}
    for number, row in staged.items():
        key = ids.get((row["form_id"], row["enquete_origine"], row["id_externe"]))
        if key is None or not row["id_externe"]:
            key = number if number in pks else numbers.get(number, number)
        if key in matched:
            raise UpdateRefused(
                "reponses",
                _(
                    "la réponse {number} est la réponse {key} du programme, déjà présente dans "
                    "le fichier sous un autre numéro : gardez une seule des deux"
                ).format(number=number, key=key),
            )
        matched[key] = row
        staging.response_keys[by_number[number]] = key
    return matched


# The fields an update copies, by the column that gives them: a column absent from the file keeps
# the stored values (as on every sheet).
QUESTIONNAIRE_COLUMNS = {
    "form_title": "title",
    "version": "version",
    "public": "public",
    "modalite": "modality",
    "appariement": "pairing",
}
QUESTION_COLUMNS = {"label": "label", "required": "required", "categorie": "category"}
CHOICE_COLUMNS = {"label": "label", "favorable": "favorable"}


def _kept(staging, sheet: str, columns: dict[str, str]) -> set[str]:
    said = getattr(staging, "said", {}).get(sheet)
    return set() if said is None else {f for c, f in columns.items() if c not in said}


# -- questionnaires and their settings --------------------------------------------------------
def apply_questionnaires(target, staging, changes, name) -> None:
    existing, staged = _questionnaires(target), _questionnaires(staging)
    kept = _kept(staging, "questionnaires", QUESTIONNAIRE_COLUMNS)
    for form_id in changes:
        source = staged[form_id]
        questionnaire = existing.get(form_id)
        if questionnaire is None:  # a new questionnaire, checked as any form a user uploads
            questionnaire = questionnaire_create(programme=target, xlsform=write_xlsform(source))
        for field in QUESTIONNAIRE_COLUMNS.values():
            if field not in kept or form_id not in existing:
                setattr(questionnaire, field, getattr(source, field))
        questionnaire.save()


def delete_questionnaires(target, keys) -> None:
    existing = _questionnaires(target)
    answered = [k for k in keys if Response.objects.filter(questionnaire=existing[k]).exists()]
    if answered:
        raise UpdateRefused(
            "questionnaires",
            _(
                "ces questionnaires absents du classeur ont des réponses et ne sont pas "
                "supprimés : {forms} ; remettez-les dans le classeur ou retirez --delete-missing"
            ).format(forms=", ".join(answered)),
        )
    for key in keys:
        existing[key].delete()


# -- questions ----------------------------------------------------------------------------------
QUESTION_FIELDS = ("kind", "label", "list_name", "required", "category", "group_label", "repeat")


def _question_key(question: Question) -> str:
    return f"{question.questionnaire.form_id}{SEPARATOR}{question.path}"


def _retype(question: Question, source: Question) -> None:
    """A question whose type or list changes: refused once answered (its answers would mean
    something else), else its choices follow the workbook's."""
    if question.answers.exists():
        raise UpdateRefused(
            "questions",
            _(
                "« {form} » : la question « {path} » a déjà des réponses, son type ne peut pas "
                "passer de « {old} » à « {new} » ; donnez un autre nom (name) à la nouvelle "
                "question, ou supprimez d'abord ses réponses"
            ).format(
                form=question.questionnaire.form_id,
                path=question.path,
                old=_type(question),
                new=_type(source),
            ),
        )
    question.choices.all().delete()


def apply_questions(target, staging, changes, name) -> None:
    existing = {_question_key(q): q for q in _questions(target)}
    staged = {_question_key(q): q for q in _questions(staging).prefetch_related("choices")}
    questionnaires = _questionnaires(target)
    kept = _kept(staging, "questions", QUESTION_COLUMNS)
    for key in changes:
        source = staged[key]
        question = existing.get(key)
        fresh = question is None
        if fresh:
            question = Question(
                questionnaire=questionnaires[source.questionnaire.form_id],
                name=source.name,
                path=source.path,
            )
        elif (question.kind, question.list_name) != (source.kind, source.list_name):
            _retype(question, source)
            fresh = True
        for field in QUESTION_FIELDS:
            if fresh or field not in kept:
                setattr(question, field, getattr(source, field))
        question.save()
        if fresh:
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    name=c.name,
                    label=c.label,
                    favorable=c.favorable,
                    position=c.position,
                )
                for c in source.choices.all()
            )
    _reorder(target, staging)


def _reorder(target, staging) -> None:
    """The questions in the workbook's order; those absent from it (kept) after them."""
    order = {_question_key(q): q.position for q in _questions(staging)}
    absent = 0
    for question in _questions(target).order_by("position"):
        position = order.get(_question_key(question))
        if position is None:
            position, absent = len(order) + absent, absent + 1
        if question.position != position:
            question.position = position
            question.save(update_fields=["position"])


def delete_questions(target, keys) -> None:
    existing = {_question_key(q): q for q in _questions(target)}
    answered = [k for k in keys if existing[k].answers.exists()]
    _refuse_answered(
        "questions",
        answered,
        lambda listed: _(
            "ces questions absentes du classeur ont des réponses et ne sont pas "
            "supprimées : {questions} ; remettez-les ou retirez --delete-missing"
        ).format(questions=listed),
    )
    for key in keys:
        existing[key].delete()


def _refuse_answered(sheet: str, answered: list[str], say) -> None:
    """Rows absent from the workbook that were answered are not deleted: the whole update is
    refused, naming ten of them at most (`say` puts their list in its French message)."""
    if answered:
        raise UpdateRefused(sheet, say(", ".join(answered[:10])))


# -- choices: a list's choice, for every question that uses the list ---------------------------
def apply_choices(target, staging, changes, name) -> None:
    staged: dict[str, Choice] = {}
    for choice in _choices(staging):
        staged.setdefault(_choice_key(choice), choice)
    existing = defaultdict(list)
    for choice in _choices(target):
        existing[_choice_key(choice)].append(choice)
    questions = defaultdict(list)
    for question in _questions(target):
        questions[question.questionnaire.form_id, question.list_name].append(question)
    kept = _kept(staging, "choix", CHOICE_COLUMNS)
    for key in changes:
        source = staged[key]
        form_id, list_name, _name = key.split(SEPARATOR)
        have = {c.question_id: c for c in existing[key]}
        for question in questions[form_id, list_name]:
            choice = have.get(question.pk)
            fresh = choice is None
            choice = choice or Choice(question=question, name=source.name, position=source.position)
            for field in CHOICE_COLUMNS.values():
                if fresh or field not in kept:
                    setattr(choice, field, getattr(source, field))
            choice.save()
            # An answer keeps a copy of its choice's « favorable » (satisfaction figures).
            if question.kind == "select_one":
                Answer.objects.filter(choice=choice).update(favorable=choice.favorable)


def delete_choices(target, keys) -> None:
    existing = defaultdict(list)
    for choice in _choices(target):
        existing[_choice_key(choice)].append(choice)
    answered = [k for k in keys if Answer.objects.filter(choice__in=existing[k]).exists()]
    _refuse_answered(
        "choix",
        answered,
        lambda listed: _(
            "ces choix absents du classeur ont été répondus et ne sont pas supprimés : "
            "{choices} ; remettez-les ou retirez --delete-missing"
        ).format(choices=listed),
    )
    for key in keys:
        for choice in existing[key]:
            choice.delete()


# -- collections ------------------------------------------------------------------------------
def _collections(programme) -> dict[str, Collection]:
    return {
        _collection_key(c): c
        for c in Collection.objects.filter(questionnaire__programme=programme).select_related(
            "questionnaire", "action"
        )
    }


def apply_collections(target, staging, changes, name) -> None:
    existing, staged = _collections(target), _collections(staging)
    questionnaires = _questionnaires(target)
    actions = Named(Action.objects.filter(programme=target))
    for key in changes:
        source = staged[key]
        collection = existing.get(key) or Collection(
            questionnaire=questionnaires[source.questionnaire.form_id],
            action=actions[source.action.code],
        )
        collection.opens_on, collection.closes_on = source.opens_on, source.closes_on
        collection.save()


def delete_collections(target, keys) -> None:
    existing = _collections(target)
    answered = [k for k in keys if existing[k].responses.exists()]
    _refuse_answered(
        "collectes",
        answered,
        lambda listed: _(
            "ces collectes absentes du classeur ont des réponses et ne sont pas "
            "supprimées : {collections} ; remettez-les ou retirez --delete-missing"
        ).format(collections=listed),
    )
    for key in keys:
        existing[key].delete()


# -- responses: corrected in place, new ones written through the surveys services --------------
def _checked(source: Response, questions: dict, choices: dict, action) -> CheckedResponse:
    answers = []
    for answer in source.answers.all():
        question = questions[answer.question.path]
        answers.append(
            {
                "question": question,
                "choice": choices[question.pk, answer.choice.name] if answer.choice_id else None,
                **{
                    field: getattr(answer, field)
                    for field in ("number", "decimal", "date", "time", "text", "tone", "favorable")
                },
            }
        )
    return CheckedResponse(
        action=action,
        answers=answers,
        pairing_code=source.pairing_code,
        moment=source.moment,
        external_id=source.external_id,
        source_survey=source.source_survey,
    )


def apply_responses(target, staging, changes, name) -> None:
    by_key = {key: pk for pk, key in staging.response_keys.items()}
    staged = (
        Response.objects.filter(pk__in=[by_key[k] for k in changes])
        .select_related("questionnaire", "collection__action")
        .prefetch_related("answers__question", "answers__choice")
    )
    staged = {response.pk: response for response in staged}
    questionnaires = _questionnaires(target)
    actions = Named(Action.objects.filter(programme=target))
    questions = {q.form_id: {x.path: x for x in q.questions.all()} for q in questionnaires.values()}
    choices = {
        (c.question_id, c.name): c
        for c in Choice.objects.filter(question__questionnaire__programme=target)
    }
    existing = (
        Response.objects.filter(programme=target)
        .select_related("questionnaire")
        .in_bulk([int(k) for k in changes if k.isdigit()])
    )
    new = defaultdict(list)
    for key in changes:
        source = staged[by_key[key]]
        form_id = source.questionnaire.form_id
        checked = _checked(
            source, questions[form_id], choices, actions[source.collection.action.code]
        )
        response = existing.get(int(key)) if key.isdigit() else None
        if response is not None and response.questionnaire.form_id != form_id:
            raise UpdateRefused(
                "reponses",
                _(
                    "la réponse {key} ne peut pas passer du questionnaire « {old} » à « {new} » "
                    ": donnez-lui un numéro inutilisé pour l'ajouter à « {new} »"
                ).format(key=key, old=response.questionnaire.form_id, new=form_id),
            )
        if response is not None:
            response_replace(response=response, checked=checked, source=source.source)
        else:
            new[form_id, source.source].append((checked, key))
    for (form_id, source), pairs in new.items():
        created = responses_write(
            questionnaire=questionnaires[form_id],
            responses=[pair[0] for pair in pairs],
            source=source,
        )
        # A hand-added row without a source id is found again by its number (match_responses).
        for response, (_written, key) in zip(created, pairs, strict=True):
            response.workbook_key = "" if response.external_id else key[:64]
        Response.objects.bulk_update(created, ["workbook_key"])


def delete_responses(target, keys) -> None:
    Response.objects.filter(programme=target, pk__in=[int(k) for k in keys if k.isdigit()]).delete()


# In the workbook's order (after the actions they cite); deletions run in the reverse order.
SURVEY_SPECS = (
    SheetSpec(
        "questionnaires",
        ("form_id",),
        apply_questionnaires,
        delete_questionnaires,
        rows_questionnaires,
    ),
    SheetSpec("questions", ("form_id", "name"), apply_questions, delete_questions, rows_questions),
    SheetSpec(
        "choix", ("form_id", "list_name", "name"), apply_choices, delete_choices, rows_choices
    ),
    SheetSpec(
        "collectes", ("form_id", "action"), apply_collections, delete_collections, rows_collections
    ),
    SheetSpec(
        "reponses",
        ("reponse",),
        apply_responses,
        delete_responses,
        rows_responses,
        match_responses,
    ),
)
