"""Fresh figures without recomputing the nation: the programme's figures are assembled from the
territories' kept parts and the reach summaries, and every write path moves them at once (no
stale read after a write), equal to a fresh computation for every scope (docs/performance.md).

Runs on SQLite and on PostgreSQL (DATABASE_URL) alike."""

import datetime as dt

import pytest
from django.db import transaction

from ancrage.activities.models import Action, Participation, Person, Reach, ReachTotal
from ancrage.activities.selectors import reach_totals
from ancrage.activities.services import action_save, participations_set, refresh_summaries
from ancrage.audit.services import action_delete, action_restore
from ancrage.indicators.cache import cached_indicators
from ancrage.indicators.selectors import compute_indicators
from ancrage.indicators.views import dashboard_content
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import PROFESSIONAL_MODALITIES
from ancrage.workbook.importer import import_workbook
from ancrage.workbook.update import update_workbook

from .cast import make_cast
from .surveys_data import programme_with_actions
from .test_concurrency import ATTEMPTS, _action, _post_at_once, needs_postgres
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db


def scopes_of(programme) -> dict[str, Scope]:
    territories = list(programme.territories.order_by("code"))
    years = programme.school_years
    return {
        "programme": Scope(programme),
        "one territory": Scope(programme, territory_ids=(territories[0].pk,)),
        "several territories": Scope(programme, territory_ids=tuple(t.pk for t in territories[:2])),
        "one school year": Scope(programme, school_years=(years[-1],)),
        "two school years": Scope(programme, school_years=tuple(years[:2])),
        "territory and year": Scope(
            programme, territory_ids=(territories[-1].pk,), school_years=(years[0],)
        ),
    }


def summaries(programme) -> tuple[set, set]:
    rows = set(
        Reach.objects.filter(programme=programme).values_list("public", "school_year", "member")
    )
    totals = set(
        ReachTotal.objects.filter(programme=programme, count__gt=0).values_list(
            "public", "school_year", "count"
        )
    )
    return rows, totals


def assert_fresh(programme, *, hide_small=(False,)) -> dict:
    """Every scope's served figures equal a fresh computation, and the reach summaries kept by
    the writes equal summaries rebuilt from scratch."""
    programme.refresh_from_db()
    for name, scope in scopes_of(programme).items():
        for hidden in hide_small:
            served = cached_indicators(scope, hide_small=hidden)
            assert served == compute_indicators(scope, hide_small=hidden), (name, hidden)
            # The dashboard's figures (without the evaluation's), cached on their own.
            shown = cached_indicators(scope, hide_small=hidden, evaluation=False)
            fresh = compute_indicators(scope, hide_small=hidden, evaluation=False)
            assert shown == fresh, (name, hidden, "dashboard")
            # What the dashboard page keeps of them (its own cache entry).
            content = cached_indicators(
                scope, hide_small=hidden, evaluation=False, shape=dashboard_content
            )
            assert content == dashboard_content(fresh), (name, hidden, "dashboard content")
    kept = summaries(programme)
    with transaction.atomic():
        refresh_summaries(programme=programme)
        rebuilt = summaries(programme)
        transaction.set_rollback(True)
    assert kept == rebuilt
    return cached_indicators(Scope(programme))


def reach(figures: dict) -> tuple[int, int, int]:
    r = figures["reach"]
    return r["professionals_unique"], r["trained_adults"], r["structures"]


def training(programme, territory, code, people, structures=()):
    """A training entered in the action form (the web's service)."""
    return action_save(
        programme,
        Action.objects.filter(programme=programme, code=code).first(),
        fields={
            "code": code,
            "modality": "formation",
            "territory": territory,
            "start": dt.date(programme.school_years[-1], 11, 15),
        },
        structures=list(structures),
        participants=[(person, "enseignante") for person in people],
    )


def test_assembled_figures_equal_a_fresh_computation_for_every_scope(demo_programme):
    figures = assert_fresh(demo_programme, hide_small=(False, True))
    # The seed's figures, served by the assembly.
    assert figures["deliveries"]["formation"] == 14
    assert figures["reach"]["professionals_unique"] == 430
    assert figures["reach"]["structures"] == 52
    assert figures["reach"]["children_total"] == 4130
    assert round(figures["satisfaction"]["synthesis"]["overall"], 2) == 0.94
    # Served again without computing: the versions alone are read.
    assert cached_indicators(Scope(demo_programme)) is not None


def test_each_web_write_moves_the_programme_figures_at_once(demo_programme):
    first, second = demo_programme.territories.order_by("code")[:2]
    before = assert_fresh(demo_programme)
    # A code names a person of the action's territory (tests/test_people_codes.py).
    trained = Person.objects.filter(
        programme=demo_programme,
        territory=first,
        participations__modality="formation",
    ).first()
    structure = demo_programme.structures.filter(commune__territory=first).first()

    # A new person, and one already trained by another action: one more professional.
    training(demo_programme, first, "FRAIS-1", ["FRAIS-P1", trained.code], [structure])
    after = assert_fresh(demo_programme)
    assert after["deliveries"]["formation"] == before["deliveries"]["formation"] + 1
    assert reach(after)[:2] == (reach(before)[0] + 1, reach(before)[1] + 1)

    # The new person taken off the list: back to the figures before (the action remains).
    action = Action.objects.get(programme=demo_programme, code="FRAIS-1")
    participations_set(action=action, people=[trained])
    assert reach(assert_fresh(demo_programme))[:2] == reach(before)[:2]

    # Moved to the other territory, then changed into a COPIL: no professional counts it.
    training(demo_programme, second, "FRAIS-1", ["FRAIS-P1"], [structure])
    moved = assert_fresh(demo_programme)
    assert reach(moved)[:2] == (reach(before)[0] + 1, reach(before)[1] + 1)
    assert moved["by_territory"][second.code]["deliveries"]["formation"] == (
        before["by_territory"][second.code]["deliveries"]["formation"] + 1
    )
    action.refresh_from_db()
    action_save(
        demo_programme,
        action,
        fields={"code": "FRAIS-1", "modality": "copil", "territory": second, "start": action.start},
        structures=[structure],
        participants=[("FRAIS-P1", "")],
    )
    governance = assert_fresh(demo_programme)
    assert reach(governance)[:2] == reach(before)[:2]
    assert governance["deliveries"]["formation"] == before["deliveries"]["formation"]
    assert governance["deliveries"]["copil"] == before["deliveries"]["copil"] + 1


def test_a_deletion_and_its_restoration_move_the_figures_at_once(demo_programme, admin_user):
    first = demo_programme.territories.order_by("code").first()
    before = assert_fresh(demo_programme)
    training(demo_programme, first, "FRAIS-2", ["FRAIS-P2", "FRAIS-P3"])
    added = assert_fresh(demo_programme)
    assert reach(added)[0] == reach(before)[0] + 2

    event = action_delete(
        action=Action.objects.get(programme=demo_programme, code="FRAIS-2"), user=admin_user
    )
    assert reach(assert_fresh(demo_programme)) == reach(before)
    assert cached_indicators(Scope(demo_programme))["deliveries"] == before["deliveries"]

    action_restore(event=event, user=admin_user)
    assert reach(assert_fresh(demo_programme)) == reach(added)

    # A person deleted with their participations (the people register).
    Person.objects.get(programme=demo_programme, code="FRAIS-P2").delete()
    assert reach(assert_fresh(demo_programme))[0] == reach(before)[0] + 1


def test_an_import_and_an_update_from_a_workbook_move_the_figures_at_once(tmp_path):
    sheets = minimal_sheets()
    programme = import_workbook(write_xlsx(sheets, tmp_path / "v1.xlsx")).programme
    before = assert_fresh(programme, hide_small=(False, True))
    assert reach(before) == (3, 3, 2)

    # A new person trained in T1, a new structure link: the update's bulk writes.
    sheets["personnes"].append({"id": "P4", "profession": "infirmière"})
    sheets["participations"].append({"action": "A1", "personne": "P4"})
    sheets["actions"][1]["structures"] = "S1;S2"
    update_workbook(write_xlsx(sheets, tmp_path / "v2.xlsx"), programme=programme.name)
    after = assert_fresh(programme)
    assert reach(after) == (4, 4, 2)

    # Participations absent from the workbook deleted: P2 leaves both actions.
    sheets["participations"] = [row for row in sheets["participations"] if row["personne"] != "P2"]
    update_workbook(
        write_xlsx(sheets, tmp_path / "v3.xlsx"), programme=programme.name, delete_missing=True
    )
    assert reach(assert_fresh(programme)) == (3, 3, 2)


def test_a_change_of_the_programme_dates_moves_the_all_years_counts(demo_programme):
    before = assert_fresh(demo_programme)
    demo_programme.start = dt.date(demo_programme.school_years[-1], 9, 1)
    demo_programme.save()
    after = assert_fresh(demo_programme)
    assert reach(after)[0] < reach(before)[0]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_saves_naming_the_same_people_keep_the_counts_exact(tmp_path):
    """Ten coordinators save at once actions naming the same people (and one new person each)
    in each of two territories: no 500, no deadlock, and the summaries and figures exact after."""
    programme = programme_with_actions(tmp_path)
    user = make_cast(programme)["coordination"]
    cached_indicators(Scope(programme))
    path = f"/actions/nouvelle/?programme={programme.pk}"
    forms = []
    for i in range(ATTEMPTS):
        # A code names a person of the action's territory: P1 lives in T1, P2 in T2.
        known = "P2" if i % 2 else "P1"
        form = _action(programme, f"SIMUL-{i}", f"{known}\nSIMUL-P{i} ; infirmière")
        if i % 2:
            form["territory"] = programme.territories.get(code="T2").pk
        forms.append(form)
    statuses = _post_at_once(user, programme, forms, path)
    assert 500 not in statuses, statuses
    assert_fresh(programme)
    saved = statuses.count(302)
    assert saved >= 1
    # Every person named by a saved action is a professional reached, counted once.
    listed = Participation.objects.filter(
        programme=programme,
        modality__in=PROFESSIONAL_MODALITIES,
        school_year__in=programme.school_years,
    )
    counted = reach_totals(programme, programme.school_years)["professionals"]
    assert counted == listed.values("person_id").distinct().count()
    assert listed.filter(person__code__startswith="SIMUL-P").count() == saved
