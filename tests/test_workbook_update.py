"""Update a programme from a workbook: rows matched by identifiers, a field-by-field preview,
all or nothing, and figures that move exactly as the edited cells say."""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ancrage.activities.models import Action, Participation, Structure
from ancrage.audit.models import Event
from ancrage.indicators.models import QualityWarning
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import WorkbookInvalid, import_workbook
from ancrage.workbook.update import KEPT, update_workbook

from .test_workbook_roundtrip import workbook_figures
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db


def run_import(*args) -> str:
    out = io.StringIO()
    call_command("import", *[str(a) for a in args], "--sans-progression", stdout=out)
    return out.getvalue()


def edit(path, sheet: str, key: str, column: str, value) -> None:
    """Change one cell of an exported workbook, found by its row's identifier."""
    book = load_workbook(path)
    worksheet = book[sheet]
    header = [c.value for c in worksheet[1]]
    for row in worksheet.iter_rows(min_row=2):
        if row[0].value == key:
            row[header.index(column)].value = value
            break
    else:
        raise AssertionError(f"{sheet}: {key} absent")
    book.save(path)


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_an_export_updated_back_has_nothing_to_change(demo_programme, tmp_path, target):
    before = compute_indicators(Scope(demo_programme))
    export_workbook(demo_programme, tmp_path / target)
    output = run_import(tmp_path / target, "--update")
    assert output.strip() == f"Programme « {demo_programme.name} » : rien à modifier."
    assert compute_indicators(Scope(demo_programme)) == before
    assert Programme.objects.count() == 1  # no staging programme left


def test_three_edited_cells_move_exactly_the_figures_concerned(demo_programme, tmp_path):
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    action = Action.objects.filter(programme=demo_programme, children__gt=0).order_by("pk")[0]
    coordination = demo_programme.coordination.select_related("territory").first()
    edit(path, "actions", action.code, "enfants", action.children + 10)
    edit(path, "territoires", coordination.territory.code, "population", 123456)
    edit(path, "actions", action.code, "intitule", "Séances CPS revues")
    before = compute_indicators(Scope(demo_programme))

    output = run_import(path, "--update")

    assert f"modifié {action.code} (enfants : {action.children} → {action.children + 10} ; " in (
        output
    )
    after = compute_indicators(Scope(demo_programme))
    # Exactly as if the edited workbook had been imported afresh…
    updated = workbook_figures(demo_programme)
    Programme.objects.exclude(pk=demo_programme.pk).delete()
    demo_programme.name, name = "ancien", demo_programme.name
    demo_programme.save()
    assert workbook_figures(import_workbook(path).programme) == updated
    # …and nothing else moved: only the figures counting children (the children's
    # questionnaires' response rates are over the children reached).
    metrics, was = after["metrics"], before["metrics"]
    assert {key for key in was if metrics[key] != was[key]} == {
        "reach.children_direct",
        "reach.children_total",
        "questionnaire.coi_enfants.response_rate",
        "questionnaire.coi_enfants_emotions.response_rate",
    }
    assert metrics["reach.children_total"] == was["reach.children_total"] + 10
    assert name


def test_the_dry_run_previews_and_writes_nothing(demo_programme, tmp_path):
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    action = Action.objects.filter(programme=demo_programme).order_by("pk")[0]
    edit(path, "actions", action.code, "heures", 99)
    output = run_import(path, "--update", "--dry-run")
    assert "actions : 0 créé(s), 1 modifié(s)" in output
    assert "heures" in output and "→ 99" in output
    assert "rien n'a été enregistré" in output
    action.refresh_from_db()
    assert action.hours != 99
    assert Programme.objects.count() == 1


def small_programme(tmp_path):
    sheets = minimal_sheets()
    import_workbook(write_xlsx(sheets, tmp_path / "v1.xlsx"))
    return sheets


def test_new_rows_are_created_with_their_participants(tmp_path):
    sheets = small_programme(tmp_path)
    sheets["actions"].append(
        {
            "id": "A9",
            "modalite": "Formation",
            "territoire": "T2",
            "debut": "2023-05-02",
            "structures": "S2",
            "heures": 6,
        }
    )
    sheets["participations"].append({"action": "A9", "personne": "P3"})
    plan = update_workbook(write_xlsx(sheets, tmp_path / "v2.xlsx"))
    # The programme keys this small workbook leaves out are kept (and said so), not changed.
    assert [str(c) for s in plan.sheets for c in s.changes if c.kind != KEPT] == [
        "créé A9",
        "créé A9 / P3",
    ]
    assert {c.kind for s in plan.sheets if s.sheet == "programme" for c in s.changes} <= {KEPT}
    participation = Participation.objects.get(action__code="A9")
    assert (participation.territory.code, participation.modality) == ("T2", "formation")
    assert Action.objects.get(code="A9").lists_people


def test_a_changed_territory_moves_the_participations_copies(tmp_path):
    sheets = small_programme(tmp_path)
    sheets["actions"][0]["territoire"] = "T2"
    update_workbook(write_xlsx(sheets, tmp_path / "v2.xlsx"))
    assert set(
        Participation.objects.filter(action__code="A1").values_list("territory__code", flat=True)
    ) == {"T2"}


def test_rows_absent_from_the_file_are_kept_unless_asked(tmp_path):
    sheets = small_programme(tmp_path)
    sheets["participations"] = sheets["participations"][1:]
    sheets["actions"] = [a for a in sheets["actions"] if a["id"] != "A3"]
    path = write_xlsx(sheets, tmp_path / "v2.xlsx")
    kept = run_import(path, "--update")
    assert "absent du fichier, gardé A3" in kept
    assert Action.objects.filter(code="A3").exists()
    deleted = run_import(path, "--update", "--delete-missing")
    assert "supprimé A3" in deleted and "supprimé A1 / P1" in deleted
    assert not Action.objects.filter(code="A3").exists()
    assert not Participation.objects.filter(action__code="A1", person__code="P1").exists()


def test_a_bad_workbook_changes_nothing(tmp_path):
    sheets = small_programme(tmp_path)
    sheets["actions"][0]["heures"] = 40
    sheets["actions"][1]["modalite"] = "atelier"
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        run_import(write_xlsx(sheets, tmp_path / "v2.xlsx"), "--update")
    assert Action.objects.get(code="A1").hours == 18
    assert Programme.objects.count() == 1


def test_numbers_past_their_column_are_problems_and_decimals_are_rounded(tmp_path):
    """`ancrage import --update` stopped with PostgreSQL's « numeric field overflow »: the
    staging import now says which cell, and an hour with three decimals is kept as the column
    keeps it, so that updating with the same file again has nothing to change."""
    sheets = small_programme(tmp_path)
    sheets["actions"][0]["heures"] = 1_234_567
    sheets["coordination"][0]["jours"] = "1000000"
    with pytest.raises(WorkbookInvalid) as refused:
        update_workbook(write_xlsx(sheets, tmp_path / "v2.xlsx"), programme="Test")
    assert [str(p) for p in refused.value.problems] == [
        "actions:2:heures: le nombre doit être au plus 999\u202f999,99",
        "coordination:2:jours: le nombre doit être au plus 999\u202f999,99",
    ]
    assert Action.objects.get(code="A1").hours == 18
    sheets = minimal_sheets()
    sheets["actions"][0]["heures"] = "18,254"
    run_import(write_xlsx(sheets, tmp_path / "v3.xlsx"), "--update")
    assert Action.objects.get(code="A1").hours == Decimal("18.25")
    output = run_import(tmp_path / "v3.xlsx", "--update")
    assert output.startswith("Programme « Test » : rien à modifier")


def test_an_unknown_programme_is_refused(tmp_path):
    small_programme(tmp_path)
    with pytest.raises(WorkbookInvalid) as refused:
        update_workbook(tmp_path / "v1.xlsx", programme="Autre")
    assert "aucun programme nommé « Autre » à mettre à jour" in str(refused.value.problems[0])


def test_an_evaluation_sheet_edited_updates_its_record(demo_programme, tmp_path):
    """The evaluator's verdicts and the meeting records travel in the workbook too."""
    from ancrage.evaluation.models import EvaluationIndicator, MeetingRecord

    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    record = MeetingRecord.objects.filter(action__programme=demo_programme).first()
    technicians = record.technicians
    edit(path, "gouvernance", record.action.code, "techniciens", record.technicians + 2)
    book = load_workbook(path)
    sheet = book["indicateurs"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("avis_evaluateur")].value)
    theme, position = row[0].value, row[1].value
    row[header.index("avis_evaluateur")].value = "Non validé"
    book.save(path)

    output = run_import(path, "--update")

    assert f"gouvernance : modifié {record.action.code} (techniciens" in output
    record.refresh_from_db()
    assert record.technicians == technicians + 2
    indicator = EvaluationIndicator.objects.get(
        theme__programme=demo_programme, theme__number=theme, position=position
    )
    assert indicator.evaluator_verdict == "non_valide"
    assert Programme.objects.count() == 1


def test_an_action_with_answers_is_not_deleted_when_missing_from_the_file(demo_programme, tmp_path):
    from ancrage.surveys.models import Response

    answered = Response.objects.filter(programme=demo_programme).first().collection.action
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    book = load_workbook(path)
    for name, column in (("actions", 1), ("participations", 1)):
        sheet = book[name]
        for index in range(sheet.max_row, 1, -1):
            if sheet.cell(row=index, column=column).value == answered.code:
                sheet.delete_rows(index)
    book.save(path)
    responses = Response.objects.count()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        run_import(path, "--update", "--delete-missing")
    assert Action.objects.filter(pk=answered.pk).exists()
    assert Response.objects.count() == responses


def drop_column(path, sheet: str, column: str) -> None:
    book = load_workbook(path)
    worksheet = book[sheet]
    worksheet.delete_cols([c.value for c in worksheet[1]].index(column) + 1)
    book.save(path)


def drop_programme_key(path, key: str) -> None:
    book = load_workbook(path)
    worksheet = book["programme"]
    worksheet.delete_rows(next(r[0].row for r in worksheet.iter_rows() if r[0].value == key))
    book.save(path)


def test_a_column_absent_from_the_file_keeps_its_values_on_every_sheet(demo_programme, tmp_path):
    """An older workbook (or a column the user deleted) leaves the stored values as they are;
    an empty cell of a present column still empties its value."""
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    actions = Action.objects.filter(programme=demo_programme, children__gt=0).exclude(title="")
    actions = actions.order_by("pk")
    action, emptied = actions[0], actions.filter(hours__isnull=False).exclude(pk=actions[0].pk)[0]
    territory = demo_programme.territories.exclude(population=None).order_by("pk")[0]
    structure = Structure.objects.filter(programme=demo_programme, qpv=True)[0]
    linked = list(action.structures.order_by("actionstructure__position"))
    demo_programme.replication_rate = rate = 0.55  # not the import's default
    demo_programme.save()
    for sheet, column in [
        ("territoires", "population"),
        ("structures", "qpv"),
        ("actions", "intitule"),
        ("actions", "structures"),
    ]:
        drop_column(path, sheet, column)
    drop_programme_key(path, "taux_replication")
    edit(path, "actions", action.code, "enfants", action.children + 10)
    edit(path, "actions", emptied.code, "heures", None)
    edit(path, "territoires", territory.code, "nom", "Territoire renommé")
    edit(path, "structures", structure.code, "nom", "Structure renommée")
    edit(path, "programme", "jours_par_etp", "valeur", 200)

    output = run_import(path, "--update")

    assert "territoires : colonne(s) absente(s) du fichier, valeurs gardées : population" in (
        output
    )
    assert "structures : colonne(s) absente(s) du fichier, valeurs gardées : qpv" in output
    assert (
        "actions : colonne(s) absente(s) du fichier, valeurs gardées : structures, intitule"
        in output
    )
    assert f"modifié {action.code} (enfants : " in output and "intitule :" not in output
    assert "absent du fichier, gardé taux_replication" in output
    action.refresh_from_db()
    assert action.children and action.title  # kept, not emptied
    assert list(action.structures.order_by("actionstructure__position")) == linked
    territory.refresh_from_db()
    assert territory.name == "Territoire renommé" and territory.population is not None
    structure.refresh_from_db()
    assert structure.name == "Structure renommée" and structure.qpv
    emptied.refresh_from_db()
    assert emptied.hours is None  # an empty cell of a present column empties the value
    demo_programme.refresh_from_db()
    assert demo_programme.days_per_fte == 200 and demo_programme.replication_rate == rate
    # The same file again: nothing to change, the absent columns still named.
    again = run_import(path, "--update")
    assert f"Programme « {demo_programme.name} » : rien à modifier" in again
    assert "valeurs gardées : population" in again


def test_the_staging_programme_leaves_no_row_and_no_journal_version(demo_programme, tmp_path):
    """The workbook is loaded whole as a staging programme, then dropped: dropped without a
    trace, and without a journal version for each of its rows (4 million at national scale)."""
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    action = Action.objects.filter(programme=demo_programme, children__gt=0).order_by("pk")[0]
    edit(path, "actions", action.code, "enfants", action.children + 1)

    def counts():
        return {model._meta.label: model._base_manager.count() for model in apps.get_models()}

    before = counts()
    run_import(path, "--update")
    after = counts()

    changed = {label for label in after if after[label] != before[label]}
    # The edit's own version and the update's entries in the journal, the target's quality
    # warnings computed again: nothing of the staging programme anywhere.
    assert changed <= {"audit.HistoricalAction", "audit.Event", "indicators.QualityWarning"}
    assert after["audit.HistoricalAction"] == before["audit.HistoricalAction"] + 1
    version = Action.history.latest("history_id")
    assert (version.code, version.children) == (action.code, action.children + 1)
    assert set(Event.objects.values_list("programme_id", flat=True)) == {demo_programme.pk}
    assert set(QualityWarning.objects.values_list("programme", flat=True)) == {demo_programme.pk}
