"""One problem found in a user's file, named by sheet (or file), row and column, in French.

The workbook import and the response import report their problems alike, all at once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}:{self.row}:{self.column}: {self.message}"
