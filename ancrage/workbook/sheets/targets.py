"""Sheets `objectifs`, `coordination` and `totaux_declares`: what the programme aims at, the
coordination time, and totals stated elsewhere (checked by `ancrage check`)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.core.privacy import scrub
from ancrage.core.schoolyear import parse_school_year
from ancrage.programmes.models import CoordinationDays, DeclaredTotal, Objective

from ..rows import RowCells
from ..schema import ALL_TERRITORIES

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def territory_or_all(imp: "WorkbookImporter", row: RowCells) -> int | None:
    """A territory's id, or None for `*` (the whole programme)."""
    code = row.text("territoire", required=True, max_length=64)
    if code == ALL_TERRITORIES or not code:
        return None
    if not imp.territories.knows(code):
        row.problem(
            "territoire",
            _("territoire « {code} » inconnu (ou « * » pour tout le programme)").format(code=code),
        )
        return None
    return imp.territories.id_of(code)


def load_objectives(imp: "WorkbookImporter") -> None:
    batch = []
    for position, row in enumerate(imp.rows("objectifs")):
        territory = territory_or_all(imp, row)
        target = row.choice("cible", "target", required=True)
        minimum, maximum = row.count("min"), row.count("max")
        if minimum is not None and maximum is not None and maximum < minimum:
            row.problem("max", _("le maximum est inférieur au minimum"))
        period = row.choice("periode", "period", required=True)
        if row.ok:
            batch.append(
                Objective(
                    programme_id=imp.pid(),
                    territory_id=territory,
                    target=target,
                    minimum=minimum,
                    maximum=maximum,
                    period=period,
                    position=position,
                )
            )
    imp.flush(Objective, batch)


def load_coordination(imp: "WorkbookImporter") -> None:
    batch, seen = [], set()
    for row in imp.rows("coordination"):
        territory = row.ref("territoire", imp.territories)
        label = row.text("annee_scolaire", required=True)
        year = parse_school_year(label) if label else None
        if label and year is None:
            row.problem(
                "annee_scolaire",
                _("« {label} » n'est pas une année scolaire (ex. 2023-2024)").format(label=label),
            )
        days = row.number("jours", required=True)
        if territory and year is not None:
            if (territory, year) in seen:
                row.problem(
                    "annee_scolaire",
                    _("{label} déjà donnée pour le territoire « {territory} »").format(
                        label=label, territory=territory
                    ),
                )
            seen.add((territory, year))
        if row.ok:
            batch.append(
                CoordinationDays(
                    programme_id=imp.pid(),
                    territory_id=imp.territories.id_of(territory),
                    school_year=year,
                    days=days,
                )
            )
    imp.flush(CoordinationDays, batch)


def load_declared_totals(imp: "WorkbookImporter") -> None:
    batch = []
    for row in imp.rows("totaux_declares"):
        territory = territory_or_all(imp, row)
        target = row.choice("cible", "target", required=True)
        value = row.count("valeur", required=True)
        source = scrub(row.text("source", max_length=300))
        if row.ok:
            batch.append(
                DeclaredTotal(
                    programme_id=imp.pid(),
                    territory_id=territory,
                    target=target,
                    value=value,
                    source=source,
                )
            )
    imp.flush(DeclaredTotal, batch)
