"""A table with a row per territory stays short on the deck (issue #15, national scale): past
DECK_TABLE_ROWS rows the deck shows the leading territories by the table's main figure, then
« Autres territoires (N) » with the others' totals, and a footnote pointing to the written
report, whose table keeps every row. The files are written and opened back; the totals are
checked against the Word document's full table."""

import pytest
from docx import Document
from pptx import Presentation

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.sections.long_tables import DECK_TABLE_ROWS
from ancrage.reports.services import write_report
from ancrage.workbook.importer import import_workbook

from .test_reports import flat, slide_text
from .workbooks import minimal_sheets, write_xlsx

ADDED = 43  # territories added to the two of the minimal workbook
TOTAL = ADDED + 2


def complete(count: int = TOTAL) -> str:
    return f"le tableau complet des {count} territoires est dans le rapport écrit (PDF, Word, HTML)"


@pytest.fixture
def national(db, tmp_path):
    """45 territories of different sizes, each with one commune, one action reaching a
    different number of children, and a pack objective (a row each in « Notre modèle… »)."""
    sheets = minimal_sheets()
    for n in range(3, TOTAL + 1):
        code, insee = f"T{n:02d}", f"46{n:03d}"
        # Sizes and reach in different orders: each table ranks by its own figure.
        sheets["territoires"].append(
            {"code": code, "nom": f"Territoire {n:02d}", "population": 1000 * ((n * 7) % 50 + 1)}
        )
        sheets["communes"].append(
            {"code_insee": insee, "nom": f"Commune {n:02d}", "territoire": code, "population": n}
        )
        sheets["structures"].append(
            {"id": f"S{n}", "nom": f"École {n}", "type": "ecole_publique", "code_insee": insee}
        )
        sheets["actions"].append(
            {
                "id": f"CO{n}",
                "modalite": "co_intervention",
                "territoire": code,
                "debut": "2023-03-01",
                "code_insee": insee,
                "structures": f"S{n}",
                "enfants": (n * 11) % 97 + 1,
            }
        )
        sheets["objectifs"].append(
            {"territoire": code, "cible": "co_intervention", "min": 1, "max": 1, "periode": "an"}
        )
    programme = import_workbook(write_xlsx(sheets, tmp_path / "national.xlsx")).programme
    report = build_report(Scope(programme))
    write_report(report, "pptx", tmp_path / "rapport.pptx")
    write_report(report, "docx", tmp_path / "rapport.docx")
    return Presentation(tmp_path / "rapport.pptx"), Document(tmp_path / "rapport.docx")


def _deck_table(deck, title: str) -> tuple[list[list[str]], str]:
    """The rows of the table of the slides titled `title` (header once), and their text."""
    rows, text = [], ""
    for slide in deck.slides:
        heading = slide.shapes.title.text if slide.shapes.title is not None else ""
        if heading.removesuffix(" (suite)") != title:
            continue
        text += slide_text(slide)
        for shape in slide.shapes:
            if shape.has_table:
                table = [[c.text for c in r.cells] for r in shape.table.rows]
                rows += table[1:] if rows else table
    return rows, flat(text)


def _word_table(document, header: list[str]) -> list[list[str]]:
    (table,) = [t for t in document.tables if [c.text for c in t.rows[0].cells] == header]
    return [[c.text for c in r.cells] for r in table.rows]


def _number(cell: str) -> int:
    return int(flat(cell))


def _pair(cell: str) -> tuple[int, int]:
    mobilised, total = flat(cell).split(" sur ")
    return int(mobilised), int(total)


def _check(deck_rows, word_rows, *, main: int, summed=(), pairs=(), blank=(), count=TOTAL):
    """The deck's rows are the written report's leading rows by column `main`, then the others'
    totals: `summed` and `pairs` columns add up, `blank` ones read « — »."""
    assert deck_rows[0] == word_rows[0]  # the same header
    full = {row[0]: row for row in word_rows[1:]}
    assert len(full) == len(word_rows) - 1 == count  # the written report keeps every row
    *leading, others = deck_rows[1:]
    assert len(deck_rows) - 1 == DECK_TABLE_ROWS
    assert others[0] == f"Autres territoires ({count - len(leading)})"
    # The leading rows are the written report's, ranked by the main figure.
    assert all(full[row[0]] == row for row in leading)
    figures = [_number(row[main]) for row in leading]
    assert figures == sorted(figures, reverse=True)
    rest = [row for name, row in full.items() if name not in {r[0] for r in leading}]
    assert max(_number(row[main]) for row in rest) <= min(figures)
    for column in summed:
        assert _number(others[column]) == sum(_number(row[column]) for row in rest)
    for column in pairs:
        sums = [sum(parts) for parts in zip(*(_pair(row[column]) for row in rest), strict=True)]
        assert _pair(others[column]) == tuple(sums)
    assert all(others[column] == "—" for column in blank)


def test_the_territories_table_shows_the_largest_territories_then_the_others(national):
    deck, document = national
    header = ["Territoire", "Habitant·es", "Communes mobilisées"]
    header += ["Habitant·es des communes mobilisées", "Communes"]
    rows, text = _deck_table(deck, "Les territoires")
    _check(rows, _word_table(document, header), main=1, summed=(1, 3), pairs=(2,), blank=(4,))
    assert "premiers territoires par « Habitant·es »" in text and complete() in text


def test_the_actions_table_shows_the_territories_that_reached_most_people(national):
    deck, document = national
    header = ["Territoire", "Communes mobilisées", "Actions", "Personnes"]
    rows, text = _deck_table(deck, "Les actions par territoire")
    _check(rows, _word_table(document, header), main=3, summed=(2, 3), pairs=(1,))
    assert "premiers territoires par « Personnes »" in text and complete() in text


def test_the_anchoring_table_shows_the_territories_with_most_steering_committees(national):
    deck, document = national
    header = ["Territoire", "COPIL", "COTECH", "Élu·es", "Référent·es"]
    rows, text = _deck_table(deck, "Ancrage territorial")
    _check(rows, _word_table(document, header), main=1, summed=(1, 2, 3, 4))
    assert "premiers territoires par « COPIL »" in text and complete() in text


def test_the_pack_table_keeps_a_territory_s_rows_and_sums_what_was_delivered(national):
    deck, document = national
    header = ["Territoire", "Modalité", "Attendu", "Sur la période", "Réalisé", "Statut"]
    rows, text = _deck_table(deck, "Notre modèle de déploiement est-il respecté ?")
    word = _word_table(document, header)
    # One pack row per territory here (T1's formation, the added ones' co-intervention; T2
    # has no pack).
    _check(rows, word, main=4, summed=(4,), blank=(1, 2, 3, 5), count=TOTAL - 1)
    assert "premiers territoires par « Réalisé »" in text and complete(TOTAL - 1) in text


def test_the_demo_deck_shows_every_row_of_its_tables(demo_programme, tmp_path):
    """Two territories: no table is shortened, the deck shows every row of the content."""
    report = build_report(Scope(demo_programme))
    tables = [b for s in report.sections for b in s.blocks if hasattr(b, "deck")]
    assert tables and all(t.deck is None for t in tables)
    path = tmp_path / "demo.pptx"
    write_report(report, "pptx", path)
    text = " ".join(slide_text(slide) for slide in Presentation(path).slides)
    assert "Autres territoires" not in text and "Diaporama :" not in text
    text = flat(text)
    missing = [c for table in tables for row in table.rows for c in row if flat(c) not in text]
    assert missing == []


def test_a_pack_written_territory_by_territory_shows_the_territories_alike(db, tmp_path):
    """« Modèle de déploiement à deux niveaux »: when territories have different packs, the
    written report has a row per territory and modality; the deck, a row per pack with its
    number of territories, the most shared first."""
    sheets = minimal_sheets()
    for n in range(3, TOTAL + 1):
        code = f"T{n:02d}"
        sheets["territoires"].append({"code": code, "nom": f"Territoire {n:02d}"})
        sheets["objectifs"].append(
            {"territoire": code, "cible": "co_intervention", "min": n % 3 + 1, "periode": "an"}
        )
    programme = import_workbook(write_xlsx(sheets, tmp_path / "packs.xlsx")).programme
    report = build_report(Scope(programme))
    write_report(report, "pptx", tmp_path / "rapport.pptx")
    write_report(report, "docx", tmp_path / "rapport.docx")
    header = ["Territoire", "Modalité", "Attendu", "Sur le programme"]
    word = _word_table(Document(tmp_path / "rapport.docx"), header)
    assert len(word) - 1 > DECK_TABLE_ROWS  # every territory's row in the written report
    deck = Presentation(tmp_path / "rapport.pptx")
    _rows, text = _deck_table(deck, "Modèle de déploiement à deux niveaux")
    # The slide also holds the next, short section's table: the pack's is the one of 4 columns.
    rows = [row for row in _rows if len(row) == len(header)]
    assert rows[0] == header
    counts = {tuple(row[1:]): int(flat(row[0]).split()[0]) for row in rows[1:]}
    written: dict = {}
    for row in word[1:]:
        written[tuple(row[1:])] = written.get(tuple(row[1:]), 0) + 1
    assert counts == written  # each pack once, with the number of its territories
    co_intervention = [
        n for (modality, *_rest), n in counts.items() if modality == "Co-intervention"
    ]
    assert (
        co_intervention == sorted(co_intervention, reverse=True) and sum(co_intervention) == ADDED
    )
    territories = len({row[0] for row in word[1:]})
    assert "même pack réunis en une ligne" in text
    assert complete(territories) in text


def test_past_thirty_packs_the_rarer_ones_are_shown_together():
    from ancrage.reports.sections.method import _packs_alike

    rows = [[f"T{n}", "Formation", f"{n % 40 + 1} par an", "—"] for n in range(200)]
    deck = _packs_alike(rows)
    assert len(deck.rows) == DECK_TABLE_ROWS and deck.summed
    assert deck.rows[-1] == ["Autres packs : 55 territoires", "—", "—", "—"]
    assert sum(int(flat(row[0]).split()[0]) for row in deck.rows[:-1]) == 145
    assert "tableau complet des 200 territoires" in deck.note
