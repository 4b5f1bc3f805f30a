"""Write a programme back in the workbook format (docs: workbook.md), streaming every sheet."""

import itertools
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps

from ancrage.activities.models import Action, ActionStructure
from ancrage.core.schoolyear import school_year_label
from ancrage.programmes.models import Programme

from .records import export_rows
from .schema import ALL_TERRITORIES, COLUMNS, MODELS, PROGRAMME_KEYS
from .sheets import questionnaires
from .sheets.evaluation import RECORD_SHEETS
from .writer import write_sheets

CHUNK = 5000


def _number(value):
    """Whole decimals as integers, so that 3.00 hours reads 3."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _programme_rows(programme: Programme) -> Iterator[tuple]:
    for key in PROGRAMME_KEYS:
        value = getattr(programme, key.field)
        yield (key.name, _number(value) if key.parser == "number" else value)


def _action_rows(programme: Programme, codes=None) -> Iterator[tuple]:
    """The actions as COLUMNS["actions"] declares them, with their structures' codes in order;
    only those of `codes` when given."""
    columns = [c for c in COLUMNS["actions"] if c.parser != "refs:structures"]
    at = [c.name for c in COLUMNS["actions"]].index("structures")
    written = [WRITTEN.get(c.parser.partition(":")[0]) for c in columns]
    actions = Action.objects.filter(programme=programme).order_by("pk")
    actions = actions.values_list("pk", *(c.source for c in columns))
    links = ActionStructure.objects.filter(programme=programme)
    if codes is None:
        actions = actions.iterator(chunk_size=CHUNK)
    else:
        # A few actions (an update's changes): their links by the actions' ids. Joined to the
        # actions by code, the links of an update's staging programme, written in the same
        # transaction and without statistics yet, were read in a loop over all its actions.
        actions = list(actions.filter(code__in=codes))
        links = ActionStructure.objects.filter(action_id__in=[row[0] for row in actions])
    links = (
        links.order_by("action_id", "position")
        .values_list("action_id", "structure__code")
        .iterator(chunk_size=CHUNK)
    )
    # Both streams are ordered by action: merge them without holding either in memory.
    grouped = itertools.groupby(links, key=lambda link: link[0])
    pending = next(grouped, None)
    for pk, *values in actions:
        structures = ""
        while pending is not None and pending[0] < pk:
            pending = next(grouped, None)
        if pending is not None and pending[0] == pk:
            structures = ";".join(code for _, code in pending[1])
            pending = next(grouped, None)
        cells = [w(v) if w else v for v, w in zip(values, written, strict=True)]
        yield (*cells[:at], structures, *cells[at:])


# Each declared sheet's row order (None: its model's own ordering); its model: schema.MODELS.
DECLARED_ORDER = {
    "territoires": "code",
    "communes": "insee_code",
    "structures": "pk",
    "personnes": "pk",
    "participations": "pk",
    "objectifs": None,
    "coordination": None,
    "totaux_declares": None,
}
# How a value is written back, by parser (the others as stored).
WRITTEN = {
    "yes_no": lambda value: "oui" if value else "",
    "all_or_ref": lambda value: value or ALL_TERRITORIES,
    "number": _number,
    "school_year": school_year_label,
}


def _declared_rows(name: str, programme: Programme, **only) -> Iterator[tuple]:
    """A core sheet's rows as schema.COLUMNS declares them (`only`: a filter on them)."""
    model, order = apps.get_model(MODELS[name]), DECLARED_ORDER[name]
    columns = COLUMNS[name]
    written = [WRITTEN.get(column.parser.partition(":")[0]) for column in columns]
    rows = model.objects.filter(programme=programme, **only)
    rows = rows.order_by(order) if order else rows
    for row in rows.values_list(*(column.source for column in columns)).iterator(chunk_size=CHUNK):
        yield tuple(
            write(value) if write else value for value, write in zip(row, written, strict=True)
        )


def rows_of(name: str, programme: Programme, codes: list[str]) -> Iterator[tuple]:
    """The rows of a core sheet keyed by one code (its first column) whose code is in `codes`,
    as the export writes them."""
    if name == "actions":
        return _action_rows(programme, codes)
    return _declared_rows(name, programme, **{f"{COLUMNS[name][0].field}__in": codes})


def sheet_rows(programme: Programme) -> dict[str, Iterator[tuple]]:
    """Each sheet's rows, in the column order of schema.SHEETS."""
    p = programme
    return _with_records(
        {
            "programme": _programme_rows(p),
            **{name: _declared_rows(name, p) for name in DECLARED_ORDER},
            "actions": _action_rows(p),
        },
        p,
    )


def _with_records(rows: dict, programme: Programme) -> dict:
    records = {sheet.name: export_rows(sheet, programme) for sheet in RECORD_SHEETS}
    return rows | records | questionnaires.export_rows(programme)


def export_workbook(programme: Programme, out: Path | str) -> Path:
    """Write an .xlsx file, or a folder of <sheet>.csv files when `out` does not end in .xlsx."""
    return write_sheets(sheet_rows(programme), Path(out))
