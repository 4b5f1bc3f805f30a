"""School years run 1 September – 31 August; a school year is named by its first year."""

import datetime as dt
import re

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def parse_school_year(label: str) -> int | None:
    """'2023-2024' → 2023; None when the label is not two consecutive years."""
    match = SCHOOL_YEAR_RE.match(label.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        return None
    return int(match.group(1))


def school_years_between(start: dt.date, end: dt.date) -> list[int]:
    """Every school year that the period [start, end] touches."""
    return list(range(school_year_of(start), school_year_of(end) + 1))
