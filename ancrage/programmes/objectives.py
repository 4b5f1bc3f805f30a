"""How an objective reads: as written for its period, with the programme total it implies.

The workbook states the deployment pack per school year (« 2 formations par an »); the figures
compare the delivered count with the total over the school years covered. Both are shown, so a
reader never takes a four-year total for a yearly target (« 2 par an, soit 8 sur 4 années
scolaires »).
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.core.numbers import fr_int

PROGRAMME_WIDE = "*"  # the workbook's territory of a programme-wide objective


def territory_label(code: str) -> str:
    """« Programme » for a programme-wide objective, else the territory's code."""
    return _("Programme") if code == PROGRAMME_WIDE else code


def _range(low: int | None, high: int | None) -> str:
    if high is None:
        return _("au moins {n}").format(n=fr_int(low or 0))
    if low is None or low == high:
        return fr_int(high)
    return _("{low} à {high}").format(low=fr_int(low), high=fr_int(high))


def per_period_text(row: dict) -> str:
    """The target as written: « 2 par an », « 4 à 8 par an », « au moins 5 sur le programme »."""
    written = _range(row["min"], row["max"])
    if row["periode"] == "an":
        return _("{range} par an").format(range=written)
    return _("{range} sur le programme").format(range=written)


def total_text(row: dict) -> str:
    """The implied total of a yearly target: « soit 8 sur 4 années scolaires » (empty for a
    target already written for the whole programme)."""
    if row["periode"] != "an":
        return ""
    years = row["years"]
    return ngettext(
        "soit {range} sur {n} année scolaire",
        "soit {range} sur {n} années scolaires",
        years,
    ).format(range=_range(row["total_min"], row["total_max"]), n=years)


def expected_text(row: dict) -> str:
    """« 2 par an, soit 8 sur 4 années scolaires » or « 3 620 sur le programme »."""
    total = total_text(row)
    return f"{per_period_text(row)}, {total}" if total else per_period_text(row)
