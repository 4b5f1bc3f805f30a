"""Sheets `structures` and `personnes`: the structures and the pseudonymous professionals."""

from typing import TYPE_CHECKING

from ancrage.activities.models import Person, Structure
from ancrage.core.privacy import scrub

from ..rows import BATCH

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def load_structures(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("structures"):
        code = imp.new_code(row, "id", imp.structures)
        name = row.text("nom", required=True)
        kind = row.choice("type", "structure_type", required=True)
        commune = row.ref("code_insee", imp.communes)
        qpv = row.choice("qpv", "yes_no") == "oui"
        if not code:
            continue
        seq = imp.structures.add(code)
        if row.ok:
            batch.append(
                Structure(
                    programme_id=imp.pid(),
                    code=code,
                    name=scrub(name),
                    kind=kind,
                    commune_id=imp.communes.id_of(commune),
                    qpv=qpv,
                )
            )
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(Structure, batch, imp.structures, seqs)
    imp.flush(Structure, batch, imp.structures, seqs)


def load_people(imp: "WorkbookImporter") -> None:
    batch, seqs = [], []
    for row in imp.rows("personnes"):
        code = imp.new_code(row, "id", imp.people)
        profession = row.text("profession", required=True, max_length=120)
        structure = row.ref("structure", imp.structures, required=False)
        if not code:
            continue
        seq = imp.people.add(code)
        if row.ok:
            batch.append(
                Person(
                    programme_id=imp.pid(),
                    code=code,
                    profession=profession,
                    structure_id=imp.structures.id_of(structure) if structure else None,
                )
            )
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(Person, batch, imp.people, seqs)
    imp.flush(Person, batch, imp.people, seqs)
