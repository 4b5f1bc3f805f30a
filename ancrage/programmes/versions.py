"""The figures-changed version counter: every write to data that figures read bumps it.

It lives at the bottom (programmes) so that a write — saving an action, importing a workbook or
answers — says « figures changed » without importing the figures chain above it; the figures
cache (`indicators/cache.py`) reads the versions to know whether what it keeps is still true.
"""

from functools import partial

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "ancrage:figures:version"  # bumped when the programme is unknown
PROGRAMME_KEY = "ancrage:figures:version:{}"  # bumped by writes to one programme's rows


def _key(programme_id: int | None) -> str:
    return VERSION_KEY if programme_id is None else PROGRAMME_KEY.format(programme_id)


def _version(programme_id: int | None) -> int:
    key = _key(programme_id)
    version = cache.get(key)
    if version is None:
        version = 1
        cache.add(key, version, timeout=None)
    return version


def _bump(programme_id: int | None) -> None:
    try:
        cache.incr(_key(programme_id))
    except ValueError:  # not set yet, or evicted: any new value invalidates
        cache.set(_key(programme_id), _version(programme_id) + 1, timeout=None)


def figures_changed(programme_id: int | None = None) -> None:
    """Drop the cached figures of a programme (of every programme when it is not known) now,
    and again when the current transaction commits, so that a page computed meanwhile from
    the old rows is not kept. The second drop is registered once per transaction and
    programme, not once per row."""
    _bump(programme_id)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], partial)
        and entry[1].func is _bump
        and entry[1].args == (programme_id,)
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(partial(_bump, programme_id))
