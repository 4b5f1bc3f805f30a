"""The report's pages hold: converted to PDF by LibreOffice (deck, Word document) or printed
by WeasyPrint, no word is drawn over another and none leaves its page (`pdftotext -bbox`),
for the demo, one of its territories, and a stress programme (long names, 12 questionnaires,
30 indicators, 40 territories)."""

import re
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


KINDS = ["demo", "one_territory", "stress"]


def _build(kind: str, demo_programme, tmp_path):
    if kind == "demo":
        return build_report(Scope(demo_programme))
    if kind == "one_territory":
        pcsg = Territory.objects.get(programme=demo_programme, code="PCSG")
        return build_report(Scope(demo_programme, territory_ids=(pcsg.pk,)))
    return build_report(Scope(stress_programme(tmp_path)))


@pytest.fixture(params=KINDS)
def report(request, demo_programme, tmp_path):
    return _build(request.param, demo_programme, tmp_path)


@pytest.fixture(scope="session")
def converted_decks() -> dict:
    return {}


@pytest.fixture(params=KINDS)
def deck_pdf(request, db, converted_decks, tmp_path_factory):
    """Each deck converted by LibreOffice once for all the tests that read its pages."""
    if request.param not in converted_decks:
        office, _pdftoppm = office_tools()
        folder = tmp_path_factory.mktemp(f"deck-{request.param}")
        deck = folder / "rapport.pptx"
        programme = request.getfixturevalue("demo_programme")
        write_report(_build(request.param, programme, folder), "pptx", deck)
        converted_decks[request.param] = libreoffice_pdf(office, deck, folder)
    return converted_decks[request.param]


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


def test_no_word_of_the_deck_overlaps_another_or_leaves_its_slide(deck_pdf):
    problems = defects(deck_pdf)
    assert problems == [], "\n".join(problems[:20])


def test_every_number_of_the_deck_is_written_the_french_way(deck_pdf, request):
    """Chart labels and axes as LibreOffice draws them: « 3 620 », never « 3,620 » nor
    « 3.620 » (the viewer's locale must not change them)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(deck_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    english = re.findall(r"\b\d{1,3}(?:[,.]\d{3})+\b", text)
    assert not english, english[:10]
    if request.node.callspec.params["deck_pdf"] == "demo":
        # The « Attendu et résultat » chart's labels: expected children and children reached.
        for figure in ("3\u202f620", "4\u202f130"):
            assert figure in text or figure.replace("\u202f", " ") in text


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
