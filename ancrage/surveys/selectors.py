"""Questionnaire figures, aggregated by the database: per item its answers (N), distribution and
favourable rate with a 95 % Wilson interval; response rates; the satisfaction synthesis."""

import math
from collections import defaultdict

from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from ancrage.activities.models import Participation
from ancrage.core import privacy
from ancrage.core.errors import NotFound
from ancrage.core.numbers import fr_number
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope

from .models import (
    MEASURE_KINDS,
    Answer,
    Category,
    Collection,
    Moment,
    Public,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)
from .text import summarise

# Results are hidden from read-only roles by the one small-cell rule (core/privacy.py).
SMALL_CELL = privacy.SMALL_CELL
# A modality and public with fewer respondents stays out of the overall mean (shown apart).
MIN_GROUP_RESPONDENTS = 5
NUMBER_KINDS = (QuestionKind.INTEGER, QuestionKind.DECIMAL)


def wilson_interval(favourable: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of a proportion (sound for small N and extreme rates)."""
    if n == 0:
        return None
    p = favourable / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def _answers(scope: Scope):
    return Answer.objects.filter(
        scope.filters(
            action="response__collection__action_id",
            programme_field="questionnaire__programme_id",
        )
    )


def _responses(scope: Scope):
    return Response.objects.filter(scope.filters(action="collection__action_id"))


def _beneficiaries(scope: Scope) -> dict[int, int]:
    """Per questionnaire: the people its collections' actions reached, by its public."""
    collections = Collection.objects.filter(
        scope.filters(
            action="action_id",
            programme_field="questionnaire__programme_id",
            territory_field="action__territory_id",
            year_field="action__school_year",
        )
    )
    sums = collections.values("questionnaire_id", "questionnaire__public").annotate(
        children=Sum("action__children"),
        parents=Sum("action__parents"),
        actions=Count("id"),
        unlisted_adults=Sum("action__adults", filter=Q(action__lists_people=False)),
    )
    listed = dict(
        Participation.objects.filter(action__collections__in=collections)
        .values_list("action__collections__questionnaire_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = {}
    for row in sums:
        public = row["questionnaire__public"]
        if public == Public.ENFANTS:
            value = row["children"] or 0
        elif public == Public.PARENTS:
            value = row["parents"] or 0
        elif public == Public.REFERENTS:
            value = row["actions"]  # one referent per structure coached
        else:
            value = listed.get(row["questionnaire_id"], 0) + (row["unlisted_adults"] or 0)
        result[row["questionnaire_id"]] = value
    return result


def _item_result(
    question: Question, row: dict, counts: dict[int, int], measure: dict, hidden: bool
) -> dict:
    """One item's result from its grouped rows: N, distribution, tones of free text, favourable
    rate with its interval, min/max/mean of numbers; all but N hidden when the small-cell rule
    says so (read-only roles, core.privacy.small_cells_hidden)."""
    n = row["n"]
    item = {
        "name": question.name,
        "label": question.label,
        "kind": question.kind,
        "category": question.category,
        "n": n,
        "hidden": hidden,
    }
    if item["hidden"]:
        return item
    if question.kind in (QuestionKind.SELECT_ONE, QuestionKind.SELECT_MULTIPLE):
        item["distribution"] = [
            {
                "choice": c.name,
                "label": c.label,
                "favorable": c.favorable,
                "n": counts.get(c.pk, 0),
                "share": round(counts.get(c.pk, 0) / n, 4) if n else None,
            }
            for c in question.choices.all()
        ]
    if question.kind == QuestionKind.TEXT:
        item["tones"] = {t: row.get(t, 0) for t in ("positive", "neutral", "negative")}
    if question.kind == QuestionKind.SELECT_ONE and any(
        c.favorable for c in question.choices.all()
    ):
        item["favourable"] = row["favourable"]
        item["favourable_rate"] = round(row["favourable"] / n, 4) if n else None
        item["ci95"] = wilson_interval(row["favourable"], n)
    if question.kind in MEASURE_KINDS:
        item.update(measure)
    return item


def questionnaire_results(scope: Scope, *, hide_small: bool = False) -> list[dict]:
    """Every questionnaire of the programme with its items (five queries in all)."""
    answers = _answers(scope)
    per_item = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            n=Count("response_id", distinct=True),
            favourable=Count("response_id", filter=Q(favorable=True), distinct=True),
            positive=Count("id", filter=Q(tone="positive")),
            neutral=Count("id", filter=Q(tone="neutral")),
            negative=Count("id", filter=Q(tone="negative")),
        )
    }
    distribution: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, choice_id, n in (
        answers.filter(choice__isnull=False)
        .values_list("question_id", "choice_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        distribution[question_id][choice_id] = n
    # Each integer or decimal answered and how often: the distributions' charts bin them.
    numbers: dict[int, list[dict]] = defaultdict(list)
    for question_id, number, decimal, n in (
        answers.filter(Q(number__isnull=False) | Q(decimal__isnull=False))
        .values_list("question_id", "number", "decimal")
        .annotate(n=Count("id"))
        .order_by("question_id", "number", "decimal")
    ):
        numbers[question_id].append({"value": number if number is not None else decimal, "n": n})
    respondents = dict(
        _responses(scope).values_list("questionnaire_id").annotate(n=Count("id")).order_by()
    )
    beneficiaries = _beneficiaries(scope)
    measures = measure_summaries(answers)
    cells = item_cells(answers) if hide_small else {}

    questions = (
        Question.objects.filter(questionnaire__programme=scope.programme)
        .select_related("questionnaire")
        .prefetch_related("choices")
        .order_by("questionnaire__modality", "questionnaire__form_id", "position")
    )
    results: dict[int, dict] = {}
    for question in questions:
        questionnaire = question.questionnaire
        entry = results.setdefault(
            questionnaire.pk,
            {
                "id": questionnaire.pk,
                "form_id": questionnaire.form_id,
                "title": questionnaire.title,
                "public": questionnaire.public,
                "modality": questionnaire.modality,
                "pairing": questionnaire.pairing,
                "respondents": respondents.get(questionnaire.pk, 0),
                "beneficiaries": beneficiaries.get(questionnaire.pk, 0),
                "items": [],
            },
        )
        row = per_item.get(question.pk, {"n": 0, "favourable": 0})
        item = _item_result(
            question,
            row,
            distribution.get(question.pk, {}),
            measures.get(question.pk, {}),
            hide_small and privacy.small_cells_hidden(cells.get(question.pk, ())),
        )
        if question.kind in NUMBER_KINDS and not item["hidden"]:
            item["values"] = numbers.get(question.pk, [])  # the distribution, for its chart
            item["median"] = median(item["values"])
        entry["items"].append(item)
    for entry in results.values():
        b = entry["beneficiaries"]
        entry["response_rate"] = round(entry["respondents"] / b, 4) if b else None
    return list(results.values())


def median(values: list[dict]) -> float | None:
    """The median of grouped answers (`value`, `n`, sorted by value): the middle answer, or
    the mean of the two middle ones."""
    total = sum(row["n"] for row in values)
    if not total:
        return None
    middle, seen, low = (total - 1) // 2, 0, None
    for row in values:
        seen += row["n"]
        if low is None and seen > middle:
            low = row["value"]
        if seen > total // 2:
            return low if total % 2 else round((low + row["value"]) / 2, 2)
    return None


def item_cells(answers) -> dict[int, list[int]]:
    """Per question: its answers (respondents) in each territory and school year of the scope,
    the elementary cells the small-cell rule looks at. One grouped query."""
    cells: dict[int, list[int]] = defaultdict(list)
    for question_id, _territory, _year, n in (
        answers.values_list("question_id", "territory_id", "school_year")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        cells[question_id].append(n)
    return cells


def measure_summaries(answers) -> dict[int, dict]:
    """Per number, date or time question: its smallest and largest answer, and the mean of
    numbers (decimals as integers). One grouped query."""
    rows = (
        answers.filter(question__kind__in=MEASURE_KINDS)
        .values("question_id", "question__kind")
        .annotate(
            min_number=Min("number"),
            max_number=Max("number"),
            mean_number=Avg("number"),
            min_decimal=Min("decimal"),
            max_decimal=Max("decimal"),
            mean_decimal=Avg("decimal"),
            min_date=Min("date"),
            max_date=Max("date"),
            min_time=Min("time"),
            max_time=Max("time"),
        )
        .order_by()
    )
    summaries = {}
    for row in rows:
        kind = row["question__kind"]
        if kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            field = "number" if kind == QuestionKind.INTEGER else "decimal"
            mean = row[f"mean_{field}"]
            low, high = row[f"min_{field}"], row[f"max_{field}"]
            summary = {"min": low, "max": high, "mean": None if mean is None else round(mean, 2)}
            shown = (fr_number(low), fr_number(high))
        else:
            field = "time" if kind == QuestionKind.TIME else "date"
            low, high = row[f"min_{field}"], row[f"max_{field}"]
            summary = {
                "min": low.isoformat() if low else None,
                "max": high.isoformat() if high else None,
            }
            pattern = "%H:%M" if field == "time" else "%d/%m/%Y"
            shown = (low.strftime(pattern) if low else "", high.strftime(pattern) if high else "")
        dated = kind in (QuestionKind.DATE, QuestionKind.DATETIME)
        phrase = _("du {low} au {high}") if dated else _("de {low} à {high}")
        summary["range_label"] = phrase.format(low=shown[0], high=shown[1])
        if summary.get("mean") is not None:
            summary["range_label"] += _(", moyenne {mean}").format(mean=fr_number(summary["mean"]))
        summaries[row["question_id"]] = summary
    return summaries


def _synthesis(counts: dict[tuple[str, str], dict[int, list]], hide_small: bool) -> dict:
    """The synthesis rule: per modality and public, the share of favourable answers to the
    satisfaction questions over all its school years, so each year weighs by its number of
    answers (one late answer weighs one answer, not a whole year); the overall figure is the
    mean of these rates, each public counting once, among those with at least
    MIN_GROUP_RESPONDENTS respondents (smaller ones are shown apart).
    `counts`: per (modality, public), per school year, [answers, favourable, respondents,
    respondents of each territory] (the cells of the small-cell rule)."""
    synthesis = []
    for (modality, public), years in sorted(counts.items()):
        by_year = {
            f"{year}-{year + 1}": {"n": respondents, "rate": round(favourable / answers, 4)}
            for year, (answers, favourable, respondents, _cells) in sorted(years.items())
        }
        respondents = sum(y["n"] for y in by_year.values())
        answers = sum(row[0] for row in years.values())
        favourable = sum(row[1] for row in years.values())
        cells = [n for year in years.values() for n in year[3]]
        hidden = hide_small and privacy.small_cells_hidden(cells)
        synthesis.append(
            {
                "modality": modality,
                "public": public,
                "by_school_year": {} if hidden else by_year,
                "respondents": respondents,
                "answers": answers,
                "rate": None if hidden or not answers else round(favourable / answers, 4),
                "apart": respondents < MIN_GROUP_RESPONDENTS,
                "hidden": hidden,
            }
        )
    rated = [g for g in synthesis if g["rate"] is not None]
    # Small publics stay apart, unless every public is small (a small territory or year).
    shown = [g["rate"] for g in rated if not g["apart"]] or [g["rate"] for g in rated]
    return {
        "by_modality": synthesis,
        "overall": round(sum(shown) / len(shown), 4) if shown else None,
        "rule": "weighted_by_answers",
    }


def satisfaction_synthesis(scope: Scope, *, hide_small: bool = False) -> dict:
    """Per modality and public: the favourable rate of satisfaction items, each school year and
    over all years weighted by answers; then the overall mean satisfaction (`_synthesis`).
    One query, grouped by territory too: `by_territory` holds each territory's synthesis."""
    rows = (
        _answers(scope)
        .filter(question__category=Category.SATISFACTION, favorable__isnull=False)
        .values_list(
            "territory__code", "questionnaire__modality", "questionnaire__public", "school_year"
        )
        .annotate(
            answers=Count("id"),
            favourable=Count("id", filter=Q(favorable=True)),
            respondents=Count("response_id", distinct=True),
        )
        .order_by()
    )
    overall: dict = defaultdict(dict)
    by_territory: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
    for territory, modality, public, year, answers, favourable, respondents in rows:
        by_territory[territory][(modality, public)][year] = [
            answers,
            favourable,
            respondents,
            [respondents],
        ]
        # A response belongs to one territory: counts add up over territories.
        total = overall[(modality, public)].setdefault(year, [0, 0, 0, []])
        for i, value in enumerate((answers, favourable, respondents)):
            total[i] += value
        total[3].append(respondents)
    result = _synthesis(overall, hide_small)
    result["by_territory"] = {t: _synthesis(c, hide_small) for t, c in by_territory.items()}
    return result


def free_text(scope: Scope, questionnaire_id: int, *, top: int = 30) -> dict:
    """Per text question of a questionnaire: frequent terms with verbatims, tones."""
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        _answers(scope)
        .filter(questionnaire_id=questionnaire_id, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .values_list("question_id", "text")
        .iterator()
    ):
        texts[question_id].append(text)
    return {
        question.name: {"label": question.label, **summarise(texts[question.pk], top=top).as_dict()}
        for question in Question.objects.filter(
            questionnaire_id=questionnaire_id, kind=QuestionKind.TEXT
        ).order_by("position")
    }


def paired_change(scope: Scope, questionnaire_id: int) -> dict:
    """Before/after change for a questionnaire answered twice under a self-made anonymous code.

    Per item: the favourable share before and after among the pairs that answered it both
    times; attrition: codes seen before with no answer after."""
    base = _responses(scope).filter(questionnaire_id=questionnaire_id).exclude(pairing_code="")
    before = set(base.filter(moment=Moment.PRE).values_list("pairing_code", flat=True))
    after = set(base.filter(moment=Moment.POST).values_list("pairing_code", flat=True))
    pairs = before & after
    rows = (
        _answers(scope)
        .filter(
            questionnaire_id=questionnaire_id,
            favorable__isnull=False,
            response__pairing_code__in=pairs,
        )
        .values_list("question__name", "response__moment")
        .annotate(n=Count("id"), favourable=Count("id", filter=Q(favorable=True)))
        .order_by()
    )
    items: dict[str, dict] = defaultdict(dict)
    for name, moment, n, favourable in rows:
        items[name][moment] = {"n": n, "rate": round(favourable / n, 4)}
    changes = {}
    for name, moments in items.items():
        if Moment.PRE in moments and Moment.POST in moments:
            changes[name] = {
                "before": moments[Moment.PRE],
                "after": moments[Moment.POST],
                "change": round(moments[Moment.POST]["rate"] - moments[Moment.PRE]["rate"], 4),
            }
    return {
        "before": len(before),
        "after": len(after),
        "pairs": len(pairs),
        "attrition": round(1 - len(pairs) / len(before), 4) if before else None,
        "items": changes,
    }


def satisfaction_figures(scope: Scope, *, hide_small: bool = False) -> dict:
    questionnaires = questionnaire_results(scope, hide_small=hide_small)
    return {
        "questionnaires": questionnaires,
        "respondents": sum(q["respondents"] for q in questionnaires),
        "synthesis": satisfaction_synthesis(scope, hide_small=hide_small),
    }


class QuestionnaireNotFound(NotFound):
    """No questionnaire of this form id in the programme: the command line's French error, the
    web's 404."""


def get_questionnaire(programme: Programme, form_id: str) -> Questionnaire:
    """The programme's questionnaire of this form id, or QuestionnaireNotFound."""
    try:
        return Questionnaire.objects.get(programme=programme, form_id=form_id)
    except Questionnaire.DoesNotExist:
        raise QuestionnaireNotFound(
            _("aucun questionnaire « {form_id} » dans « {programme} »").format(
                form_id=form_id, programme=programme
            )
        ) from None
