"""Sheets `structures` and `personnes`: the structures and the pseudonymous professionals, read
as schema.COLUMNS declares them."""

from typing import TYPE_CHECKING

from ancrage.activities.models import Person, Structure
from ancrage.activities.services import people_territories_settle

from ..rows import BATCH, declared_values
from ..schema import ALL_TERRITORIES

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def _load(imp: "WorkbookImporter", sheet: str, model, registry, on_row=None) -> None:
    batch, seqs = [], []
    for row in imp.rows(sheet):
        fields, codes = declared_values(imp, row, sheet)
        if not codes["id"]:
            continue
        seq = registry.add(codes["id"])
        if on_row is not None:
            on_row(seq, codes)
        if row.ok:
            batch.append(model(programme_id=imp.pid(), **fields))
            seqs.append(seq)
        if len(batch) >= BATCH:
            imp.flush(model, batch, registry, seqs)
    imp.flush(model, batch, registry, seqs)


def load_structures(imp: "WorkbookImporter") -> None:
    _load(imp, "structures", Structure, imp.structures)


def load_people(imp: "WorkbookImporter") -> None:
    """A person's territory is the `territoire` column's; `*` for the whole programme; empty
    (or no column), settled after the participations (settle_people)."""

    def programme_wide(seq: int, codes: dict) -> None:
        if codes.get("territoire") == ALL_TERRITORIES:
            imp.programme_wide_people.append(codes["id"])

    _load(imp, "personnes", Person, imp.people, programme_wide)


def settle_people(imp: "WorkbookImporter") -> None:
    """People without a territory take their structure's, else the one where they took part
    (activities.services.people_territories_settle)."""
    if imp.writing and imp.programme is not None:
        keep = Person.objects.filter(
            programme=imp.programme, code__in=imp.programme_wide_people, territory__isnull=True
        ).values_list("pk", flat=True)
        people_territories_settle(programme=imp.programme, keep=list(keep))
