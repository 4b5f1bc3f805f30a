"""The report as a Word document, for those who write the narrative around the figures.

Headings use Word's own styles (so Word builds the table of contents), tables are real tables,
charts are pictures rendered by vl-convert with their data table below.
"""

import io

from docx import Document
from docx.shared import Cm, Pt, RGBColor

from ancrage.core import charts

from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Table, Text

ACCENT = RGBColor(0x2F, 0x5D, 0x8A)


def _table(document, header: list, rows: list, caption: str = "") -> None:
    if caption:
        document.add_paragraph(str(caption), style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(value)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    document.add_paragraph()


def write_docx(report: Report, path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)

    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle).runs[0].bold = True
    document.add_paragraph(report.scope_label)
    document.add_paragraph(report.generated_on)
    document.add_page_break()

    for part in report.sections:
        document.add_heading(part.title, level=1 if part.part else 2)
        for block in part.blocks:
            if isinstance(block, Text):
                document.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    document.add_paragraph(str(item), style="List Bullet")
            elif isinstance(block, KeyFigures):
                paragraph = document.add_paragraph()
                for index, (value, label) in enumerate(block.items):
                    if index:
                        paragraph.add_run("   ·   ")
                    run = paragraph.add_run(str(value))
                    run.bold = True
                    run.font.size = Pt(16)
                    run.font.color.rgb = ACCENT
                    paragraph.add_run(f" {label}")
            elif isinstance(block, Table):
                _table(document, block.header, block.rows, block.caption)
            elif isinstance(block, ChartBlock):
                width = Cm(16) if block.chart.kind != "map" else Cm(14)
                document.add_picture(io.BytesIO(charts.to_png(block.chart)), width=width)
                _table(document, block.chart.header, block.chart.display_rows, block.chart.title)
            elif isinstance(block, Image):
                document.add_picture(io.BytesIO(block.png), width=Cm(15))
                if block.caption:
                    document.add_paragraph(block.caption, style="Caption")
        for note in part.footnotes:
            paragraph = document.add_paragraph(str(note))
            paragraph.runs[0].font.size = Pt(8)
        if part.sources:
            paragraph = document.add_paragraph("Sources : " + " ; ".join(map(str, part.sources)))
            paragraph.runs[0].italic = True
            paragraph.runs[0].font.size = Pt(8)
    document.save(path)
