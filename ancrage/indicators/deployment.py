"""The deployment figures (deliveries, reach, governance, coordination, objectives), built from
per-territory parts (docs/figures.md, docs/performance.md).

A territory's part is its grouped rows: its actions and people listed per modality, its distinct
professionals, trained adults and structures, its coordination days per school year. The figures
of a territory read its part alone; those of several territories (the programme) add their
parts up — sums, maxima where the figure is a maximum — except the distinct counts, which do
not add up (one person in two territories counts once) and are counted over the whole scope:
from the reach summaries for the programme (`activities.Reach`), by a grouped query otherwise.
A fresh computation (`deployment_figures`) and the cache's assembly (`indicators/cache.py`) go
through the same `assemble_deployment`; they differ only in where the programme's distinct
counts come from: the fresh computation counts them over the participations (the reference
that `ancrage indicators`, the quality checks and the tests of the summaries read), the cache
reads the summaries (the pages, the API, the reports).
"""

from ancrage.activities.selectors import reach_totals
from ancrage.core.numbers import round_half_up
from ancrage.core.schoolyear import school_year_label
from ancrage.programmes.models import Objective, Programme
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import (
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
    Modality,
    Period,
)
from ancrage.territories.selectors import territories_in_scope

from . import queries
from .registry import achieved_value

MODALITIES = list(Modality.values)
DISTINCT = ("professionals", "trained", "structures")


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
    # Plain rows, not objects: a national programme has an objective per territory and target.
    rows = Objective.objects.filter(scope.filters(action=None, year_field=None)).values_list(
        "territory_id", "target", "period", "minimum", "maximum"
    )
    result = []
    for territory_id, target, period, minimum, maximum in rows:
        # min/max stay as written for their period; the totals they imply are compared.
        factor = years if period == Period.YEAR else 1
        total_min = minimum * factor if minimum is not None else None
        total_max = maximum * factor if maximum is not None else None
        if territory_id is None:
            figures, territory = programme_figures, "*"
        else:
            territory = codes[territory_id]
            figures = by_territory[territory]
        achieved = achieved_value(figures, target)
        result.append(
            {
                "territoire": territory,
                "cible": target,
                "periode": period,
                "min": minimum,
                "max": maximum,
                "years": years,
                "total_min": total_min,
                "total_max": total_max,
                "achieved": achieved,
                "status": objective_status(achieved, total_min, total_max),
            }
        )
    return result


def territory_parts(scope: Scope, *, totals: bool = True) -> tuple[dict[int, dict], dict]:
    """The parts of the scope's territories, by territory id, and the scope's distinct
    counts (counted only when `totals`: the figures cache reads them elsewhere): six grouped
    queries, whatever the data's size."""
    actions = queries.action_family(scope)
    listed = queries.participation_family(scope)
    distinct = {
        name: family(scope, overall=totals) for name, family in queries.DISTINCT_FAMILIES.items()
    }
    coordination = queries.coordination_family(scope)
    parts: dict[int, dict] = {}

    def part(territory: int) -> dict:
        return parts.setdefault(territory, empty_part())

    for (territory, modality), row in actions.items():
        part(territory)["actions"][modality] = row
    for (territory, modality), n in listed.items():
        part(territory)["listed"][modality] = n
    for name, counts in distinct.items():
        for territory, n in counts.items():
            if territory is not queries.TOTAL:
                part(territory)[name] = n
    for territory, days in coordination.items():
        if territory is not None:
            part(territory)["coordination"] = days
    if not totals:
        return parts, {}
    return parts, {name: counts.get(queries.TOTAL, 0) for name, counts in distinct.items()}


def empty_part() -> dict:
    return {
        "actions": {},
        "listed": {},
        "professionals": 0,
        "trained": 0,
        "structures": 0,
        "coordination": {},
    }


def territory_figures(programme: Programme, part: dict) -> dict:
    """One territory's figures from its part (kept with the part by the cache: assembling the
    programme then reshapes only the territories written since)."""
    figures = _area_figures(
        programme,
        part["actions"],
        part["listed"],
        part["professionals"],
        part["trained"],
        part["structures"],
        part["coordination"],
    )
    elected = (part["actions"].get(Modality.COPIL) or {}).get("elected_max") or 0
    figures["governance"]["elected_officials"] = elected
    return figures


def _merged(parts: list[dict]) -> tuple[dict, dict, dict]:
    """The parts added up: actions and listed people per modality (the elected officials' maximum
    kept as a maximum), coordination days per school year."""
    actions: dict[str, dict] = {}
    listed: dict[str, int] = {}
    coordination: dict[int, float] = {}
    for part in parts:
        for modality, row in part["actions"].items():
            merged = actions.setdefault(modality, {})
            for key, value in row.items():
                if key == "elected_max":
                    merged[key] = max(merged.get(key) or 0, value or 0)
                else:
                    merged[key] = (merged.get(key) or 0) + (value or 0)
        for modality, n in part["listed"].items():
            listed[modality] = listed.get(modality, 0) + n
        for year, days in part["coordination"].items():
            coordination[year] = coordination.get(year, 0) + days
    return actions, listed, coordination


def scope_distinct_counts(scope: Scope, parts: dict[int, dict]) -> dict[str, int]:
    """The scope's distinct counts without counting participations when it can: one
    territory's are its part's, the programme's are read from the reach summaries."""
    if scope.territory_ids is not None and len(scope.territory_ids) == 1:
        part = parts.get(scope.territory_ids[0]) or empty_part()
        return {name: part[name] for name in DISTINCT}
    if scope.territory_ids is None:
        totals = reach_totals(scope.programme, scope.years)
        return {name: totals[name] for name in DISTINCT}
    # Several territories: their parts hold each one's count, the scope's total is counted.
    return {
        name: family(scope, per_territory=False).get(queries.TOTAL, 0)
        for name, family in queries.DISTINCT_FAMILIES.items()
    }


def excluded_actions(scope: Scope) -> list[dict]:
    """The actions left out of the figures because they are dated outside the programme's
    dates (Scope.filters), listed alike by the dashboard, the API and the report."""
    return [
        {"code": code, "start": start.isoformat(), "modality": modality, "territory": territory}
        for _pk, code, start, modality, territory in scope.excluded_action_rows
    ]


def _programme_header(scope: Scope) -> dict:
    programme = scope.programme
    return {
        "name": programme.name,
        "start": programme.start.isoformat(),
        "end": programme.end.isoformat(),
        "school_years": [school_year_label(y) for y in scope.years],
        "excluded_actions": excluded_actions(scope),
        "parameters": {
            "replication_rate": programme.replication_rate,
            "children_per_adult": programme.children_per_adult,
            "multimodal_share": programme.multimodal_share,
            "days_per_fte": programme.days_per_fte,
        },
    }


def assemble_deployment(
    scope: Scope, codes: dict[int, str], parts: dict[int, dict], distinct: dict[str, int]
) -> dict:
    """The deployment figures of the scope's territories (`codes`: id → code, in order) from
    their parts and the scope's distinct counts."""
    programme = scope.programme
    by_territory = {}
    elected_total = 0
    for pk, code in codes.items():
        part = parts.get(pk) or empty_part()
        figures = part.get("figures") or territory_figures(programme, part)
        elected_total += figures["governance"]["elected_officials"]
        by_territory[code] = figures
    actions, listed, coordination = _merged([parts.get(pk) or empty_part() for pk in codes])
    overall = _area_figures(
        programme,
        actions,
        listed,
        distinct["professionals"],
        distinct["trained"],
        distinct["structures"],
        coordination,
    )
    overall["governance"]["elected_officials"] = elected_total
    return {
        "programme": _programme_header(scope),
        **overall,
        "objectives": _objectives(scope, overall, by_territory, codes),
        "by_territory": by_territory,
    }


def deployment_figures(scope: Scope) -> dict:
    """The workbook contract's figures for the programme and per territory, computed afresh:
    six grouped queries over the scope, whatever the data's size."""
    codes = dict(territories_in_scope(scope).values_list("pk", "code"))
    parts, distinct = territory_parts(scope)
    return assemble_deployment(scope, codes, parts, distinct)
