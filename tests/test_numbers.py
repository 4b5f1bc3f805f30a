"""Numbers the French way, from one helper: pages, reports, charts and the command line."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from ancrage.core import numbers
from ancrage.core.charts import FORMAT_LOCALE

NS = "\u202f"  # the narrow no-break space of the evaluation deck


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4130, f"4{NS}130"),
        (37400, f"37{NS}400"),
        (1234567, f"1{NS}234{NS}567"),
        (999, "999"),
        (-4130, f"-4{NS}130"),
        (2.5, "3"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_whole_numbers_are_grouped_by_thousands_with_a_narrow_space(value, expected):
    assert numbers.fr_int(value) == expected


@pytest.mark.parametrize(
    ("share", "decimals", "expected"),
    [
        (0.048, 1, f"4,8{NS}%"),
        (0.9448, 0, f"94{NS}%"),
        (0.125, 0, f"13{NS}%"),
        (Decimal("0.0485"), 2, f"4,85{NS}%"),
        (1, 0, f"100{NS}%"),
        (None, 0, "—"),
    ],
)
def test_shares_are_written_as_percentages_with_a_decimal_comma(share, decimals, expected):
    assert numbers.fr_percent(share, decimals) == expected


def test_decimals_have_a_comma_and_grouped_thousands():
    assert numbers.fr_decimal(12345.675, 2) == f"12{NS}345,68"
    assert numbers.fr_decimal(-0.04, 1) == "0,0"
    assert numbers.fr_number(2.50) == "2,5"
    assert numbers.fr_number(3780.0) == f"3{NS}780"
    assert numbers.fr_number(0.048, 3) == "0,048"
    assert numbers.fr_number("PCSG") == "PCSG"


def test_templates_use_the_same_helper_through_filters():
    template = Template(
        "{% load numbers %}{{ n|fr_int }} · {{ share|fr_percent:1 }} · {{ x|fr_decimal:2 }}"
        " · {{ missing|fr_int }} · {{ text|fr_int }}"
    )
    shown = template.render(
        Context({"n": 3780, "share": 0.048, "x": 2.456, "missing": None, "text": "4130"})
    )
    assert shown == f"3{NS}780 · 4,8{NS}% · 2,46 · — · 4{NS}130"


def test_charts_are_drawn_with_the_same_french_locale():
    assert FORMAT_LOCALE["thousands"] == NS
    assert FORMAT_LOCALE["decimal"] == ","
