from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | Decimal) -> int:
    """Round as people do (2.5 → 3), not as Python's banker's round() does."""
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
