"""What the deck's writers share: the template, the geometry, text helpers."""

from pathlib import Path

from django.utils.translation import gettext as _
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from . import style
from .measure import LINE_SPACING

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


def _layout(presentation, name: str, fallback: int):
    for layout in presentation.slide_layouts:
        if layout.name == name:
            return layout
    return presentation.slide_layouts[min(fallback, len(presentation.slide_layouts) - 1)]


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
