"""The grouped queries behind every figure: one query per family, by territory and in total.

Nothing here loops over actions or participations in Python: each function returns at most one
row per territory (and modality), aggregated by the database.
"""

from collections import defaultdict

from django.db.models import Count, IntegerField, Max, QuerySet, Sum, Value

from ancrage.activities.models import Action, ActionStructure, Participation
from ancrage.programmes.models import CoordinationDays
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import (
    GOVERNANCE_MODALITIES,
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
)

TOTAL = None  # the key of programme-wide rows in the per-territory dicts below


def distinct_by_territory(
    queryset: QuerySet, field: str, *, per_territory: bool = True, overall: bool = True
) -> dict[int | None, int]:
    """COUNT(DISTINCT field) per territory and over all (`TOTAL`), in one UNION ALL query;
    only the side asked for: each side scans every row of the scope, and the figures cache
    needs the territories' counts without the total, or the total without them."""
    by_territory = (
        queryset.values("territory_id").annotate(n=Count(field, distinct=True)).order_by()
    )
    total = (
        queryset.annotate(all_=Value(None, output_field=IntegerField()))
        .values("all_")
        .annotate(n=Count(field, distinct=True))
        .order_by()
    )
    if per_territory and overall:
        rows = by_territory.union(total, all=True).values_list("territory_id", "n")
    elif per_territory:
        rows = by_territory.values_list("territory_id", "n")
    else:
        rows = total.values_list("all_", "n")
    return {territory: n for territory, n in rows}


def action_family(scope: Scope) -> dict[tuple[int, str], dict]:
    """Per territory × modality: deliveries, children, parents, elected, unlisted adults.

    Whether an action lists its people is read from the flag the services keep, not probed in
    participations: the probe alone cost 0.5 s at national scale.
    """
    rows = (
        Action.objects.filter(scope.filters(action="id"))
        .values("territory_id", "modality", "lists_people")
        .annotate(
            actions=Count("id"),
            children=Sum("children"),
            parents=Sum("parents"),
            elected_max=Max("elected"),
            adults=Sum("adults"),
        )
        .order_by()
    )
    grouped: dict[tuple[int, str], dict] = {}
    for row in rows:
        merged = grouped.setdefault(
            (row["territory_id"], row["modality"]),
            {
                "actions": 0,
                "children": 0,
                "parents": 0,
                "elected_max": 0,
                "unlisted": 0,
                "unlisted_adults": 0,
            },
        )
        merged["actions"] += row["actions"]
        merged["children"] += row["children"] or 0
        merged["parents"] += row["parents"] or 0
        merged["elected_max"] = max(merged["elected_max"], row["elected_max"] or 0)
        if not row["lists_people"]:
            merged["unlisted"] += row["actions"]
            merged["unlisted_adults"] += row["adults"] or 0
    return grouped


def participation_family(scope: Scope) -> dict[tuple[int, str], int]:
    """Per territory × modality: the people listed (one row per action and person)."""
    rows = (
        Participation.objects.filter(scope.filters(action="action_id"))
        .values_list("territory_id", "modality")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(territory, modality): n for territory, modality, n in rows}


def distinct_people(scope: Scope, modalities, **sides) -> dict[int | None, int]:
    queryset = Participation.objects.filter(
        scope.filters(action="action_id"), modality__in=modalities
    )
    return distinct_by_territory(queryset, "person_id", **sides)


def professionals_family(scope: Scope, **sides) -> dict[int | None, int]:
    return distinct_people(scope, PROFESSIONAL_MODALITIES, **sides)


def trained_family(scope: Scope, **sides) -> dict[int | None, int]:
    return distinct_people(scope, TRAINED_MODALITIES, **sides)


def structures_family(scope: Scope, **sides) -> dict[int | None, int]:
    queryset = ActionStructure.objects.filter(scope.filters(action="action_id")).exclude(
        modality__in=GOVERNANCE_MODALITIES
    )
    return distinct_by_territory(queryset, "structure_id", **sides)


DISTINCT_FAMILIES = {
    "professionals": professionals_family,
    "trained": trained_family,
    "structures": structures_family,
}


def coordination_family(scope: Scope) -> dict[int, dict[int, float]]:
    """Per territory: coordination days per school year."""
    rows = (
        CoordinationDays.objects.filter(scope.filters(action=None))
        .values_list("territory_id", "school_year")
        .annotate(days=Sum("days"))
        .order_by()
    )
    days: dict[int, dict[int, float]] = defaultdict(dict)
    for territory, year, total in rows:
        days[territory][year] = float(total)
    return days
