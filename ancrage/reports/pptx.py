"""The report as an editable PowerPoint deck.

Every block is measured before it is placed (`measure.py`: text wrapped with the font's real
widths), so nothing overlaps and nothing leaves the slide in PowerPoint or LibreOffice: tables
continue on the next slide by measured row heights with their header repeated, charts take the
room left on their slide, a short part shares the slide of the one before, a heading never
ends a slide without its list. Charts and tables are native (the steering committee edits
them); maps and word clouds are pictures. Speaker notes give each slide's sources. The
report's annexes (reference lists, `Report.annexes`) are for the written report: a deck is
shown, and leaves them out; for the same reason a table with a row per territory shows its
leading territories and the others' totals past 30 rows (`Table.deck`, decided with the
content in `sections/long_tables.py`).

The organisation may replace the shipped template with its own master (setting
ANCRAGE_REPORT_TEMPLATE): layouts are found by name and its own look is kept; the designed
cover, dividers and bands are drawn only on the shipped template.
"""

from dataclasses import replace
from pathlib import Path

from django.conf import settings
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches

from . import style
from .document import (
    Bullets,
    ChartBlock,
    Image,
    KeyFigures,
    Report,
    Section,
    Table,
    Text,
    Timeline,
    deck_section,
)
from .measure import text_width, wrap
from .pptx_base import (
    DEFAULT_TEMPLATE,
    FOOTER,
    GAP,
    MARGIN,
    PAD_X,
    PAD_Y,
    PT,
    SHARE_LIMIT,
    TITLE_TOP,
    _drop_slides,
    _fit,
    _layout,
    _lines_height,
    _style_run,
    rgb,
)
from .pptx_charts import ChartSlides
from .pptx_design import DesignedSlides


class DeckWriter(DesignedSlides, ChartSlides):
    def __init__(self, report: Report, template: Path | None = None):
        self.report = report
        configured = getattr(settings, "ANCRAGE_REPORT_TEMPLATE", "") or None
        path = Path(template or configured or DEFAULT_TEMPLATE)
        self.designed = path == DEFAULT_TEMPLATE  # our own look, or the organisation's
        self.deck = Presentation(str(path))
        _drop_slides(self.deck)
        self.width = self.deck.slide_width
        self.height = self.deck.slide_height
        self.inner = self.width - 2 * MARGIN
        self.font = style.FONT if self.designed else None
        self.slide = None
        self.current = None
        self.y = self.top = 0
        self.bottom = 0
        self.notes: list[str] = []
        self.footnotes: list[str] = []
        self.footnote_box = None
        self.page = 1

    # -- Text helpers ----------------------------------------------------------------------

    def textbox(self, left, top, width, height, lines, *, anchor=MSO_ANCHOR.TOP):
        """A text box of paragraphs `(text, size, bold, colour, align)`; no autofit, so
        PowerPoint and LibreOffice keep the measured geometry."""
        box = self.slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        frame.margin_left = frame.margin_right = PAD_X
        frame.margin_top = frame.margin_bottom = PAD_Y
        for index, (text, size, bold, colour, align) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = align
            run = paragraph.add_run()
            run.text = str(text)
            _style_run(run, size, bold=bold, colour=colour, font=self.font)
        return box

    def measure(self, text: str, width: int, size: float, bold=False) -> int:
        """Height in EMU of `text` in a box `width` EMU wide (inner margins included)."""
        lines = len(wrap(text, (width - 2 * PAD_X) / PT * 0.97, size, bold))
        return _lines_height(lines, size)

    # -- Slides ----------------------------------------------------------------------------

    def rect(self, left, top, width, height, colour: str, shape=MSO_SHAPE.RECTANGLE):
        box = self.slide.shapes.add_shape(shape, left, top, width, height)
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(colour)
        box.line.fill.background()
        box.shadow.inherit = False
        return box

    def new_slide(self, section: Section, continued: bool = False) -> None:
        self.slide = self.deck.slides.add_slide(_layout(self.deck, "Title Only", 5))
        self.page += 1
        title = section.title + (" (suite)" if continued else "")
        size = style.TITLE
        width = self.inner - Inches(0.2)
        while size > 18 and len(wrap(title, (width - 2 * PAD_X) / PT * 0.97, size, True)) > 2:
            size -= 2
        height = self.measure(title, width, size, True)
        left = MARGIN + Inches(0.2)
        shape = self.slide.shapes.title
        if shape is not None:
            shape.left, shape.top, shape.width, shape.height = left, TITLE_TOP, width, height
            frame = shape.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.margin_left = frame.margin_right = PAD_X
            frame.margin_top = frame.margin_bottom = PAD_Y
            frame.vertical_anchor = MSO_ANCHOR.TOP
            frame.text = title
            for paragraph in frame.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
                for run in paragraph.runs:
                    _style_run(run, size, bold=True, colour=style.ACCENT, font=self.font)
        else:
            self.textbox(
                left, TITLE_TOP, width, height, [(title, size, True, style.ACCENT, PP_ALIGN.LEFT)]
            )
        if self.designed:
            self.rect(MARGIN, TITLE_TOP + PAD_Y, Inches(0.08), height - 2 * PAD_Y, style.HIGHLIGHT)
            self.footer_band()
        self.y = self.top = TITLE_TOP + height + GAP
        self.bottom = self.height - FOOTER - GAP
        self.notes, self.footnotes, self.footnote_box = [], [], None
        self.add_notes(section)

    def add_notes(self, section: Section) -> None:
        """Sources go to the speaker notes; footnotes are printed at the foot of the slide
        (the room they take is measured and kept free)."""
        self.notes += [str(s) for s in section.sources] + [str(f) for f in section.footnotes]
        self.slide.notes_slide.notes_text_frame.text = (
            "Sources : " + " ; ".join(self.notes) if self.notes else ""
        )
        if not section.footnotes:
            return
        self.footnotes += [str(f) for f in section.footnotes]
        self.set_footnotes()

    def footnote_height(self, notes: list[str]) -> int:
        if not notes:
            return 0
        lines = sum(len(wrap(n, (self.inner - 2 * PAD_X) / PT * 0.97, style.NOTE)) for n in notes)
        return _lines_height(lines, style.NOTE)

    def set_footnotes(self) -> None:
        if self.footnote_box is not None:
            self.footnote_box._element.getparent().remove(self.footnote_box._element)
        height = self.footnote_height(self.footnotes)
        top = self.height - FOOTER - height - Inches(0.05)
        self.footnote_box = self.textbox(
            MARGIN,
            top,
            self.inner,
            height,
            [(n, style.NOTE, False, style.MUTED, PP_ALIGN.LEFT) for n in self.footnotes],
        )
        self.bottom = top - GAP

    @property
    def room(self) -> int:
        return self.bottom - self.y

    def full_room(self, section: Section) -> int:
        """The room of an empty slide for this section (title of one line assumed)."""
        title = _lines_height(1, style.TITLE)
        notes = self.footnote_height([str(f) for f in section.footnotes])
        return self.height - FOOTER - GAP - notes - TITLE_TOP - title - GAP

    def ensure(self, section: Section, needed: int) -> None:
        if self.slide is None or needed > self.room:
            self.new_slide(section, continued=self.slide is not None and self.current is section)
            self.current = section

    # -- Blocks ----------------------------------------------------------------------------

    def text(self, section: Section, block: Text, size: float = style.BODY) -> None:
        height = self.measure(block.text, self.inner, size)
        self.ensure(section, height)
        self.textbox(
            MARGIN,
            self.y,
            self.inner,
            height,
            [(block.text, size, False, style.TEXT, PP_ALIGN.LEFT)],
        )
        self.y += height + GAP

    def heading(self, text: str) -> int:
        return self.measure(text, self.inner, style.SUBTITLE, True)

    def bullets(self, section: Section, block: Bullets) -> None:
        items = [f"• {item}" for item in block.items]
        heights = [self.measure(item, self.inner, style.BULLET) - 2 * PAD_Y for item in items]
        heading = block.heading
        whole = (self.heading(heading) if heading else 0) + sum(heights) + 2 * PAD_Y
        self.keep_whole(section, whole)
        start = 0
        while start < len(items):
            head = self.heading(heading) if heading else 0
            # The heading travels with at least its first two items.
            self.ensure(section, head + sum(heights[start : start + 2]) + 2 * PAD_Y)
            if heading:
                self.textbox(
                    MARGIN,
                    self.y,
                    self.inner,
                    head,
                    [(heading, style.SUBTITLE, True, style.ACCENT, PP_ALIGN.LEFT)],
                )
                self.y += head
            end = _fit(heights, start, 2 * PAD_Y, self.room, tail=2)
            used = 2 * PAD_Y + sum(heights[start:end])
            self.textbox(
                MARGIN,
                self.y,
                self.inner,
                used,
                [(i, style.BULLET, False, style.TEXT, PP_ALIGN.LEFT) for i in items[start:end]],
            )
            self.y += used + GAP
            start = end
            heading = f"{block.heading} (suite)" if block.heading else ""
            if start < len(items):
                self.new_slide(section, continued=True)

    def keep_whole(self, section: Section, height: int) -> None:
        """A block that does not fit below but fits a slide of its own starts a new slide
        rather than being cut."""
        if self.slide is not None and height > self.room and self.y > self.top:
            if height <= self.full_room(section):
                self.new_slide(section, continued=self.current is section)
                self.current = section

    def figures(self, section: Section, block: KeyFigures) -> None:
        count = max(len(block.items), 1)
        gap = Inches(0.2)
        width = int((self.inner - gap * (count - 1)) / count)
        size = 40 if block.large else (32 if count <= 4 else 28)
        while size > 16 and any(
            text_width(t.value, size, True) * PT > width - 2 * PAD_X for t in block.items
        ):
            size -= 2
        label_height = max(self.measure(t.label, width, 12) for t in block.items)
        detail_height = max(
            (self.measure(t.detail, width, 11) for t in block.items if t.detail), default=0
        )
        height = _lines_height(1, size) + label_height + detail_height + Inches(0.1)
        self.ensure(section, height)
        for index, tile in enumerate(block.items):
            left = MARGIN + index * (width + gap)
            if self.designed:
                self.rect(left, self.y, width, height, style.TINT, MSO_SHAPE.ROUNDED_RECTANGLE)
            lines = [
                (tile.value, size, True, style.ACCENT, PP_ALIGN.CENTER),
                (tile.label, 12, False, style.TEXT, PP_ALIGN.CENTER),
            ]
            if tile.detail:
                lines.append((tile.detail, 11, True, style.HIGHLIGHT, PP_ALIGN.CENTER))
            self.textbox(left, self.y + Inches(0.05), width, height - Inches(0.1), lines)
        self.y += height + GAP

    def table(self, section: Section, block: Table) -> None:
        rows = block.rows or [["—"] * len(block.header)]
        columns = len(block.header)
        size = style.TABLE if columns <= 4 else style.TABLE_SMALL
        weights = block.widths or [1] * columns
        widths = [int(self.inner * w / sum(weights)) for w in weights]

        def row_height(cells, bold=False) -> int:
            return max(
                self.measure(str(c), w, size, bold) for c, w in zip(cells, widths, strict=True)
            )

        header_height = row_height(block.header, bold=True)
        heights = [row_height(r) for r in rows]
        if block.summed:  # the others' totals, in bold
            heights[-1] = row_height(rows[-1], bold=True)
        caption_height = self.heading(block.caption) if block.caption else 0
        self.keep_whole(section, caption_height + header_height + sum(heights))
        start, caption = 0, block.caption
        while start < len(rows):
            first = caption_height + header_height + sum(heights[start : start + 2])
            self.ensure(section, first)
            if caption:
                self.textbox(
                    MARGIN,
                    self.y,
                    self.inner,
                    caption_height,
                    [(caption, style.SUBTITLE, True, style.ACCENT, PP_ALIGN.LEFT)],
                )
                self.y += caption_height
            end = _fit(heights, start, header_height, self.room, tail=3)
            used = header_height + sum(heights[start:end])
            self.draw_table(
                block.header,
                rows[start:end],
                widths,
                [header_height, *heights[start:end]],
                size,
                bold_last=block.summed and end == len(rows),
            )
            self.y += used + GAP
            start = end
            if start < len(rows):
                caption = f"{block.caption} (suite)" if block.caption else ""
                self.new_slide(section, continued=True)

    def draw_table(self, header, rows, widths, heights, size, bold_last=False) -> None:
        shape = self.slide.shapes.add_table(
            len(rows) + 1, len(header), MARGIN, self.y, self.inner, sum(heights)
        )
        grid = shape.table
        for index, width in enumerate(widths):
            grid.columns[index].width = width
        for index, height in enumerate(heights):
            grid.rows[index].height = height
        for row_index, cells in enumerate([header, *rows]):
            for col, value in enumerate(cells):
                cell = grid.cell(row_index, col)
                cell.margin_left = cell.margin_right = PAD_X
                cell.margin_top = cell.margin_bottom = PAD_Y
                frame = cell.text_frame
                frame.word_wrap = True
                frame.text = ""
                run = frame.paragraphs[0].add_run()
                run.text = str(value)
                header_row = row_index == 0
                _style_run(
                    run,
                    size,
                    bold=header_row or (bold_last and row_index == len(rows)),
                    colour="#ffffff" if header_row else style.TEXT,
                    font=self.font,
                )
                cell.fill.solid()
                if header_row:
                    cell.fill.fore_color.rgb = rgb(style.ACCENT)
                else:
                    cell.fill.fore_color.rgb = rgb(style.TINT if row_index % 2 else "#ffffff")

    def estimate(self, section: Section) -> int:
        """A short part's height, to decide whether it shares the previous slide."""
        total = self.heading(section.title)
        for block in section.blocks:
            if isinstance(block, Text):
                total += self.measure(block.text, self.inner, style.BODY) + GAP
            elif isinstance(block, Bullets):
                total += sum(self.measure(f"• {i}", self.inner, style.BULLET) for i in block.items)
                total += (self.heading(block.heading) if block.heading else 0) + GAP
            elif isinstance(block, Table):
                size = style.TABLE if len(block.header) <= 4 else style.TABLE_SMALL
                total += (len(block.rows) + 1) * _lines_height(2, size) + GAP
            elif isinstance(block, KeyFigures):
                total += Inches(1.5)
            elif isinstance(block, ChartBlock) and block.chart.kind != "map":
                _legend, overhead, per_category = self.chart_geometry(block.chart)
                total += int(overhead + per_category * len(block.chart.rows) * 0.85) + GAP
            else:
                return self.height  # maps and pictures get a slide of their own
        return total + self.footnote_height([str(f) for f in section.footnotes])

    def opening(self, section: Section) -> int:
        """The height of a part's title and first two blocks (its start must fit)."""
        start = replace(section, blocks=section.blocks[:2], footnotes=[])
        return self.estimate(start)

    def content(self, section: Section) -> None:
        section = deck_section(section)  # a long table per territory: its leading rows
        handlers = {
            Text: self.text,
            Bullets: self.bullets,
            KeyFigures: self.figures,
            Table: self.table,
            ChartBlock: self.chart,
            Image: self.image,
            Timeline: self.timeline,
        }
        estimate = self.estimate(section)
        notes = self.footnote_height([*self.footnotes, *map(str, section.footnotes)])
        room = self.room + self.footnote_height(self.footnotes) - notes - GAP
        full = self.full_room(section)
        used = full - self.room
        shares = self.slide is not None and (
            # A short part fits beside the previous one,
            (estimate <= full * SHARE_LIMIT and estimate <= room)
            # or the previous one left most of its slide empty and this one's start fits.
            or (used < full * 0.4 and room >= self.opening(section))
        )
        if shares:
            # A short part follows the previous one on its slide, under its own heading.
            self.footnotes += [str(f) for f in section.footnotes]
            if section.footnotes:
                self.set_footnotes()
            self.notes += [str(s) for s in section.sources]
            self.slide.notes_slide.notes_text_frame.text = "Sources : " + " ; ".join(self.notes)
            head = self.heading(section.title)
            self.y += GAP
            self.textbox(
                MARGIN,
                self.y,
                self.inner,
                head,
                [(section.title, style.SUBTITLE, True, style.ACCENT, PP_ALIGN.LEFT)],
            )
            self.y += head
        else:
            self.new_slide(section)
        self.current = section
        for block in section.blocks:
            handlers[type(block)](section, block)

    def write(self, path) -> None:
        self.cover()
        self.current = None
        for section in self.report.sections:
            if section.part:
                self.divider(section)
                self.slide = None
            elif section.closing:
                self.closing(section)
                self.slide = None
            else:
                self.content(section)
        self.deck.save(path)


def write_pptx(report: Report, path, template: Path | None = None) -> None:
    DeckWriter(report, template).write(path)
