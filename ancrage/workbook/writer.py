"""Write sheets of rows in the workbook format: one .xlsx file, or a folder of <sheet>.csv."""

import csv
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

from .schema import SHEETS


def _cells(row: tuple) -> list:
    return ["" if value is None else value for value in row]


def write_sheets(rows: dict[str, Iterable[tuple]], out: Path) -> Path:
    """Stream each sheet's rows under its header; `.xlsx` for a file, else a CSV folder."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        book = Workbook(write_only=True)
        for sheet in SHEETS:
            worksheet = book.create_sheet(sheet.name)
            worksheet.append(sheet.columns)
            for row in rows.get(sheet.name, ()):
                worksheet.append(_cells(row))
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        with open(out / f"{sheet.name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(sheet.columns)
            writer.writerows(_cells(row) for row in rows.get(sheet.name, ()))
    return out
