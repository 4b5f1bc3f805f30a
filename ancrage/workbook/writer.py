"""Write sheets of rows in the workbook format: one .xlsx file, or a folder of <sheet>.csv.

No exported cell may become a live formula when the file is opened (CSV/formula injection, OWASP):
in .xlsx every text is written as a string cell (never a formula) and shown as typed text; in CSV a
text starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe, which
the CSV reader takes off again (core.textfiles) so that an export imports back exactly.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ancrage.core.textfiles import FORMULA_TRIGGERS, neutralise

from .schema import SHEETS


def _xlsx_cells(worksheet, row: Iterable) -> list:
    cells = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            cell = WriteOnlyCell(worksheet, value=value)
            cell.data_type = "s"  # openpyxl would otherwise write `=…` as a formula
            cell.quotePrefix = True  # and the spreadsheet keeps it text when the cell is edited
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _csv_cells(row: Iterable) -> list:
    return ["" if value is None else neutralise(value) for value in row]


def _sheets(rows: dict) -> list:
    """The contract's sheets always; the evaluation's when given (the demo builder has none)."""
    return [sheet for sheet in SHEETS if not sheet.order or sheet.name in rows]


def write_sheets(rows: dict[str, Iterable[tuple]], out: Path) -> Path:
    """Stream each sheet's rows under its header; `.xlsx` for a file, else a CSV folder."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        book = Workbook(write_only=True)
        for sheet in _sheets(rows):
            worksheet = book.create_sheet(sheet.name)
            worksheet.append(sheet.columns)
            for row in rows.get(sheet.name, ()):
                worksheet.append(_xlsx_cells(worksheet, row))
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for sheet in _sheets(rows):
        with open(out / f"{sheet.name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(sheet.columns)
            writer.writerows(_csv_cells(row) for row in rows.get(sheet.name, ()))
    return out
