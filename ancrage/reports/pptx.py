"""The report as an editable PowerPoint deck.

Every block is measured before it is placed (`measure.py`: text wrapped with the font's real
widths), so nothing overlaps and nothing leaves the slide in PowerPoint or LibreOffice: tables
continue on the next slide by measured row heights with their header repeated, charts take the
room left on their slide, a short part shares the slide of the one before, a heading never
ends a slide without its list. Charts and tables are native (the steering committee edits
them); maps and word clouds are pictures. Speaker notes give each slide's sources.

The organisation may replace the shipped template with its own master (setting
ANCRAGE_REPORT_TEMPLATE): layouts are found by name and its own look is kept; the designed
cover, dividers and bands are drawn only on the shipped template.
"""

import io
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from ancrage.core import charts

from . import style
from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Section, Table, Text, Timeline
from .measure import LINE_SPACING, text_width, wrap

DEFAULT_TEMPLATE = Path(__file__).parent / "data" / "modele.pptx"
PT = 12700  # EMU per point
MARGIN = Inches(0.6)
TITLE_TOP = Inches(0.3)
GAP = Inches(0.15)
FOOTER = Inches(0.42)  # the band at the foot of content slides
PAD_X, PAD_Y = Inches(0.1), Inches(0.05)  # text boxes' and cells' inner margins
MIN_CHART = Inches(2.2)
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


class DeckWriter:
    def __init__(self, report: Report, template: Path | None = None):
        self.report = report
        configured = getattr(settings, "ANCRAGE_REPORT_TEMPLATE", "") or None
        path = Path(template or configured or DEFAULT_TEMPLATE)
        self.designed = path == DEFAULT_TEMPLATE  # our own look, or the organisation's
        self.deck = Presentation(str(path))
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
            self.slide.shapes.title.text = f"{report.title} : {report.subtitle}"
            if len(self.slide.placeholders) > 1:
                self.slide.placeholders[1].text = "\n".join(lines[1:])
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
            self.slide.shapes.title.text = f"{section.number} {section.title}".strip()
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
            self.slide.shapes.title.text = section.title
            if len(self.slide.placeholders) > 1:
                self.slide.placeholders[1].text = section.subtitle
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
                block.header, rows[start:end], widths, [header_height, *heights[start:end]], size
            )
            self.y += used + GAP
            start = end
            if start < len(rows):
                caption = f"{block.caption} (suite)" if block.caption else ""
                self.new_slide(section, continued=True)

    def draw_table(self, header, rows, widths, heights, size) -> None:
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
                    bold=header_row,
                    colour="#ffffff" if header_row else style.TEXT,
                    font=self.font,
                )
                cell.fill.solid()
                if header_row:
                    cell.fill.fore_color.rgb = rgb(style.ACCENT)
                else:
                    cell.fill.fore_color.rgb = rgb(style.TINT if row_index % 2 else "#ffffff")

    def chart(self, section: Section, block: ChartBlock) -> None:
        chart = block.chart
        if chart.kind == "map":
            self.picture(section, charts.to_png(chart), Inches(5.0))
            return
        legend, overhead, per_category = self.chart_geometry(chart)
        rows = chart.rows or [["—", *([0] * len(chart.series))]]
        # Too many categories for one slide: the chart continues on the next ones, in parts
        # of even size (never one bar alone).
        most = max(1, int((self.full_room(section) - overhead) / (per_category * 0.85)))
        parts = -(-len(rows) // most)
        size = -(-len(rows) // parts)
        for start in range(0, len(rows), size):
            part = replace(chart, rows=rows[start : start + size])
            if start:
                part = replace(part, title=f"{chart.title} (suite)")
            wanted = overhead + per_category * len(part.rows)
            if self.slide is None or wanted * 0.85 > self.room:
                self.new_slide(section, continued=self.current is section)
                self.current = section
            height = int(min(wanted * 1.4, self.room))
            self.native_chart(part, height, legend)
            self.y += height + GAP

    def chart_geometry(self, chart) -> tuple[bool, int, int]:
        """Whether it has a legend, its fixed height and the height of each category."""
        legend = chart.kind == "diverging" or len(chart.series) > 1
        per_category = (
            0.4 if len(chart.series) <= 1 or chart.kind == "diverging" else 0.28 * len(chart.series)
        )
        label_lines = max(
            (len(wrap(str(row[0]), self.inner / PT * 0.3, 10)) for row in chart.rows), default=1
        )
        per_category = Inches(max(per_category, 0.18 * label_lines + 0.12))
        return legend, Inches(0.75 + (0.45 if legend else 0)), per_category

    def native_chart(self, chart, height: int, legend: bool) -> None:
        chart = _stacking_order(chart)
        data = CategoryChartData()
        data.categories = [str(row[0]) for row in chart.rows]
        signs = chart.negative or [False] * len(chart.series)
        for index, name in enumerate(chart.series, start=1):
            sign = -1 if signs[index - 1] else 1
            data.add_series(str(name), [sign * (row[index] or 0) for row in chart.rows])
        kind = {
            "stacked": XL_CHART_TYPE.BAR_STACKED_100,
            "diverging": XL_CHART_TYPE.BAR_STACKED,
        }.get(chart.kind, XL_CHART_TYPE.BAR_CLUSTERED)
        frame = self.slide.shapes.add_chart(kind, MARGIN, self.y, self.inner, height, data)
        native = frame.chart
        native.font.size = Pt(10)
        if self.font:
            native.font.name = self.font
        native.has_title = True
        native.chart_title.text_frame.text = chart.title
        for paragraph in native.chart_title.text_frame.paragraphs:
            for run in paragraph.runs:
                _style_run(run, 13, bold=True, colour=style.TEXT, font=self.font)
        native.has_legend = legend
        if legend:
            native.legend.position = XL_LEGEND_POSITION.BOTTOM
            native.legend.include_in_layout = False
            native.legend.font.size = Pt(10)
        plot = native.plots[0]
        if chart.kind == "diverging":
            plot.overlap = 100
            plot.gap_width = 60
            native.value_axis.minimum_scale = -1
            native.value_axis.maximum_scale = 1
            native.value_axis.tick_labels.number_format = "0%;0%"
            native.value_axis.tick_labels.number_format_is_linked = False
            palette = chart.colours
            # Category names at the left edge, not over the bars left of zero.
            native.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        else:
            palette = [charts.PALETTE[0], *charts.PALETTE[1:]]
            if chart.series and len(chart.series) == 2 and chart.kind == "bar":
                palette = [charts.PALETTE[6], charts.PALETTE[0]]
            native.value_axis.minimum_scale = 0
            if chart.maximum is not None:
                native.value_axis.maximum_scale = chart.maximum
            plot.gap_width = 60
        for series, colour in zip(plot.series, palette, strict=False):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb(colour)
        self.label_points(chart, plot)
        native.value_axis.has_major_gridlines = False
        native.value_axis.tick_labels.font.size = Pt(9)
        # Categories read top to bottom, as in the browser chart.
        native.category_axis.reverse_order = True
        native.category_axis.tick_labels.font.size = Pt(10)

    def label_points(self, chart, plot) -> None:
        """Values written on the bars; a share under the threshold is left unlabelled (it
        would collide with its neighbour), its value stays in the data table."""
        shares = chart.kind in ("diverging", "stacked")
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = "0%;0%" if shares else "#,##0"
        labels.number_format_is_linked = False
        labels.show_value = True
        labels.font.size = Pt(9)
        labels.position = XL_LABEL_POSITION.CENTER if shares else XL_LABEL_POSITION.OUTSIDE_END
        largest = max((abs(r[i] or 0) for r in chart.rows for i in range(1, len(r))), default=0)
        for index, series in enumerate(plot.series, start=1):
            for point, row in enumerate(chart.rows):
                value = abs(row[index] or 0)
                if value < (charts.LABEL_THRESHOLD if shares else largest * 0.02):
                    _hide_label(series, point)

    def picture(self, section: Section, png: bytes, height: int) -> None:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(png)) as image:
            ratio = image.width / image.height
        if self.slide is None or self.room < MIN_PICTURE:
            self.new_slide(section, continued=self.slide is not None)
        height = int(min(height, self.room, self.inner / ratio))
        width = int(height * ratio)
        self.slide.shapes.add_picture(
            io.BytesIO(png), int((self.width - width) / 2), self.y, width, height
        )
        self.y += height + GAP

    def image(self, section: Section, block: Image) -> None:
        caption = self.measure(block.caption, self.inner, 12) if block.caption else 0
        if self.room < MIN_PICTURE + caption:
            self.new_slide(section, continued=True)
        self.picture(section, block.png, min(Inches(3.4), self.room - caption))
        if block.caption:
            self.textbox(
                MARGIN,
                self.y - GAP,
                self.inner,
                caption,
                [(block.caption, 12, False, style.MUTED, PP_ALIGN.CENTER)],
            )
            self.y += caption

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


def _period(years: list[str]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return f"Année scolaire {years[0]}"
    return f"Années scolaires {years[0]} à {years[-1]}"


def _hide_label(series, point: int) -> None:
    """Delete one point's data label (c:dLbl with c:delete) in the series' labels."""
    labels = series._element.get_or_add_dLbls()
    label = labels.get_or_add_dLbl_for_point(point)
    for child in list(label)[1:]:
        label.remove(child)
    label.append(label.makeelement(qn("c:delete"), {"val": "1"}))


def _stacking_order(chart):
    """A diverging chart's series as they stack: unfavourable answers leftwards from zero
    (the mildest nearest), then favourable ones; each keeps its colour of the scale."""
    if chart.kind != "diverging":
        return chart
    colours = charts._diverging(len(chart.series))
    negative = [i for i, n in enumerate(chart.negative) if n][::-1]
    order = negative + [i for i, n in enumerate(chart.negative) if not n]
    shuffled = replace(
        chart,
        series=[chart.series[i] for i in order],
        negative=[chart.negative[i] for i in order],
        rows=[[row[0], *(row[i + 1] for i in order)] for row in chart.rows],
    )
    shuffled.colours = [colours[i] for i in order]
    return shuffled


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


def _remove_placeholders(slide) -> None:
    for placeholder in list(slide.placeholders):
        placeholder._element.getparent().remove(placeholder._element)


def write_pptx(report: Report, path, template: Path | None = None) -> None:
    DeckWriter(report, template).write(path)
