"""One Vega-Lite spec per chart: drawn in the browser by the locally served vega-embed, and
rendered to SVG or PNG on the server by vl-convert for the reports.

Every chart also carries its data as a plain table (`Chart.header`, `Chart.rows`), shown beside
it for accessibility and used for the native, editable charts of the PowerPoint deck.
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import numbers

VEGA_LITE_VERSION = "6.4"  # the version vl-convert renders and the one served to browsers
SCHEMA = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE_VERSION.split('.')[0]}.json"
FONT = "DejaVu Sans"
PALETTE = ["#2f5d8a", "#e07a2f", "#5a9a4a", "#8a4f9e", "#c2484d", "#3a9aa0", "#9c7a3c"]


def table_csv(header: list, rows: list[list]) -> str:
    """A table as CSV for French spreadsheets: « ; » between cells, a decimal comma, no
    thousands separator (the cell stays a number)."""

    def cell(value) -> str:
        if isinstance(value, bool) or value is None:
            return "" if value is None else str(value)
        if isinstance(value, float):
            return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
        return str(value)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    writer.writerows([[cell(value) for value in row] for row in rows])
    return out.getvalue()


@dataclass
class Chart:
    key: str
    title: str
    spec: dict
    # The data table: a header and rows of cells; numbers stay numbers.
    header: list[str]
    rows: list[list]
    # For the native PowerPoint chart: "bar", "stacked" (percent shares) or "map" (image only).
    kind: str = "bar"
    series: list[str] = field(default_factory=list)
    maximum: float | None = None  # the value axis' end, for percentages

    @property
    def display_rows(self) -> list[list[str]]:
        """The data table as people read it: shares as percentages, French numbers."""

        def cell(value):
            if isinstance(value, float) and self.kind == "stacked":
                return numbers.fr_percent(value)
            if isinstance(value, int | float):
                return numbers.fr_int(value)
            return str(value)

        return [[cell(value) for value in row] for row in self.rows]

    def csv(self) -> str:
        """The chart's data as a CSV file for French spreadsheets (« ; » between cells, decimal
        comma, shares as fractions): the very rows the chart is drawn from."""
        return table_csv(self.header, self.rows)

    @property
    def csv_data_uri(self) -> str:
        """The CSV as a link target: downloaded from the page itself, no second request."""
        return "data:text/csv;charset=utf-8," + quote("\ufeff" + self.csv())

    @property
    def file_name(self) -> str:
        return slugify(self.title) or self.key


def _base(title: str, data: list[dict], width: int = 480) -> dict:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "font": FONT, "fontSize": 14},
        # The accessible name of the drawn chart (its values are in the table beside).
        "description": title,
        "width": width,
        "data": {"values": data},
        "config": {
            # One accessible name for the whole chart (the div's label) rather than one per
            # mark: its values are read from the table beside it.
            "aria": False,
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelLimit": 320},
            "legend": {"labelFont": FONT, "titleFont": FONT, "orient": "bottom"},
        },
    }


def bar_chart(
    key: str,
    title: str,
    pairs: list[tuple[str, float]],
    value_title: str,
    maximum: float | None = None,
) -> Chart:
    """Horizontal bars, one per category, with the value written at the end of each bar."""
    data = [{"category": label, "value": value} for label, value in pairs]
    x_axis = {"field": "value", "type": "quantitative", "title": value_title}
    if maximum is not None:
        x_axis["scale"] = {"domain": [0, maximum]}
    spec = _base(title, data) | {
        "height": {"step": 24},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": None, "title": None},
            "x": x_axis,
        },
        "layer": [
            {"mark": {"type": "bar", "color": PALETTE[0]}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "font": FONT},
                "encoding": {"text": {"field": "value", "type": "quantitative"}},
            },
        ],
    }
    return Chart(
        key,
        title,
        spec,
        [_("Catégorie"), value_title],
        [[label, value] for label, value in pairs],
        series=[value_title],
        maximum=maximum,
    )


def expected_vs_achieved(key: str, title: str, rows: list[dict]) -> Chart:
    """Grouped bars: each target's expected and achieved values (the seed's 'Attendu Résultat')."""
    expected, achieved = _("Attendu"), _("Réalisé")
    data = []
    for row in rows:
        data.append({"target": row["label"], "series": expected, "value": row["expected"]})
        data.append({"target": row["label"], "series": achieved, "value": row["achieved"]})
    spec = _base(title, data) | {
        "height": {"step": 14},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "target", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "series", "sort": [expected, achieved]},
            "x": {"field": "value", "type": "quantitative", "title": None},
            "color": {
                "field": "series",
                "type": "nominal",
                "sort": [expected, achieved],
                "scale": {"range": [PALETTE[6], PALETTE[0]]},
                "title": None,
            },
            "tooltip": [{"field": "target"}, {"field": "series"}, {"field": "value"}],
        },
    }
    return Chart(
        key,
        title,
        spec,
        [_("Cible"), expected, achieved],
        [[row["label"], row["expected"], row["achieved"]] for row in rows],
        series=[expected, achieved],
    )


def item_distribution(key: str, title: str, items: list[dict]) -> Chart:
    """Stacked 100 % bars per questionnaire item, favourable answers to the right, N in the
    label (the seed's 'Degré de satisfaction', 'NB 190')."""
    data, rows, labels = [], [], []
    choices: list[str] = []
    for item in items:
        label = f"{item['label']} (N = {item['n']})"
        cells = {}
        for order, option in enumerate(item["distribution"]):
            if option["label"] not in choices:
                choices.append(option["label"])
            data.append(
                {
                    "item": label,
                    "choice": option["label"],
                    "order": order,
                    "share": option["share"],
                    "n": option["n"],
                }
            )
            cells[option["label"]] = option["share"]
        labels.append(label)
        rows.append(cells)
    colours = _diverging(len(choices))
    spec = _base(title, data) | {
        "height": {"step": 26},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "item", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "share",
                "type": "quantitative",
                "stack": "normalize",
                "axis": {"format": "%"},
                "title": None,
            },
            "color": {
                "field": "choice",
                "type": "nominal",
                "sort": choices,
                "scale": {"domain": choices, "range": colours},
                "title": None,
            },
            "order": {"field": "order"},
            "tooltip": [
                {"field": "item"},
                {"field": "choice"},
                {"field": "n", "title": "N"},
                {"field": "share", "format": ".0%"},
            ],
        },
    }
    table_rows = [
        [label, *(cells.get(choice, 0.0) for choice in choices)]
        for label, cells in zip(labels, rows, strict=True)
    ]
    return Chart(
        key, title, spec, [_("Question"), *choices], table_rows, kind="stacked", series=choices
    )


def item_charts(key: str, title: str, items: list[dict]) -> list[Chart]:
    """The distribution charts of a questionnaire's closed items: one chart per answer scale
    (items answered on the same choices share a chart)."""
    scales: dict[tuple, list[dict]] = {}
    for item in items:
        if item.get("distribution") and not item.get("hidden"):
            scale = tuple(option["label"] for option in item["distribution"])
            scales.setdefault(scale, []).append(item)
    return [
        item_distribution(f"{key}-{number}", title, group)
        for number, group in enumerate(scales.values(), start=1)
    ]


def _diverging(count: int) -> list[str]:
    """Red to green through grey, as the seed's satisfaction bars."""
    scale = ["#c2484d", "#e6a1a3", "#cfd6dd", "#9fcfae", "#2f7d4a"]
    if count <= 2:
        return [scale[0], scale[-1]][:count]
    if count == 3:
        return [scale[0], scale[2], scale[4]]
    if count == 4:
        return [scale[0], scale[1], scale[3], scale[4]]
    return (scale * 2)[:count] if count > 5 else scale


def commune_map(
    key: str,
    title: str,
    features: dict,
    value_field: str,
    value_title: str,
    markers: list[dict] | None = None,
) -> Chart:
    """Communes coloured by a figure, with a circle per commune where actions took place, sized
    by the people reached (the seed's 'Carte des actions menées')."""
    layers: list[dict] = [
        {
            "data": {"values": features, "format": {"type": "json", "property": "features"}},
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.8},
            "encoding": {
                "color": {
                    "field": f"properties.{value_field}",
                    "type": "quantitative",
                    "title": value_title,
                    "scale": {"scheme": "blues", "zero": True},
                },
                "tooltip": [
                    {"field": "properties.name", "title": _("Commune")},
                    {"field": f"properties.{value_field}", "title": value_title},
                ],
            },
        },
        {
            "data": {"values": features, "format": {"type": "json", "property": "features"}},
            "mark": {"type": "text", "fontSize": 9, "dy": -8, "font": FONT},
            "encoding": {
                "longitude": {"field": "properties.lon", "type": "quantitative"},
                "latitude": {"field": "properties.lat", "type": "quantitative"},
                "text": {"field": "properties.name"},
            },
        },
    ]
    if markers:
        layers.append(
            {
                "data": {"values": markers},
                "mark": {"type": "circle", "color": PALETTE[1], "opacity": 0.85},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {"field": "people", "type": "quantitative", "title": _("Personnes")},
                    "tooltip": [{"field": "name"}, {"field": "people"}],
                },
            }
        )
    spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "font": FONT, "fontSize": 14},
        "description": title,
        "width": 520,
        "height": 420,
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {"aria": False, "font": FONT, "view": {"stroke": None}},
    }
    rows = [[f["properties"]["name"], f["properties"][value_field]] for f in features["features"]]
    return Chart(key, title, spec, [_("Commune"), value_title], rows, kind="map")


# French numbers in every chart: "4 130", "94 %", "2,5" (the browser gets the same locale).
FORMAT_LOCALE = numbers.FORMAT_LOCALE


def to_svg(chart: Chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(
        chart.spec, vl_version=VEGA_LITE_VERSION, format_locale=FORMAT_LOCALE
    )


def to_png(chart: Chart, scale: float = 2) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(
        chart.spec, vl_version=VEGA_LITE_VERSION, scale=scale, format_locale=FORMAT_LOCALE
    )
