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
from ancrage.core.textfiles import TextFileError, decode_text, restore, sniff_delimiter
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
        worksheet = self._book[self._names[sheet]]
        formulas = self._formula_rows(sheet)
        header: list[str] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            formula_cells = next(formulas, ()) if formulas is not None else ()
            if number == 1:
                header = _clean_header(values)
                continue
            values = list(values)
            for index, cell in enumerate(formula_cells):
                if index < len(values) and values[index] is None and cell.data_type == "f":
                    values[index] = Uncomputed(cell.coordinate)
            if _blank(values):
                continue
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}

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
        reader = self._reader(sheet)
        header = _clean_header(next(reader, []))
        for values in reader:
            if _blank(values):
                continue
            yield (
                reader.line_num,
                {h: restore(v) for h, v in zip(header, values, strict=False) if h},
            )

    def close(self) -> None:
        self._texts.clear()


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
