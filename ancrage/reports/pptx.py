"""The report as an editable PowerPoint deck, built on a template shipped with Ancrage.

Charts and tables are native (the steering committee edits them in PowerPoint); maps and word
clouds are pictures. Each slide's speaker notes give its sources and how figures were computed.
The organisation may replace the template with its own master (setting ANCRAGE_REPORT_TEMPLATE):
layouts are found by name, with the default template's positions as a fallback.
"""

import io
from pathlib import Path

from django.conf import settings
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from ancrage.core import charts

from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Section, Table, Text

DEFAULT_TEMPLATE = Path(__file__).parent / "data" / "modele.pptx"
ACCENT = RGBColor(0x2F, 0x5D, 0x8A)
MUTED = RGBColor(0x55, 0x5F, 0x6B)
MARGIN = Inches(0.6)
TOP = Inches(1.45)
BOTTOM_RESERVE = Inches(0.75)  # room for the footnotes
TABLE_ROWS_PER_SLIDE = 12


def _layout(presentation, name: str, fallback: int):
    for layout in presentation.slide_layouts:
        if layout.name == name:
            return layout
    return presentation.slide_layouts[fallback]


class DeckWriter:
    def __init__(self, report: Report, template: Path | None = None):
        self.report = report
        template = template or Path(
            getattr(settings, "ANCRAGE_REPORT_TEMPLATE", "") or DEFAULT_TEMPLATE
        )
        self.deck = Presentation(str(template))
        self.width = self.deck.slide_width
        self.height = self.deck.slide_height
        self.slide = None
        self.y = 0

    # -- Slides ----------------------------------------------------------------------------
    def cover(self) -> None:
        slide = self.deck.slides.add_slide(_layout(self.deck, "Title Slide", 0))
        slide.shapes.title.text = f"{self.report.title} : {self.report.subtitle}"
        if len(slide.placeholders) > 1:
            slide.placeholders[1].text = f"{self.report.scope_label}\n{self.report.generated_on}"
        slide.notes_slide.notes_text_frame.text = "Ancrage"

    def new_slide(self, section: Section, continued: bool = False) -> None:
        self.slide = self.deck.slides.add_slide(_layout(self.deck, "Title Only", 5))
        title = section.title + (" (suite)" if continued else "")
        self.slide.shapes.title.text = title
        for paragraph in self.slide.shapes.title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(28)
                run.font.color.rgb = ACCENT
        notes = [*(str(s) for s in section.sources), *(str(f) for f in section.footnotes)]
        self.slide.notes_slide.notes_text_frame.text = (
            "Sources : " + " ; ".join(notes) if notes else ""
        )
        self.y = TOP
        if section.footnotes:
            self._footnotes(section.footnotes)

    def part(self, section: Section) -> None:
        slide = self.deck.slides.add_slide(_layout(self.deck, "Section Header", 2))
        slide.shapes.title.text = section.title

    @property
    def room(self) -> int:
        return self.height - BOTTOM_RESERVE - self.y

    def ensure(self, section: Section, needed: int) -> None:
        if self.slide is None or (needed > self.room and self.y > TOP):
            self.new_slide(section, continued=self.slide is not None)

    def _box(self, height: int):
        return self.slide.shapes.add_textbox(MARGIN, self.y, self.width - 2 * MARGIN, height)

    def _footnotes(self, notes: list[str]) -> None:
        box = self.slide.shapes.add_textbox(
            MARGIN, self.height - BOTTOM_RESERVE, self.width - 2 * MARGIN, BOTTOM_RESERVE
        )
        frame = box.text_frame
        frame.word_wrap = True
        for index, note in enumerate(notes):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = str(note)
            paragraph.font.size = Pt(9)
            paragraph.font.color.rgb = MUTED

    # -- Blocks ----------------------------------------------------------------------------
    def text(self, section: Section, block: Text) -> None:
        lines = max(1, len(block.text) // 120 + 1)
        height = Inches(0.35 * lines + 0.1)
        self.ensure(section, height)
        frame = self._box(height).text_frame
        frame.word_wrap = True
        frame.text = block.text
        frame.paragraphs[0].font.size = Pt(16)
        self.y += height

    def bullets(self, section: Section, block: Bullets) -> None:
        for start in range(0, len(block.items), 10):
            items = block.items[start : start + 10]
            height = Inches(0.34 * sum(1 + len(i) // 130 for i in items) + 0.1)
            self.ensure(section, height)
            frame = self._box(height).text_frame
            frame.word_wrap = True
            for index, item in enumerate(items):
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                paragraph.text = f"• {item}"
                paragraph.font.size = Pt(14)
            self.y += height

    def figures(self, section: Section, block: KeyFigures) -> None:
        height = Inches(1.05)
        self.ensure(section, height)
        count = len(block.items)
        gap = Inches(0.2)
        width = int((self.width - 2 * MARGIN - gap * (count - 1)) / max(count, 1))
        for index, (value, label) in enumerate(block.items):
            left = MARGIN + index * (width + gap)
            box = self.slide.shapes.add_textbox(left, self.y, width, height)
            frame = box.text_frame
            frame.word_wrap = True
            frame.text = str(value)
            frame.paragraphs[0].font.size = Pt(30 if count <= 4 else 24)
            frame.paragraphs[0].font.bold = True
            frame.paragraphs[0].font.color.rgb = ACCENT
            caption = frame.add_paragraph()
            caption.text = str(label)
            caption.font.size = Pt(12)
        self.y += height + Inches(0.1)

    def table(self, section: Section, block: Table) -> None:
        rows = block.rows or [["—"] * len(block.header)]
        for start in range(0, len(rows), TABLE_ROWS_PER_SLIDE):
            chunk = rows[start : start + TABLE_ROWS_PER_SLIDE]
            row_height = Inches(0.36)
            height = row_height * (len(chunk) + 1)
            self.ensure(section, height)
            shape = self.slide.shapes.add_table(
                len(chunk) + 1, len(block.header), MARGIN, self.y, self.width - 2 * MARGIN, height
            )
            grid = shape.table
            for col, header in enumerate(block.header):
                grid.cell(0, col).text = str(header)
            for row_index, row in enumerate(chunk, start=1):
                for col, value in enumerate(row):
                    grid.cell(row_index, col).text = str(value)
            for row in grid.rows:
                for cell in row.cells:
                    for paragraph in cell.text_frame.paragraphs:
                        paragraph.font.size = Pt(11 if len(block.header) <= 4 else 10)
            self.y += height + Inches(0.15)

    def chart(self, section: Section, block: ChartBlock) -> None:
        chart = block.chart
        if chart.kind == "map":
            self.picture(section, charts.to_png(chart), Inches(5.2))
            return
        categories = len(chart.rows)
        height = min(Inches(5.3), Inches(0.9 + 0.42 * categories * max(1, len(chart.series) // 2)))
        self.ensure(section, height)
        data = CategoryChartData()
        data.categories = [str(row[0]) for row in chart.rows]
        for index, name in enumerate(chart.series, start=1):
            data.add_series(str(name), [row[index] or 0 for row in chart.rows])
        kind = (
            XL_CHART_TYPE.BAR_STACKED_100
            if chart.kind == "stacked"
            else XL_CHART_TYPE.BAR_CLUSTERED
        )
        frame = self.slide.shapes.add_chart(
            kind, MARGIN, self.y, self.width - 2 * MARGIN, height, data
        )
        native = frame.chart
        native.has_title = True
        native.chart_title.text_frame.text = chart.title
        native.has_legend = len(chart.series) > 1
        if native.has_legend:
            native.legend.position = XL_LEGEND_POSITION.BOTTOM
            native.legend.include_in_layout = False
        plot = native.plots[0]
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(9)
        if chart.kind == "stacked":
            plot.data_labels.number_format = "0%"
            plot.data_labels.number_format_is_linked = False
        if chart.kind != "stacked":
            native.value_axis.minimum_scale = 0
            if chart.maximum is not None:
                native.value_axis.maximum_scale = chart.maximum
        # Categories read top to bottom, as in the browser chart.
        native.category_axis.reverse_order = True
        native.category_axis.tick_labels.font.size = Pt(10)
        if chart.kind == "stacked":
            palette = charts._diverging(len(chart.series))
            for series, colour in zip(plot.series, palette, strict=False):
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))
        self.y += height + Inches(0.1)

    def picture(self, section: Section, png: bytes, height: int) -> None:
        self.ensure(section, height)
        picture = self.slide.shapes.add_picture(io.BytesIO(png), MARGIN, self.y, height=height)
        if picture.width > self.width - 2 * MARGIN:
            ratio = (self.width - 2 * MARGIN) / picture.width
            picture.width = int(picture.width * ratio)
            picture.height = int(picture.height * ratio)
        picture.left = int((self.width - picture.width) / 2)
        self.y += Emu(picture.height) + Inches(0.1)

    def image(self, section: Section, block: Image) -> None:
        self.picture(section, block.png, Inches(3.3))
        if block.caption:
            self.text(section, Text(block.caption))

    # -- The deck --------------------------------------------------------------------------
    def write(self, path) -> None:
        self.cover()
        handlers = {
            Text: self.text,
            Bullets: self.bullets,
            KeyFigures: self.figures,
            Table: self.table,
            ChartBlock: self.chart,
            Image: self.image,
        }
        for section in self.report.sections:
            if section.part:
                self.part(section)
                self.slide = None
                continue
            self.slide = None
            self.new_slide(section)
            for block in section.blocks:
                handlers[type(block)](section, block)
        self.deck.save(path)


def write_pptx(report: Report, path, template: Path | None = None) -> None:
    DeckWriter(report, template).write(path)
