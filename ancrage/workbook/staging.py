"""The staging tables of the PostgreSQL import, and the one statement it runs in the background.

An import's time is Python reading the sheets on one core, then PostgreSQL inserting them on the
other: each waited for the other. Now a sheet's set-based insert runs in a thread, on the
import's own connection and transaction, while Python reads the next sheets; their rows wait
in memory, as COPY text, until the connection is free (at the national scale, the people's
insert is hidden behind the reading of the actions and participations: about 12 s of 150).
docs/performance.md, « Import rapide sur PostgreSQL ».

One rule keeps this safe: while the background job runs, the reading thread does not use the
connection. Stage waits for the job before it writes; the importer waits before any loader
that is not one of fastload's readers, and before leaving its transaction.
"""

import datetime as dt
import logging
import threading
import time

from django.db import DEFAULT_DB_ALIAS, connection, connections

from ancrage.core.pgsettings import transaction_setting

logger = logging.getLogger(__name__)
COPY_BATCH = 10_000  # rows joined into one write
# COPY's text format: these four characters are written escaped, None as \N.
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """A staged value as COPY text, as psycopg's write_row writes it."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)  # int, Decimal


class Background:
    """At most one job at a time on the import's connection, in a thread of its own."""

    def __init__(self):
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self, job) -> None:
        """Start `job()` once the previous one has ended; its error is raised by wait()."""
        self.wait()
        wrapper = connections[DEFAULT_DB_ALIAS]
        wrapper.inc_thread_sharing()

        def target() -> None:
            connections[DEFAULT_DB_ALIAS] = wrapper  # this thread's `connection`: the same one
            try:
                job()
            except BaseException as error:  # re-raised in the reading thread
                self._error = error
            finally:
                wrapper.dec_thread_sharing()

        self._thread = threading.Thread(target=target, name="ancrage-import-insert", daemon=True)
        self._thread.start()

    def wait(self, *, quiet: bool = False) -> None:
        """Until the job has ended; its error raised (`quiet`: kept silent, when the reading
        thread is already failing and rolls everything back)."""
        if self._thread is threading.current_thread():
            raise RuntimeError("a background job cannot wait for itself")
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        error, self._error = self._error, None
        if error is not None and not quiet:
            raise error


class Stage:
    """A temporary table filled by COPY while its sheet is read (dropped at commit). While
    `background` runs a job, rows wait in memory as COPY text; the table is created and
    filled once the connection is free."""

    def __init__(self, name: str, columns: list[tuple[str, str]], background: Background):
        self.name = f"ancrage_stage_{name}"
        self.columns = [column for column, _type in columns]
        self.definition = ", ".join(f"{column} {sql_type}" for column, sql_type in columns)
        self.background = background
        self.cursor = connection.cursor()
        self.created = self.finished = False
        self._copying = self._copy = None
        self._waiting: list[str] = []  # COPY text held while the connection is busy
        self._lines: list[str] = []  # rows formatted, not yet joined into _waiting

    def __enter__(self) -> "Stage":
        if not self.background.busy():
            self._open()
        return self

    def _open(self) -> None:
        """Create the table and start its COPY, sending what waited."""
        self.background.wait()
        self.drop_table()
        table = f"TEMPORARY TABLE {self.name} ({self.definition})"
        self.cursor.execute(f"CREATE {table} ON COMMIT DROP")
        self.created = True
        command = f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"
        self._copying = self.cursor.cursor.copy(command)
        self._copy = self._copying.__enter__()
        self._join_lines()
        for text in self._waiting:
            self._copy.write(text)
        self._waiting.clear()

    def _join_lines(self) -> None:
        if self._lines:
            self._waiting.append("".join(self._lines))
            self._lines.clear()

    def _send_when_free(self) -> None:
        """After a batch kept in memory: sent as soon as the connection is free."""
        self._join_lines()
        if not self.background.busy():
            self._open()

    def write(self, row) -> None:
        if self._copy is not None:
            self._copy.write_row(row)
            return
        self._lines.append("\t".join(map(copy_value, row)) + "\n")
        if len(self._lines) >= COPY_BATCH:
            self._send_when_free()

    def write_text(self, lines: list[str]) -> None:
        """Rows already in COPY's text format, sent at once; `lines` emptied."""
        text = "".join(lines)
        lines.clear()
        if self._copy is not None:
            self._copy.write(text)
            return
        self._waiting.append(text)
        self._send_when_free()

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            if self._copying is not None:
                self._copying.__exit__(*exc)
            return
        if self._copy is not None or not self.background.busy():
            self.finish()
        # else held in memory until finish(): the next sheet is read meanwhile

    def finish(self) -> None:
        """The table filled and analysed, once the connection is free (once)."""
        if self.finished:
            return
        if self._copy is None:
            self._open()
        self._copying.__exit__(None, None, None)
        self._copying = self._copy = None
        self.cursor.execute(f"ANALYZE {self.name}")  # temporary tables are never analysed
        self.finished = True

    def insert(self, sql: str, params: list) -> None:
        start = time.perf_counter()
        # Every staged row is joined to the programme's codes: hash joins at any size. The
        # tables written earlier in this transaction have no statistics yet, and from their
        # size alone the planner chose nested loops over whole tables for a small programme
        # (60,000 participations: 39 s instead of under a second). The costs that this gives
        # would also have each statement compiled (JIT), for nothing: 0.3 s a statement.
        with transaction_setting("enable_nestloop", "off"), transaction_setting("jit", "off"):
            self.cursor.execute(sql, params or None)
        # Where an import's time goes, for docs/performance.md (logged, never shown to users).
        logger.debug("%s: %.1f s, %s", self.name, time.perf_counter() - start, sql[:40])

    def drop_table(self) -> None:
        # Schema-qualified: a table of that name outside pg_temp is never touched.
        self.cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{self.name}")

    def drop(self) -> None:
        if self.created:
            self.drop_table()
        self.cursor.close()
