"""The deck's charts (native, editable) and pictures (maps, word clouds), sized to the room
left on their slide."""

import copy
import io
from dataclasses import replace

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from ancrage.core import charts, numbers

from . import style
from .document import ChartBlock, Image, Section
from .measure import text_width, wrap
from .pptx_base import GAP, MARGIN, MIN_PICTURE, PAD_X, PT, _style_run, rgb

# Numbers written as in French whatever the viewer's locale: « 3 620 », « 94 % ».
COUNT = numbers.OFFICE_INTEGER
PERCENT = numbers.OFFICE_PERCENT
LEGEND_ROW = Inches(0.35)


class ChartSlides:
    """Mixed into DeckWriter."""

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
            drawn = legend and sum(self.legend_widths(chart)) <= self.inner
            self.native_chart(part, height - (LEGEND_ROW if drawn else 0), legend and not drawn)
            if drawn:
                self.legend_row(part, self.y + height - LEGEND_ROW)
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
            _number_format(native.value_axis.tick_labels, PERCENT)
            # Category names at the left edge, not over the bars left of zero.
            native.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        else:
            native.value_axis.minimum_scale = 0
            if chart.maximum is not None:
                native.value_axis.maximum_scale = chart.maximum
            _number_format(native.value_axis.tick_labels, PERCENT if chart.percent else COUNT)
            if (
                not chart.percent
                and max((v or 0 for r in chart.rows for v in r[1:]), default=0) <= 10
            ):
                native.value_axis.major_unit = 1  # counts: no « 0.5 » tick between answers
            plot.gap_width = 60
        for series, colour in zip(plot.series, chart.colours, strict=False):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb(colour)
        self.label_points(chart, plot)
        native.value_axis.has_major_gridlines = False
        native.value_axis.tick_labels.font.size = Pt(9)
        # Categories read top to bottom, as in the browser chart.
        native.category_axis.reverse_order = True
        native.category_axis.tick_labels.font.size = Pt(10)

    def label_points(self, chart, plot) -> None:
        """Values written on the bars, « 0 % » included (a bar of nothing is a result); in
        stacked bars a share under the threshold is left unlabelled (it would collide with its
        neighbour), its value stays in the data table."""
        shares = chart.kind in ("diverging", "stacked")
        plot.has_data_labels = True
        labels = plot.data_labels
        _number_format(labels, PERCENT if shares or chart.percent else COUNT)
        labels.show_value = True
        labels.font.size = Pt(9)
        labels.position = XL_LABEL_POSITION.CENTER if shares else XL_LABEL_POSITION.OUTSIDE_END
        if not shares:
            return  # side by side, each label sits past its own bar's end: none collide
        for index, series in enumerate(plot.series, start=1):
            for point, row in enumerate(chart.rows):
                if abs(row[index] or 0) < charts.LABEL_THRESHOLD:
                    _hide_label(series, point)

    def legend_widths(self, chart) -> list[int]:
        return [int(Inches(0.4) + 2 * PAD_X + text_width(str(n), 10) * PT) for n in chart.series]

    def legend_row(self, chart, top: int) -> None:
        """The series named in the order the bars read (« Avant » then « Après », « Pas du tout
        d'accord » … « Tout à fait d'accord »), the same in every viewer: LibreOffice lists side
        by side bars' native legend bottom-up, and stacked ones follow their stacking order."""
        names = [str(name) for name in chart.series]
        widths = self.legend_widths(chart)
        left = int((self.width - sum(widths)) / 2)
        for name, width, colour in zip(names, widths, chart.colours, strict=False):
            self.rect(left, top + Inches(0.1), Inches(0.13), Inches(0.13), colour)
            self.textbox(
                left + Inches(0.14),
                top,
                width - Inches(0.14),
                LEGEND_ROW,
                [(name, 10, False, style.TEXT, PP_ALIGN.LEFT)],
            )
            left += width

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


def _number_format(labels, code: str) -> None:
    """Data labels or axis tick labels written with our format, not the data's own."""
    labels.number_format = code
    labels.number_format_is_linked = False


def _hide_label(series, point: int) -> None:
    """Delete one point's data label (c:dLbl with c:delete) in the series' labels."""
    labels = series._element.dLbls
    if labels is None:
        # A series' own labels replace the plot's: start from a copy of them, or the series'
        # other points lose their values too.
        labels = copy.deepcopy(series._element.getparent().find(qn("c:dLbls")))
        series._element._insert_dLbls(labels)
    label = labels.get_or_add_dLbl_for_point(point)
    for child in list(label)[1:]:
        label.remove(child)
    label.append(label.makeelement(qn("c:delete"), {"val": "1"}))


def _stacking_order(chart):
    """A diverging chart's series as they stack: unfavourable answers leftwards from zero
    (the mildest nearest), then favourable ones; each keeps its colour of the scale."""
    if chart.kind != "diverging":
        return chart
    negative = [i for i, n in enumerate(chart.negative) if n][::-1]
    order = negative + [i for i, n in enumerate(chart.negative) if not n]
    return replace(
        chart,
        series=[chart.series[i] for i in order],
        colours=[chart.colours[i] for i in order],
        negative=[chart.negative[i] for i in order],
        rows=[[row[0], *(row[i + 1] for i in order)] for row in chart.rows],
    )
