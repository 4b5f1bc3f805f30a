"""Sheets `territoires` and `communes`: the programme's territories and their communes, read as
schema.COLUMNS declares them."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.territories.models import Commune, Territory

from ..rows import BATCH, declared_values
from ..schema import ALL_TERRITORIES

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def load_territories(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("territoires"):
        fields, codes = declared_values(imp, row, "territoires")
        code = codes["code"]
        if code == ALL_TERRITORIES:
            row.problem("code", _("« * » est réservé à « tout le programme »"))
        if not code:
            continue
        seq = imp.territories.add(code)
        if row.ok:
            batch.append(Territory(programme_id=imp.pid(), **fields))
            seqs.append(seq)
    imp.flush(Territory, batch, imp.territories, seqs)


def is_insee(code: str) -> bool:
    return len(code) == 5 and code[:2].replace("A", "0").replace("B", "0").isdigit()


def checked_insee(row, code: str) -> str:
    """The commune's code, or "" after saying it is not an INSEE code."""
    if code and not is_insee(code):
        row.problem(
            "code_insee", _("« {code} » n'est pas un code INSEE (5 caractères)").format(code=code)
        )
        return ""
    return code


def load_communes(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("communes"):
        fields, codes = declared_values(imp, row, "communes")
        code = codes["code_insee"]
        code = checked_insee(row, code)
        if not code:
            continue
        seq = imp.communes.add(code)
        if row.ok:
            batch.append(Commune(programme_id=imp.pid(), **fields))
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(Commune, batch, imp.communes, seqs)
    imp.flush(Commune, batch, imp.communes, seqs)
