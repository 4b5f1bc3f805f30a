"""Printed tables follow the widths their part declares (the deck's own proportions): a long
cell wraps inside its column instead of the column being sized from the cell's text."""

import shutil

import pytest

from ancrage.reports.document import Report, Section, Table
from ancrage.reports.html import page_sections, render_html
from ancrage.reports.services import write_report

from .layout import defects, words

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils absent")


def _report(table: Table) -> Report:
    return Report(
        title="Évaluation",
        subtitle="Programme",
        scope_label="",
        generated_on="1 janvier 2027",
        sections=[Section("Les territoires", [table])],
    )


def test_a_table_declares_its_columns_and_keeps_them_when_printed(tmp_path):
    communes = ", ".join(f"Commune {n}" for n in range(400))
    table = Table(
        ["Territoire", "Communes"],
        [["Alpha", communes], ["Bêta", "Saint-" + "x" * 300]],
        widths=[1, 3],
    )
    html = render_html(_report(table), for_print=True)
    assert '<col style="width: 25.00%"><col style="width: 75.00%">' in html

    pdf = tmp_path / "rapport.pdf"
    write_report(_report(table), "pdf", pdf)
    assert defects(pdf) == []
    found, sizes = words(pdf)
    page_width = sizes[0][0]
    alpha = next(w for w in found if w.text == "Alpha")
    first_commune = next(w for w in found if w.text == "Commune")
    # A4 (595 pt) less 16 mm margins each side: 504 pt of table, its first quarter 126 pt.
    assert first_commune.x0 - alpha.x0 == pytest.approx(0.25 * (page_width - 2 * 45.35), abs=6)


def test_a_table_without_declared_widths_keeps_the_automatic_layout():
    html = render_html(_report(Table(["Modalité", "Actions"], [["Formation", "14"]])))
    assert "<colgroup>" not in html and '<table class="columns">' not in html


def test_an_app_page_gets_no_style_attribute_its_policy_would_refuse():
    table = Table(["Territoire", "Communes"], [["Alpha", "Commune 1"]], widths=[1, 3])
    (section,) = page_sections([Section("Les territoires", [table])], browser_charts=True)
    assert section["blocks"][0].columns == []
