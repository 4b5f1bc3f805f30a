"""What a numeric column keeps, read from its model field: its smallest and largest number and,
for a decimal column, its decimal places.

Imports and forms check a number against it, so that a number the column cannot keep is a
problem at its cell or field, in French, and not a database error that stops everything
(PostgreSQL: « integer out of range », « numeric field overflow »; SQLite kept any number).
The ranges are PostgreSQL's for every database, so that a file refused in production is refused
in a test or on a laptop too. A float column (a double) keeps any number up to 10³⁰⁸: a larger
one would become infinity, which PostgreSQL stores as « Infinity » and no figure can use.
"""

import functools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cells import CellError
from .numbers import fr_decimal, fr_int

# The largest number a float column is given: a double keeps up to about 1,8 × 10³⁰⁸, and beyond
# float() gives infinity (PostgreSQL stores it, SQLite too; a NaN becomes NULL in SQLite). A round
# power of ten, so that the message reads simply; no figure of a programme comes near it.
FLOAT_MAXIMUM = Decimal("1e308")
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Limit:
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    places: int | None = None  # a decimal column's decimal places; None: not a decimal column
    double: bool = False  # a float column: its bounds are ± FLOAT_MAXIMUM

    @property
    def whole_digits(self) -> int | None:
        """Digits before the point that any number of them keeps (6 for 999 999,99)."""
        if self.maximum is None or self.double:
            return None
        return len(str(int(self.maximum))) - (0 if self.places is not None else 1)

    def shown(self, value: int | Decimal) -> str:
        if self.double:  # 10³⁰⁸, not 309 digits
            sign = "-" if value < 0 else ""
            return f"{sign}10{str(Decimal(abs(value)).adjusted()).translate(SUPERSCRIPTS)}"
        return fr_int(value) if self.places is None else fr_decimal(value, self.places)

    def keep(self, value):
        """`value` as the column keeps it: a decimal rounded half up to the column's places
        (1,234 h → 1,23 h, as PostgreSQL would round it); CellError when out of range. Never
        a NaN nor an infinity: for a float column, 1E400 is too large, not infinite."""
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            if math.isnan(value):
                raise CellError(_("nombre attendu"))
            # Infinity, or a Decimal that a float cannot hold: past any column.
            raise self._too_large() if value > 0 else self._too_small()
        if self.places is not None:
            if self.maximum is not None and abs(value) >= 10 ** (self.whole_digits or 0):
                raise self._too_large() if value > 0 else self._too_small()
            value = value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        if self.maximum is not None and value > self.maximum:
            raise self._too_large()
        if self.minimum is not None and value < self.minimum:
            raise self._too_small()
        return value

    def _too_large(self) -> CellError:
        return CellError(
            _("le nombre doit être au plus {maximum}").format(maximum=self.shown(self.maximum))
        )

    def _too_small(self) -> CellError:
        return CellError(
            _("le nombre doit être au moins {minimum}").format(minimum=self.shown(self.minimum))
        )


@functools.cache
def of(model: type[models.Model], name: str) -> Limit:
    """The limit of `model`'s numeric field `name`."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        places = field.decimal_places
        top = Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)
        return Limit(-top, top, places)
    if isinstance(field, models.IntegerField):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        return Limit(low, high)
    if isinstance(field, models.FloatField):
        return Limit(-FLOAT_MAXIMUM, FLOAT_MAXIMUM, double=True)
    raise TypeError(f"{model.__name__}.{name} is not a numeric field")


def _at_most(limit: Limit):
    return format_lazy(
        gettext_lazy("Le nombre doit être au plus {maximum}."), maximum=limit.shown(limit.maximum)
    )


def form_bounds(model: type[models.Model], name: str) -> dict:
    """A form field's arguments for what `model`'s field `name` keeps: its largest number (said
    the French way when refused) and, for a decimal column, its decimal places (a form refuses
    more: the person typing can correct it, where an import rounds). A float column's number is
    typed in a DecimalField: 1E400 is then too large, where a FloatField reads infinity."""
    limit = of(model, name)
    bounds = {"max_value": limit.maximum, "error_messages": {"max_value": _at_most(limit)}}
    if limit.places is not None:
        bounds["decimal_places"] = limit.places
    return bounds


def api_bounds(model: type[models.Model], name: str) -> dict:
    """The same for a REST framework field: its largest number, said as the forms say it. A
    decimal column's places are left to the form the API writes through: given them, REST
    framework rounds before it compares, and 10⁴⁰⁰ overflows its 28-digit context (a 500)."""
    limit = of(model, name)
    bounds = {"max_value": limit.maximum, "error_messages": {"max_value": _at_most(limit)}}
    if limit.places is not None:
        bounds |= {"max_digits": None, "decimal_places": None}
    return bounds
