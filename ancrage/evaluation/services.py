"""The evaluation's writes: the action report sheet, candidate territories, the evaluation
settings. Keyword-only, all or nothing; every free text scrubbed of emails and phone numbers."""

from django.db import transaction

from ancrage.activities.models import Action
from ancrage.core.privacy import scrub
from ancrage.programmes.models import Programme

from .models import (
    ActionReport,
    CandidateTerritory,
    EvaluationSettings,
    FrameworkItem,
    ReportCriterion,
)

REPORT_TEXTS = ("tools", "worked", "difficulties", "adaptations")
SETTINGS_TEXTS = ("description", "earlier_cps_actions")


@transaction.atomic
def report_sheet_save(
    *,
    action: Action,
    report: ActionReport,
    criteria: list[tuple[FrameworkItem, str, str]],
) -> ActionReport:
    """Save an action's report sheet (`report`, unsaved changes from the form) with its efficacy
    criteria: (criterion, rating, evidence); an empty rating removes the criterion's row."""
    report.action = action
    for name in REPORT_TEXTS:
        setattr(report, name, scrub(getattr(report, name)))
    report.full_clean()
    report.save()
    for criterion, rating, evidence in criteria:
        if rating:
            ReportCriterion.objects.update_or_create(
                report=report,
                criterion=criterion,
                defaults={"rating": rating, "evidence": scrub(evidence)},
            )
        else:
            ReportCriterion.objects.filter(report=report, criterion=criterion).delete()
    return report


@transaction.atomic
def candidate_create(*, programme: Programme, candidate: CandidateTerritory) -> CandidateTerritory:
    """Add a candidate territory (unsaved, from the form) to the transferability study."""
    candidate.programme = programme
    candidate.name = scrub(candidate.name)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def settings_save(*, settings: EvaluationSettings) -> EvaluationSettings:
    """Save the programme's history, objectives and evaluation assumptions (unsaved changes
    from the form); its free texts open the report, scrubbed."""
    for name in SETTINGS_TEXTS:
        setattr(settings, name, scrub(getattr(settings, name)))
    settings.full_clean()
    settings.save()
    return settings


def settings_for(programme: Programme) -> EvaluationSettings:
    """The programme's evaluation settings, created with their defaults on first use."""
    settings, _created = EvaluationSettings.objects.get_or_create(programme=programme)
    return settings
