"""The report's pages hold: converted to PDF by LibreOffice (deck, Word document) or printed
by WeasyPrint, no word is drawn over another and none leaves its page (`pdftotext -bbox`),
for the demo, one of its territories, and a stress programme (long names, 12 questionnaires,
30 indicators, 40 territories)."""

import subprocess

import pytest

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report
from ancrage.territories.models import Territory

from .layout import defects
from .report_data import stress_programme
from .test_reports_office import office_tools

pytestmark = pytest.mark.slow


@pytest.fixture(params=["demo", "one_territory", "stress"])
def report(request, demo_programme, tmp_path):
    if request.param == "demo":
        return build_report(Scope(demo_programme))
    if request.param == "one_territory":
        pcsg = Territory.objects.get(programme=demo_programme, code="PCSG")
        return build_report(Scope(demo_programme, territory_ids=(pcsg.pk,)))
    return build_report(Scope(stress_programme(tmp_path)))


def libreoffice_pdf(office: str, source, tmp_path):
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return tmp_path / "pdf" / f"{source.stem}.pdf"


def test_no_word_of_the_deck_overlaps_another_or_leaves_its_slide(report, tmp_path):
    office, _pdftoppm = office_tools()
    deck = tmp_path / "rapport.pptx"
    write_report(report, "pptx", deck)
    problems = defects(libreoffice_pdf(office, deck, tmp_path))
    assert problems == [], "\n".join(problems[:20])


def test_no_word_of_the_printed_report_overlaps_another_or_leaves_its_page(report, tmp_path):
    office_tools()  # pdftotext comes with poppler-utils, as pdftoppm
    pdf = tmp_path / "rapport.pdf"
    write_report(report, "pdf", pdf)
    problems = defects(pdf)
    assert problems == [], "\n".join(problems[:20])


def test_no_word_of_the_word_document_overlaps_another(demo_programme, tmp_path):
    office, _pdftoppm = office_tools()
    document = tmp_path / "rapport.docx"
    write_report(build_report(Scope(demo_programme)), "docx", document)
    problems = defects(libreoffice_pdf(office, document, tmp_path))
    assert problems == [], "\n".join(problems[:20])


def test_the_layout_check_finds_words_drawn_over_others(tmp_path):
    """The check itself can fail: two lines printed at the same place are found."""
    from weasyprint import HTML

    HTML(
        string='<p style="position:absolute;top:10px">Engagement et motivation</p>'
        '<p style="position:absolute;top:12px">Recommandations</p>'
        '<p style="position:absolute;left:640px;top:300px;white-space:nowrap">hors page</p>'
    ).write_pdf(tmp_path / "bad.pdf")
    problems = defects(tmp_path / "bad.pdf")
    assert any("sur" in p for p in problems) and any("sort de la page" in p for p in problems)
