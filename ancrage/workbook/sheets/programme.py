"""Sheet `programme`: one key and its value a row (name, dates, the programme's ratios)."""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ancrage.programmes.models import Programme

from ..rows import RowCells
from ..schema import PROGRAMME_KEYS

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def load_programme(imp: "WorkbookImporter") -> None:
    values: dict[str, tuple[RowCells, Any]] = {}
    for row in imp.rows("programme"):
        key = row.text("cle", required=True)
        if not key:
            continue
        if key not in PROGRAMME_KEYS:
            row.problem(
                "cle",
                _("clé « {key} » inconnue : clés possibles {keys}").format(
                    key=key, keys=", ".join(PROGRAMME_KEYS)
                ),
            )
        elif key in values:
            row.problem("cle", _("clé « {key} » en double").format(key=key))
        else:
            values[key] = (row, row.raw("valeur"))
    for key, required in PROGRAMME_KEYS.items():
        if required and key not in values and "programme" not in imp.skipped:
            imp.problem(
                "programme", "-", "cle", _("clé obligatoire « {key} » absente").format(key=key)
            )

    def read(key: str, how: Callable[[RowCells], Any]) -> Any:
        if key not in values:
            return None
        row = values[key][0]
        return how(row)

    name = read("nom", lambda r: r.text("valeur", required=True))
    start = read("debut", lambda r: r.date("valeur", required=True))
    end = read("fin", lambda r: r.date("valeur", required=True))
    if start and end and end < start:
        values["fin"][0].problem("valeur", _("la fin du programme précède son début"))
    one = Decimal(1)
    fields = {
        "replication_rate": read("taux_replication", lambda r: r.number("valeur", maximum=one)),
        "children_per_adult": read("enfants_par_adulte", lambda r: r.number("valeur")),
        "multimodal_share": read("part_multimodalite", lambda r: r.number("valeur", maximum=one)),
        "days_per_fte": read("jours_par_etp", lambda r: r.count("valeur")),
    }
    if fields["days_per_fte"] == 0:
        values["jours_par_etp"][0].problem(
            "valeur", _("le nombre de jours par ETP doit être positif")
        )
    if name and not imp.staging and Programme.objects.filter(name=name).exists():
        values["nom"][0].problem(
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
                k: float(v) if k != "days_per_fte" else v
                for k, v in fields.items()
                if v is not None
            },
        )
    imp.programme_period = (start, end)
