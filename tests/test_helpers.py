import datetime as dt
from decimal import Decimal

import pytest

from ancrage.core import cells
from ancrage.core.numbers import round_half_up
from ancrage.core.privacy import scrub
from ancrage.core.schoolyear import parse_school_year, school_year_of, school_years_between


def test_free_text_loses_emails_and_phone_numbers():
    text = "Écrire à marie.dupont@ecole.fr ou au 06 12 34 56 78 (+33 6 12 34 56 78), merci"
    assert scrub(text) == (
        "Écrire à [courriel masqué] ou au [téléphone masqué] ([téléphone masqué]), merci"
    )
    assert scrub("Séance du 12/05, 3 enfants sur 25") == "Séance du 12/05, 3 enfants sur 25"


def test_school_years_run_from_september_to_august():
    assert school_year_of(dt.date(2023, 8, 31)) == 2022
    assert school_year_of(dt.date(2023, 9, 1)) == 2023
    assert school_years_between(dt.date(2022, 1, 1), dt.date(2025, 8, 31)) == [
        2021,
        2022,
        2023,
        2024,
    ]
    assert parse_school_year("2023-2024") == 2023
    assert parse_school_year("2023-2025") is None


def test_rounding_is_half_up():
    assert round_half_up(22.5) == 23
    assert round_half_up(270 * 0.7 * 20) == 3780


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1 250,5", Decimal("1250.5")), (3, Decimal(3)), ("1/3", Decimal(1) / Decimal(3))],
)
def test_numbers_read_the_french_way(value, expected):
    assert cells.decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),
        (dt.datetime(2024, 1, 2, 0, 0), dt.date(2024, 1, 2)),
        ("02/01/2024", dt.date(2024, 1, 2)),
        ("2024-01-02 00:00:00", dt.date(2024, 1, 2)),
    ],
)
def test_dates_accept_iso_excel_and_french_forms(value, expected):
    assert cells.date(value) == expected


@pytest.mark.parametrize("value", ["2023-02-29", "demain", "31/02/2023"])
def test_impossible_dates_are_refused(value):
    with pytest.raises(cells.CellError):
        cells.date(value)
