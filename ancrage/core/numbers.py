from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | Decimal) -> int:
    """Round as people do (2.5 → 3), not as Python's banker's round() does."""
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


NARROW_SPACE = "\u202f"  # French thousands separator and space before "%"


def fr_int(value: int | float | None) -> str:
    """4130 → "4 130" (French thousands separator)."""
    if value is None:
        return "—"
    return f"{round_half_up(value):,}".replace(",", NARROW_SPACE)


def fr_percent(share: float | None, decimals: int = 0) -> str:
    """0.9448 → "94 %"."""
    if share is None:
        return "—"
    if decimals == 0:
        return f"{round_half_up(share * 100)}{NARROW_SPACE}%"
    return f"{share * 100:.{decimals}f}".replace(".", ",") + f"{NARROW_SPACE}%"


def fr_decimal(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{decimals}f}".replace(".", ",")
