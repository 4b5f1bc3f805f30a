"""The reach summaries hold no all-years rows: the total over the programme's school years
(`Reach.ALL_YEARS`) is counted by a rebuild and moved by each write, and after any series of
writes every total equals a fresh rebuild and a distinct count of the participations and
structure links themselves (activities/summaries.py).

Runs on SQLite and on PostgreSQL (DATABASE_URL) alike."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ancrage.activities.models import (
    Action,
    ActionStructure,
    Participation,
    Person,
    Reach,
    ReachTotal,
    Structure,
)
from ancrage.activities.selectors import reach_totals
from ancrage.activities.services import (
    action_update,
    participations_add,
    participations_set,
    refresh_summaries,
)
from ancrage.programmes.vocabulary import (
    GOVERNANCE_MODALITIES,
    PROFESSIONAL_MODALITIES,
    TRAINED_MODALITIES,
)
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db

ALL = Reach.ALL_YEARS


def programme_over_two_years(tmp_path):
    """The minimal programme (school years 2022 and 2023) with actions in both years, one of
    each professional modality, and one before its start."""
    sheets = minimal_sheets()
    sheets["personnes"] += [
        {"id": "P4", "profession": "infirmière", "structure": "S2"},
        {"id": "P5", "profession": "enseignante"},
    ]
    sheets["actions"] += [
        {"id": "A4", "modalite": "formation", "territoire": "T2", "debut": "2023-10-02"},
        {"id": "A5", "modalite": "accompagnement", "territoire": "T1", "debut": "2024-01-15"},
        {
            "id": "A6",
            "modalite": "jep",
            "territoire": "T1",
            "debut": "2021-12-01",
            "structures": "S2",
        },
    ]
    sheets["participations"] += [
        {"action": "A4", "personne": "P1"},
        {"action": "A5", "personne": "P3"},
        {"action": "A6", "personne": "P5"},
    ]
    return import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme


def kept(programme) -> dict:
    rows = ReachTotal.objects.filter(programme=programme).exclude(count=0)
    return {
        (public, year): n for public, year, n in rows.values_list("public", "school_year", "count")
    }


def counted(programme) -> dict:
    """The distinct counts from the participations and links themselves (Scope's rule: actions
    starting outside the programme's dates do not count)."""
    publics = {
        Reach.PROFESSIONALS: (Participation, "person_id", PROFESSIONAL_MODALITIES, True),
        Reach.TRAINED: (Participation, "person_id", TRAINED_MODALITIES, True),
        Reach.STRUCTURES: (ActionStructure, "structure_id", GOVERNANCE_MODALITIES, False),
    }
    found = {}
    for public, (model, column, modalities, among) in publics.items():
        rows = model.objects.filter(
            programme=programme,
            action__start__gte=programme.start,
            action__start__lte=programme.end,
        )
        rows = (
            rows.filter(modality__in=modalities) if among else rows.exclude(modality__in=modalities)
        )
        by_year = rows.values("school_year").annotate(n=Count(column, distinct=True)).order_by()
        found.update({(public, row["school_year"]): row["n"] for row in by_year})
        whole = rows.filter(school_year__in=programme.school_years).values(column).distinct()
        found[public, ALL] = whole.count()
    return {key: n for key, n in found.items() if n}


def assert_exact(programme) -> dict:
    """No all-years row; the totals kept by the writes equal a rebuild's and the direct
    counts, and the figures read them."""
    programme.refresh_from_db()
    assert not Reach.objects.filter(school_year=ALL).exists()
    totals = kept(programme)
    assert totals == counted(programme)
    with transaction.atomic():
        refresh_summaries(programme=programme)
        assert kept(programme) == totals
        transaction.set_rollback(True)
    read = reach_totals(programme, programme.school_years)
    assert read == {
        "professionals": totals.get((Reach.PROFESSIONALS, ALL), 0),
        "trained": totals.get((Reach.TRAINED, ALL), 0),
        "structures": totals.get((Reach.STRUCTURES, ALL), 0),
    }
    return totals


def action(programme, code: str) -> Action:
    return Action.objects.get(programme=programme, code=code)


def person(programme, code: str) -> Person:
    return Person.objects.get(programme=programme, code=code)


def move(programme, code: str, start: dt.date) -> None:
    moved = action(programme, code)
    action_update(moved, structures=list(moved.structures.all()), start=start, end=None)


def test_an_import_writes_no_all_years_row_and_counts_the_distinct_people(tmp_path):
    programme = programme_over_two_years(tmp_path)
    totals = assert_exact(programme)
    # P1 trained in 2022 (A1) and 2023 (A4): once over the programme, once in each year.
    assert totals[Reach.TRAINED, 2022] == 3  # P1, P2 (A1), P2, P3 (A2)
    assert totals[Reach.TRAINED, 2023] == 1  # P1 (A4)
    assert totals[Reach.TRAINED, ALL] == 3
    assert totals[Reach.PROFESSIONALS, 2023] == 2  # P1 (A4), P3 (A5)
    assert totals[Reach.PROFESSIONALS, ALL] == 3  # P5 (A6, before the start) does not count


def test_writes_across_school_years_keep_the_all_years_totals_exact(tmp_path):
    programme = programme_over_two_years(tmp_path)
    before = assert_exact(programme)

    # A new person in two school years: one more over the programme, one more in each year.
    newcomer = person(programme, "P4")
    participations_add(action=action(programme, "A1"), people=[newcomer])
    participations_add(action=action(programme, "A4"), people=[newcomer])
    added = assert_exact(programme)
    for public in (Reach.PROFESSIONALS, Reach.TRAINED):
        assert added[public, ALL] == before[public, ALL] + 1
        for year in (2022, 2023):
            assert added[public, year] == before.get((public, year), 0) + 1

    # Taken off one of them: still reached over the programme.
    first = action(programme, "A1")
    participations_set(
        action=first,
        people=[p for p in Person.objects.filter(participations__action=first) if p != newcomer],
    )
    removed = assert_exact(programme)
    assert removed[Reach.PROFESSIONALS, ALL] == added[Reach.PROFESSIONALS, ALL]
    assert removed[Reach.PROFESSIONALS, 2022] == added[Reach.PROFESSIONALS, 2022] - 1

    # Their action moved to the other year, then before the programme's start.
    move(programme, "A4", dt.date(2022, 11, 7))
    assert assert_exact(programme)[Reach.TRAINED, ALL] == removed[Reach.TRAINED, ALL]
    move(programme, "A4", dt.date(2022, 6, 1))
    left = assert_exact(programme)
    assert left[Reach.TRAINED, ALL] == removed[Reach.TRAINED, ALL] - 1  # P4 (P1 has A1)

    # A person deleted with their participations (signals, one row at a time).
    person(programme, "P3").delete()
    assert assert_exact(programme)[Reach.PROFESSIONALS, ALL] == left[Reach.PROFESSIONALS, ALL] - 1

    # The programme's dates: its first year only, then widened to the year before its start.
    programme.end = dt.date(2023, 8, 31)
    programme.save()
    first_year = assert_exact(programme)
    assert {year for _public, year in first_year} == {2022, ALL}
    assert first_year[Reach.PROFESSIONALS, ALL] == 2  # P1, P2
    programme.start, programme.end = dt.date(2021, 9, 1), dt.date(2024, 8, 31)
    programme.save()
    wider = assert_exact(programme)
    assert wider[Reach.PROFESSIONALS, 2021] == 3  # P5 (A6), P1 and P4 (A4, moved to June 2022)
    assert wider[Reach.PROFESSIONALS, ALL] == 4


def test_structure_links_move_the_all_years_structures(tmp_path):
    programme = programme_over_two_years(tmp_path)
    before = assert_exact(programme)
    s1, s2 = Structure.objects.filter(programme=programme).order_by("code")
    # S1 was reached in 2022 only (A1; A3 is a COPIL): A4 in 2023 adds a year, not a structure.
    action_update(action(programme, "A4"), structures=[s1], start=dt.date(2023, 10, 2))
    linked = assert_exact(programme)
    assert linked[Reach.STRUCTURES, ALL] == before[Reach.STRUCTURES, ALL]
    assert linked[Reach.STRUCTURES, 2023] == before.get((Reach.STRUCTURES, 2023), 0) + 1
    # A1 and A2 lose their structures: S1 stays through A4, S2 leaves.
    for code in ("A1", "A2"):
        unlinked = action(programme, code)
        action_update(unlinked, structures=[], start=unlinked.start)
    assert assert_exact(programme)[Reach.STRUCTURES, ALL] == 1
    assert s2.pk not in set(
        Reach.objects.filter(programme=programme, public=Reach.STRUCTURES).values_list(
            "member", flat=True
        )
    )


CODES = ["A1", "A2", "A3", "A4", "A5", "A6"]
PEOPLE = ["P1", "P2", "P3", "P4", "P5"]
DAYS = [dt.date(2021, 10, 4), dt.date(2022, 10, 3), dt.date(2023, 2, 6), dt.date(2023, 10, 2)]
DAYS += [dt.date(2024, 6, 3), dt.date(2024, 10, 7)]
PERIODS = [
    (dt.date(2022, 9, 1), dt.date(2024, 8, 31)),
    (dt.date(2023, 9, 1), dt.date(2024, 8, 31)),
    (dt.date(2021, 9, 1), dt.date(2024, 8, 31)),
    (dt.date(2022, 12, 1), dt.date(2023, 8, 31)),
]
WRITES = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(CODES), st.sampled_from(PEOPLE)),
    st.tuples(st.just("remove"), st.sampled_from(CODES), st.sampled_from(PEOPLE)),
    st.tuples(st.just("move"), st.sampled_from(CODES), st.sampled_from(DAYS)),
    st.tuples(
        st.just("modality"),
        st.sampled_from(CODES),
        st.sampled_from(["formation", "accompagnement", "co_intervention", "copil"]),
    ),
    st.tuples(st.just("link"), st.sampled_from(CODES), st.sampled_from(["S1", "S2"])),
    st.tuples(st.just("delete person"), st.sampled_from(PEOPLE), st.none()),
    st.tuples(st.just("delete action"), st.sampled_from(CODES), st.none()),
    st.tuples(st.just("dates"), st.sampled_from(PERIODS), st.none()),
)


def write(programme, kind: str, target, value) -> None:
    """One write through the services (or a single-row delete, as the admin does)."""
    if kind == "dates":
        programme.start, programme.end = target
        programme.save()
        return
    if kind == "delete person":
        Person.objects.filter(programme=programme, code=target).delete()
        return
    found = Action.objects.filter(programme=programme, code=target).first()
    if found is None:
        return
    if kind == "delete action":
        found.delete()
    elif kind in ("add", "remove"):
        listed = set(Person.objects.filter(participations__action=found))
        named = set(Person.objects.filter(programme=programme, code=value))
        people = listed | named if kind == "add" else listed - named
        participations_set(action=found, people=sorted(people, key=lambda p: p.pk))
    else:
        structures = list(found.structures.all())
        fields = {"start": found.start}
        if kind == "move":
            fields = {"start": value, "end": None}
        elif kind == "modality":
            fields["modality"] = value
        else:
            linked = Structure.objects.get(programme=programme, code=value)
            # Linked or unlinked, in turn.
            structures = (
                [s for s in structures if s != linked]
                if linked in structures
                else [*structures, linked]
            )
        action_update(found, structures=structures, **fields)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(WRITES, min_size=1, max_size=8))
def test_any_series_of_writes_keeps_every_total_exact(tmp_path_factory, writes):
    with transaction.atomic():  # each example on its own programme, rolled back after
        programme = programme_over_two_years(tmp_path_factory.mktemp("reach"))
        for kind, target, value in writes:
            write(programme, kind, target, value)
            assert_exact(programme)
        transaction.set_rollback(True)


def test_the_migration_drops_the_all_years_rows_and_puts_them_back(tmp_path):
    """Reversed, the migration gives back the rows the previous code read (one per member of
    the rows of the programme's years); forward, it deletes them; the totals do not move."""
    migration = importlib.import_module(
        "ancrage.activities.migrations.0010_reach_without_all_years_rows"
    )
    programme = programme_over_two_years(tmp_path)
    totals = assert_exact(programme)

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    editor = SimpleNamespace(quote_name=connection.ops.quote_name, execute=execute)
    migration.restore_all_years_rows(apps, editor)
    restored = Reach.objects.filter(programme=programme, school_year=ALL)
    by_public = dict(restored.values_list("public").annotate(n=Count("id")).order_by())
    assert by_public == {public: n for (public, year), n in totals.items() if year == ALL}
    migration.drop_all_years_rows(apps, editor)
    assert assert_exact(programme) == totals
