"""The demo programme, loaded once and copied back into each test that asks for it.

Importing the demo workbook, its answers and its evaluation takes seconds and some 300 tests ask
for it. The first such test loads it in a savepoint that it rolls back, keeping every row the
load wrote (of every table); it and the later tests get these rows back by plain inserts
(milliseconds), ids included. Only where the database holds exactly what it held before that
first load: a test that wrote rows before asking for the demo, or that runs after a browser
test's flush, loads the workbook as before. Every copy has the same ids and figure versions:
only because each test starts with an empty cache (conftest.private_cache) can no test read
figures another test cached.
"""

import os
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction

from ancrage.demo.answers import load_demo_answers
from ancrage.demo.evaluation import load_demo_evaluation
from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.evaluation.models import Framework, FrameworkItem
from ancrage.evaluation.reference import load_frameworks
from ancrage.programmes.models import Programme
from ancrage.workbook.importer import import_workbook


def load_demo() -> Programme:
    # A browser test's flush empties the reference grids that a migration loaded; put them back.
    load_frameworks(Framework, FrameworkItem)
    programme = import_workbook(DEMO_WORKBOOK).programme
    load_demo_answers(programme)
    load_demo_evaluation(programme)
    return programme


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple]


def _hashable(value):
    """A cell as a dictionary key that two reads of the same row give alike (a memoryview's
    repr names its address: PostgreSQL's bytea would never match itself)."""
    if isinstance(value, memoryview):
        return bytes(value)
    return repr(value) if isinstance(value, list | dict) else value


def _read_tables() -> dict[str, Table]:
    tables = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name.startswith("sqlite_"):  # SQLite's own: statistics, autoincrement counters
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            columns = [column[0] for column in cursor.description]
            tables[name] = Table(columns, [tuple(row) for row in cursor.fetchall()])
    return tables


def _fingerprint(tables: dict[str, Table]) -> dict[str, Counter]:
    return {
        name: Counter(tuple(_hashable(value) for value in row) for row in table.rows)
        for name, table in tables.items()
    }


def _written(before: dict[str, Counter], after: dict[str, Table]) -> dict[str, Table]:
    """The rows the load added; it must have changed or deleted none."""
    written = {}
    for name, table in after.items():
        kept = Counter(before.get(name, Counter()))
        added = []
        for row in table.rows:
            key = tuple(_hashable(value) for value in row)
            if kept[key]:
                kept[key] -= 1
            else:
                added.append(row)
        if +kept:
            raise AssertionError(f"loading the demo changed rows of {name}: snapshot impossible")
        if added:
            written[name] = Table(table.columns, added)
    return written


def _insert(tables: dict[str, Table]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for name, table in tables.items():
            columns = ", ".join(quote(column) for column in table.columns)
            if connection.vendor == "postgresql":  # COPY: several times quicker than INSERTs
                with cursor.cursor.copy(f"COPY {quote(name)} ({columns}) FROM STDIN") as copy:
                    for row in table.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(name)} ({columns}) VALUES ({marks})", table.rows
                )
        if connection.vendor == "postgresql":
            _advance_sequences(cursor, tables)


def _advance_sequences(cursor, tables: dict[str, Table]) -> None:
    """Rows inserted with their ids leave PostgreSQL's sequences behind: the next row a test
    creates must not take one of these ids."""
    for name, table in tables.items():
        if "id" not in table.columns:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [connection.ops.quote_name(name)])
        (sequence,) = cursor.fetchone()
        if sequence:
            top = max(row[table.columns.index("id")] for row in table.rows)
            cursor.execute(
                f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence})))",
                [sequence, top],
            )


class DemoRows:
    """The rows of the demo programme for one database (a pytest session)."""

    def __init__(self):
        self.baseline: dict[str, Counter] | None = None
        self.rows: dict[str, Table] = {}
        self.programme_id: int | None = None
        self.copies = 0
        self.loads: list[str] = []  # the tests that loaded the workbook

    def programme(self) -> Programme:
        if self.baseline is None:
            self._capture()
        elif _fingerprint(_read_tables()) != self.baseline:
            self.loads.append(os.environ.get("PYTEST_CURRENT_TEST", "?").split("::")[0])
            return load_demo()
        _insert(self.rows)
        self.copies += 1
        return Programme.objects.get(pk=self.programme_id)

    def _capture(self) -> None:
        before = _fingerprint(_read_tables())
        with transaction.atomic():
            self.programme_id = load_demo().pk
            rows = _written(before, _read_tables())
            transaction.set_rollback(True)
        self.baseline, self.rows = before, rows
