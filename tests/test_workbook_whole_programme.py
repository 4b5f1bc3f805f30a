"""The export is the whole programme: the evaluation's sheets (governance records, referents,
partners, contracts, texts, framework and verdicts, report sheets, context, ASTAIRE, candidate
territories), the questionnaires, their collections and responses travel with the workbook, and
an export imported into an empty database gives the same figures, every key."""

from pathlib import Path

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
from ancrage.surveys.models import Answer, Choice, Collection, Question, Questionnaire, Response
from ancrage.surveys.responses import import_responses
from ancrage.surveys.services import questionnaire_create
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import WorkbookInvalid, import_workbook

from .surveys_data import programme_with_actions

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
KOBO_FORM = DATA / "xlsform" / "kobo_atelier_tous_types.xlsx"
RESPONSES = DATA / "responses"

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
    Questionnaire,
    Question,
    Choice,
    Collection,
    Response,
    Answer,
)


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_an_export_imported_into_an_empty_database_gives_the_same_figures(
    demo_programme, tmp_path, target
):
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
    # Every key; a questionnaire's database id aside, which a new database gives anew.
    assert _without_ids(compute_indicators(Scope(programme))) == _without_ids(before)
    assert {model: model.objects.count() for model in RECORDS} == counts


def test_an_export_without_the_evaluation_sheets_still_imports(tmp_path):
    from .workbooks import minimal_sheets, write_xlsx

    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    assert not Theme.objects.filter(programme=programme).exists()


def _answers(programme) -> list[tuple]:
    """Every answer as the figures read it, whatever its database ids."""
    return sorted(
        Answer.objects.filter(response__programme=programme).values_list(
            "questionnaire__form_id",
            "question__path",
            "choice__name",
            "number",
            "decimal",
            "date",
            "time",
            "text",
            "tone",
            "favorable",
            "response__collection__action__code",
            "response__source",
            "response__external_id",
            "response__moment",
            "response__pairing_code",
        ),
        key=repr,
    )


@pytest.fixture
def kobo_programme(tmp_path):
    """A real Kobo form with every type (date, time, decimal, dateTime, repeat, or_other,
    duplicate choice names) and its real export."""
    programme = programme_with_actions(tmp_path)
    form = questionnaire_create(programme=programme, xlsform=KOBO_FORM.read_bytes())
    import_responses(questionnaire=form, path=RESPONSES / "kobo_atelier_cps.csv")
    return programme


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_every_answer_comes_back_with_its_date_time_and_decimal(kobo_programme, tmp_path, target):
    before = _answers(kobo_programme)
    kinds = {row[1]: row for row in before}
    assert kinds["duree"][4] and kinds["date_atelier"][5] and kinds["heure_debut"][6]
    assert kinds["fin_saisie"][5] and kinds["fin_saisie"][6] and kinds["mot"][7]
    figures = _without_ids(compute_indicators(Scope(kobo_programme)))
    export_workbook(kobo_programme, tmp_path / target)
    Programme.objects.all().delete()
    programme = import_workbook(tmp_path / target).programme
    assert _answers(programme) == before
    assert _without_ids(compute_indicators(Scope(programme))) == figures


def test_a_wrong_answer_is_refused_by_sheet_row_and_column_and_nothing_is_written(
    kobo_programme, tmp_path
):
    export_workbook(kobo_programme, tmp_path / "export")
    Programme.objects.all().delete()
    path = tmp_path / "export" / "reponses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number, line = next((i, ln) for i, ln in enumerate(lines) if ",duree," in ln)
    lines[number] = line.replace(",duree,1.5,", ",duree,beaucoup,").replace(
        ",duree,2,", ",duree,x,"
    )
    assert lines[number] != line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(tmp_path / "export")
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("reponses", number + 1, "valeur")
    ]
    assert "nombre attendu" in refused.value.problems[0].message
    assert not Programme.objects.exists() and not Response.objects.exists()


def test_a_wrong_questionnaire_setting_is_refused_on_its_sheet_and_row(kobo_programme, tmp_path):
    export_workbook(kobo_programme, tmp_path / "export")
    Programme.objects.all().delete()
    path = tmp_path / "export" / "questionnaires.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",enfants,", ",eleves,"), encoding="utf-8"
    )
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(tmp_path / "export")
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("questionnaires", 2, "public")
    assert not Programme.objects.exists()


def test_the_import_summary_counts_questionnaires_and_responses(demo_programme, tmp_path, client):
    """Command line and browser preview alike say how many questionnaires and responses came."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    questionnaires = Questionnaire.objects.filter(programme=demo_programme).count()
    responses = Response.objects.filter(programme=demo_programme).count()
    assert questionnaires and responses
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    Programme.objects.all().delete()
    client.force_login(get_user_model().objects.create_superuser("coord", password="x"))
    file = SimpleUploadedFile("export.xlsx", path.read_bytes())
    preview = dict(client.post("/import/", {"classeur": file}).context["preview"])
    assert preview["questionnaires"] == questionnaires
    assert preview["réponses aux questionnaires"] == responses
    out = io.StringIO()
    call_command("import", str(path), "--sans-progression", stdout=out)
    assert f"{questionnaires} questionnaire(s)" in out.getvalue()
    assert f"{responses} réponse(s)" in out.getvalue().replace("\u202f", " ")
