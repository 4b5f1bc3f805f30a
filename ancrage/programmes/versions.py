"""The figures-changed version counters: every write to data that figures read bumps them.

They live at the bottom (programmes) so that a write — saving an action, importing a workbook or
answers — says « figures changed » without importing the figures chain above it; the figures
cache (`indicators/cache.py`) reads the versions to know whether what it keeps is still true.

Three levels, so that a write drops only the figures it can change:
- the global version, bumped when the programme is unknown (drops everything);
- per programme, the version of « any write in it » (programme-wide figures read every
  territory) and the version of its writes that belong to no one territory (settings,
  people, referents, the evaluation…: they may show in any territory's figures);
- per territory, bumped by writes to rows that belong to that territory alone (actions, their
  participations and structures, answers, coordination days, a territory's objectives).
A territory's figures are kept while other territories write.
"""

from collections.abc import Iterable
from functools import partial

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "ancrage:figures:version"  # bumped when the programme is unknown
PROGRAMME_KEY = "ancrage:figures:version:{}"  # bumped by any write to one programme's rows
SHARED_KEY = "ancrage:figures:version:{}:shared"  # its writes that belong to no one territory
TERRITORY_KEY = "ancrage:figures:version:{}:t{}"  # writes to one territory's rows


def _key(programme_id: int | None) -> str:
    return VERSION_KEY if programme_id is None else PROGRAMME_KEY.format(programme_id)


def _get(keys: list[str]) -> list[int]:
    found = cache.get_many(keys)
    missing = {key: 1 for key in keys if key not in found}
    for key in missing:
        cache.add(key, 1, timeout=None)
    return [found.get(key, 1) for key in keys]


def _version(programme_id: int | None) -> int:
    return _get([_key(programme_id)])[0]


def versions_of(programme_id: int, territory_ids: Iterable[int] | None) -> str:
    """The versions a set of figures depends on: a territory's figures on its own writes and
    the programme's shared ones; programme-wide figures on every write in the programme."""
    if territory_ids is None:
        keys = [VERSION_KEY, _key(programme_id)]
    else:
        keys = [VERSION_KEY, SHARED_KEY.format(programme_id)] + [
            TERRITORY_KEY.format(programme_id, t) for t in sorted(territory_ids)
        ]
    return ".".join(str(v) for v in _get(keys))


def _bump_keys(keys: tuple[str, ...]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not set yet, or evicted: any new value invalidates
            cache.set(key, _get([key])[0] + 1, timeout=None)


def _keys_to_bump(programme_id: int | None, territory_ids: Iterable[int | None]) -> tuple:
    if programme_id is None:
        return (VERSION_KEY,)
    territories = sorted({t for t in territory_ids if t is not None})
    if not territories:
        return (_key(programme_id), SHARED_KEY.format(programme_id))
    return (_key(programme_id), *(TERRITORY_KEY.format(programme_id, t) for t in territories))


def figures_changed(programme_id: int | None = None, territory_ids: Iterable = ()) -> None:
    """Drop the cached figures a write can change, now and again when the current transaction
    commits (so that a page computed meanwhile from the old rows is not kept): of every
    programme when the programme is not known; of the programme-wide figures and the given
    territories' when the rows written belong to those territories alone; of the whole
    programme otherwise. The second drop is registered once per transaction and key set."""
    keys = _keys_to_bump(programme_id, territory_ids)
    _bump_keys(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], partial) and entry[1].func is _bump_keys and entry[1].args == (keys,)
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(partial(_bump_keys, keys))
