"""Charts by question kind on a small programme of our own: before/after pairs drawn with
their paired change computed from the answers, a number question drawn as a distribution."""

import io

import openpyxl
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from ancrage.core import charts, numbers
from ancrage.programmes.scope import Scope
from ancrage.reports.document import ChartBlock, Report, Section
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report
from ancrage.surveys.library import template_path
from ancrage.surveys.responses import import_responses
from ancrage.surveys.selectors import median
from ancrage.surveys.services import questionnaire_create

from .surveys_data import programme_with_actions, write

pytestmark = pytest.mark.django_db

# Each child's code, then « Je sais reconnaître… » before and after (1–4, 3 and 4 favourable),
# and their age.
CHILDREN = [
    ("LM12A", 1, 3, 8),
    ("KB03C", 2, 4, 9),
    ("ZT45B", 3, 3, 9),
    ("RP77D", 2, 2, 10),
    ("HN21E", 1, 4, 10),
    ("QS08F", 4, 4, 10),
]
# Hours of sleep (a decimal question), before then after, for each child above.
SLEEP = [(7.5, 7.75), (8.25, 8), (9, 9.5), (9.75, 10), (10.5, 10.25), (8.5, 11.2)]
FAVOURABLE = {3, 4}


def _emotions_with_age() -> bytes:
    """The shipped « Mes émotions » paired form with one integer question added."""
    book = openpyxl.load_workbook(template_path("coi_enfants_emotions"))
    book["survey"].append(["integer", "age", "Quel âge as-tu ?", None, None])
    book["survey"].append(["decimal", "sommeil", "Combien d'heures as-tu dormi ?", None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def paired_programme(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire_create(programme=programme, xlsform=_emotions_with_age())
    assert form.pairing
    rows = ["reconnaitre;calmer;age;sommeil;action;code_anonyme;moment"]
    for (code, before, after, age), (slept, slept_after) in zip(CHILDREN, SLEEP, strict=True):
        rows.append(f"{before};2;{age};{slept};A2;{code};avant")
        rows.append(f"{after};3;{age};{slept_after};A2;{code};apres")
    rows.append("4;4;11;6.9;A2;SEUL9;avant")  # seen before only: not a pair
    import_responses(questionnaire=form, path=write(tmp_path, "kobo.csv", "\n".join(rows)))
    return programme


def _charts(programme) -> list:
    report = build_report(Scope(programme))
    return [
        block.chart
        for section in report.sections
        for block in section.blocks
        if isinstance(block, ChartBlock)
    ]


def _expected_change() -> int:
    def rate(index):
        return sum(child[index] in FAVOURABLE for child in CHILDREN) / len(CHILDREN)

    return round((rate(2) - rate(1)) * 100)


def test_pairs_are_drawn_as_before_after_bars_with_the_paired_change(paired_programme):
    pairs = [c for c in _charts(paired_programme) if c.key.startswith("pairs-")]
    assert len(pairs) == 1
    chart = pairs[0]
    assert "6 paires" in chart.title  # the lone « avant » code is not a pair
    assert chart.series == ["Avant", "Après"]
    # In the questionnaire's order; « Je sais reconnaître… » first.
    assert [r[0][:12] for r in chart.rows] == ["Je sais reco", "Je sais comm"]
    row = chart.rows[0]
    change = _expected_change()
    assert change == 50
    assert f"(+{change} pts)" in row[0]
    assert row[1:] == [round(2 / 6, 4), round(5 / 6, 4)]
    assert chart.spec["encoding"]["yOffset"]["field"] == "series"  # bars side by side
    # Shares read as percentages, in the data table as in the drawing.
    shown = chart.display_rows[chart.rows.index(row)]
    assert shown[1:] == ["33\u202f%", "83\u202f%"]


def test_a_number_question_is_drawn_as_a_distribution_not_on_the_agreement_scale(
    paired_programme,
):
    drawn = _charts(paired_programme)
    ages = [c for c in drawn if c.title.startswith("Quel âge as-tu")]
    assert len(ages) == 1 and ages[0].kind == "bar"
    assert "N = 13" in ages[0].title
    assert ages[0].rows == [["8", 2], ["9", 4], ["10", 6], ["11", 1]]
    for chart in drawn:
        if chart.kind == "diverging":
            assert not any(row[0].startswith("Quel âge") for row in chart.rows)


def test_a_decimal_question_is_drawn_as_a_histogram_of_round_ranges(paired_programme):
    (sleep,) = [c for c in _charts(paired_programme) if c.title.startswith("Combien d'heures")]
    assert sleep.kind == "bar"
    # 13 answers from 6,9 to 11,2 h: ranges of half an hour, empty ones kept, in order.
    assert "(N = 13) · moyenne 9,01 · médiane 9" in sleep.title
    assert sleep.rows[:3] == [["6,5–7", 1], ["7–7,5", 0], ["7,5–8", 2]]
    assert sleep.rows[-1] == ["11–11,5", 1] and len(sleep.rows) == 10
    assert sum(n for _label, n in sleep.rows) == 13


def test_few_decimal_values_are_drawn_one_bar_each_in_french():
    item = {
        "label": "Heures",
        "kind": "decimal",
        "n": 4,
        "mean": 2.13,
        "median": 2.25,
        "values": [{"value": 1.5, "n": 1}, {"value": 2.25, "n": 2}, {"value": 2.5, "n": 1}],
    }
    chart = charts.number_chart("k", item)
    assert chart.rows == [["1,5", 1], ["2,25", 2], ["2,5", 1]]
    assert chart.title == "Heures (N = 4) · moyenne 2,13 · médiane 2,25"


def test_the_median_of_grouped_answers():
    assert median([]) is None
    assert median([{"value": 1, "n": 1}, {"value": 5, "n": 1}]) == 3
    assert median([{"value": 1, "n": 2}, {"value": 5, "n": 1}]) == 1
    assert median([{"value": 0.5, "n": 1}, {"value": 2, "n": 2}, {"value": 9, "n": 1}]) == 2


def test_the_deck_draws_both_as_native_bar_charts_in_percent(paired_programme, tmp_path):
    path = tmp_path / "rapport.pptx"
    write_report(build_report(Scope(paired_programme)), "pptx", path)
    found = {}
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                found[shape.chart.chart_title.text_frame.text] = shape.chart
    before_after = next(c for t, c in found.items() if t.startswith("Avant et après"))
    assert before_after.chart_type.name == "BAR_CLUSTERED"
    assert [s.name for s in before_after.plots[0].series] == ["Avant", "Après"]
    category = next(c for c in before_after.plots[0].categories if "reconnaître" in c)
    assert f"+{_expected_change()} pts" in category
    assert "%" in before_after.plots[0].data_labels.number_format
    ages = next(c for t, c in found.items() if t.startswith("Quel âge"))
    assert ages.chart_type.name == "BAR_CLUSTERED"
    assert list(ages.plots[0].categories) == ["8", "9", "10", "11"]


def test_a_0_percent_bar_is_labelled_0_percent(paired_programme, tmp_path):
    path = tmp_path / "rapport.pptx"
    write_report(build_report(Scope(paired_programme)), "pptx", path)
    (pairs,) = [
        shape.chart
        for slide in Presentation(path).slides
        for shape in slide.shapes
        if shape.has_chart and shape.chart.chart_title.text_frame.text.startswith("Avant")
    ]
    # « calmer » is 0 % before: its bar keeps its label, written « 0 % » as in French.
    assert pairs.plots[0].data_labels.number_format == numbers.OFFICE_PERCENT
    assert not pairs._chartSpace.xpath(".//c:dLbl/c:delete")
    # The picture (PDF, HTML) writes the shares past the bars too.
    chart = next(c for c in _charts(paired_programme) if c.key.startswith("pairs-"))
    assert chart.spec["layer"][1]["encoding"]["text"]["format"] == ".0%"


def _learned(scale: list[tuple[str, bool, int]]) -> dict:
    """A select_one item « J'ai appris » answered on this scale (label, favourable, count)."""
    n = sum(count for _label, _good, count in scale)
    return {
        "label": "J'ai appris",
        "kind": "select_one",
        "n": n,
        "distribution": [
            {"label": label, "favorable": good, "n": count, "share": count / n}
            for label, good, count in scale
        ],
    }


def test_a_series_with_one_label_hidden_keeps_its_other_labels(tmp_path):
    scale = [("Pas du tout", False, 1), ("Un peu", False, 9), ("Beaucoup", True, 30)]
    item = _learned(scale)
    report = Report("Rapport", "Programme", "", "", sections=[])
    report.sections.append(
        Section("Satisfaction", [ChartBlock(charts.agreement_chart("k", "Accord", [item]))])
    )
    path = tmp_path / "rapport.pptx"
    write_report(report, "pptx", path)
    (chart,) = [s.chart for slide in Presentation(path).slides for s in slide.shapes if s.has_chart]
    own = [series._element.dLbls for series in chart.plots[0].series]
    hidden = [labels for labels in own if labels is not None]
    assert len(hidden) == 1  # « Pas du tout », 2,5 %, under the threshold
    assert hidden[0].find(qn("c:showVal")).get("val") == "1"
    assert hidden[0].xpath("./c:dLbl/c:delete")
    # The legend reads as the scale does, left to right, not in the stacking order.
    (slide,) = [s for s in Presentation(path).slides if any(x.has_chart for x in s.shapes)]
    names = [label for label, _good, _n in scale]
    legend = sorted(
        (s for s in slide.shapes if s.has_text_frame and s.text_frame.text in names),
        key=lambda s: s.left,
    )
    assert [s.text_frame.text for s in legend] == names


def test_no_word_cloud_part_without_free_text_answers(paired_programme):
    titles = [s.title for s in build_report(Scope(paired_programme)).sections]
    assert "Mes émotions" in titles
    assert not [t for t in titles if t.startswith("Nuages de sentiments")]


def test_native_chart_numbers_are_french_whatever_the_viewer_locale(tmp_path):
    """Counts and shares on labels and axes use quoted narrow no-break spaces, never the
    locale's grouping comma (« 3,620 » on an English machine)."""
    pairs = [{"label": "Q", "change": 0.2, "before": {"rate": 0.3}, "after": {"rate": 0.5}}]
    report = Report("Rapport", "Programme", "", "", sections=[])
    targets = [{"label": "Enfants", "expected": 3620, "achieved": 4130}]
    for chart in (
        charts.expected_vs_achieved("e", "Attendu et résultat", targets),
        charts.before_after("k", "Avant et après", pairs),
    ):
        report.sections.append(Section(chart.title, [ChartBlock(chart)]))
    path = tmp_path / "rapport.pptx"
    write_report(report, "pptx", path)
    found = [s.chart for slide in Presentation(path).slides for s in slide.shapes if s.has_chart]
    counts, shares = found
    for chart, code in ((counts, numbers.OFFICE_INTEGER), (shares, numbers.OFFICE_PERCENT)):
        assert chart.plots[0].data_labels.number_format == code
        assert chart.value_axis.tick_labels.number_format == code
        assert "," not in code and "\u202f" in code


def test_before_after_legend_reads_as_the_bars_avant_then_apres(tmp_path):
    """LibreOffice lists a bar chart's native legend bottom-up: the deck draws its own, in the
    bars' reading order; the picture (PDF, HTML) pins its colour domain in the same order."""
    pairs = [{"label": "Q", "change": 0.2, "before": {"rate": 0.3}, "after": {"rate": 0.5}}]
    chart = charts.before_after("k", "Avant et après", pairs)
    report = Report("Rapport", "Programme", "", "", sections=[])
    report.sections.append(Section(chart.title, [ChartBlock(chart)]))
    path = tmp_path / "rapport.pptx"
    write_report(report, "pptx", path)
    (slide,) = [s for s in Presentation(path).slides if any(x.has_chart for x in s.shapes)]
    (native,) = [s.chart for s in slide.shapes if s.has_chart]
    assert not native.has_legend
    legend = [
        s for s in slide.shapes if s.has_text_frame and s.text_frame.text in ("Avant", "Après")
    ]
    assert [s.text_frame.text for s in sorted(legend, key=lambda s: s.left)] == ["Avant", "Après"]
    svg = charts.to_svg(chart)
    assert svg.index(">Avant<") < svg.index(">Après<")
    assert chart.spec["encoding"]["color"]["scale"]["domain"] == ["Avant", "Après"]


SQUARE = Inches(0.13)  # a drawn legend's colour square


def _fill(shape) -> str:
    fill = shape.format.fill if hasattr(shape, "format") else shape.fill
    return f"#{fill.fore_color.rgb}".lower()


def test_one_colour_declaration_for_the_picture_the_native_chart_and_its_legend(tmp_path):
    """Each chart declares its series' colours once (Chart.colours): the Vega scale, the deck's
    bars and the deck's drawn legend all read it, whatever order the deck stacks them in."""
    item = _learned([("Pas du tout", False, 4), ("Plutôt pas", False, 6), ("Plutôt", True, 10)])
    pairs = [{"label": "Q", "change": 0.2, "before": {"rate": 0.3}, "after": {"rate": 0.5}}]
    for chart in (
        charts.agreement_chart("a", "Accord", [item]),
        charts.before_after("b", "Avant et après", pairs),
    ):
        report = Report("Rapport", "Programme", "", "", sections=[])
        report.sections.append(Section(chart.title, [ChartBlock(chart)]))
        path = tmp_path / f"{chart.key}.pptx"
        write_report(report, "pptx", path)
        (slide,) = [s for s in Presentation(path).slides if any(x.has_chart for x in s.shapes)]
        layer = chart.spec["layer"][0].get("encoding", chart.spec.get("encoding"))
        colour = layer["color"]
        assert colour["scale"] == {"domain": chart.series, "range": chart.colours}
        (native,) = [s.chart for s in slide.shapes if s.has_chart]
        bars = {series.name: _fill(series) for series in native.plots[0].series}
        assert bars == dict(zip(chart.series, chart.colours, strict=True))
        names = sorted(
            (s for s in slide.shapes if s.has_text_frame and s.text_frame.text in chart.series),
            key=lambda s: s.left,
        )
        squares = sorted(
            (s for s in slide.shapes if s.shape_type == 1 and s.width == s.height == SQUARE),
            key=lambda s: s.left,
        )
        assert [s.text_frame.text for s in names] == chart.series
        assert [_fill(s) for s in squares] == chart.colours


def test_agreement_labels_round_as_the_table_does():
    """A segment's label in the picture is the data table's own percentage (half up)."""
    item = {
        "label": "Q",
        "kind": "select_one",
        "n": 8,
        "distribution": [
            {"label": "Non", "favorable": False, "n": 1, "share": 0.125},
            {"label": "Oui", "favorable": True, "n": 7, "share": 0.875},
        ],
    }
    chart = charts.agreement_chart("a", "Accord", [item])
    texts = [d["text"] for d in chart.spec["data"]["values"]]
    assert texts == ["13\u202f%", "88\u202f%"] == chart.display_rows[0][1:]
