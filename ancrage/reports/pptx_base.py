"""What the deck's writers share: the template, the geometry, text helpers."""

from pathlib import Path

from django.utils.translation import gettext as _
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from . import style
from .measure import LINE_SPACING, wrap

DEFAULT_TEMPLATE = Path(__file__).parent / "data" / "modele.pptx"
PT = 12700  # EMU per point
MARGIN = Inches(0.6)
TITLE_TOP = Inches(0.3)
GAP = Inches(0.15)
FOOTER = Inches(0.42)  # the band at the foot of content slides
PAD_X, PAD_Y = Inches(0.1), Inches(0.05)  # text boxes' and cells' inner margins
MIN_PICTURE = Inches(2.4)
SHARE_LIMIT = 0.55  # a part this short (share of a slide) follows the previous one


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


# What each layout we use holds, by placeholder kind (date, footer and slide number aside), in
# order of preference: an organisation's master may name its layouts in another language or
# order them otherwise (LibreOffice Impress writes its own twelve, « Section Header » not among
# them).
LAYOUT_KINDS = {
    "Title Slide": ({PH.CENTER_TITLE, PH.SUBTITLE}, {PH.TITLE, PH.SUBTITLE}),
    "Section Header": (
        {PH.TITLE, PH.BODY},
        {PH.CENTER_TITLE, PH.SUBTITLE},
        {PH.TITLE, PH.SUBTITLE},
    ),
    "Title Only": ({PH.TITLE},),
}
MARGINAL = {PH.DATE, PH.FOOTER, PH.SLIDE_NUMBER}
TEXT_KINDS = {PH.SUBTITLE, PH.BODY, PH.OBJECT}


def _layout(presentation, name: str, fallback: int):
    """The layout called `name`, else the first holding the same placeholders, else the
    `fallback`-th."""
    layouts = list(presentation.slide_layouts)
    for layout in layouts:
        if layout.name == name:
            return layout
    for wanted in LAYOUT_KINDS.get(name, ()):
        for layout in layouts:
            kinds = {ph.placeholder_format.type for ph in layout.placeholders} - MARGINAL
            if kinds == wanted:
                return layout
    return layouts[min(fallback, len(layouts) - 1)]


def _drop_slides(presentation) -> None:
    """Remove the slides a master was saved with (Impress cannot save a file without one):
    the report starts from its layouts only."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _fill_placeholders(slide, title: str, text: str = "", *, slide_height: int) -> None:
    """On the organisation's master: its title placeholder gets `title`, its first text
    placeholder `text`, each at the largest size that fits the placeholder (its font and
    colours kept); placeholders left empty are removed (PowerPoint would show their prompt)."""
    heading = slide.shapes.title
    if heading is not None:
        _place_as_layout(slide, heading)
        _fit_placeholder(heading, title, 40, bold=True)
    for placeholder in list(slide.placeholders):
        kind = placeholder.placeholder_format.type
        if kind in TEXT_KINDS and text:
            _place_as_layout(slide, placeholder)
            if heading is not None:
                _below(placeholder, heading, slide_height)
            _fit_placeholder(placeholder, text, 24)
            text = ""
        elif not placeholder.has_text_frame or not placeholder.text_frame.text:
            placeholder._element.getparent().remove(placeholder._element)


def _place_as_layout(slide, placeholder) -> None:
    """Write the layout's box of the same kind on the placeholder: placeholders without an
    index (as Impress writes them) would otherwise all inherit the title's box."""
    kind = placeholder.placeholder_format.type
    for model in slide.slide_layout.placeholders:
        if model.placeholder_format.type == kind or {kind, model.placeholder_format.type} == {
            PH.TITLE,
            PH.CENTER_TITLE,
        }:
            box = model.left, model.top, model.width, model.height
            placeholder.left, placeholder.top, placeholder.width, placeholder.height = box
            return


def _below(placeholder, heading, slide_height: int) -> None:
    """Some masters' layouts lay their text over their title (Impress's « Title Slide » in
    4:3 does): the text then starts under the title, down to the slide's foot."""
    top, bottom = placeholder.top, placeholder.top + placeholder.height
    if top >= heading.top + heading.height or bottom <= heading.top:
        return
    placeholder.top = heading.top + heading.height + GAP
    placeholder.height = max(Inches(0.5), min(bottom, slide_height - MARGIN) - placeholder.top)


def _fit_placeholder(placeholder, text: str, largest: float, *, bold=False) -> None:
    """Measured as the deck's own boxes (Arial widths: wider than most masters' fonts), with
    no autofit left to the reader's software."""
    placeholder.text = text
    frame = placeholder.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    width = (placeholder.width - 2 * PAD_X) / PT * 0.97
    size = largest
    while size > 10:
        lines = sum(len(wrap(line, width, size, bold)) for line in text.split("\n"))
        if _lines_height(lines, size) <= placeholder.height:
            break
        size -= 2
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)


def _lines_height(lines: int, size: float) -> int:
    return int(lines * size * LINE_SPACING * PT) + 2 * PAD_Y


def _style_run(run, size: float, *, bold=False, colour=style.TEXT, font=style.FONT) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = rgb(colour)
    if font:
        run.font.name = font


def _period(years: list[str]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return _("Année scolaire {year}").format(year=years[0])
    return _("Années scolaires {first} à {last}").format(first=years[0], last=years[-1])


def _remove_placeholders(slide) -> None:
    for placeholder in list(slide.placeholders):
        placeholder._element.getparent().remove(placeholder._element)


def _fit(heights: list[int], start: int, fixed: int, room: int, tail: int) -> int:
    """How many of `heights` from `start` fit in `room` after `fixed`; at least one, and the
    rest is never a lonely `tail`-short remainder (it takes rows back)."""
    end, used = start, fixed
    while end < len(heights) and used + heights[end] <= room:
        used += heights[end]
        end += 1
    end = max(end, start + 1)
    left = len(heights) - end
    if 0 < left < tail and end - start > 2 * tail - left:
        end = len(heights) - tail
    return end
