"""The evaluation's sheets (governance records, referents, partners, contracts, framework,
verdicts, report sheets, context notes, ASTAIRE, candidate territories), declared once as
column → model field → kind, and read alike by the import, the export and the update.

A kind says how a cell is read and written: plain values (`text`, `int`, `year`, `float`,
`decimal`, `date`, `bool`, `choice`), or a reference by code (`action`, `territory`, `theme`,
`report`, `item` and `items` for the shared reference grids).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ancrage.core import cells, limits
from ancrage.core.choices import allowed_labels, match_choice, pairs
from ancrage.core.privacy import scrub

from .rows import RowCells

if TYPE_CHECKING:
    from .importer import WorkbookImporter

REFERENCES = {"action", "territory", "theme", "report", "item", "items"}
YES, NO = "oui", "non"
YES_NO = [(YES, word) for word in ("oui", "vrai", "1", "x", "yes", "true")] + [
    (NO, word) for word in ("non", "faux", "0", "no", "false")
]
LONG_TEXT = 5000


@dataclass(frozen=True)
class Col:
    name: str  # the workbook's column
    attr: str  # the model's field
    kind: str = "text"
    required: bool = False
    extra: Any = None  # a choices class, a reference grid's code, or a text's maximum length


@dataclass(frozen=True)
class RecordSheet:
    name: str
    model: type
    cols: tuple[Col, ...]
    key: tuple[str, ...]  # the columns that identify a row (update)
    owner: str = "programme"  # "programme", or the column whose reference owns the row
    check: Callable | None = None  # (row, values) -> None: checks across the row's cells

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cols)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cols if c.required)

    def queryset(self, programme):
        model = self.model
        owner = {"programme": "programme", "action": "action__programme"}.get(self.owner)
        if owner is None:  # through another reference: theme, report
            owner = {"theme": "theme__programme", "report": "report__action__programme"}[self.owner]
        related = [c.attr for c in self.cols if c.kind in REFERENCES - {"items"}]
        query = model.objects.filter(**{owner: programme}).select_related(*related)
        items = [c.attr for c in self.cols if c.kind == "items"]
        return query.prefetch_related(*items).order_by("pk")


# -- writing a cell ----------------------------------------------------------------------------
def cell_of(col: Col, obj) -> Any:
    """The cell the export writes for `obj`'s field."""
    value = getattr(obj, col.attr)
    if col.kind == "bool":
        return YES if value else NO
    if col.kind == "decimal" and value is not None:
        return int(value) if value == int(value) else float(value)
    if col.kind == "action":
        return value.code if value else ""
    if col.kind == "territory":
        return value.code if value else ""
    if col.kind == "theme":
        return value.number if value else ""
    if col.kind == "report":
        return value.action.code
    if col.kind == "item":
        return value.code if value else ""
    if col.kind == "items":
        return ";".join(sorted(item.code for item in value.all()))
    return value


def row_of(sheet: RecordSheet, obj) -> tuple:
    return tuple(cell_of(col, obj) for col in sheet.cols)


def export_rows(sheet: RecordSheet, programme):
    return (row_of(sheet, obj) for obj in sheet.queryset(programme).iterator(chunk_size=2000))


# -- reading a cell ----------------------------------------------------------------------------
def _choice(row: RowCells, col: Col) -> str:
    value = row.text(col.name, col.required)
    if not value:
        return ""
    allowed = pairs(col.extra)
    code = match_choice(value, allowed)
    if code is None:
        row.problem(
            col.name,
            _("« {value} » inconnu : valeurs possibles {allowed}").format(
                value=value, allowed=allowed_labels(allowed)
            ),
        )
        return ""
    return code


def _year(row: RowCells, col: Col, limit: limits.Limit) -> int | None:
    year = row.count(col.name, limit, col.required)
    if year is not None and not 1900 <= year <= 2100:
        row.problem(col.name, _("« {year} » n'est pas une année (ex. 2021)").format(year=year))
        return None
    return year


def _bool(row: RowCells, col: Col) -> bool | None:
    """Oui or non; an empty cell is not said, and leaves the field's default (a partner is
    thanked unless the sheet says `non`)."""
    value = row.text(col.name, col.required)
    if not value:
        return None
    code = match_choice(value, YES_NO)
    if code is None:
        row.problem(col.name, _("« {value} » : « oui » ou « non » attendu").format(value=value))
    return code == "oui"


def read_cell(imp: "WorkbookImporter", row: RowCells, sheet: RecordSheet, col: Col, refs) -> Any:
    """The value of `col` for the sheet's model, references resolved; problems are recorded.
    A number is read as its model field keeps it (core.limits)."""
    kind = col.kind
    if kind == "text":
        value = row.text(col.name, col.required, max_length=col.extra or 300)
        return scrub(value)
    if kind == "longtext":
        return scrub(row.text(col.name, col.required, max_length=LONG_TEXT))
    if kind == "int":
        return row.count(col.name, limits.of(sheet.model, col.attr), col.required)
    if kind == "year":
        return _year(row, col, limits.of(sheet.model, col.attr))
    if kind in ("float", "decimal"):
        value = row.number(col.name, limits.of(sheet.model, col.attr), col.required)
        return float(value) if kind == "float" and value is not None else value
    if kind == "date":
        return row.date(col.name, col.required)
    if kind == "bool":
        return _bool(row, col)
    if kind == "choice":
        return _choice(row, col)
    return _reference(imp, row, col, refs)


def _reference(imp: "WorkbookImporter", row: RowCells, col: Col, refs: dict) -> Any:
    if col.kind == "items":
        raw = row.text(col.name, col.required, max_length=LONG_TEXT)
        codes = [part.strip() for part in raw.split(";") if part.strip()]
        found = [refs["item", col.extra].get(code) for code in codes]
        for code, item in zip(codes, found, strict=True):
            if item is None:
                row.problem(
                    col.name,
                    _("« {code} » inconnu dans le référentiel {framework}").format(
                        code=code, framework=col.extra
                    ),
                )
        return [item for item in found if item is not None]
    code = cells.text(row.raw(col.name)) if row.raw(col.name) is not None else ""
    if isinstance(row.raw(col.name), cells.Uncomputed):
        row.text(col.name)  # reports the formula
        return None
    if not code:
        if col.required:
            row.problem(col.name, _("valeur obligatoire manquante"))
        return None
    if col.kind == "action":
        if not imp.actions.knows(code):
            row.problem(col.name, _("action « {code} » inconnue").format(code=code))
        return imp.actions.id_of(code)
    if col.kind == "territory":
        if not imp.territories.knows(code):
            row.problem(col.name, _("territoire « {code} » inconnu").format(code=code))
        return imp.territories.id_of(code)
    table = refs["item", col.extra] if col.kind == "item" else refs[col.kind]
    found = table.get(code)
    if found is None:
        where = (
            _("le référentiel {framework}").format(framework=col.extra)
            if col.kind == "item"
            else _("la feuille {sheet}").format(sheet=col.kind)
        )
        row.problem(col.name, _("« {code} » inconnu dans {where}").format(code=code, where=where))
    return found


def field_name(col: Col) -> str:
    """The model argument: a reference resolved to an id is given as `<field>_id`."""
    if col.kind in ("action", "territory", "theme", "report"):
        return f"{col.attr}_id"
    return col.attr
