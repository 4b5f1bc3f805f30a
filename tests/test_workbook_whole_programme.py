"""The export is the whole programme: the evaluation's sheets (governance records, referents,
partners, contracts, texts, framework and verdicts, report sheets, context, ASTAIRE, candidate
territories) travel with the workbook, and an export imported into an empty database gives the
same figures, every key."""

import pytest

from ancrage.evaluation.models import (
    ActionReport,
    AstaireRating,
    CandidateTerritory,
    ContextNote,
    EvaluationIndicator,
    EvaluationSettings,
    HealthContract,
    MeetingRecord,
    Partner,
    Referent,
    ReportCriterion,
    Theme,
)
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.surveys.models import Questionnaire
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import import_workbook

pytestmark = pytest.mark.django_db

RECORDS = (
    EvaluationSettings,
    MeetingRecord,
    Referent,
    Partner,
    HealthContract,
    Theme,
    EvaluationIndicator,
    ContextNote,
    ActionReport,
    ReportCriterion,
    AstaireRating,
    CandidateTerritory,
)


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_an_export_imported_into_an_empty_database_gives_the_same_figures(
    demo_programme, tmp_path, target
):
    # Questionnaires and their responses travel in their own files (XLSForm, response
    # exports), not yet in the workbook: the demo is taken without them.
    Questionnaire.objects.filter(programme=demo_programme).delete()
    CandidateTerritory.objects.create(
        programme=demo_programme,
        name="Pays de Retz",
        population=68000,
        communes=15,
        elected_commitment=True,
        partners=4,
    )
    before = compute_indicators(Scope(demo_programme))
    counts = {model: model.objects.count() for model in RECORDS}
    assert all(counts.values())
    export_workbook(demo_programme, tmp_path / target)
    Programme.objects.all().delete()
    programme = import_workbook(tmp_path / target).programme
    assert compute_indicators(Scope(programme)) == before  # every key
    assert {model: model.objects.count() for model in RECORDS} == counts


def test_an_export_without_the_evaluation_sheets_still_imports(tmp_path):
    from .workbooks import minimal_sheets, write_xlsx

    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    assert not Theme.objects.filter(programme=programme).exists()
