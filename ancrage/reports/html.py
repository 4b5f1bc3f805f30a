"""The report as one self-contained HTML file, and as an A4 PDF printed from it by WeasyPrint.

Charts are Vega-Lite rendered to SVG by vl-convert, images are embedded as data URIs: the file
opens anywhere without network, as the whole application does.
"""

import base64
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from ancrage.core import charts

from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Section, Table, Text, Timeline


@dataclass
class Rendered:
    """A block with what the template needs: its type and, for pictures, a data URI."""

    type: str
    block: object
    uri: str = ""
    # A table's column widths in percent, from its relative widths (empty: the browser's own).
    columns: list[str] = field(default_factory=list)


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _columns(table: Table) -> list[str]:
    """Declared widths as percentages: the printed table is laid out from them (fixed
    layout) instead of from every cell's narrowest width, which WeasyPrint measures by
    trying a break after every character of a cell that may wrap anywhere — minutes for the
    1,250 territories' rows with their communes, as much as the rest of the report times 20."""
    if len(table.widths) != len(table.header):
        return []
    total = sum(table.widths)
    return [f"{100 * w / total:.2f}%" for w in table.widths]


def _rendered(block, *, browser_charts: bool = False) -> Rendered:
    if isinstance(block, Table):
        # An app page's policy forbids style attributes; its tables are short anyway.
        return Rendered("table", block, columns=[] if browser_charts else _columns(block))
    if isinstance(block, ChartBlock) and browser_charts:
        return Rendered("chart", block)  # drawn by vega-embed from its spec
    if isinstance(block, ChartBlock):
        svg = charts.to_svg(block.chart).encode("utf-8")
        return Rendered("chart", block, _data_uri("image/svg+xml", svg))
    if isinstance(block, Image):
        return Rendered("image", block, _data_uri("image/png", block.png))
    kinds = {
        Text: "text",
        Bullets: "bullets",
        KeyFigures: "figures",
        Timeline: "timeline",
    }
    return Rendered(kinds[type(block)], block)


def page_sections(
    sections: list[Section], *, browser_charts: bool = False, prefix: str = "s"
) -> list[dict]:
    """Sections as the templates render them (the report file, or an app page whose charts
    the browser draws)."""
    return [
        {
            "anchor": section.anchor or f"{prefix}{number}",
            "section": section,
            "blocks": [_rendered(b, browser_charts=browser_charts) for b in section.blocks],
        }
        for number, section in enumerate(sections, start=1)
    ]


def render_html(report: Report, *, for_print: bool = False) -> str:
    sections = page_sections(report.sections)
    annexes = page_sections(report.annexes, prefix="a")
    return render_to_string(
        "reports/report.html",
        {"report": report, "sections": sections, "annexes": annexes, "for_print": for_print},
    )


def write_html(report: Report, path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(render_html(report))


def write_pdf(report: Report, path) -> None:
    from weasyprint import HTML

    HTML(string=render_html(report, for_print=True)).write_pdf(path)
