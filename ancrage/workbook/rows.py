"""One row of a workbook sheet, read cell by cell, and the codes already seen in a sheet.

Each problem is recorded against its sheet, row and column; the row is then marked not ok and
the import goes on checking, so that the user sees every problem at once.
"""

import functools
from array import array
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ancrage.core import cells
from ancrage.core.choices import allowed_labels, match_choice, pairs
from ancrage.core.limits import Limit
from ancrage.programmes.vocabulary import Modality, ParentFormat, Period, ReachTarget, StructureType

if TYPE_CHECKING:
    from .importer import WorkbookImporter

BATCH = 5000
MODALITIES = list(Modality.values)
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")


@functools.cache
def vocabularies() -> dict[str, list[tuple[str, str]]]:
    """Each column's vocabulary as (code, French label) pairs, built once translations are ready."""
    return {
        "modality": pairs(Modality),
        "structure_type": pairs(StructureType),
        "yes_no": [("oui", "oui"), ("non", "non")],
        "parent_format": pairs(ParentFormat),
        "target": pairs(Modality, ReachTarget),
        "period": pairs(Period),
    }


class Registry:
    """Codes seen in a sheet → a sequence number, with the database ids kept in compact arrays."""

    def __init__(self, label: str):
        self.label = label
        self.seq: dict[str, int] = {}
        self.ids = array("q")
        # When its sheet is absent or unreadable, references to it are not checked: the user
        # sees that sheet's own problem, not one per row that cites it.
        self.unchecked = False

    def knows(self, code: str) -> bool:
        return self.unchecked or code in self.seq

    def add(self, code: str) -> int:
        self.seq[code] = len(self.ids)
        self.ids.append(0)
        return self.seq[code]

    def __contains__(self, code: str) -> bool:
        return code in self.seq

    def id_of(self, code: str) -> int | None:
        return self.ids[self.seq[code]] or None if code in self.seq else None


class RowCells:
    """Typed access to one row; each problem is recorded against the sheet, row and column."""

    def __init__(self, importer: "WorkbookImporter", sheet: str, number: int, values: dict):
        self.importer, self.sheet, self.line, self.values = importer, sheet, number, values
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.importer.problem(self.sheet, self.line, column, message)

    def raw(self, column: str) -> Any:
        return self.values.get(column)

    def _read(self, column: str, required: bool, parse: Callable[[Any], Any]) -> Any:
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(column, _("valeur obligatoire manquante"))
            return None
        try:
            return parse(value)
        except cells.CellError as exc:
            self.problem(column, str(exc))
            return None

    def text(self, column: str, required: bool = False, max_length: int = 200) -> str:
        value = self._read(column, required, cells.text) or ""
        if len(value) > max_length:
            self.problem(
                column,
                _("texte trop long ({length} caractères, {max} au plus)").format(
                    length=len(value), max=max_length
                ),
            )
            return ""
        return value

    def code(self, column: str, required: bool = True) -> str:
        value = self.text(column, required, max_length=64)
        if value and not set(value) <= CODE_CHARS:
            self.problem(
                column,
                _(
                    "« {value} » n'est pas un identifiant : lettres sans accent, chiffres, « _ », "
                    "« - » ou « . » seulement"
                ).format(value=value),
            )
            return ""
        return value

    def count(self, column: str, limit: Limit, required: bool = False) -> int | None:
        """A whole number from 0 to what its column keeps (core.limits: the model field's)."""
        value = self._read(column, required, cells.integer)
        if value is not None and value < 0:
            self.problem(column, _("le nombre doit être positif ou nul"))
            return None
        return self._kept(column, limit, value)

    def number(
        self,
        column: str,
        limit: Limit,
        required: bool = False,
        maximum: Decimal | None = None,
    ):
        """A number from 0 (to `maximum` when given) as its column keeps it: a decimal column
        rounds to its decimal places (core.limits)."""
        value = self._read(column, required, cells.decimal)
        if value is not None and value < 0:
            self.problem(column, _("le nombre doit être positif ou nul"))
            return None
        if value is not None and maximum is not None and value > maximum:
            self.problem(column, _("le nombre doit être au plus {maximum}").format(maximum=maximum))
            return None
        return self._kept(column, limit, value)

    def _kept(self, column: str, limit: Limit, value):
        if value is None:
            return None
        try:
            return limit.keep(value)
        except cells.CellError as exc:
            self.problem(column, str(exc))
            return None

    def date(self, column: str, required: bool = False):
        return self._read(column, required, cells.date)

    def choice(self, column: str, vocabulary: str, required: bool = False) -> str:
        """A vocabulary's code, typed as its code or its label (see core.choices)."""
        value = self.text(column, required)
        if not value:
            return ""
        allowed = vocabularies()[vocabulary]
        code = match_choice(value, allowed)
        if code is None:
            self.problem(
                column,
                _("« {value} » inconnu : valeurs possibles {allowed}").format(
                    value=value, allowed=allowed_labels(allowed)
                ),
            )
            return ""
        return code

    def ref(self, column: str, registry: Registry, required: bool = True) -> str:
        value = self.text(column, required, max_length=64)
        if value and not registry.knows(value):
            self.problem(
                column, _("{kind} « {value} » inconnu(e)").format(kind=registry.label, value=value)
            )
            return ""
        return value


def declared_values(imp: "WorkbookImporter", row: RowCells, sheet: str) -> tuple[dict, dict]:
    """A core sheet's row read as schema.COLUMNS declares it: the model's fields, and the codes
    of the row's identifier and references (or the text typed, for a school year) by column."""
    from .schema import COLUMNS

    fields, codes = {}, {}
    for column in COLUMNS[sheet]:
        fields[column.field] = _declared_cell(imp, row, sheet, column, codes)
    return fields, codes


def _codes(row: RowCells, column: str, registry: Registry, max_length: int) -> list[str]:
    """Codes separated by `;`, each known and cited once, in the order written."""
    found: list[str] = []
    for part in (row.text(column, max_length=max_length) or "").split(";"):
        part = part.strip()
        if not part:
            continue
        if not registry.knows(part):
            row.problem(
                column, _("{kind} « {code} » inconnue").format(kind=registry.label, code=part)
            )
        elif part in found:
            row.problem(
                column,
                _("{kind} « {code} » citée deux fois").format(kind=registry.label, code=part),
            )
        else:
            found.append(part)
    return found


def _declared_cell(imp: "WorkbookImporter", row: RowCells, sheet: str, column, codes) -> Any:
    from ancrage.core.privacy import scrub
    from ancrage.core.schoolyear import parse_school_year

    from .schema import ALL_TERRITORIES, limit_of

    parser, _sep, argument = column.parser.partition(":")
    name, required = column.name, column.required
    if parser == "key":
        codes[name] = imp.new_code(row, name, getattr(imp, argument))
        return codes[name]
    if parser == "ref":
        codes[name] = row.ref(name, getattr(imp, argument), required)
        return getattr(imp, argument).id_of(codes[name]) if codes[name] else None
    if parser == "refs":
        codes[name] = _codes(row, name, getattr(imp, argument), column.max_length)
        return None
    if parser == "all_or_ref":
        codes[name] = code = row.text(name, required, max_length=64)
        registry = getattr(imp, argument)
        if code == ALL_TERRITORIES or not code:
            return None
        if not registry.knows(code):
            row.problem(
                name,
                _("territoire « {code} » inconnu (ou « * » pour tout le programme)").format(
                    code=code
                ),
            )
            return None
        return registry.id_of(code)
    if parser == "school_year":
        codes[name] = label = row.text(name, required)
        year = parse_school_year(label) if label else None
        if label and year is None:
            row.problem(
                name,
                _("« {label} » n'est pas une année scolaire (ex. 2023-2024)").format(label=label),
            )
        return year
    if parser == "choice":
        return row.choice(name, argument, required)
    if parser == "yes_no":
        return row.choice(name, "yes_no", required) == "oui"
    if parser == "count":
        return row.count(name, limit_of(sheet, column), required)
    if parser == "number":
        return row.number(name, limit_of(sheet, column), required)
    if parser == "share":
        return row.number(name, limit_of(sheet, column), required, maximum=Decimal(1))
    if parser == "date":
        return row.date(name, required)
    value = row.text(name, required, max_length=column.max_length)
    return scrub(value) if parser == "scrubbed" else value
