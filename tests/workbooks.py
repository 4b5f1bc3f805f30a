"""Build small programme workbooks for tests: a dict of sheets, written as .xlsx or CSV."""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from ancrage.workbook.schema import SHEETS, SHEETS_BY_NAME


def minimal_sheets() -> dict[str, list[dict]]:
    """A small valid programme: two territories, listed and unlisted actions."""
    return {
        "programme": [
            {"cle": "nom", "valeur": "Test"},
            {"cle": "debut", "valeur": dt.date(2022, 9, 1)},
            {"cle": "fin", "valeur": dt.date(2024, 8, 31)},
        ],
        "territoires": [
            {"code": "T1", "nom": "Territoire un", "population": 1000},
            {"code": "T2", "nom": "Territoire deux", "population": 2000},
        ],
        "communes": [
            {"code_insee": "44001", "nom": "Alpha", "territoire": "T1"},
            {"code_insee": "44002", "nom": "Beta", "territoire": "T2"},
        ],
        "structures": [
            {"id": "S1", "nom": "École A", "type": "ecole_publique", "code_insee": "44001"},
            {"id": "S2", "nom": "ALSH B", "type": "alsh", "code_insee": "44002"},
        ],
        "personnes": [
            {"id": "P1", "profession": "enseignante", "structure": "S1"},
            {"id": "P2", "profession": "animateur", "structure": "S2"},
            {"id": "P3", "profession": "animateur"},
        ],
        "actions": [
            {
                "id": "A1",
                "modalite": "formation",
                "territoire": "T1",
                "debut": "2022-10-03",
                "structures": "S1",
                "heures": 18,
            },
            {
                "id": "A2",
                "modalite": "co_intervention",
                "territoire": "T2",
                "debut": "2023-03-01",
                "structures": "S2",
                "enfants": 25,
            },
            {
                "id": "A3",
                "modalite": "copil",
                "territoire": "T1",
                "debut": "2023-01-10",
                "elus": 4,
                "structures": "S1",
            },
        ],
        "participations": [
            {"action": "A1", "personne": "P1"},
            {"action": "A1", "personne": "P2"},
            {"action": "A2", "personne": "P2"},
            {"action": "A2", "personne": "P3"},
        ],
        "objectifs": [
            {"territoire": "T1", "cible": "formation", "min": 1, "max": 2, "periode": "an"},
            {"territoire": "*", "cible": "enfants", "min": 100, "periode": "programme"},
        ],
        "coordination": [
            {"territoire": "T1", "annee_scolaire": "2022-2023", "jours": 21.8},
        ],
    }


def write_xlsx(sheets: dict[str, list[dict]], path: Path, headers: dict | None = None) -> Path:
    """Write sheets; `headers` may override a sheet's header (to drop or add a column)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        worksheet = book.create_sheet(name)
        columns = _columns(name, rows, headers)
        worksheet.append(columns)
        for row in rows:
            worksheet.append([row.get(c) for c in columns])
    book.save(path)
    return path


def write_csv(sheets: dict[str, list[dict]], folder: Path, delimiter: str = ";") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        columns = _columns(name, rows, None)
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return folder


def _columns(name: str, rows: list[dict], headers: dict | None) -> list[str]:
    if headers and name in headers:
        return list(headers[name])
    if name in SHEETS_BY_NAME:
        columns = list(SHEETS_BY_NAME[name].columns)
    else:
        columns = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    return columns


__all__ = ["SHEETS", "minimal_sheets", "write_csv", "write_xlsx"]
