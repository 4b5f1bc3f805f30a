"""A write drops only the figures it can change: its territory's and the programme-wide ones.
Whatever is served after a write equals a fresh computation (never a stale figure); the other
territories' figures stay cached (served with the one query that reads the versions)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.activities.models import Person
from ancrage.activities.services import action_save, action_update, participations_set
from ancrage.indicators.cache import cached_indicators
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope


@pytest.fixture
def areas(demo_programme):
    first, second = demo_programme.territories.order_by("code")[:2]
    scopes = {
        "programme": Scope(demo_programme),
        first.code: Scope(demo_programme, territory_ids=(first.pk,)),
        second.code: Scope(demo_programme, territory_ids=(second.pk,)),
        "both": Scope(demo_programme, territory_ids=(first.pk, second.pk)),
    }
    for scope in scopes.values():
        cached_indicators(scope)  # every page has been seen once
    return demo_programme, first, second, scopes


def served_without_query(scope) -> bool:
    with CaptureQueriesContext(connection) as queries:
        cached_indicators(scope)
    return len(queries) == 1  # the versions alone (one query), the figures from the cache


def assert_fresh(scopes) -> None:
    for name, scope in scopes.items():
        assert cached_indicators(scope) == compute_indicators(scope), name


def new_training(programme, territory, codes):
    return action_save(
        programme,
        None,
        fields={
            "code": f"NEUVE-{territory.code}",
            "modality": "formation",
            "territory": territory,
            "start": dt.date(2024, 10, 1),
        },
        structures=[],
        participants=[(code, "enseignante") for code in codes],
    )


def test_an_action_saved_in_one_territory_keeps_the_others_figures(areas):
    programme, first, second, scopes = areas
    before = cached_indicators(scopes["programme"])
    new_training(programme, first, ["NV-1", "NV-2", "NV-3"])
    assert served_without_query(scopes[second.code])  # not dropped
    for name in ("programme", first.code, "both"):
        assert not served_without_query(scopes[name]), name
    after = cached_indicators(scopes["programme"])
    assert after["reach"]["professionals_unique"] == before["reach"]["professionals_unique"] + 3
    assert_fresh(scopes)


def test_an_action_moved_to_another_territory_refreshes_both(areas):
    programme, first, second, scopes = areas
    action = new_training(programme, first, ["NV-1"])
    assert_fresh(scopes)
    count = cached_indicators(scopes[second.code])["deliveries"]["formation"]
    action_update(action, structures=[], territory=second)
    assert cached_indicators(scopes[second.code])["deliveries"]["formation"] == count + 1
    assert_fresh(scopes)


def test_participants_removed_refresh_their_territory(areas):
    programme, first, _second, scopes = areas
    action = new_training(programme, first, ["NV-1", "NV-2"])
    assert_fresh(scopes)
    participations_set(action=action, people=[Person.objects.get(code="NV-1")])
    assert_fresh(scopes)


def test_a_write_that_belongs_to_no_territory_refreshes_every_territory(areas):
    programme, _first, second, scopes = areas
    before = cached_indicators(scopes[second.code])
    programme.replication_rate = 0.5  # a programme setting shows in every territory's figures
    programme.save()
    assert not served_without_query(scopes[second.code])
    assert cached_indicators(scopes[second.code]) != before
    assert_fresh(scopes)


def test_a_deleted_action_refreshes_its_territory(areas):
    programme, first, second, scopes = areas
    action = new_training(programme, first, ["NV-1"])
    assert_fresh(scopes)
    action.delete()
    assert served_without_query(scopes[second.code])
    assert_fresh(scopes)


def test_participants_added_in_bulk_refresh_their_territory(areas):
    from ancrage.activities.services import participations_add

    programme, first, second, scopes = areas
    action = new_training(programme, first, ["NV-1"])
    assert_fresh(scopes)
    newcomer = Person.objects.create(programme=programme, code="NV-9", profession="animateur")
    for scope in scopes.values():  # seen again after the person was created
        cached_indicators(scope)
    participations_add(action=action, people=[newcomer])  # a bulk write: no signal
    assert served_without_query(scopes[second.code])
    assert_fresh(scopes)


def test_readers_wait_for_the_figures_another_process_is_computing(areas, monkeypatch):
    """After a write every reader misses the cache at once: one computes, the others wait for
    its result (the same versions' figures) instead of all computing in parallel."""
    import threading

    from django.core.cache import cache

    from ancrage.indicators import cache as figures_cache

    programme, first, _second, scopes = areas
    new_training(programme, first, ["NV-1"])  # the programme's figures are dropped
    fresh = compute_indicators(scopes["programme"])
    keys = []
    monkeypatch.setattr(figures_cache, "_computed_once", lambda key, *a: keys.append(key) or fresh)
    cached_indicators(scopes["programme"])  # just to learn the key of these versions
    monkeypatch.undo()
    (key,) = keys
    cache.add(key + ":calcul", 1)  # another process is computing them

    def other_process_finishes():
        cache.set(key, fresh)
        cache.delete(key + ":calcul")

    def never(*args, **kwargs):
        raise AssertionError("computed again while another process computes")

    monkeypatch.setattr(figures_cache, "compute_indicators", never)
    threading.Timer(0.3, other_process_finishes).start()
    assert cached_indicators(scopes["programme"]) == fresh


def test_assembled_figures_count_no_distinct_total_they_read_elsewhere(demo_programme, monkeypatch):
    """The programme's distinct counts come from the reach summaries, a territory's from its
    part: assembling never counts a total over the participations only to drop it (each such
    count scans the whole scope, seconds at national scale), and a scope of several
    territories counts its total alone (its parts hold each territory's)."""
    from django.core.cache import cache

    from ancrage.indicators import queries

    counted = []
    original = queries.distinct_by_territory

    def spy(queryset, field, **sides):
        counted.append((sides.get("per_territory", True), sides.get("overall", True)))
        return original(queryset, field, **sides)

    monkeypatch.setattr(queries, "distinct_by_territory", spy)
    cache.clear()
    cached_indicators(Scope(demo_programme), evaluation=False)
    assert counted == [(True, False)] * 3  # the parts' per-territory counts, no total
    first, second = demo_programme.territories.order_by("code")[:2]
    counted.clear()
    both = Scope(demo_programme, territory_ids=(first.pk, second.pk))
    assert cached_indicators(both, evaluation=False) == compute_indicators(both, evaluation=False)
    assert counted[:3] == [(False, True)] * 3  # the two territories' totals, counted alone


def test_a_programme_wide_objective_keeps_every_territory_part(areas, monkeypatch):
    """An objective of the whole programme is read by the assembly alone (objectives are
    compared after the parts are added up): writing one recomputes no territory's part."""
    from ancrage.indicators import cache as figures_cache
    from ancrage.programmes.models import Objective

    programme, _first, _second, scopes = areas
    objective = Objective.objects.create(
        programme=programme, target="formation", period="programme", minimum=500
    )
    recomputed = []
    original = figures_cache.territory_parts

    def spy(scope, **kwargs):
        recomputed.append(scope.territory_ids)
        return original(scope, **kwargs)

    monkeypatch.setattr(figures_cache, "territory_parts", spy)
    after = cached_indicators(scopes["programme"])
    (row,) = [o for o in after["objectives"] if o["territoire"] == "*" and o["min"] == 500]
    assert row["status"] == "below"
    objective.delete()
    assert not [o for o in cached_indicators(scopes["programme"])["objectives"] if o["min"] == 500]
    assert recomputed == []  # every part kept
    assert_fresh(scopes)
