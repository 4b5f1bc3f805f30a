"""The figures' versions: every write to data that figures read bumps them, in its transaction.

They live at the bottom (programmes) so that a write — saving an action, importing a workbook or
answers — says « figures changed » without importing the figures chain above it; the figures
cache (`indicators/cache.py`) reads the versions to know whether what it keeps is still true.

One row per programme and territory written to (`FiguresVersion`), plus two per programme:
- a territory's row, bumped by writes to rows that belong to that territory alone (actions,
  their participations and structures, answers, coordination days, its objectives): only that
  territory's part of the figures is recomputed, the programme's figures are assembled again;
- SHARED, bumped by the programme's writes that belong to no one territory (people, settings,
  the evaluation…): the assembled figures are recomputed, the territories' parts are kept;
- EVERYWHERE, bumped by writes that may touch any territory (bulk writes that do not say
  where): everything of the programme is recomputed;
- SURVEYS, bumped besides the above by writes to the questionnaires' rows (questionnaires,
  collections, responses, answers) and to the territories' (their codes name the
  questionnaires' results), and by writes to an action that has collections or to its
  participations: the questionnaires' figures are kept under it and EVERYWHERE
  (`indicators/cache.py`), not recomputed after each action written without a collection.
The bump is part of the write's transaction: a rolled-back write bumps nothing, a committed one
is seen by every read that starts after it, and no cache eviction can bring an old version
back.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection

from .models import FiguresVersion, Programme

# Beyond this many territories the versions are read for the whole programme: one query either
# way, and a list of 1,250 ids costs more to send than the rows it avoids.
TERRITORY_KEYS_MAX = 50

SHARED = FiguresVersion.SHARED
EVERYWHERE = FiguresVersion.EVERYWHERE
SURVEYS = FiguresVersion.SURVEYS


def _bump(programme_id: int, rows: list[int]) -> None:
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    params = [p for territory in sorted(rows) for p in (programme_id, territory)]
    # Sorted, in one statement: two writers bump the same rows in the same order (no deadlock).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, territory, version) VALUES {values} "
            f"ON CONFLICT (programme_id, territory) DO UPDATE SET version = {table}.version + 1",
            params,
        )


def _bump_all() -> None:
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    programmes = connection.ops.quote_name(Programme._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, territory, version) "
            f"SELECT id, {EVERYWHERE}, 1 FROM {programmes} WHERE true "
            f"ON CONFLICT (programme_id, territory) DO UPDATE SET version = {table}.version + 1"
        )


def figures_changed(
    programme_id: int | None = None,
    territory_ids: Iterable = (),
    *,
    shared: bool = False,
    surveys: bool = False,
) -> None:
    """Say that a write changes figures, in the write's transaction: of every programme when
    the programme is not known; of the given territories (and the figures that contain them)
    when the rows written belong to those territories alone; of the programme's assembled
    figures only when `shared` (rows of no one territory); of all the programme otherwise.
    `surveys`: the rows written are the questionnaires' (or the territories')."""
    if programme_id is None:
        _bump_all()
        return
    rows = sorted({t for t in territory_ids if t is not None}) or [SHARED if shared else EVERYWHERE]
    _bump(programme_id, [*rows, SURVEYS] if surveys else rows)


def figure_versions(programme_id: int, territory_ids: Iterable[int] | None = None) -> dict:
    """The versions figures of these territories depend on (all the programme's: None, or more
    than TERRITORY_KEYS_MAX territories), by territory, SHARED, EVERYWHERE and SURVEYS
    included; one query."""
    rows = FiguresVersion.objects.filter(programme_id=programme_id)
    if territory_ids is not None and len(territory_ids := list(territory_ids)) <= (
        TERRITORY_KEYS_MAX
    ):
        rows = rows.filter(territory__in=[SHARED, EVERYWHERE, SURVEYS, *territory_ids])
    return dict(rows.values_list("territory", "version"))


def digest(value) -> str:
    """A short, stable key for what a kept result depends on (its scope, its versions)."""
    return hashlib.sha1(repr(value).encode()).hexdigest()[:16]
