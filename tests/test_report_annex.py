"""« Les territoires » stays readable however many communes a territory has: the body names a
few and counts the others, the annex at the end of the written report lists them all (in
smaller type); the deck carries no annex. The files are written and opened back."""

import re

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report
from ancrage.workbook.importer import import_workbook

from .test_reports import flat, slide_text, slides_titled
from .workbooks import minimal_sheets, write_xlsx

BIG = 40  # communes of the big territory, each with its own action
LONG = "Saint-Martin-en-Presqu'île"
ANNEX = "Annexe — Communes par territoire"
CELL_MAX = 200  # characters of a body cell: a few lines of its column


def _commune(n: int) -> str:
    return f"{LONG} {n:02d}"


@pytest.fixture
def big_programme(db, tmp_path):
    """T1: 40 mobilised communes with long names (the people reached grow with the number);
    T2: one commune, Beta, where its one action took place."""
    sheets = minimal_sheets()
    sheets["actions"][1]["code_insee"] = "44002"
    for n in range(1, BIG + 1):
        insee = f"45{n:03d}"
        sheets["communes"].append({"code_insee": insee, "nom": _commune(n), "territoire": "T1"})
        sheets["structures"].append(
            {"id": f"SB{n}", "nom": f"École {n}", "type": "ecole_publique", "code_insee": insee}
        )
        sheets["actions"].append(
            {
                "id": f"CO{n}",
                "modalite": "co_intervention",
                "territoire": "T1",
                "debut": "2023-03-01",
                "code_insee": insee,
                "structures": f"SB{n}",
                "enfants": 10 + n,
            }
        )
    return import_workbook(write_xlsx(sheets, tmp_path / "big.xlsx")).programme


@pytest.fixture
def big_report(big_programme):
    return build_report(Scope(big_programme))


def _territories(report):
    section = next(s for s in report.sections if s.title == "Les territoires")
    return section, section.blocks[0]


def test_the_body_names_the_most_reached_communes_and_counts_the_others(big_report):
    section, table = _territories(big_report)
    assert max(len(cell) for row in table.rows for cell in row) <= CELL_MAX
    big = next(row for row in table.rows if row[0] == "Territoire un")
    # Commune 40 reached the most children, then 39: they come first, the rest are counted.
    assert big[4].startswith(f"{_commune(40)}, {_commune(39)}")
    shown = big[4].split(" et ")[0].count(LONG)
    assert big[4].endswith(f" et {BIG - shown} autres")
    assert big[2] == "40 sur 41"  # Alpha's action has no commune
    # The short list is left whole, and the footnote says where the rest is.
    assert next(row for row in table.rows if row[0] == "Territoire deux")[4] == "Beta"
    assert any(ANNEX in note for note in section.footnotes)


def test_the_annex_lists_every_mobilised_commune_of_every_territory(big_report):
    (annex,) = big_report.annexes
    assert annex.title == ANNEX
    rows = {row[0]: row for row in annex.blocks[-1].rows}
    listed = rows["Territoire un"][2].split(", ")
    assert listed == [_commune(n) for n in range(1, BIG + 1)]
    assert rows["Territoire deux"][1:] == ["1 sur 1", "Beta"]


def test_the_pdf_keeps_its_body_table_short_and_ends_with_the_annex_in_smaller_type(
    big_report, tmp_path
):
    path = tmp_path / "rapport.pdf"
    write_report(big_report, "pdf", path)
    pages = [flat(page.extract_text()) for page in PdfReader(path).pages]
    body = next(n for n, text in enumerate(pages) if "Habitant·es des communes" in text)
    annex = next(n for n, text in enumerate(pages) if text.startswith(ANNEX))
    assert annex > body
    # Every commune is named in the annex (a name cut at its hyphen loses it when read back);
    # the body names a few.
    annex_text = " ".join(pages[annex:])
    assert all(f"Presqu'île {n:02d}" in annex_text for n in range(1, BIG + 1))
    assert pages[body].count("Presqu'île") < 6
    closing = big_report.sections[-1]
    assert closing.closing and closing.title in pages[annex - 1]  # the annex follows it
    assert ANNEX in pages[1]  # and the contents list it

    write_report(big_report, "html", tmp_path / "rapport.html")
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert '<section id="annexe-communes" class="annex">' in page
    assert 'href="#annexe-communes"' in page
    assert re.search(r"section\.annex table \{ font-size: 7\.5pt", page)


def test_the_word_document_ends_with_the_annex_in_smaller_type(big_report, tmp_path):
    path = tmp_path / "rapport.docx"
    write_report(big_report, "docx", path)
    document = Document(path)
    heading = next(p for p in document.paragraphs if p.text == ANNEX)
    assert heading.style.name == "Heading 1"
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells][:2] == ["Territoire", "Communes mobilisées"]
    big = next(r for r in annex.rows if r.cells[0].text == "Territoire un").cells[2]
    assert big.text.count(LONG) == BIG
    assert all(run.font.size.pt == 8 for run in big.paragraphs[0].runs)
    # The columns follow the declared widths: the list takes two thirds of the page.
    assert annex.columns[2].width > 0.6 * sum(c.width for c in annex.columns)
    (body,) = [
        t for t in document.tables if [c.text for c in t.rows[0].cells][1:2] == ["Habitant·es"]
    ]
    assert max(len(c.text) for r in body.rows for c in r.cells) <= CELL_MAX


def test_the_deck_shows_the_short_table_and_no_annex(big_report, tmp_path):
    path = tmp_path / "rapport.pptx"
    write_report(big_report, "pptx", path)
    deck = Presentation(path)
    territories = slides_titled(deck, "Les territoires")
    assert "Territoire un" in territories and ANNEX in territories  # the footnote names it
    assert territories.count(LONG) < 6 and _commune(1) not in territories
    # No slide carries the annex (the communes' own map slides name each once).
    text = " ".join(slide_text(slide) for slide in deck.slides)
    assert not text.startswith(ANNEX) and f"| {ANNEX}" not in text
    assert text.count(_commune(1)) == 1


def test_the_demo_names_all_its_communes_in_the_body_and_has_no_annex(demo_programme):
    report = build_report(Scope(demo_programme))
    _section, table = _territories(report)
    assert report.annexes == []
    assert table.rows[1][4] == (
        "Crossac, Drefféac, Guenrouet, Missillac, Pontchâteau, Saint-Gildas-des-Bois, "
        "Sainte-Anne-sur-Brivet, Sainte-Reine-de-Bretagne, Sévérac"
    )
