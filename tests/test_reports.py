"""The evaluation report: the demo's files are opened back and the seed's figures found in them,
on the right slides for the deck, in the text for the PDF, the Word document and the HTML."""

import re
import subprocess
import sys

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report
from ancrage.territories.models import Commune, Territory

SPACES = re.compile(r"[\s\u202f\u00a0]+")


def flat(text: str) -> str:
    """One line, thousands separators removed: "4 130" and "4\u202f130" both read "4130"."""
    return SPACES.sub(" ", re.sub(r"(?<=\d)[\u202f\u00a0 ](?=\d{3}\b)", "", text))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            parts += [str(c) for c in chart.plots[0].categories]
            parts += [f"{s.name} {'; '.join(f'{v:g}' for v in s.values)}" for s in chart.series]
    return flat(" | ".join(parts))


def slides_titled(deck, title: str) -> str:
    # A short part may share the previous part's slide, under its own heading.
    found = [
        slide_text(s)
        for s in deck.slides
        if any(
            shape.has_text_frame and shape.text_frame.text.startswith(title) for shape in s.shapes
        )
    ]
    assert found, f"no slide titled {title!r}"
    return " || ".join(found)


DELIVERIES = ["14 Formation", "10 Co-intervention", "32 Accompagnement", "6 Journée", "8 Action"]
PEOPLE = ["250 personnes en formation", "271 personnes accompagnées", "104 personnes en JEP"]
HEADLINE = ["4130 enfants", "430 professionnel", "52 structures", "350 + 20", "152 parents"]
EXPECTED = ["3620", "420", "57"]
RESPONDENTS = ["190 répondant", "312 répondant", "265 répondant", "18 répondant"]
ITEM_NS = ["N = 190", "N = 162", "N = 163"]


@pytest.fixture
def demo_report(demo_programme):
    return build_report(Scope(demo_programme))


def test_the_deck_has_the_seed_figures_on_the_right_slides(demo_report, tmp_path):
    path = tmp_path / "rapport.pptx"
    write_report(demo_report, "pptx", path)
    deck = Presentation(path)

    deliveries = slides_titled(deck, "Nombre de prestations et publics concernés")
    for figure in DELIVERIES + PEOPLE + HEADLINE + EXPECTED:
        assert figure in deliveries, figure
    # The expected-versus-achieved chart is native and editable, with its numbers.
    expected = slides_titled(deck, "Attendu et résultat")
    assert "Attendu 3620; 420; 57" in expected
    assert "Réalisé 4130; 430; 52" in expected

    training = slides_titled(deck, "Questionnaire de fin de formation")
    assert "190 répondant" in training and "250 bénéficiaires" in training
    for n in ITEM_NS:
        assert n in training, n
    assert "312 répondant" in slides_titled(deck, "Les ateliers et moi")
    assert "265 répondant" in slides_titled(deck, "Mes émotions")
    assert "18 répondant" in slides_titled(deck, "Accompagnement d'équipe")
    assert "94 % de satisfaction" in slides_titled(deck, "Synthèse des résultats")
    anchoring = slides_titled(deck, "Ancrage territorial")
    assert "5 COPIL" in anchoring and "16 élu·es investi·es" in anchoring
    respected = slides_titled(deck, "Notre modèle de déploiement est-il respecté")
    assert "5 COPIL et 16 élu·es" in respected

    # Speaker notes carry each slide's sources; word clouds and maps are pictures.
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any("Tableau de répartition de l'activité" in n for n in notes)
    pictures = [shape for s in deck.slides for shape in s.shapes if shape.shape_type == 13]
    assert len(pictures) >= 4 + 2  # clouds of the questionnaires, one map per territory


def test_the_pdf_docx_and_html_carry_the_same_figures(demo_report, tmp_path):
    wanted = DELIVERIES[:1] + PEOPLE + HEADLINE + EXPECTED + RESPONDENTS + ITEM_NS
    wanted += ["94 %", "5 COPIL", "16 élu·es"]

    write_report(demo_report, "pdf", tmp_path / "rapport.pdf")
    pdf = PdfReader(tmp_path / "rapport.pdf")
    assert len(pdf.pages) > 20  # cover, contents, one page per section at least
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    pdf_text = flat(" ".join(page.extract_text() for page in pdf.pages))
    assert "Sommaire" in pdf_text and "Page 2 /" in pdf_text

    write_report(demo_report, "docx", tmp_path / "rapport.docx")
    document = Document(tmp_path / "rapport.docx")
    docx_text = flat(
        " ".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )
    )
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert document.inline_shapes, "charts, maps and clouds are pictures in Word"

    write_report(demo_report, "html", tmp_path / "rapport.html")
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://', "")
    assert html.count("data:image/svg+xml;base64,") >= 5  # charts drawn as SVG, embedded
    html_text = flat(re.sub(r"<[^>]+>", " ", html))

    for figure in wanted:
        for name, text in (("pdf", pdf_text), ("docx", docx_text), ("html", html_text)):
            assert figure in text, (name, figure)


def test_a_territory_report_shows_only_that_territory(demo_programme, tmp_path):
    pcsg = Territory.objects.get(programme=demo_programme, code="PCSG")
    scope = Scope(demo_programme, territory_ids=(pcsg.pk,))
    report = build_report(scope)
    write_report(report, "html", tmp_path / "pcsg.html")
    text = flat(re.sub(r"<[^>]+>", " ", (tmp_path / "pcsg.html").read_text(encoding="utf-8")))
    for commune in Commune.objects.filter(territory=pcsg):
        if commune.name != "Saint-Gildas-des-Bois":
            assert commune.name in text, commune.name
    # The programme's evaluation framework may cite the other territory's contract by name
    # ("CLSI de Saint-Nazaire Agglo"); its communes, maps and figures must not appear.
    text = text.replace("Saint-Nazaire Agglo", "")
    others = Commune.objects.filter(programme=demo_programme).exclude(territory=pcsg)
    assert others.count() == 10
    for commune in others:
        assert commune.name not in text, commune.name
    assert "map-CARENE" not in str([b for s in report.sections for b in s.blocks])


def test_the_public_version_hides_verbatims_and_small_results(demo_programme, monkeypatch):
    from ancrage.reports.document import ChartBlock, Table, Text
    from ancrage.surveys import selectors as survey_results

    # Every result is « small » here (fewer answers than the threshold): the public version
    # (read-only roles) must show none of them, the full version all.
    monkeypatch.setattr(survey_results, "SMALL_CELL", 10_000)
    monkeypatch.setattr("ancrage.core.privacy.SMALL_CELL", 10_000)  # the one small-cell rule
    full = build_report(Scope(demo_programme))
    public = build_report(Scope(demo_programme), hide_small=True)

    def blocks(report):
        return [block for section in report.sections for block in section.blocks]

    def quotes(report):
        return [
            item
            for block in blocks(report)
            for item in getattr(block, "items", [])
            if isinstance(item, str) and item.startswith("«")
        ]

    def item_charts(report):
        return [
            block
            for block in blocks(report)
            if isinstance(block, ChartBlock) and block.chart.key.startswith("items-")
        ]

    def satisfaction_rates(report):
        return [
            row[-1]
            for block in blocks(report)
            if isinstance(block, Table) and str(block.header[-1]) == "Satisfaction"
            for row in block.rows
        ]

    assert quotes(full) and not quotes(public)
    assert item_charts(full) and not item_charts(public)
    assert any(isinstance(b, Text) and "masquée" in b.text for b in blocks(public))
    assert any("%" in rate for rate in satisfaction_rates(full))
    assert satisfaction_rates(public) and not any("%" in r for r in satisfaction_rates(public))


def test_report_command_writes_a_deck_and_refuses_bad_years(demo_programme, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "pcsg.pptx"
    call_command(
        "report",
        format="pptx",
        territory="PCSG",
        years="2022-2023:2024-2025",
        output=str(path),
        verbosity=0,
    )
    deck = Presentation(path)
    assert "Pays de Pontchâteau" in slide_text(deck.slides[0])
    assert "2022-2023 à 2024-2025" in slide_text(deck.slides[0])
    with pytest.raises(CommandError, match="illisibles"):
        call_command("report", years="2024:2022", output=str(path), verbosity=0)
    with pytest.raises(CommandError, match="aucun territoire"):
        call_command("report", territory="XX", output=str(path), verbosity=0)


def test_report_help_is_in_french():
    result = subprocess.run(
        [sys.executable, "-m", "ancrage.manage", "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "utilisation :" in result.stdout and "format du rapport" in result.stdout
