"""Read one typed value from a workbook cell, or say in French why it cannot be read."""

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _


class CellError(ValueError):
    pass


class Uncomputed:
    """A formula cell saved without its computed value (files written by scripts: openpyxl and
    the like never compute). Read as empty, it would silently change the figures."""

    def __init__(self, coordinate: str):
        self.coordinate = coordinate

    def error(self) -> CellError:
        return CellError(
            _(
                "la cellule {cell} contient une formule sans valeur calculée : ouvrez le "
                "fichier dans Excel ou LibreOffice, enregistrez-le, puis importez-le à nouveau"
            ).format(cell=self.coordinate)
        )


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Uncomputed):
        raise value.error()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _numeric_text(value: str) -> str:
    # French spreadsheets write 1 250,5: drop (non-breaking) spaces, use a decimal point.
    return re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")


SPREADSHEET_DIGITS = 15


def _spreadsheet_float(value: float) -> Decimal:
    """Excel and LibreOffice keep 15 significant digits: 1/3 saved by them reads
    0.333333333333333. Such a value, that close to a simple fraction, is that fraction, so that
    a programme exported then re-saved in a spreadsheet keeps its exact figures."""
    digits = len(repr(abs(value)).replace(".", "").lstrip("0"))
    if digits >= SPREADSHEET_DIGITS:
        fraction = Fraction(value).limit_denominator(1000)
        if abs(float(fraction) - value) < 1e-12:
            return Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return Decimal(str(value))


def decimal(value: Any) -> Decimal:
    if isinstance(value, Uncomputed):
        raise value.error()
    if isinstance(value, bool):
        raise CellError(_("nombre attendu"))
    if isinstance(value, float):
        if not math.isfinite(value):  # 1E400 written as a number in the file's XML: infinity
            raise CellError(_("« {value} » n'est pas un nombre").format(value=value))
        return _spreadsheet_float(value)
    if isinstance(value, int):
        return Decimal(value)
    raw = _numeric_text(text(value))
    try:
        if "/" in raw:  # a share may be written 1/3
            fraction = Fraction(raw)
            return Decimal(fraction.numerator) / Decimal(fraction.denominator)
        number = Decimal(raw)
    except (InvalidOperation, ValueError, ZeroDivisionError):
        raise CellError(_("« {value} » n'est pas un nombre").format(value=text(value))) from None
    if not number.is_finite():
        raise CellError(_("« {value} » n'est pas un nombre").format(value=text(value)))
    return number


def integer(value: Any) -> int:
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("« {value} » n'est pas un nombre entier").format(value=text(value)))
    return int(number)


DATE_FR_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def date(value: Any) -> dt.date:
    if isinstance(value, Uncomputed):
        raise value.error()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        return dt.date.fromisoformat(raw[:10] if len(raw) > 10 and raw[10] in " T" else raw)
    except ValueError:
        pass
    match = DATE_FR_RE.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise CellError(
        _("« {value} » n'est pas une date valide (format attendu AAAA-MM-JJ)").format(value=raw)
    )
