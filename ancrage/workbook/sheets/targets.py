"""Sheets `objectifs`, `coordination` and `totaux_declares`: what the programme aims at, the
coordination time, and totals stated elsewhere (checked by `ancrage check`), read as
schema.COLUMNS declares them."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.programmes.models import CoordinationDays, DeclaredTotal, Objective

from ..rows import declared_values

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def load_objectives(imp: "WorkbookImporter") -> None:
    batch = []
    for position, row in enumerate(imp.rows("objectifs")):
        fields, _codes = declared_values(imp, row, "objectifs")
        minimum, maximum = fields["minimum"], fields["maximum"]
        if minimum is not None and maximum is not None and maximum < minimum:
            row.problem("max", _("le maximum est inférieur au minimum"))
        if row.ok:
            batch.append(Objective(programme_id=imp.pid(), position=position, **fields))
    imp.flush(Objective, batch)


def load_coordination(imp: "WorkbookImporter") -> None:
    batch, seen = [], set()
    for row in imp.rows("coordination"):
        fields, codes = declared_values(imp, row, "coordination")
        territory, label, year = codes["territoire"], codes["annee_scolaire"], fields["school_year"]
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
            batch.append(CoordinationDays(programme_id=imp.pid(), **fields))
    imp.flush(CoordinationDays, batch)


def load_declared_totals(imp: "WorkbookImporter") -> None:
    batch = []
    for row in imp.rows("totaux_declares"):
        fields, _codes = declared_values(imp, row, "totaux_declares")
        if row.ok:
            batch.append(DeclaredTotal(programme_id=imp.pid(), **fields))
    imp.flush(DeclaredTotal, batch)
