"""The organisation's own PowerPoint master replaces the shipped template
(ANCRAGE_REPORT_TEMPLATE): a real master saved by LibreOffice Impress, 4:3, with Impress's own
layouts in its own order and a slide of its own. The deck is built on it, on its layouts, at its
size, without our drawn cover, and holds when LibreOffice draws it."""

from pathlib import Path

import pytest
from pptx import Presentation

from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report

from .layout import defects
from .test_report_layout import libreoffice_pdf
from .test_reports_office import office_tools

MASTER = Path(__file__).parent / "data" / "reports" / "masque_libreoffice_4-3.pptx"

pytestmark = pytest.mark.django_db


@pytest.fixture
def master_deck(demo_programme, settings, tmp_path):
    settings.ANCRAGE_REPORT_TEMPLATE = str(MASTER)
    path = tmp_path / "rapport.pptx"
    write_report(build_report(Scope(demo_programme)), "pptx", path)
    return path


def test_the_deck_is_built_on_the_organisations_master(master_deck):
    master = Presentation(str(MASTER))
    deck = Presentation(str(master_deck))
    assert (deck.slide_width, deck.slide_height) == (master.slide_width, master.slide_height)
    assert deck.slide_width * 3 == deck.slide_height * 4  # 4:3, not our 16:9
    layouts = {layout.name for layout in master.slide_layouts}
    used = [slide.slide_layout.name for slide in deck.slides]
    assert set(used) <= layouts
    # Found by what they hold where the names differ: content slides on « Title Only », the
    # cover on « Title Slide », dividers on a title-and-text layout; never a blank one.
    assert used[0] == "Title Slide"
    assert used.count("Title Only") > 30
    assert "Blank Slide" not in used and "Centered Text" not in used
    # The master's own slide is not left in the report.
    texts = [
        shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
    ]
    assert not any("Masque de l’association" in text for text in texts)
    assert any(text.startswith("01 Le programme") for text in texts)
    # Its own look: no drawn cover band nor divider block, the master's fonts kept.
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    assert all(run.font.name is None for run in paragraph.runs)


@pytest.mark.slow
def test_the_deck_on_the_organisations_master_holds_in_libreoffice(master_deck, tmp_path):
    office, _pdftoppm = office_tools()
    problems = defects(libreoffice_pdf(office, master_deck, tmp_path))
    assert problems == [], "\n".join(problems[:20])
