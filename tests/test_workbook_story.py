"""The report's story travels with the workbook: its history timeline (`jalons`), the sentences
the evaluation team writes (`enonces`: objectives, evaluative questions, recommendations,
conditions of success), the partners thanked (`partenaires.remercie`) and the closing slide's
texts (`evaluation`). Export → empty database → import gives the same story; `--update` moves
exactly the edited parts."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ancrage.evaluation.models import Milestone, Partner, Statement
from ancrage.evaluation.selectors import programme_story
from ancrage.programmes.models import Programme
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import WorkbookInvalid, import_workbook

pytestmark = pytest.mark.django_db


def _story_of(programme) -> dict:
    story = programme_story(programme)
    assert story["milestones"] and story["recommendations"] and story["closing_title"]
    return story


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_an_export_imported_into_an_empty_database_tells_the_same_story(
    demo_programme, tmp_path, target
):
    partner = Partner.objects.filter(programme=demo_programme).order_by("name").first()
    partner.thanked = False  # the slide « Merci à nos partenaires » leaves it out
    partner.save()
    before = _story_of(demo_programme)
    assert partner.name not in before["thanks"]
    counts = (Milestone.objects.count(), Statement.objects.count(), Partner.objects.count())
    export_workbook(demo_programme, tmp_path / target)
    Programme.objects.all().delete()
    programme = import_workbook(tmp_path / target).programme
    assert programme_story(programme) == before
    assert (Milestone.objects.count(), Statement.objects.count(), Partner.objects.count()) == (
        counts
    )


def _cell(book, sheet: str, column: str, match: dict, value) -> None:
    rows = book[sheet]
    header = [c.value for c in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if all(row[header.index(k)].value == v for k, v in match.items()):
            row[header.index(column)].value = value
            return
    raise AssertionError(f"{sheet}: {match} absent")


def test_an_edited_story_is_updated_exactly(demo_programme, tmp_path):
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    milestone = Milestone.objects.filter(programme=demo_programme).first()
    partner = Partner.objects.filter(programme=demo_programme, thanked=True).first()
    before = programme_story(demo_programme)
    book = load_workbook(path)
    _cell(book, "jalons", "precision", {"etape": milestone.title}, "Précision revue")
    _cell(book, "partenaires", "remercie", {"nom": partner.name}, "non")
    _cell(book, "evaluation", "titre_cloture", {}, "Merci à toutes et à tous")
    book["enonces"].append(["Recommandation", "Associer les familles dès la première séance", 9])
    book.save(path)

    out = io.StringIO()
    call_command("import", str(path), "--update", "--sans-progression", stdout=out)

    output = out.getvalue()
    assert f"jalons : modifié {milestone.start_year} / {milestone.title} (precision" in output
    assert f"partenaires : modifié {partner.name} (remercie : oui → non)" in output
    assert "enonces : créé recommandation / Associer les familles" in output
    after = programme_story(demo_programme)
    assert after["closing_title"] == "Merci à toutes et à tous"
    assert after["thanks"] == [name for name in before["thanks"] if name != partner.name]
    assert after["recommendations"] == [
        *before["recommendations"],
        "Associer les familles dès la première séance",
    ]
    changed = {key for key in before if after[key] != before[key]}
    assert changed == {"milestones", "thanks", "recommendations", "closing_title"}
    assert Programme.objects.count() == 1


def test_a_milestone_ending_before_it_starts_is_refused_on_its_row(demo_programme, tmp_path):
    path = export_workbook(demo_programme, tmp_path / "export.xlsx")
    Programme.objects.all().delete()
    book = load_workbook(path)
    book["jalons"].append([2022, 2019, "Étape à l'envers", ""])
    book["jalons"].append(["20", "", "Année tronquée", ""])
    row = book["jalons"].max_row
    book.save(path)
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(path)
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("jalons", row - 1, "fin"),
        ("jalons", row, "debut"),
    ]
    assert not Programme.objects.exists()
