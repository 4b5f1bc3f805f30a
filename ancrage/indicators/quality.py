"""Data-quality warnings: what is allowed but probably wrong. Each check is one query; each
warning keeps its parts, written as a sentence in the reader's language (models.py)."""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import F, Q

from ancrage.activities.models import Action, ActionStructure
from ancrage.programmes.models import DeclaredTotal, Objective, Programme
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import (
    GOVERNANCE_MODALITIES,
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
    Modality,
    ReachTarget,
)

from .models import QualityWarning
from .registry import TARGET_FIGURES, achieved_value
from .selectors import compute_indicators

Kind = QualityWarning.Kind
# The modalities whose actions an objective's figure counts.
TARGET_MODALITIES = {
    **{m: (m,) for m in Modality.values},
    ReachTarget.ENFANTS: TRAINED_MODALITIES,
    ReachTarget.PROFESSIONNELS: PROFESSIONAL_MODALITIES,
    ReachTarget.STRUCTURES: tuple(m for m in Modality.values if m not in GOVERNANCE_MODALITIES),
    ReachTarget.PARENTS: (Modality.PARENTALITE,),
}


def _structures_outside(programme: Programme) -> Iterator[QualityWarning]:
    links = (
        ActionStructure.objects.filter(programme=programme)
        .exclude(structure__commune__territory_id=F("territory_id"))
        .values_list(
            "action__code", "structure__code", "structure__commune__name", "territory__name"
        )
        .order_by("action__code", "structure__code")
    )
    for action, structure, commune, territory in links.iterator():
        yield QualityWarning(
            kind=Kind.STRUCTURE_OUTSIDE,
            sheet="actions",
            reference=action,
            details={"structure": structure, "commune": commune, "territory": territory},
        )


def _co_interventions_without_children(programme: Programme) -> Iterator[QualityWarning]:
    codes = Action.objects.filter(
        Q(children__isnull=True) | Q(children=0),
        programme=programme,
        modality=Modality.CO_INTERVENTION,
    ).values_list("code", flat=True)
    for code in codes.iterator():
        yield QualityWarning(
            kind=Kind.NO_CHILDREN,
            sheet="actions",
            reference=code,
            details={},
        )


def _actions_outside_dates(programme: Programme) -> Iterator[QualityWarning]:
    codes = Action.objects.filter(
        Q(start__lt=programme.start) | Q(start__gt=programme.end) | Q(end__gt=programme.end),
        programme=programme,
    ).values_list("code", "start", "end", "school_year")
    years = programme.school_years
    for code, start, end, year in codes.iterator():
        yield QualityWarning(
            kind=Kind.OUTSIDE_DATES,
            sheet="actions",
            reference=code,
            details={
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "programme_start": programme.start.isoformat(),
                "programme_end": programme.end.isoformat(),
                "school_year": year,
                # Scope.filters' rule: an action counts when it starts within the programme.
                "counted": programme.start <= start <= programme.end,
                "in_years": year in years,
            },
        )


def _objectives_unmatched(programme: Programme) -> Iterator[QualityWarning]:
    present = set(
        Action.objects.filter(programme=programme)
        .values_list("territory_id", "modality")
        .distinct()
        .order_by()
    )
    for objective in Objective.objects.filter(programme=programme).select_related("territory"):
        wanted = TARGET_MODALITIES[objective.target]
        matched = any(m in wanted and (objective.territory_id in (None, t)) for t, m in present)
        if not matched:
            where = objective.territory.code if objective.territory else "*"
            yield QualityWarning(
                kind=Kind.OBJECTIVE_UNMATCHED,
                sheet="objectifs",
                reference=f"{where}/{objective.target}",
                details={"target": objective.target, "territory": where},
            )


def _declared_mismatches(programme: Programme, figures: dict | None) -> Iterator[QualityWarning]:
    declared_totals = list(
        DeclaredTotal.objects.filter(programme=programme).select_related("territory")
    )
    if declared_totals and figures is None:
        # Only then: the figures cost seconds at national scale (after each import).
        figures = compute_indicators(Scope(programme))
    for declared in declared_totals:
        area = (
            figures
            if declared.territory is None
            else figures["by_territory"][declared.territory.code]
        )
        computed = achieved_value(area, declared.target)
        if computed != declared.value:
            where = declared.territory.code if declared.territory else "*"
            yield QualityWarning(
                kind=Kind.DECLARED_MISMATCH,
                sheet="totaux_declares",
                reference=f"{where}/{declared.target}",
                details={
                    "figure": TARGET_FIGURES[declared.target],
                    "declared": declared.value,
                    "source": declared.source,
                    "computed": computed,
                },
            )


def quality_warnings(programme: Programme, figures: dict | None = None) -> list[QualityWarning]:
    """`figures`: the programme's, when the caller has them (computed here only if needed)."""
    return [
        *_structures_outside(programme),
        *_co_interventions_without_children(programme),
        *_actions_outside_dates(programme),
        *_objectives_unmatched(programme),
        *_declared_mismatches(programme, figures),
    ]


@transaction.atomic
def quality_refresh(programme: Programme) -> list[QualityWarning]:
    """Recompute and keep the programme's warnings, for the command line and the web app."""
    warnings = quality_warnings(programme)
    QualityWarning.objects.filter(programme=programme).delete()
    for warning in warnings:
        warning.programme = programme
    return QualityWarning.objects.bulk_create(warnings)
