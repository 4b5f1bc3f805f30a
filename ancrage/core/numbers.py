"""Numbers written the French way, in one place for pages, reports, charts and the command line.

4130 → « 4 130 », 0.048 → « 4,8 % », 2.5 → « 2,5 »: the thousands separator and the space before
« % » are narrow no-break spaces (U+202F), as in the evaluation deck. Templates use the same
functions through the `numbers` filters (`{% load numbers %}`: `{{ n|fr_int }}`).
"""

from decimal import ROUND_HALF_UP, Decimal

NARROW_SPACE = "\u202f"  # French thousands separator and space before "%"
MISSING = "—"

# The same rules for charts drawn by Vega (d3-format locale), in the browser and by vl-convert.
FORMAT_LOCALE = {
    "decimal": ",",
    "thousands": NARROW_SPACE,
    "grouping": [3],
    "currency": ["", "\u00a0€"],
    "percent": f"{NARROW_SPACE}%",
}

# The same rules as Office number formats, for the deck's native charts: the separators are
# quoted literals, so PowerPoint and LibreOffice write « 3 620 » and « 94 % » whatever the
# viewer's locale (« #,##0 » would read « 3,620 » on an English machine). Counts are whole.
OFFICE_INTEGER = (
    f'[>=1000000]#"{NARROW_SPACE}"###"{NARROW_SPACE}"##0;[>=1000]#"{NARROW_SPACE}"##0;0'
)
# Shares (0 to 1) as whole percentages; negative ones (left of zero) without their sign.
OFFICE_PERCENT = f'0"{NARROW_SPACE}"%;0"{NARROW_SPACE}"%'


def round_half_up(value: float | Decimal) -> int:
    """Round as people do (2.5 → 3), not as Python's banker's round() does."""
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _round(value: float | Decimal, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """'1234567' → '1 234 567' (digits only, no sign)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NARROW_SPACE.join(parts)


def _is_missing(value) -> bool:
    return value is None or value == "" or isinstance(value, bool)


def fr_decimal(value: float | Decimal | int | None, decimals: int = 1) -> str:
    """12345.67 → « 12 345,7 » (decimals=1); half rounds up, as people do."""
    if _is_missing(value):
        return MISSING
    text = f"{_round(value, decimals):f}"
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if sign and set(whole + fraction) <= {"0"}:
        sign = ""  # -0,0 reads as 0,0
    grouped = sign + _group(whole)
    return f"{grouped},{fraction}" if fraction else grouped


def fr_int(value: float | Decimal | int | None) -> str:
    """4130 → « 4 130 »."""
    return fr_decimal(value, 0)


def fr_percent(share: float | Decimal | None, decimals: int = 0) -> str:
    """A share written as a percentage: 0.9448 → « 94 % », 0.048 with decimals=1 → « 4,8 % »."""
    if _is_missing(share):
        return MISSING
    return f"{fr_decimal(Decimal(str(share)) * 100, decimals)}{NARROW_SPACE}%"


def fr_number(value, decimals: int = 2) -> str:
    """Any number as people read it: whole numbers grouped, others with at most `decimals`
    decimals and no trailing zeros (2.50 → « 2,5 »); anything else unchanged."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, int):
        return fr_int(value)
    if isinstance(value, float | Decimal):
        text = fr_decimal(value, decimals)
        if "," in text:
            text = text.rstrip("0").rstrip(",")
        return text
    return str(value)
