"""A PostgreSQL setting changed for a few statements of the current transaction, then put back."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def transaction_setting(name: str, value: str):
    """`SET LOCAL name = value` for the block, the previous value restored after it (also on an
    error); nothing on another database."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
