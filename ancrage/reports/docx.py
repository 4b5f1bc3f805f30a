"""The report as a Word document, for those who write the narrative around the figures.

Headings use Word's own styles (so Word builds the table of contents) and stay with what
follows; tables are real tables whose header repeats on each page and whose rows never break
across pages; charts are pictures rendered by vl-convert with their data table below.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ancrage.core import charts

from . import style
from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Table, Text, Timeline

TEXT_WIDTH = Cm(21 - 2 * 2)  # A4 less the side margins set in write_docx


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def _row_flags(row, *, header: bool) -> None:
    """A row never splits across pages; the header row repeats on each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _table(
    document,
    header: list,
    rows: list,
    caption: str = "",
    *,
    widths: list[int] | None = None,
    size: Pt | None = None,
) -> None:
    """`widths`: proportions of the text width (equal columns otherwise); `size`: the
    annexes' smaller type."""
    if caption:
        paragraph = document.add_paragraph(str(caption), style="Caption")
        paragraph.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    _row_flags(table.rows[0], header=True)
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(value)
        _shade(cell, style.ACCENT)
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.color.rgb = _rgb("#ffffff")
    for row in rows:
        added = table.add_row()
        _row_flags(added, header=False)
        for cell, value in zip(added.cells, row, strict=True):
            cell.text = str(value)
    if widths and len(widths) == len(header):
        table.autofit = False
        for column, weight in zip(table.columns, widths, strict=True):
            width = int(TEXT_WIDTH * weight / sum(widths))
            column.width = width
            for cell in column.cells:  # Word reads each cell's width
                cell.width = width
    if size is not None:
        for cell in table._cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = size
    document.add_paragraph()


def _heading(document, text: str, level: int):
    heading = document.add_heading(text, level=level)
    heading.paragraph_format.keep_with_next = True
    for run in heading.runs:
        run.font.color.rgb = _rgb(style.ACCENT)
    return heading


def _figures(document, block: KeyFigures) -> None:
    table = document.add_table(rows=1, cols=len(block.items))
    for cell, tile in zip(table.rows[0].cells, block.items, strict=True):
        _shade(cell, style.TINT)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(str(tile.value))
        run.bold = True
        run.font.size = Pt(20 if block.large else 16)
        run.font.color.rgb = _rgb(style.ACCENT)
        label = cell.add_paragraph(str(tile.label))
        label.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if tile.detail:
            detail = cell.add_paragraph()
            detail.alignment = WD_ALIGN_PARAGRAPH.CENTER
            detail_run = detail.add_run(str(tile.detail))
            detail_run.bold = True
            detail_run.font.color.rgb = _rgb(style.HIGHLIGHT)
    document.add_paragraph()


def _block(document, block, size: Pt | None = None) -> None:
    """`size`: the annexes' smaller type, for their text and tables."""
    if isinstance(block, Text):
        paragraph = document.add_paragraph(block.text)
        if size is not None:
            paragraph.runs[0].font.size = size
    elif isinstance(block, Bullets):
        if block.heading:
            _heading(document, block.heading, 3)
        for item in block.items:
            document.add_paragraph(str(item), style="List Bullet")
    elif isinstance(block, KeyFigures):
        _figures(document, block)
    elif isinstance(block, Timeline):
        _table(
            document,
            [period for period, _title, _detail in block.events],
            [[f"{title}\n{detail}".strip() for _period, title, detail in block.events]],
        )
    elif isinstance(block, Table):
        # The body's 10 pt tables keep Word's equal columns: at the declared widths (the deck's
        # and the PDF's, at 9 pt) their narrow columns would cut headers mid-word. An annex's
        # smaller type gets them, so that its long lists have the room.
        widths = block.widths if size is not None else None
        _table(document, block.header, block.rows, block.caption, widths=widths, size=size)
    elif isinstance(block, ChartBlock):
        width = Cm(16) if block.chart.kind != "map" else Cm(14)
        document.add_picture(io.BytesIO(charts.to_png(block.chart)), width=width)
        _table(document, block.chart.header, block.chart.display_rows, block.chart.title)
    elif isinstance(block, Image):
        document.add_picture(io.BytesIO(block.png), width=Cm(15))
        if block.caption:
            document.add_paragraph(block.caption, style="Caption")


def write_docx(report: Report, path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.name = style.FONT
    document.styles["Normal"].font.size = Pt(10)

    title = document.add_heading(report.subtitle, level=0)
    for run in title.runs:
        run.font.color.rgb = _rgb(style.ACCENT_DARK)
    document.add_paragraph(report.title).runs[0].bold = True
    document.add_paragraph(", ".join(report.territories))
    document.add_paragraph(report.scope_label)
    document.add_paragraph(report.generated_on)
    document.add_page_break()

    for part in report.sections:
        if part.part:
            _heading(document, f"{part.number} {part.title}".strip(), 1)
            continue
        _heading(document, part.title, 2)
        _content(document, part)
    for annex in report.annexes:
        document.add_page_break()
        _heading(document, annex.title, 1)
        _content(document, annex, size=Pt(8))
    document.save(path)


def _content(document, part, size: Pt | None = None) -> None:
    if part.subtitle:
        document.add_paragraph(part.subtitle)
    for block in part.blocks:
        _block(document, block, size)
    for note in part.footnotes:
        paragraph = document.add_paragraph(str(note))
        paragraph.runs[0].font.size = Pt(8)
    if part.sources:
        paragraph = document.add_paragraph("Sources : " + " ; ".join(map(str, part.sources)))
        paragraph.runs[0].italic = True
        paragraph.runs[0].font.size = Pt(8)
