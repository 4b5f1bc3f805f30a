"""The PostgreSQL import reads the next sheets while a sheet's insert runs (workbook/staging.py):
the rows held in memory meanwhile are written as the live COPY writes them, the reading thread
never uses the connection while the insert runs, and an insert's error rolls everything back."""

import sys
import threading
import time

import pytest
from django.db import IntegrityError, connection

from ancrage.activities.models import Person
from ancrage.programmes.models import Programme
from ancrage.workbook import fastload, keys
from ancrage.workbook.importer import WorkbookImporter
from ancrage.workbook.staging import Background, copy_value

from .test_workbook_fastload import BENCHMARKS, assert_same
from .workbooks import minimal_sheets, write_csv, write_xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's only"
    ),
]


@pytest.fixture
def always_busy(monkeypatch):
    """Every staged row held in memory until its sheet ends, as when an insert runs long."""
    monkeypatch.setattr(Background, "busy", lambda self: True)


def test_rows_held_in_memory_are_written_as_the_live_copy_writes_them(tmp_path, always_busy):
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    generate(tmp_path / "national", scale=0.001)
    counts, rows, _figures = assert_same(tmp_path / "national")
    assert counts["participation"] == len(rows["participations"]) > 2000


def test_held_free_texts_keep_their_tabs_backslashes_and_line_breaks(tmp_path, always_busy):
    sheets = minimal_sheets()
    sheets["structures"][0].update(nom="École \\ annexe\tnord\r\nsud")
    sheets["personnes"][0].update(profession="enseignante\\CP")
    sheets["actions"][0].update(intitule="Séance 1\nSéance 2\\N", heures="18,5")
    for write, name in ((write_xlsx, "ok.xlsx"), (write_csv, "ok")):
        _counts, rows, _figures = assert_same(write(sheets, tmp_path / name))
        assert ("P1", "enseignante\\CP", "S1", "T1") in rows["people"]
        assert rows["actions"][0][14] == "Séance 1\nSéance 2\\N"


def test_copy_text_of_each_kind_of_value():
    import datetime as dt
    from decimal import Decimal

    values = [None, True, False, "a\\b\tc\nd\re", dt.date(2023, 9, 1), 18, Decimal("18.50")]
    expected = ["\\N", "t", "f", "a\\\\b\\tc\\nd\\re", "2023-09-01", "18", "18.50"]
    assert [copy_value(value) for value in values] == expected


def _statements(log: list):
    """An execute wrapper noting each statement's thread, start and end."""

    def note(execute, sql, params, many, context):
        start = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((threading.current_thread().name, start, time.monotonic(), sql[:60]))

    return note


def test_the_people_are_inserted_while_the_participations_are_read(tmp_path, monkeypatch):
    """The people's insert waits until the participations sheet is being read: it must then
    still be running (were it not in the background, the reading would never start)."""
    reading = threading.Event()
    insert_declared, read_participations = fastload._insert_declared, fastload._read_participations

    def insert_when_reading(imp, sheet, model, stage):
        if sheet == "personnes":
            assert reading.wait(timeout=30), "the participations were not read meanwhile"
        insert_declared(imp, sheet, model, stage)

    def read(*args):
        reading.set()
        read_participations(*args)

    monkeypatch.setattr(fastload, "_insert_declared", insert_when_reading)
    monkeypatch.setattr(fastload, "_read_participations", read)
    log: list = []
    with connection.execute_wrapper(_statements(log)):
        result = WorkbookImporter(write_csv(minimal_sheets(), tmp_path / "ok"), fast=True).run()
    assert Person.objects.filter(programme=result.programme).count() == 3
    background = [entry for entry in log if entry[0] == "ancrage-import-insert"]
    assert any("activities_person" in sql for *_times, sql in background)
    # The reading thread sent nothing while a background statement ran.
    for name, start, _end, sql in log:
        if name != "ancrage-import-insert":
            assert not any(b_start < start < b_end for _n, b_start, b_end, _s in background), sql


def test_an_error_of_the_background_insert_rolls_the_import_back(tmp_path, monkeypatch):
    check_keys = keys.check_keys

    def orphan(cursor, model, pid):
        if model is Person:
            raise IntegrityError("activities_person.structure_id = 404")
        check_keys(cursor, model, pid)

    monkeypatch.setattr(keys, "check_keys", orphan)
    monkeypatch.setattr(keys, "allowed", lambda: True)
    with pytest.raises(IntegrityError, match="404"):
        WorkbookImporter(write_csv(minimal_sheets(), tmp_path / "ok"), fast=True).run()
    assert not Programme.objects.exists()
    assert not Person.objects.exists()
    assert [t for t in threading.enumerate() if t.name == "ancrage-import-insert"] == []


def test_a_reading_error_during_the_background_insert_rolls_the_import_back(tmp_path, monkeypatch):
    """The reading thread fails while the people's insert runs: the import waits for the
    insert, raises the reading's own error (not one of the insert's) and writes nothing."""
    started, release = threading.Event(), threading.Event()
    insert_declared = fastload._insert_declared

    def slow_insert(imp, sheet, model, stage):
        if sheet == "personnes":
            started.set()
            release.wait(timeout=30)
        insert_declared(imp, sheet, model, stage)

    def broken_reading(*args):
        assert started.wait(timeout=30)
        release.set()
        raise ValueError("lecture interrompue")

    monkeypatch.setattr(fastload, "_insert_declared", slow_insert)
    monkeypatch.setattr(fastload, "_read_participations", broken_reading)
    with pytest.raises(ValueError, match="lecture interrompue"):
        WorkbookImporter(write_csv(minimal_sheets(), tmp_path / "ok"), fast=True).run()
    assert not Programme.objects.exists()
    assert not Person.objects.exists()
    assert [t for t in threading.enumerate() if t.name == "ancrage-import-insert"] == []
