"""Sheets `structures` and `personnes`: the structures and the pseudonymous professionals, read
as schema.COLUMNS declares them."""

from typing import TYPE_CHECKING

from ancrage.activities.models import Person, Structure

from ..rows import BATCH, declared_values

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def _load(imp: "WorkbookImporter", sheet: str, model, registry) -> None:
    batch, seqs = [], []
    for row in imp.rows(sheet):
        fields, codes = declared_values(imp, row, sheet)
        if not codes["id"]:
            continue
        seq = registry.add(codes["id"])
        if row.ok:
            batch.append(model(programme_id=imp.pid(), **fields))
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(model, batch, registry, seqs)
    imp.flush(model, batch, registry, seqs)


def load_structures(imp: "WorkbookImporter") -> None:
    _load(imp, "structures", Structure, imp.structures)


def load_people(imp: "WorkbookImporter") -> None:
    _load(imp, "personnes", Person, imp.people)
