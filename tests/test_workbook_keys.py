"""The keys of an import's set-based inserts, checked in one pass per key instead of one query
per row at commit (workbook/keys.py): the per-row checks are not queued, an orphan key is still
refused, and without the right to leave them out the import keeps PostgreSQL's checks."""

import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from ancrage.activities.models import Action, Participation, Person
from ancrage.workbook import keys
from ancrage.workbook.importer import WorkbookImporter

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY path only"),
]
BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture
def national(tmp_path) -> Path:
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    generate(tmp_path / "national", scale=0.001)
    return tmp_path / "national"


def _count_row_triggers(table: str) -> None:
    """A row trigger on `table` counting the rows it fires for: it fires under the same rule as
    PostgreSQL's own per-row key checks (both are triggers enabled in origin mode)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE fired (n integer)")
        cursor.execute(
            "CREATE FUNCTION pg_temp.count_fired() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO fired VALUES (1); RETURN NULL; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER count_fired AFTER INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.count_fired()"
        )


def _fired() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fired")
        return cursor.fetchone()[0]


def test_no_check_is_queued_per_participation(national):
    """The test database's role is a superuser: it may leave out the per-row checks."""
    _count_row_triggers(Participation._meta.db_table)
    result = WorkbookImporter(national, fast=True).run()
    assert Participation.objects.filter(programme=result.programme).count() > 2000
    assert _fired() == 0


def test_without_the_right_each_row_is_checked_as_before(national, monkeypatch):
    monkeypatch.setattr(keys, "allowed", lambda: False)
    _count_row_triggers(Participation._meta.db_table)
    result = WorkbookImporter(national, fast=True).run()
    assert _fired() == Participation.objects.filter(programme=result.programme).count() > 2000


def test_a_key_naming_no_row_is_refused(national):
    programme = WorkbookImporter(national, fast=True).run().programme
    person = Person.objects.filter(programme=programme).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) + 1 FROM activities_structure")
        (missing,) = cursor.fetchone()
        cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
        cursor.execute(
            "UPDATE activities_person SET structure_id = %s WHERE id = %s", [missing, person.pk]
        )
        cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
        keys.check_keys(cursor, Participation, programme.pk)  # its keys are untouched
        with pytest.raises(IntegrityError, match=f"structure_id = {missing} ne désigne"):
            keys.check_keys(cursor, Person, programme.pk)
        # The programme's key, looked up once for all the rows that hold it.
        cursor.execute("SELECT max(id) + 1 FROM programmes_programme")
        (gone,) = cursor.fetchone()
        cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
        cursor.execute(
            "UPDATE activities_action SET programme_id = %s WHERE programme_id = %s",
            [gone, programme.pk],
        )
        cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
        with pytest.raises(IntegrityError, match=f"programme_id = {gone} ne désigne"):
            keys.check_keys(cursor, Action, gone)


def test_the_right_is_read_from_the_role():
    """A role without the right (the application's, by default, in production) may not; once a
    superuser grants it (README), it may."""
    with connection.cursor() as cursor:
        assert keys.may_set_replica(cursor)  # the test role: a superuser
        cursor.execute("CREATE ROLE ancrage_keys_test NOSUPERUSER")
        cursor.execute("SET LOCAL ROLE ancrage_keys_test")
        assert not keys.may_set_replica(cursor)
        cursor.execute("RESET ROLE")
        if connection.pg_version >= 150000:
            grant = "GRANT SET ON PARAMETER session_replication_role TO ancrage_keys_test"
            cursor.execute(grant)
            cursor.execute("SET LOCAL ROLE ancrage_keys_test")
            assert keys.may_set_replica(cursor)
            cursor.execute("RESET ROLE")


def test_migrate_warns_when_the_right_is_missing():
    from ancrage.workbook.checks import keys_checked_in_one_pass

    assert keys_checked_in_one_pass(None, databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE ancrage_keys_test NOSUPERUSER")
        cursor.execute("SET LOCAL ROLE ancrage_keys_test")
        try:
            warnings = keys_checked_in_one_pass(None, databases=["default"])
        finally:
            cursor.execute("RESET ROLE")
    assert [warning.id for warning in warnings] == ["ancrage.W001"]
    assert "ligne par ligne" in warnings[0].msg
