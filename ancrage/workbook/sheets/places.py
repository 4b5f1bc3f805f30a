"""Sheets `territoires` and `communes`: the programme's territories and their communes."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.territories.models import Commune, Territory

from ..rows import BATCH
from ..schema import ALL_TERRITORIES

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def load_territories(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("territoires"):
        code = imp.new_code(row, "code", imp.territories)
        if code == ALL_TERRITORIES:
            row.problem("code", _("« * » est réservé à « tout le programme »"))
        name = row.text("nom", required=True)
        population = row.count("population")
        commune_count = row.count("nb_communes")
        if not code:
            continue
        seq = imp.territories.add(code)
        if row.ok:
            batch.append(
                Territory(
                    programme_id=imp.pid(),
                    code=code,
                    name=name,
                    population=population,
                    commune_count=commune_count,
                )
            )
            seqs.append(seq)
    imp.flush(Territory, batch, imp.territories, seqs)


def load_communes(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("communes"):
        code = imp.new_code(row, "code_insee", imp.communes)
        if code and (len(code) != 5 or not code[:2].replace("A", "0").replace("B", "0").isdigit()):
            row.problem(
                "code_insee",
                _("« {code} » n'est pas un code INSEE (5 caractères)").format(code=code),
            )
            code = ""
        name = row.text("nom", required=True)
        territory = row.ref("territoire", imp.territories)
        population = row.count("population")
        if not code:
            continue
        seq = imp.communes.add(code)
        imp.commune_territory[code] = territory
        if row.ok:
            batch.append(
                Commune(
                    programme_id=imp.pid(),
                    insee_code=code,
                    name=name,
                    territory_id=imp.territories.id_of(territory),
                    population=population,
                )
            )
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(Commune, batch, imp.communes, seqs)
    imp.flush(Commune, batch, imp.communes, seqs)
