"""Reads of the activities: who was reached, where and how, grouped by the database."""

from django.db.models import Count, Q, Sum

from ancrage.indicators.scope import Scope

from .models import Action, ActionStructure, Participation
from .vocabulary import GOVERNANCE_MODALITIES, StructureType


def structures_by_kind(scope: Scope) -> list[dict]:
    """Structures reached (governance meetings aside) per type, most frequent first."""
    rows = (
        ActionStructure.objects.filter(**scope.filters())
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("structure__kind")
        .annotate(n=Count("structure_id", distinct=True))
        .order_by("-n", "structure__kind")
    )
    labels = dict(StructureType.choices)
    return [{"kind": kind, "label": str(labels.get(kind, kind)), "n": n} for kind, n in rows]


def professions(scope: Scope) -> list[dict]:
    """People reached per profession (distinct people), most frequent first."""
    rows = (
        Participation.objects.filter(**scope.filters())
        .values_list("person__profession")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "person__profession")
    )
    return [{"profession": profession or "—", "n": n} for profession, n in rows]


def actions_by_commune(scope: Scope) -> dict[int, dict]:
    """Per commune: actions by modality, people reached (listed people or counted adults, plus
    children and parents) and structures: three grouped queries whatever the data's size."""
    actions = (
        Action.objects.filter(**scope.filters())
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("commune_id", "modality")
        .annotate(
            n=Count("id"),
            children=Sum("children"),
            parents=Sum("parents"),
            counted_adults=Sum("adults", filter=Q(lists_people=False)),
        )
        .order_by()
    )
    listed = (
        Participation.objects.filter(**scope.filters())
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("action__commune_id", "modality")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    structures = (
        ActionStructure.objects.filter(**scope.filters())
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("action__commune_id")
        .annotate(n=Count("structure_id", distinct=True))
        .order_by()
    )
    communes: dict[int, dict] = {}

    def entry(commune_id: int) -> dict:
        return communes.setdefault(
            commune_id, {"actions": 0, "people": 0, "structures": 0, "by_modality": {}}
        )

    for commune_id, modality, n, children, parents, adults in actions:
        row = entry(commune_id)
        row["actions"] += n
        row["people"] += (children or 0) + (parents or 0) + (adults or 0)
        by_modality = row["by_modality"].setdefault(modality, {"actions": 0, "people": 0})
        by_modality["actions"] += n
        by_modality["people"] += (children or 0) + (parents or 0) + (adults or 0)
    for commune_id, modality, n in listed:
        row = entry(commune_id)
        row["people"] += n
        row["by_modality"].setdefault(modality, {"actions": 0, "people": 0})["people"] += n
    for commune_id, n in structures:
        entry(commune_id)["structures"] = n
    return communes
