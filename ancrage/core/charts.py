"""One Vega-Lite spec per chart: drawn in the browser by the locally served vega-embed, and
rendered to SVG or PNG on the server by vl-convert for the reports.

Every chart also carries its data as a plain table (`Chart.header`, `Chart.rows`), shown beside
it for accessibility and used for the native, editable charts of the PowerPoint deck.
"""

import csv
import io
import math
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import numbers

VEGA_LITE_VERSION = "6.4"  # the version vl-convert renders and the one served to browsers
SCHEMA = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE_VERSION.split('.')[0]}.json"
FONT = "DejaVu Sans"
# One palette for charts, maps, clouds and the report's tiles (ancrage/reports/style.py).
PALETTE = ["#2f5d8a", "#e07a2f", "#5a9a4a", "#8a4f9e", "#c2484d", "#3a9aa0", "#9c7a3c"]

# Two series side by side: the reference (« attendu », « avant ») muted, then the result.
PAIR_COLOURS = [PALETTE[6], PALETTE[0]]
MAP_LIGHT = "#e6edf4"  # the lightest tint of PALETTE[0], for communes with nobody reached


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
    # Each series' colour, in the order of `series`: the Vega spec's colour scale and the
    # deck's native chart and drawn legend all read this one list.
    colours: list[str] = field(default_factory=list)
    maximum: float | None = None  # the value axis' end, for percentages
    # For "diverging" charts: which series are unfavourable (drawn left of zero).
    negative: list[bool] = field(default_factory=list)
    percent: bool = False  # values are shares (0 to 1), read as percentages

    @property
    def display_rows(self) -> list[list[str]]:
        """The data table as people read it: shares as percentages, French numbers."""

        def cell(value):
            if isinstance(value, float) and (self.percent or self.kind in ("stacked", "diverging")):
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
            # Tick labels that would touch are left out (« 7 500 » over « 8 000 »).
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelLimit": 320,
                "labelOverlap": "greedy",
                "labelSeparation": 8,
            },
            # At most about five values on a number axis: « 7 500 » never meets « 8 000 ».
            "axisQuantitative": {"tickCount": 5},
            "legend": {"labelFont": FONT, "titleFont": FONT, "orient": "bottom"},
        },
    }


def _series_colour(field_name: str, series: list[str], colours: list[str]) -> dict:
    """A colour encoding whose legend reads in the order of `series` (not alphabetically)."""
    return {
        "field": field_name,
        "type": "nominal",
        "sort": series,
        "scale": {"domain": series, "range": colours},
        "title": None,
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
    colours = [PALETTE[0]]
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
            {"mark": {"type": "bar", "color": colours[0]}},
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
        colours=colours,
        maximum=maximum,
    )


def expected_vs_achieved(key: str, title: str, rows: list[dict]) -> Chart:
    """Grouped bars: each target's expected and achieved values (the seed's 'Attendu Résultat')."""
    expected, achieved = _("Attendu"), _("Réalisé")
    series, colours = [expected, achieved], PAIR_COLOURS
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
            "color": _series_colour("series", series, colours),
            "tooltip": [{"field": "target"}, {"field": "series"}, {"field": "value"}],
        },
    }
    return Chart(
        key,
        title,
        spec,
        [_("Cible"), expected, achieved],
        [[row["label"], row["expected"], row["achieved"]] for row in rows],
        series=series,
        colours=colours,
    )


# Labels of segments smaller than this share are left out (they would collide: « 1%4% »);
# the values stay in the data table beside the chart.
LABEL_THRESHOLD = 0.06


def _agreement_data(items: list[dict], labels: list[str], negative: list[bool]):
    """Each item's segments from its left end (minus its unfavourable shares) to the right,
    with the label shown only above the threshold; and the data table's rows."""
    data, table_rows = [], []
    for item in items:
        label = f"{item['label']} (N = {item['n']})"
        shares = {o["label"]: (o["share"] or 0.0) for o in item["distribution"]}
        counts = {o["label"]: o["n"] for o in item["distribution"]}
        left = -sum(shares.get(c, 0.0) for c, neg in zip(labels, negative, strict=True) if neg)
        for choice in labels:
            share = shares.get(choice, 0.0)
            data.append(
                {
                    "item": label,
                    "choice": choice,
                    "start": left,
                    "end": left + share,
                    "share": share,
                    "n": counts.get(choice, 0),
                    # As the table and the deck round it (half up): « 13 % » for 0,125.
                    "text": numbers.fr_percent(share) if share >= LABEL_THRESHOLD else "",
                }
            )
            left += share
        table_rows.append([label, *(shares.get(c, 0.0) for c in labels)])
    return data, table_rows


def agreement_chart(key: str, title: str, items: list[dict]) -> Chart:
    """Diverging stacked bars for agreement and satisfaction scales: unfavourable answers to
    the left of zero, favourable ones to the right, N in each item's label."""
    choices: list[dict] = []
    for item in items:
        for option in item["distribution"]:
            if option["label"] not in [c["label"] for c in choices]:
                choices.append({"label": option["label"], "favorable": bool(option["favorable"])})
    labels = [c["label"] for c in choices]
    negative = [not c["favorable"] for c in choices]
    data, table_rows = _agreement_data(items, labels, negative)
    colours = _diverging(len(labels))
    spec = _base(title, data) | {
        "height": {"step": 30},
        "encoding": {
            "y": {"field": "item", "type": "nominal", "sort": None, "title": None},
        },
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {
                        "field": "start",
                        "type": "quantitative",
                        "scale": {"domain": [-1, 1]},
                        # Shares on both sides of zero read as positive percentages.
                        "axis": {
                            "values": [-1, -0.5, 0, 0.5, 1],
                            "labelExpr": "format(abs(datum.value), '.0%')",
                        },
                        "title": None,
                    },
                    "x2": {"field": "end"},
                    "color": _series_colour("choice", labels, colours),
                    "tooltip": [
                        {"field": "item"},
                        {"field": "choice"},
                        {"field": "n", "title": "N"},
                        {"field": "share", "format": ".0%"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "font": FONT, "fontSize": 10},
                # Each label sits in the middle of its segment.
                "transform": [{"calculate": "(datum.start + datum.end) / 2", "as": "middle"}],
                "encoding": {
                    "x": {"field": "middle", "type": "quantitative"},
                    "text": {"field": "text"},
                },
            },
        ],
    }
    return Chart(
        key,
        title,
        spec,
        [_("Question"), *labels],
        table_rows,
        kind="diverging",
        series=labels,
        colours=colours,
        negative=negative,
    )


def preference_chart(key: str, item: dict) -> Chart:
    """A preference (several answers allowed, or a choice that is neither good nor bad):
    bars of counts sorted from the most chosen, with N."""
    several = item["kind"] == "select_multiple"
    title = _("{label} (N = {n}{several})").format(
        label=item["label"],
        n=item["n"],
        several=_(", plusieurs réponses possibles") if several else "",
    )
    pairs = sorted(((o["label"], o["n"]) for o in item["distribution"]), key=lambda pair: -pair[1])
    return bar_chart(key, title, pairs, _("Réponses"))


def _nice_step(span: float) -> float:
    """A round bin width (1, 2, 2,5 or 5 times a power of ten) giving about ten bins."""
    raw = span / 10
    power = 10 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw - 1e-12)


def _decimal_bins(values: list[dict]) -> list[tuple[str, int]]:
    """Grouped decimal answers in round half-open ranges « 7,5–8 » ([7,5 ; 8[, the last one
    closed), empty ranges kept so that the histogram's shape reads true."""
    low, high = values[0]["value"], values[-1]["value"]
    step = _nice_step(high - low)
    first = math.floor(low / step) * step
    count = max(1, math.ceil((high - first) / step - 1e-9))
    counts = [0] * count
    for row in values:
        counts[min(count - 1, int((row["value"] - first) / step + 1e-9))] += row["n"]
    edges = [round(first + i * step, 10) for i in range(count + 1)]
    return [
        (f"{numbers.fr_number(edges[i], 3)}–{numbers.fr_number(edges[i + 1], 3)}", n)
        for i, n in enumerate(counts)
    ]


def number_chart(key: str, item: dict) -> Chart:
    """The distribution of a number question: how many answered each value (grouped in round
    ranges beyond a dozen values), with N, the mean and the median in its title."""
    values = item.get("values") or []
    decimal = item.get("kind") == "decimal"
    if len(values) > 12 and decimal:
        pairs = _decimal_bins(values)
    elif len(values) > 12:
        low, high = values[0]["value"], values[-1]["value"]
        step = max(1, -(-(high - low + 1) // 10))
        bins: dict[str, int] = {}
        for row in values:
            start = low + (row["value"] - low) // step * step
            name = f"{start}–{start + step - 1}"
            bins[name] = bins.get(name, 0) + row["n"]
        pairs = list(bins.items())
    else:
        pairs = [(numbers.fr_number(row["value"], 3), row["n"]) for row in values]
    title = _("{label} (N = {n})").format(label=item["label"], n=item["n"])
    if item.get("mean") is not None and item.get("median") is not None:
        title += _(" · moyenne {mean} · médiane {median}").format(
            mean=numbers.fr_number(item["mean"]), median=numbers.fr_number(item["median"])
        )
    chart = bar_chart(key, title, pairs, _("Réponses"))
    chart.header[0] = _("Valeur (de… à moins de…)") if len(values) > 12 and decimal else _("Valeur")
    return chart


def before_after(key: str, title: str, rows: list[dict]) -> Chart:
    """Before/after pairs: the favourable share before and after among the same people, and
    the paired change in points in each item's label."""
    before, after = _("Avant"), _("Après")
    names, colours = [before, after], PAIR_COLOURS
    data, table = [], []
    for row in rows:
        change = round(row["change"] * 100)
        label = f"{row['label']} ({'+' if change >= 0 else '−'}{abs(change)} pts)"
        for series, part in ((before, row["before"]), (after, row["after"])):
            data.append({"item": label, "series": series, "value": part["rate"]})
        table.append([label, row["before"]["rate"], row["after"]["rate"]])
    spec = _base(title, data) | {
        "height": {"step": 16},
        # Each bar's share written past its end, « 0 % » included.
        "layer": [
            {"mark": {"type": "bar"}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "font": FONT, "fontSize": 10},
                "encoding": {"text": {"field": "value", "type": "quantitative", "format": ".0%"}},
            },
        ],
        "encoding": {
            "y": {"field": "item", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "series", "sort": [before, after]},
            "x": {
                "field": "value",
                "type": "quantitative",
                "scale": {"domain": [0, 1]},
                "axis": {"format": "%"},
                "title": None,
            },
            # The legend reads as the bars do, « Avant » then « Après » (not alphabetically).
            "color": _series_colour("series", names, colours),
        },
    }
    return Chart(
        key,
        title,
        spec,
        [_("Question"), before, after],
        table,
        kind="bar",
        series=names,
        colours=colours,
        maximum=1,
        percent=True,
    )


def is_agreement(item: dict) -> bool:
    """An agreement or satisfaction scale: one answer, some answers count as favourable."""
    return item["kind"] == "select_one" and any(
        option["favorable"] for option in item.get("distribution") or []
    )


def item_charts(
    key: str,
    title: str,
    items: list[dict],
    *,
    preferences_title: str = "",
    numbers_title: str = "",
) -> list[Chart]:
    """A questionnaire's closed items drawn by kind: agreement scales as diverging bars (items
    on the same scale share a chart), preferences as sorted counts, numbers as distributions."""
    scales: dict[tuple, list[dict]] = {}
    others: list[Chart] = []
    for number, item in enumerate(items, start=1):
        if item.get("hidden") or not item.get("n"):
            continue
        if item.get("distribution") and is_agreement(item):
            scale = tuple(option["label"] for option in item["distribution"])
            scales.setdefault(scale, []).append(item)
        elif item.get("distribution"):
            others.append(preference_chart(f"{key}-choice-{number}", item))
        elif item["kind"] in ("integer", "decimal") and item.get("values"):
            others.append(number_chart(f"{key}-number-{number}", item))
    return [
        *(
            agreement_chart(f"{key}-{number}", title, group)
            for number, group in enumerate(scales.values(), start=1)
        ),
        *others,
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
                    "scale": {"range": [MAP_LIGHT, PALETTE[0]], "zero": True},
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
