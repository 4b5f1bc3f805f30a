"""The large sheets of an update compared in the database (docs/performance.md, « Mise à jour
depuis un classeur »): territories, communes, structures, people, actions with their structures,
participations.

Reading both programmes' rows into Python to compare them took 1.4 GB for a programme of
890,000 rows. Here the staging programme's rows are matched with the target's by their codes in
a few grouped queries, which return only the keys of the rows created, absent from the file, or
whose stored values differ somewhere (NULL equal to NULL, references by their codes, an action's
structures link by link, position kept). Only those rows are then read, in batches, as the
export writes them, and compared field by field like every other sheet (update_plan.py): what
the preview shows and what counts as a change stay the same (a stored difference the export
writes alike, 18 and 18.00 hours, is a row unchanged), and memory follows the changes, not the
programme. The queries' plans: see `hash_joins`.
"""

from django.apps import apps
from django.db.models import BooleanField, Exists, Expression, F, OuterRef

from ancrage.activities.models import Action, ActionStructure
from ancrage.core.pgsettings import transaction_setting

from .exporter import DECLARED_ORDER, rows_of
from .schema import COLUMNS, MODELS, SHEETS_BY_NAME
from .sheets_update import BATCH, SEPARATOR, batched
from .update_plan import CHANGED, CREATED, DELETED, KEPT, Change, SheetChanges, changed_fields

COMPARED_IN_DATABASE = {
    "territoires",
    "communes",
    "structures",
    "personnes",
    "actions",
    "participations",
}
LINKS = "structures"  # the actions' column written from their structure links


class Differs(Expression):
    """True when the two values of any pair differ, NULL being equal to NULL."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, pairs):
        super().__init__()
        self.sides = [side for pair in pairs for side in pair]

    def get_source_expressions(self):
        return self.sides

    def set_source_expressions(self, exprs):
        self.sides = list(exprs)

    def as_sql(self, compiler, connection):
        operator = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
        parts, params = [], []
        for left, right in zip(self.sides[::2], self.sides[1::2], strict=True):
            left_sql, left_params = compiler.compile(left)
            right_sql, right_params = compiler.compile(right)
            parts.append(f"{left_sql} {operator} {right_sql}")
            params += [*left_params, *right_params]
        return "(" + " OR ".join(parts) + ")", params


def hash_joins():
    """On PostgreSQL, the grouped queries join by hash. The staging programme's rows were
    written in this transaction and have no statistics yet: from the target's alone, the
    planner takes them for a handful and loops over the target's rows for each (minutes at
    scale 0.2, as the import's set-based inserts did)."""
    return transaction_setting("enable_nestloop", "off")


def _sources(sheet: str, names) -> list[str]:
    """The lookups the export reads the columns `names` with (references by their codes)."""
    return [column.source for column in COLUMNS[sheet] if column.name in names]


def _same(rows, lookups):
    """`rows` with the same values as the outer query's row for `lookups`."""
    return rows.filter(**{lookup: OuterRef(lookup) for lookup in lookups})


def _keyed(rows, order: str, lookups) -> dict[str, object]:
    """Each row's key (its key columns joined as the update writes them) → its export order."""
    found = rows.order_by(order).values_list(order, *lookups).iterator(chunk_size=BATCH)
    return {SEPARATOR.join(str(v) for v in values): at for at, *values in found}


def _relinked(target, staging) -> set[str]:
    """The codes of the actions of both programmes whose structures differ (a link that the
    other side's action of the same code lacks, at the same position)."""

    def unmatched(programme, other):
        links = ActionStructure.objects.filter(action__programme=programme)
        theirs = ActionStructure.objects.filter(action__programme=other)
        return (
            links.exclude(Exists(_same(theirs, ("action__code", "position", "structure__code"))))
            .filter(Exists(Action.objects.filter(programme=other, code=OuterRef("action__code"))))
            .values_list("action__code", flat=True)
            .distinct()
        )

    return {*unmatched(staging, target).iterator(), *unmatched(target, staging).iterator()}


def _exported(sheet: str, keys, programme, codes: list[str]) -> dict[str, dict]:
    """The rows of `codes` as exported, by key (the last row of a key read wins, as a Python
    dictionary of the whole sheet would have it)."""
    columns = SHEETS_BY_NAME[sheet].columns
    rows = {}
    for values in rows_of(sheet, programme, codes):
        row = dict(zip(columns, ("" if v is None else v for v in values), strict=True))
        rows[SEPARATOR.join(str(row[k]) for k in keys)] = row
    return rows


def compare_in_database(
    sheet: str, keys, target, staging, *, absent: list[str], delete_missing: bool
) -> SheetChanges:
    """The sheet's changes, as update._diff would find them from both programmes' rows."""
    model = apps.get_model(MODELS[sheet])
    order = DECLARED_ORDER.get(sheet) or "pk"
    lookups = _sources(sheet, keys)
    staged = model.objects.filter(programme=staging)
    existing = model.objects.filter(programme=target)

    compared = [
        column.name
        for column in COLUMNS[sheet]
        if column.name not in keys and column.name not in absent and column.name != LINKS
    ]
    candidates = {}
    with hash_joins():
        created = _keyed(staged.exclude(Exists(_same(existing, lookups))), order, lookups)
        missing = _keyed(existing.exclude(Exists(_same(staged, lookups))), order, lookups)
        if compared:
            pairs = [(F(lookup), OuterRef(lookup)) for lookup in _sources(sheet, compared)]
            rows = staged.filter(Exists(_same(existing, lookups).filter(Differs(pairs))))
            candidates = _keyed(rows, order, lookups)
        relinked = set()
        if sheet == "actions" and LINKS not in absent:
            relinked = _relinked(target, staging) - candidates.keys()
    for codes in batched(sorted(relinked), BATCH):
        candidates |= _keyed(staged.filter(code__in=codes), order, lookups)

    result = SheetChanges(sheet, absent=absent)
    found = [(at, Change(CREATED, key)) for key, at in created.items()]
    for codes in batched(sorted(candidates, key=candidates.get), BATCH):
        old = _exported(sheet, keys, target, codes)
        new = _exported(sheet, keys, staging, codes)
        for key in codes:
            fields = changed_fields(old[key], new[key], absent)
            if fields:
                found.append((candidates[key], Change(CHANGED, key, fields)))
    if order != "pk" and len(found) > 1:
        # Codes in the order the database sorts them (its collation), as the export writes
        # them: the sheet's codes are read for that (territories and communes, 35,000 at most).
        codes = staged.order_by(order).values_list(order, flat=True).iterator(chunk_size=BATCH)
        rank = {code: at for at, code in enumerate(codes)}
        found = [(rank[at], change) for at, change in found]
    result.changes = [change for _at, change in sorted(found, key=lambda pair: pair[0])]
    result.untouched = staged.count() - len(result.changes)
    result.changes += [Change(DELETED if delete_missing else KEPT, key) for key in missing]
    return result
