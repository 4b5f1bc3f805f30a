"""Stream the rows of a workbook: one .xlsx file or a folder of <sheet>.csv files."""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ancrage.core.cells import Uncomputed
from ancrage.core.textfiles import (
    APOSTROPHE,
    TextFileError,
    decode_text,
    restore,
    sniff_delimiter,
)
from ancrage.core.uploads import UploadTooLarge, archive_check

Row = dict[str, Any]


class SourceError(Exception):
    """The file itself cannot be read (not a workbook, wrong encoding…)."""

    def __init__(self, sheet: str, row: int | str, message: str):
        super().__init__(message)
        self.sheet, self.row, self.message = sheet, row, message


def _clean_header(cells) -> list[str]:
    return [str(c).strip().lower() if c is not None else "" for c in cells]


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


# A formula element in a sheet's XML (with or without a namespace prefix).
FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(worksheet) -> bool:
    """Scan the sheet's XML in chunks: most workbooks have no formula, and then the cells are
    read once only."""
    tail = b""
    with worksheet._get_source() as source:  # openpyxl's read-only sheet: its XML stream
        while chunk := source.read(1 << 20):
            if FORMULA_RE.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


class XlsxSource:
    def __init__(self, path: Path):
        self.path = path
        try:
            archive_check(path)  # before openpyxl inflates anything (zip bombs)
        except UploadTooLarge as refused:
            raise SourceError(path.name, "-", str(refused)) from None
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
            raise SourceError(
                path.name,
                "-",
                _("fichier illisible comme classeur .xlsx ({error})").format(error=exc),
            ) from None
        self._names = {name.strip().lower(): name for name in self._book.sheetnames}
        self._formulas = None  # the same workbook with formulas, opened only when needed

    def sheet_names(self) -> set[str]:
        return set(self._names)

    def size(self, sheet: str) -> int | None:
        # Files written in streaming mode carry no dimensions: the size is then unknown.
        rows = self._book[self._names[sheet]].max_row
        return max(rows - 1, 0) if rows else None

    def header(self, sheet: str) -> list[str]:
        for row in self._book[self._names[sheet]].iter_rows(max_row=1, values_only=True):
            return _clean_header(row)
        return []

    def _formula_rows(self, sheet: str):
        """The formulas of each row (None where a sheet has none), alongside the values."""
        if not _has_formulas(self._book[self._names[sheet]]):
            return None
        if self._formulas is None:
            self._formulas = load_workbook(self.path, read_only=True, data_only=False)
        return self._formulas[self._names[sheet]].iter_rows()

    def rows(self, sheet: str) -> Iterator[tuple[int, Row]]:
        yield from named_rows(*self.value_rows(sheet))

    def value_rows(self, sheet: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
        """The sheet's header, and its rows as lists of cells in the header's order."""
        rows = self._book[self._names[sheet]].iter_rows(values_only=True)
        return _clean_header(next(rows, ())), self._values(sheet, rows)

    def _values(self, sheet: str, rows) -> Iterator[tuple[int, list]]:
        formulas = self._formula_rows(sheet)
        if formulas is not None:
            next(formulas, ())  # the header's
        for number, values in enumerate(rows, start=2):
            formula_cells = next(formulas, ()) if formulas is not None else ()
            values = list(values)
            for index, cell in enumerate(formula_cells):
                if index < len(values) and values[index] is None and cell.data_type == "f":
                    values[index] = Uncomputed(cell.coordinate)
            if _blank(values):
                continue
            yield number, values

    def close(self) -> None:
        self._book.close()
        if self._formulas is not None:
            self._formulas.close()


def _lines(text: str) -> Iterator[str]:
    """The text's lines, ends kept, as csv.reader wants them: StringIO would copy the text
    at four bytes a character, four times the file."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start : end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


class CsvFolderSource:
    """A folder of <sheet>.csv files, as Excel or LibreOffice save them (see core.textfiles)."""

    def __init__(self, path: Path):
        self._files = {p.stem.strip().lower(): p for p in path.glob("*.csv")}
        self._texts: dict[str, tuple[str, str]] = {}

    def sheet_names(self) -> set[str]:
        return set(self._files)

    def size(self, sheet: str) -> int | None:
        return None

    def _text(self, sheet: str) -> tuple[str, str]:
        # One sheet's text at a time: a national workbook's files together weigh hundreds of Mo.
        if sheet not in self._texts:
            self._texts.clear()
            path = self._files[sheet]
            try:
                text = decode_text(path.read_bytes(), name=path.name)
            except TextFileError as exc:
                raise SourceError(sheet, "-", str(exc)) from None
            self._texts[sheet] = (text, sniff_delimiter(text))
        return self._texts[sheet]

    def _reader(self, sheet: str):
        text, delimiter = self._text(sheet)
        if "\n" not in text:  # old Mac line ends (\r alone): StringIO splits them
            return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return csv.reader(_lines(text), delimiter=delimiter)

    def header(self, sheet: str) -> list[str]:
        return _clean_header(next(self._reader(sheet), []))

    def rows(self, sheet: str) -> Iterator[tuple[int, Row]]:
        yield from named_rows(*self.value_rows(sheet))

    def value_rows(self, sheet: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
        """The sheet's header, and its rows as lists of cells in the header's order."""
        reader = self._reader(sheet)
        # Without an apostrophe in the file, no cell has one to take off (`restore`).
        restoring = APOSTROPHE in self._text(sheet)[0]
        return _clean_header(next(reader, [])), self._values(reader, restoring)

    @staticmethod
    def _values(reader, restoring: bool) -> Iterator[tuple[int, list]]:
        for values in reader:
            # A first cell written is enough to know the row is not blank.
            if not (values and values[0] and not values[0].isspace()) and _blank(values):
                continue
            yield reader.line_num, [restore(v) for v in values] if restoring else values

    def close(self) -> None:
        self._texts.clear()


def named(header: list[str], values: list) -> Row:
    """A row's cells by column name (columns without a name left out)."""
    row = dict(zip(header, values, strict=False))
    row.pop("", None)
    return row


def named_rows(header: list[str], rows) -> Iterator[tuple[int, Row]]:
    for number, values in rows:
        yield number, named(header, values)


def open_source(path: Path) -> XlsxSource | CsvFolderSource:
    if path.is_dir():
        return CsvFolderSource(path)
    if not path.exists():
        raise SourceError(path.name, "-", _("fichier introuvable"))
    if path.suffix.lower() != ".xlsx":
        raise SourceError(
            path.name, "-", _("un classeur .xlsx ou un dossier de fichiers .csv est attendu")
        )
    return XlsxSource(path)
