"""The reach summaries (`Reach`, `ReachTotal`): who a programme reached, kept exact by every write.

Unique professionals, trained adults and structures are distinct counts: one person taking part
in two territories counts once in the programme, so the programme's count is not the sum of its
territories'. Counting them again over millions of participations after each write took seconds
at national scale; the summaries keep, per programme, public and school year, one row per person
(or structure) reached and the number of such rows, so that the programme's figures read three
totals. The total over all the programme's school years (`Reach.ALL_YEARS`) has no rows of its
own: it is the number of distinct members of the rows of those years, counted by a rebuild and
moved by each write by the members it brings into those years less those it takes out (an
all-years row per member cost a national import a second scan of the participations and nearly
two rows in five of the table). Every write that changes participations or structure links
refreshes the rows of the people and structures it touched, set-based, in its own transaction:
- the services (`activities/services.py`, deletions and restorations) through `reach_changed`,
  batched by `reach_batch` so that an action's save refreshes its people once;
- single-row saves and deletes anywhere else (admin, cascades) through signals;
- bulk writers (imports, updates from a workbook) by calling `refresh_summaries` at the end of
  their transaction.
Refreshes of one programme are serialised by a lock on its row, so that two concurrent writes
naming the same person cannot leave a row that neither of them would have left alone.
"""

import threading
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_init, post_save

from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed
from ancrage.programmes.vocabulary import (
    GOVERNANCE_MODALITIES,
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
)

from .models import Action, ActionStructure, Participation, Reach, ReachTotal

PEOPLE, STRUCTURES = "people", "structures"
# Each public: the rows it reads, their member column, and which modalities count.
PUBLICS = {
    Reach.PROFESSIONALS: (PEOPLE, "person_id", "IN", PROFESSIONAL_MODALITIES),
    Reach.TRAINED: (PEOPLE, "person_id", "IN", TRAINED_MODALITIES),
    Reach.STRUCTURES: (STRUCTURES, "structure_id", "NOT IN", GOVERNANCE_MODALITIES),
}
SOURCES = {PEOPLE: Participation, STRUCTURES: ActionStructure}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _lock(programme_id: int) -> None:
    """One refresh of a programme's summaries at a time, until the write commits (a row lock
    that foreign-key inserts do not wait for)."""
    list(Programme.objects.select_for_update(no_key=True).filter(pk=programme_id).values("pk"))


def _insert(
    programme: Programme, public: str, where: str, params: list, *, returning=False, empty=False
) -> list[tuple[int, int]]:
    """Add the missing rows of one public for the rows of its source matching `where`, one per
    school year and member (`returning`: the `(member, school_year)` of the rows added).
    `empty`: the programme has no row of this public (a rebuild), so none can conflict: the rows
    are written in the order of the unique index without ON CONFLICT's check of each (half the
    time of a national import's summaries)."""
    kind, column, operator, modalities = PUBLICS[public]
    marks = ", ".join(["%s"] * len(modalities))
    outside, outside_args = _outside_dates(programme, "action_id")
    statement = (
        f"INSERT INTO {_table(Reach)} (programme_id, public, school_year, member) "
        f"SELECT DISTINCT {int(programme.pk)}, '{public}', school_year, {column} "
        f"FROM {_table(SOURCES[kind])} WHERE programme_id = %s AND modality {operator} ({marks}) "
        f"AND {outside} AND {where} "
    )
    statement += f"ORDER BY {column}, school_year" if empty else "ON CONFLICT DO NOTHING"
    if returning:
        statement += " RETURNING member, school_year"
    with connection.cursor() as cursor:
        cursor.execute(statement, [programme.pk, *modalities, *outside_args, *params])
        return cursor.fetchall() if returning else []


def _outside_dates(programme, column: str) -> tuple[str, list]:
    """Scope.filters' rule in SQL: rows of actions starting outside the programme's dates do
    not count (`programme`: with its `start` and `end`)."""
    action = _table(Action)
    return (
        f"{column} NOT IN (SELECT id FROM {action} WHERE programme_id = %s "
        "AND (start < %s OR start > %s))",
        [programme.pk, programme.start, programme.end],
    )


def _refresh_members(programme: Programme, kind: str, ids: set[int]) -> None:
    """The rows of these people (or structures) become what their participations (or links)
    say now, and the totals follow by the difference: per school year, the rows deleted and
    added; over all the programme's years, the members with a row of those years after, less
    those with one before (the other members' rows are untouched)."""
    ids = sorted(ids)
    marks = ", ".join(["%s"] * len(ids))
    years = set(programme.school_years)
    change: Counter = Counter()
    for public, (public_kind, column, _op, _modalities) in PUBLICS.items():
        if public_kind != kind:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {_table(Reach)} WHERE programme_id = %s AND public = %s "
                f"AND member IN ({marks}) RETURNING member, school_year",
                [programme.pk, public, *ids],
            )
            deleted = cursor.fetchall()
        added = _insert(programme, public, f"{column} IN ({marks})", ids, returning=True)
        for rows, sign in ((deleted, -1), (added, 1)):
            for _member, year in rows:
                change[public, year] += sign
            change[public, Reach.ALL_YEARS] += sign * len(
                {member for member, year in rows if year in years}
            )
    _add_to_totals(programme.pk, {key: n for key, n in change.items() if n})


def _add_to_totals(programme_id: int, change: dict) -> None:
    if not change:
        return
    table = _table(ReachTotal)
    rows = sorted(change.items())
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [p for (public, year), n in rows for p in (programme_id, public, year, n)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, public, school_year, count) VALUES {values} "
            "ON CONFLICT (programme_id, public, school_year) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            params,
        )


def _delete_all(model, programme_id: int) -> None:
    """Raw: the summaries send no signal and need no deletion collector."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(model)} WHERE programme_id = %s", [programme_id])


def _recount(programme) -> None:
    """The totals counted again from the rows (after a bulk refresh): per school year, the
    rows; over all the programme's school years, their distinct members."""
    _delete_all(ReachTotal, programme.pk)
    table, years = _table(Reach), programme.school_years
    counted = (
        f"SELECT public, school_year AS y, COUNT(*) AS n FROM {table} WHERE programme_id = %s "
        "GROUP BY public, school_year"
    )
    args = [programme.pk]
    if years:
        counted += (
            f" UNION ALL SELECT public, {Reach.ALL_YEARS}, COUNT(DISTINCT member) FROM {table} "
            f"WHERE programme_id = %s AND school_year IN ({', '.join(['%s'] * len(years))}) "
            "GROUP BY public"
        )
        args += [programme.pk, *years]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ReachTotal)} (programme_id, public, school_year, count) "
            f"SELECT {int(programme.pk)}, public, y, n FROM ({counted}) AS counted",
            args,
        )


def rebuild(programme) -> None:
    """Rebuild a programme's summaries whole (`programme`: anything with `pk`,
    `school_years`, `start` and `end`, so that the migration that creates them can fill them
    too)."""
    _delete_all(Reach, programme.pk)
    for public in PUBLICS:
        _insert(programme, public, "true", [], empty=True)
    _recount(programme)


@transaction.atomic
def refresh_summaries(*, programme: Programme) -> None:
    """Rebuild a programme's reach summaries whole after a bulk write, set-based, in the bulk
    write's transaction (call it at its end); the figures' versions are bumped with it."""
    _lock(programme.pk)
    programme.refresh_from_db(fields=["start", "end"])
    rebuild(programme)
    figures_changed(programme.pk)
    batch = getattr(_local, "batch", None)
    if batch is not None:
        batch.pop(programme.pk, None)  # rebuilt: nothing left to refresh one by one


# -- one write's people and structures ------------------------------------------------------
_local = threading.local()


def _flush(batch: dict) -> None:
    existing = set(Programme.objects.filter(pk__in=batch).values_list("pk", flat=True))
    for programme_id in sorted(existing):
        members = batch[programme_id]
        _lock(programme_id)
        programme = Programme.objects.get(pk=programme_id)
        for kind in (PEOPLE, STRUCTURES):
            if members[kind]:
                _refresh_members(programme, kind, members[kind])


@contextmanager
def reach_batch():
    """Within this block, the people and structures written are refreshed once, at its end
    (still inside the caller's transaction); nested blocks join the outer one."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    _local.batch = defaultdict(lambda: {PEOPLE: set(), STRUCTURES: set()})
    try:
        yield
    except BaseException:
        _local.batch = None
        raise
    batch, _local.batch = _local.batch, None
    _flush(batch)


def reach_changed(*, programme_id: int, people=(), structures=()) -> None:
    """These people's participations or these structures' links in a programme changed:
    refresh their summary rows now, or at the end of the current `reach_batch`."""
    people, structures = set(people), set(structures)
    if not people and not structures:
        return
    batch = getattr(_local, "batch", None)
    if batch is not None:
        batch[programme_id][PEOPLE] |= people
        batch[programme_id][STRUCTURES] |= structures
        return
    _flush({programme_id: {PEOPLE: people, STRUCTURES: structures}})


def _on_participation(sender, instance, **kwargs) -> None:
    reach_changed(programme_id=instance.programme_id, people=[instance.person_id])


def _on_structure_link(sender, instance, **kwargs) -> None:
    reach_changed(programme_id=instance.programme_id, structures=[instance.structure_id])


def _remember_dates(sender, instance, **kwargs) -> None:
    instance._reach_dates = (instance.__dict__.get("start"), instance.__dict__.get("end"))


def _on_programme(sender, instance, created, **kwargs) -> None:
    """The programme's school years changed: its all-years totals count other years now."""
    dates = (instance.__dict__.get("start"), instance.__dict__.get("end"))
    if not created and getattr(instance, "_reach_dates", dates) != dates:
        refresh_summaries(programme=instance)
    instance._reach_dates = dates


def connect_signals() -> None:
    """Single-row writes (the admin, cascaded deletions, restorations) refresh their rows."""
    for model, handler in (
        (Participation, _on_participation),
        (ActionStructure, _on_structure_link),
    ):
        uid = f"ancrage-reach-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(handler, sender=model, dispatch_uid=uid + "-delete")
    post_init.connect(_remember_dates, sender=Programme, dispatch_uid="ancrage-reach-dates")
    post_save.connect(_on_programme, sender=Programme, dispatch_uid="ancrage-reach-programme")
