"""Sheet `programme`: one key and its value a row (name, dates, the programme's ratios)."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ancrage.programmes.models import Programme

from ..rows import RowCells
from ..schema import PROGRAMME_KEYS, PROGRAMME_KEYS_BY_NAME, Column, limit_of

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def _read(row: RowCells, key: Column) -> Any:
    """A key's `valeur` cell, read as schema.PROGRAMME_KEYS declares it."""
    required = key.required
    if key.parser == "date":
        return row.date("valeur", required)
    if key.parser == "share":
        return row.number("valeur", limit_of("programme", key), required, maximum=Decimal(1))
    if key.parser == "number":
        return row.number("valeur", limit_of("programme", key), required)
    if key.parser == "count":
        return row.count("valeur", limit_of("programme", key), required)
    return row.text("valeur", required)


def _rows_by_key(imp: "WorkbookImporter") -> dict[str, RowCells]:
    rows: dict[str, RowCells] = {}
    for row in imp.rows("programme"):
        key = row.text("cle", required=True)
        if not key:
            continue
        if key not in PROGRAMME_KEYS_BY_NAME:
            row.problem(
                "cle",
                _("clé « {key} » inconnue : clés possibles {keys}").format(
                    key=key, keys=", ".join(PROGRAMME_KEYS_BY_NAME)
                ),
            )
        elif key in rows:
            row.problem("cle", _("clé « {key} » en double").format(key=key))
        else:
            rows[key] = row
    for key in PROGRAMME_KEYS:
        if key.required and key.name not in rows and "programme" not in imp.skipped:
            imp.problem(
                "programme",
                "-",
                "cle",
                _("clé obligatoire « {key} » absente").format(key=key.name),
            )
    return rows


def load_programme(imp: "WorkbookImporter") -> None:
    rows = _rows_by_key(imp)
    values = {key.field: _read(rows[key.name], key) for key in PROGRAMME_KEYS if key.name in rows}
    name, start, end = (values.pop(f, None) for f in ("name", "start", "end"))
    if start and end and end < start:
        rows["fin"].problem("valeur", _("la fin du programme précède son début"))
    if values.get("days_per_fte") == 0:
        rows["jours_par_etp"].problem("valeur", _("le nombre de jours par ETP doit être positif"))
    if name and not imp.staging and Programme.objects.filter(name=name).exists():
        rows["nom"].problem(
            "valeur",
            _(
                "un programme nommé « {name} » existe déjà : pour le mettre à jour depuis ce "
                "classeur, choisissez « Mettre à jour le programme » (ligne de commande : "
                "ancrage import CLASSEUR --update)"
            ).format(name=name),
        )
    imp.file_name = name or ""
    if imp.writing:
        imp.programme = Programme.objects.create(
            name=imp.staging or name,
            start=start,
            end=end,
            **{
                field: float(value) if isinstance(value, Decimal) else value
                for field, value in values.items()
                if value is not None
            },
        )
    imp.programme_period = (start, end)
