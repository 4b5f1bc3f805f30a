"""Compute a programme's figures (docs/figures.md)."""

from ancrage.activities.models import Action
from ancrage.core.numbers import fr_decimal, fr_int, fr_percent, round_half_up
from ancrage.core.schoolyear import school_year_label
from ancrage.evaluation.selectors import evaluation_figures
from ancrage.programmes.models import Objective, Programme
from ancrage.programmes.objectives import expected_text, territory_label
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import (
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
    Modality,
    Period,
)
from ancrage.surveys.selectors import satisfaction_figures
from ancrage.territories.selectors import territories_in_scope

from . import queries
from .models import QualityWarning
from .registry import (
    FIGURES_BY_KEY,
    HEADLINE_KEYS,
    STATUS_LABELS,
    achieved_value,
    declared_values,
    figure_value,
    target_label,
)

MODALITIES = list(Modality.values)


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(MODALITIES, 0)


def _area_figures(
    programme: Programme,
    actions: dict[str, dict],
    listed: dict[str, int],
    professionals: int,
    trained_listed: int,
    structures: int,
    coordination: dict[int, float],
) -> dict:
    """The figures of one area (a territory, or the whole programme) from its grouped rows."""
    deliveries = _empty_counts()
    participants = {}
    for modality in MODALITIES:
        row = actions.get(modality) or {}
        deliveries[modality] = row.get("actions", 0)
        participants[modality] = listed.get(modality, 0) + (row.get("unlisted_adults") or 0)

    def unlisted(modalities) -> int:
        return sum((actions.get(m) or {}).get("unlisted", 0) for m in modalities)

    def unlisted_adults(modalities) -> int:
        return sum((actions.get(m) or {}).get("unlisted_adults") or 0 for m in modalities)

    adult_participations = sum(participants[m] for m in PROFESSIONAL_MODALITIES)
    if unlisted(PROFESSIONAL_MODALITIES):
        method = "estimated"
        professionals = round_half_up(adult_participations * (1 - programme.multimodal_share))
    else:
        method = "exact"
    trained = trained_listed + unlisted_adults(TRAINED_MODALITIES)
    children_direct = (actions.get(Modality.CO_INTERVENTION) or {}).get("children") or 0
    children_indirect = round_half_up(
        trained * programme.replication_rate * programme.children_per_adult
    )
    fte = {
        school_year_label(year): round(days / programme.days_per_fte, 3)
        for year, days in sorted(coordination.items())
    }
    return {
        "deliveries": deliveries,
        "participants": {m: participants[m] for m in PROFESSIONAL_MODALITIES},
        "reach": {
            "children_direct": children_direct,
            "children_indirect": children_indirect,
            "children_total": children_direct + children_indirect,
            "trained_adults": trained,
            "adult_participations": adult_participations,
            "professionals_unique": professionals,
            "professionals_method": method,
            "parents": (actions.get(Modality.PARENTALITE) or {}).get("parents") or 0,
            "structures": structures,
        },
        "governance": {
            "copil": deliveries[Modality.COPIL],
            "cotech": deliveries[Modality.COTECH],
            "elected_officials": 0,  # set by the caller: it sums territories' maxima
        },
        "coordination": {
            "days_per_year": {school_year_label(y): d for y, d in sorted(coordination.items())},
            "days_per_year_mean": (
                round(sum(coordination.values()) / len(coordination), 3) if coordination else 0
            ),
            "fte_by_school_year": fte,
            "fte_per_year": round(sum(fte.values()) / len(fte), 3) if fte else 0,
        },
    }


def objective_status(achieved: int, minimum: int | None, maximum: int | None) -> str:
    if achieved < (minimum or 0):
        return "below"
    if maximum is not None and achieved > maximum:
        return "above"
    return "within"


def _objectives(scope: Scope, programme_figures: dict, by_territory: dict, codes: dict) -> list:
    years = len(scope.years)
    rows = Objective.objects.filter(**scope.filters(year_field=None)).select_related("territory")
    result = []
    for objective in rows:
        # min/max stay as written for their period; the totals they imply are compared.
        factor = years if objective.period == Period.YEAR else 1
        total_min = objective.minimum * factor if objective.minimum is not None else None
        total_max = objective.maximum * factor if objective.maximum is not None else None
        if objective.territory_id is None:
            figures, territory = programme_figures, "*"
        else:
            territory = codes[objective.territory_id]
            figures = by_territory[territory]
        achieved = achieved_value(figures, objective.target)
        result.append(
            {
                "territoire": territory,
                "cible": objective.target,
                "periode": objective.period,
                "min": objective.minimum,
                "max": objective.maximum,
                "years": years,
                "total_min": total_min,
                "total_max": total_max,
                "achieved": achieved,
                "status": objective_status(achieved, total_min, total_max),
            }
        )
    return result


def _by_area(grouped: dict) -> dict[int | None, dict]:
    """Bucket (territory, modality) rows per territory, and merged for the programme (None)."""
    areas: dict[int | None, dict] = {}
    for (territory, modality), value in grouped.items():
        for area in (territory, None):
            bucket = areas.setdefault(area, {})
            if not isinstance(value, dict):
                bucket[modality] = bucket.get(modality, 0) + value
                continue
            merged = bucket.setdefault(modality, {})
            for k, v in value.items():
                if k == "elected_max":
                    merged[k] = max(merged.get(k) or 0, v or 0)
                else:
                    merged[k] = (merged.get(k) or 0) + (v or 0)
    return areas


def deployment_figures(scope: Scope) -> dict:
    """The workbook contract's figures (deliveries, reach, governance, coordination, objectives)
    for the programme and per territory: seven grouped queries, whatever the data's size."""
    programme = scope.programme
    codes = dict(territories_in_scope(scope).values_list("pk", "code"))

    actions = queries.action_family(scope)
    listed = queries.participation_family(scope)
    professionals = queries.professionals_family(scope)
    trained = queries.trained_family(scope)
    structures = queries.structures_family(scope)
    coordination = queries.coordination_family(scope)

    actions_by_area = _by_area(actions)
    listed_by_area = _by_area(listed)

    by_territory = {}
    elected_total = 0
    for pk, code in codes.items():
        area_actions = actions_by_area.get(pk, {})
        figures = _area_figures(
            programme,
            area_actions,
            listed_by_area.get(pk, {}),
            professionals.get(pk, 0),
            trained.get(pk, 0),
            structures.get(pk, 0),
            coordination.get(pk, {}),
        )
        elected = (area_actions.get(Modality.COPIL) or {}).get("elected_max") or 0
        figures["governance"]["elected_officials"] = elected
        elected_total += elected
        by_territory[code] = figures

    all_coordination: dict[int, float] = {}
    for pk in codes:
        for year, days in coordination.get(pk, {}).items():
            all_coordination[year] = all_coordination.get(year, 0) + days
    overall = _area_figures(
        programme,
        actions_by_area.get(None, {}),
        listed_by_area.get(None, {}),
        professionals.get(queries.TOTAL, 0),
        trained.get(queries.TOTAL, 0),
        structures.get(queries.TOTAL, 0),
        all_coordination,
    )
    overall["governance"]["elected_officials"] = elected_total
    result = {
        "programme": {
            "name": programme.name,
            "start": programme.start.isoformat(),
            "end": programme.end.isoformat(),
            "school_years": [school_year_label(y) for y in scope.years],
            "parameters": {
                "replication_rate": programme.replication_rate,
                "children_per_adult": programme.children_per_adult,
                "multimodal_share": programme.multimodal_share,
                "days_per_fte": programme.days_per_fte,
            },
        },
        **overall,
        "objectives": _objectives(scope, overall, by_territory, codes),
        "by_territory": by_territory,
    }
    return result


def compute_indicators(scope: Scope, *, hide_small: bool = False) -> dict:
    """Every figure: the contract's, the questionnaires' and the evaluation's, for the programme
    and per territory. A fixed number of grouped queries whatever the data's size: seven for
    deployment and reach, nine for the questionnaires, about twenty for the evaluation.
    `hide_small` hides results of fewer than five answers (read-only roles)."""
    result = deployment_figures(scope)
    satisfaction = satisfaction_figures(scope, hide_small=hide_small)
    synthesis_by_territory = satisfaction["synthesis"].pop("by_territory")
    result["satisfaction"] = satisfaction
    for code, figures in result["by_territory"].items():
        figures["satisfaction"] = {
            "synthesis": synthesis_by_territory.get(code, {"by_modality": [], "overall": None})
        }
    # The evaluation reads the figures above (never recomputes them) and adds its own parts.
    evaluation = evaluation_figures(scope, result, declared_values(result))
    result["governance"].update(evaluation.pop("governance"))
    result.update(evaluation)
    return result


def headline_figures(figures: dict, keys: tuple[str, ...] = HEADLINE_KEYS) -> list[dict]:
    """The registry's figures named by `keys`, with their label and explanation, ready to
    show; a figure hidden from the user (None) is left out."""
    rows = []
    for key in keys:
        figure = FIGURES_BY_KEY[key]
        value = figure_value(figures, key)
        if value is None:
            continue
        if figure.unit == "share":
            shown = fr_percent(value)
        elif figure.unit == "decimal":
            shown = fr_decimal(value, 2)
        else:
            shown = fr_int(value)
        rows.append(
            {
                "key": key,
                "label": figure.label,
                "explanation": figure.explanation,
                "value": value,
                "shown": shown,
            }
        )
    return rows


def objective_rows(objectives: list[dict], *, territory: str | None = None) -> list[dict]:
    """« Attendu et résultat », built once for the dashboard and the report: each objective
    row with its target's name, its expected range in words as written for its period with
    the total it implies (« 2 par an, soit 8 sur 4 années scolaires »), the total compared
    (`expected`), and its status in words; only one territory's rows (`"*"`: the
    programme's) when `territory` is given."""
    return [
        {
            **row,
            "label": target_label(row["cible"]),
            "where": territory_label(row["territoire"]),
            "expected": row["total_min"] or 0,
            "expected_range": expected_text(row),
            "status_label": str(STATUS_LABELS[row["status"]]),
        }
        for row in objectives
        if territory is None or row["territoire"] == territory
    ]


def visible_quality_warnings(programme: Programme, territories) -> list[QualityWarning]:
    """The data-quality warnings a user sees, given the territories they may see: those about
    their actions and the programme-wide ones (a warning about another territory's action
    names it, so it stays hidden). Each carries `action_pk` when it names a visible action."""
    warnings = list(QualityWarning.objects.filter(programme=programme).order_by("kind", "pk"))
    references = {w.reference for w in warnings if w.sheet == "actions" and w.reference}
    actions = dict(
        Action.objects.filter(
            programme=programme, code__in=references, territory__in=territories
        ).values_list("code", "pk")
    )
    visible = []
    for warning in warnings:
        if warning.sheet == "actions" and warning.reference:
            if warning.reference not in actions:
                continue
            warning.action_pk = actions[warning.reference]
        else:
            warning.action_pk = None
        visible.append(warning)
    return visible
