"""The keys of the rows an import inserts set-based, checked in one pass per key (PostgreSQL).

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED: PostgreSQL queues one check per
inserted row and key, and runs them one query each when the transaction commits — about
10 million checks and 67 s of a national import. The set-based inserts (fastload) join every key
to its row by code inside the import's transaction, so each key holds by construction; the same
guarantee is then checked here in one anti-join per key, as `ALTER TABLE … ADD FOREIGN KEY`
validates a constraint (2 s instead of 44 s for 3 million participations). The constraints stay
on the tables for every other write.

The per-row checks are left out of those statements only, by `session_replication_role =
replica` for the statement (transaction-local, restored after it). PostgreSQL reserves that
setting to superusers; since PostgreSQL 15 a superuser can grant it to the application's role
once (`GRANT SET ON PARAMETER session_replication_role TO ancrage`: deploy/postgresql.sql,
README « En production »). Without that right the import keeps PostgreSQL's per-row checks:
slower, as safe.

Why no other transaction can break a key meanwhile (the per-row check would also lock each
referenced row FOR KEY SHARE): every referenced row belongs to the programme this import
creates, in this same transaction, so no other transaction sees it, let alone deletes it.
"""

from contextlib import contextmanager

from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from ancrage.core.pgsettings import transaction_setting

_allowed: dict[int, bool] = {}  # by connection: the right does not change while it is open


def allowed() -> bool:
    """Whether this connection may leave out the per-row checks (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return False
    key = id(connection.connection)
    if key not in _allowed:
        with connection.cursor() as cursor:
            _allowed[key] = may_set_replica(cursor)
    return _allowed[key]


def may_set_replica(cursor, database=connection) -> bool:
    """Whether the current role may set session_replication_role (`database`: the connection
    `cursor` belongs to)."""
    if database.pg_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return cursor.fetchone()[0]


@contextmanager
def checked_in_one_pass(cursor, model, pid: int):
    """Around one INSERT … SELECT of `model`'s rows of programme `pid`: the per-row key checks
    left out when allowed(), and each key of the inserted rows checked after in one pass."""
    if not allowed():
        yield
        return
    with transaction_setting("session_replication_role", "replica"):
        yield
    check_keys(cursor, model, pid)


def check_keys(cursor, model, pid: int) -> None:
    """Every key of `model`'s rows of programme `pid` names an existing row, or IntegrityError
    (what the commit would have raised): one anti-join per key constraint."""
    table = connection.ops.quote_name(model._meta.db_table)
    for field in model._meta.concrete_fields:
        if not (field.is_relation and field.db_constraint):
            continue
        target = field.target_field
        column = connection.ops.quote_name(field.column)
        # Every row checked holds `pid` as its programme: that key is looked up once.
        same = field.column == "programme_id"
        missing = _orphan(cursor, table, column, target, pid, same)
        if missing:
            raise IntegrityError(
                _("{table}.{column} = {value} ne désigne aucune ligne de {target}").format(
                    table=model._meta.db_table,
                    column=field.column,
                    value=missing[0],
                    target=target.model._meta.db_table,
                )
            )


def _orphan(cursor, table: str, column: str, target, pid: int, constant: bool):
    """One key of `table`'s rows of programme `pid` that names no row of its target, or None;
    `constant`: the key is `pid` on every such row (then looked up once, not per row)."""
    key = "%s" if constant else f"c.{column}"
    cursor.execute(
        f"SELECT c.{column} FROM {table} c "
        f"WHERE c.{connection.ops.quote_name('programme_id')} = %s "
        f"AND c.{column} IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM {connection.ops.quote_name(target.model._meta.db_table)} p "
        f"WHERE p.{connection.ops.quote_name(target.column)} = {key}) LIMIT 1",
        [pid, pid] if constant else [pid],
    )
    return cursor.fetchone()
