"""The deck's designed slides: cover, numbered dividers, closing slide, footer band and the
history timeline (drawn only on the shipped template, except the timeline)."""

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from . import style
from .document import Section, Timeline
from .measure import text_width
from .pptx_base import (
    FOOTER,
    GAP,
    MARGIN,
    PAD_X,
    PT,
    _fill_placeholders,
    _layout,
    _lines_height,
    _period,
    _remove_placeholders,
)


class DesignedSlides:
    """Mixed into DeckWriter."""

    def cover(self) -> None:
        report = self.report
        self.slide = self.deck.slides.add_slide(_layout(self.deck, "Title Slide", 0))
        territories = (
            ", ".join(report.territories)
            if len(report.territories) <= 3
            else f"{len(report.territories)} territoires"
        )
        lines = [
            report.subtitle,
            territories,
            _period(report.period),
            report.generated_on,
        ]
        if not self.designed:
            _fill_placeholders(
                self.slide,
                f"{report.title} : {report.subtitle}",
                "\n".join(lines[1:]),
                slide_height=self.height,
            )
            return
        _remove_placeholders(self.slide)
        self.rect(0, 0, self.width, self.height, style.ACCENT_DARK)
        self.rect(MARGIN, Inches(1.6), Inches(1.2), Inches(0.08), style.HIGHLIGHT)
        width = self.width - 2 * MARGIN
        top = Inches(1.85)
        entries = [
            (report.title.upper(), 16, True, style.TINT),
            (report.subtitle, 36, True, "#ffffff"),
            (lines[1], 20, False, "#ffffff"),
            (lines[2], 18, False, style.TINT),
        ]
        for text, size, bold, colour in entries:
            height = self.measure(text, width, size, bold)
            self.textbox(MARGIN, top, width, height, [(text, size, bold, colour, PP_ALIGN.LEFT)])
            top += height + Inches(0.1)
        self.textbox(
            MARGIN,
            self.height - Inches(0.9),
            width,
            Inches(0.5),
            [(report.generated_on, 12, False, style.TINT, PP_ALIGN.LEFT)],
        )
        self.slide.notes_slide.notes_text_frame.text = "Ancrage"

    def divider(self, section: Section) -> None:
        self.slide = self.deck.slides.add_slide(_layout(self.deck, "Section Header", 2))
        self.page += 1
        if not self.designed:
            _fill_placeholders(
                self.slide, f"{section.number} {section.title}".strip(), slide_height=self.height
            )
            return
        _remove_placeholders(self.slide)
        self.rect(0, 0, Inches(4.2), self.height, style.ACCENT_DARK)
        self.textbox(
            MARGIN,
            Inches(2.3),
            Inches(3.4),
            Inches(2.2),
            [(section.number, 96, True, "#ffffff", PP_ALIGN.LEFT)],
            anchor=MSO_ANCHOR.MIDDLE,
        )
        left = Inches(4.7)
        width = self.width - left - MARGIN
        height = self.measure(section.title, width, 34, True)
        self.textbox(
            left,
            int((self.height - height) / 2),
            width,
            height,
            [(section.title, 34, True, style.ACCENT_DARK, PP_ALIGN.LEFT)],
        )
        self.rect(
            left + PAD_X,
            int((self.height + height) / 2) + GAP,
            Inches(1.2),
            Inches(0.08),
            style.HIGHLIGHT,
        )

    def closing(self, section: Section) -> None:
        self.slide = self.deck.slides.add_slide(_layout(self.deck, "Title Slide", 0))
        if not self.designed:
            _fill_placeholders(
                self.slide, section.title, section.subtitle, slide_height=self.height
            )
            return
        _remove_placeholders(self.slide)
        self.rect(0, 0, self.width, self.height, style.ACCENT_DARK)
        width = self.width - 2 * MARGIN
        height = self.measure(section.title, width, 40, True)
        top = int(self.height / 2 - height)
        self.textbox(
            MARGIN, top, width, height, [(section.title, 40, True, "#ffffff", PP_ALIGN.CENTER)]
        )
        if section.subtitle:
            sub = self.measure(section.subtitle, width, 16)
            self.textbox(
                MARGIN,
                top + height + GAP,
                width,
                sub,
                [(section.subtitle, 16, False, style.TINT, PP_ALIGN.CENTER)],
            )

    def footer_band(self) -> None:
        top = self.height - FOOTER
        self.rect(0, top, self.width, FOOTER, style.TINT)
        text_height = _lines_height(1, style.NOTE)
        middle = top + int((FOOTER - text_height) / 2)
        self.textbox(
            MARGIN,
            middle,
            Inches(8),
            text_height,
            [(self.report.subtitle, style.NOTE, False, style.MUTED, PP_ALIGN.LEFT)],
        )
        self.textbox(
            self.width - MARGIN - Inches(1.5),
            middle,
            Inches(1.5),
            text_height,
            [(str(self.page), style.NOTE, True, style.ACCENT, PP_ALIGN.RIGHT)],
        )

    def timeline(self, section: Section, block: Timeline) -> None:
        """Milestones on a line: each period above its mark, its step below (the period's
        size shrinks until it holds on one line of its column)."""
        count = max(len(block.events), 1)
        step = int(self.inner / count)
        size = 20
        while size > 10 and any(
            text_width(period, size, True) * PT > step - 2 * PAD_X - Inches(0.05)
            for period, _title, _detail in block.events
        ):
            size -= 1
        period_h = _lines_height(1, size)
        text_h = max(
            self.measure(title, step, 13, True) + (self.measure(detail, step, 11) if detail else 0)
            for _period, title, detail in block.events
        )
        dot = Inches(0.26)
        height = period_h + dot + Inches(0.15) + text_h
        self.ensure(section, height)
        line_y = self.y + period_h + int(dot / 2)
        self.rect(MARGIN, line_y - Inches(0.025), self.inner, Inches(0.05), style.ACCENT)
        for index, (period, title, detail) in enumerate(block.events):
            left = MARGIN + index * step
            self.textbox(
                left, self.y, step, period_h, [(period, size, True, style.ACCENT, PP_ALIGN.CENTER)]
            )
            self.rect(
                left + int((step - dot) / 2),
                line_y - int(dot / 2),
                dot,
                dot,
                style.HIGHLIGHT,
                MSO_SHAPE.OVAL,
            )
            lines = [(title, 13, True, style.TEXT, PP_ALIGN.CENTER)]
            if detail:
                lines.append((detail, 11, False, style.MUTED, PP_ALIGN.CENTER))
            self.textbox(left, line_y + int(dot / 2) + Inches(0.15), step, text_h, lines)
        self.y += height + GAP

    # -- The deck --------------------------------------------------------------------------
