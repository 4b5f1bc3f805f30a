"""Cached figures are never stale: any write drops them, bulk writes included; a write to one
programme keeps the other programmes' figures."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.activities.models import Action, Person
from ancrage.activities.services import action_create, participations_add
from ancrage.indicators.cache import cached_indicators
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope

from .surveys_data import first_choice_response, programme_with_actions, questionnaire


def test_figures_are_cached_then_recomputed_after_a_write(demo_programme):
    scope = Scope(demo_programme)
    first = cached_indicators(scope)
    with CaptureQueriesContext(connection) as queries:
        again = cached_indicators(scope)
    assert len(queries) == 1 and again == first  # the versions, read in one query

    other = Programme.objects.create(
        name="Autre", start=dt.date(2024, 9, 1), end=dt.date(2025, 8, 31)
    )
    other_scope = Scope(other)
    cached_indicators(other_scope)

    territory = demo_programme.territories.get(code="PCSG")
    action = action_create(
        programme=demo_programme,
        code="NEUVE",
        modality="formation",
        territory=territory,
        start=dt.date(2024, 10, 1),
    )
    people = [
        Person.objects.create(programme=demo_programme, code=f"NV-{i}", profession="enseignante")
        for i in range(3)
    ]
    participations_add(action=action, people=people)  # a bulk write: no signal
    after = cached_indicators(scope)
    assert after["deliveries"]["formation"] == first["deliveries"]["formation"] + 1
    assert after["reach"]["professionals_unique"] == first["reach"]["professionals_unique"] + 3
    # The other programme's figures were not dropped.
    with CaptureQueriesContext(connection) as queries:
        cached_indicators(other_scope)
    assert len(queries) == 1


def test_figures_cached_by_another_version_of_the_code_are_never_read(demo_programme, monkeypatch):
    from ancrage.indicators import cache as figures_cache

    scope = Scope(demo_programme)
    figures_cache.cached_indicators(scope)
    monkeypatch.setattr(figures_cache, "CODE_VERSION", "a-new-deploy")
    monkeypatch.setattr(figures_cache, "compute_indicators", lambda scope, **kw: {"recomputed": 1})
    assert figures_cache.cached_indicators(scope) == {"recomputed": 1}


@pytest.mark.django_db
def test_the_questionnaires_figures_are_kept_through_writes_elsewhere_and_move_with_theirs(
    tmp_path,
):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    collected = Action.objects.get(programme=programme, code="C2")  # T1, 10 children
    first_choice_response(form, collected)
    scope = Scope(programme)

    def served() -> dict:
        figures = cached_indicators(scope, evaluation=False)
        assert figures == compute_indicators(scope, evaluation=False)
        return next(q for q in figures["satisfaction"]["questionnaires"] if q["id"] == form.pk)

    assert (served()["respondents"], served()["beneficiaries"]) == (1, 10)

    # An action written in a territory without collections: the questionnaires' figures are
    # kept (not one answer read), the rest moves.
    elsewhere = programme.territories.get(code="T2")
    action_create(
        programme=programme,
        code="N1",
        modality="co_intervention",
        territory=elsewhere,
        start=dt.date(2023, 11, 20),
        children=5,
    )
    with CaptureQueriesContext(connection) as queries:
        figures = cached_indicators(scope, evaluation=False)
    assert not [q for q in queries if "surveys_answer" in q["sql"]]
    assert figures == compute_indicators(scope, evaluation=False)

    # An action written in the very territory of the collection, with no collection of its
    # own: kept too (every territory of a national programme may collect).
    action_create(
        programme=programme,
        code="N2",
        modality="co_intervention",
        territory=collected.territory,
        start=dt.date(2023, 11, 21),
        children=7,
    )
    with CaptureQueriesContext(connection) as queries:
        figures = cached_indicators(scope, evaluation=False)
    assert not [q for q in queries if "surveys_answer" in q["sql"]]
    assert figures == compute_indicators(scope, evaluation=False)

    # A response moves them at once; so does the collected action's children count (the
    # questionnaire's beneficiaries), and a territory's new code (the synthesis names it).
    first_choice_response(form, collected)
    assert served()["respondents"] == 2
    collected.children = 20
    collected.save()
    assert served()["beneficiaries"] == 20
    territory = programme.territories.get(code="T1")
    territory.code = "T1B"
    territory.save()
    served()


@pytest.mark.django_db
def test_the_adults_listed_on_a_collected_action_move_its_questionnaire_at_once(tmp_path):
    """A professionals' questionnaire counts the people listed on its collected actions: adding
    them (in bulk, no signal) or removing one moves its beneficiaries at once."""
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "formation_professionnels")
    collected = Action.objects.get(programme=programme, code="F2")  # 12 adults, none listed
    first_choice_response(form, collected)
    scope = Scope(programme)

    def beneficiaries() -> int:
        figures = cached_indicators(scope, evaluation=False)
        assert figures == compute_indicators(scope, evaluation=False)
        rows = figures["satisfaction"]["questionnaires"]
        return next(q for q in rows if q["id"] == form.pk)["beneficiaries"]

    assert beneficiaries() == 12
    first, second = Person.objects.filter(programme=programme)[:2]
    participations_add(action=collected, people=[first])
    assert beneficiaries() == 1  # listed now: the people, not the adults column
    participations_add(action=collected, people=[second])  # the action itself unchanged
    assert beneficiaries() == 2
    collected.participations.first().delete()
    assert beneficiaries() == 1


class Recorder:
    """The cache, recording the keys written."""

    def __init__(self, cache):
        self.cache, self.written = cache, []

    def __getattr__(self, name):
        return getattr(self.cache, name)

    def set(self, key, *args, **kwargs):
        self.written.append(key)
        return self.cache.set(key, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        self.written.extend(data)
        return self.cache.set_many(data, *args, **kwargs)


def test_after_a_write_only_the_territory_s_part_is_kept_again(demo_programme, monkeypatch):
    from ancrage.indicators import cache as figures_cache

    scope = Scope(demo_programme)
    cached_indicators(scope, evaluation=False)
    recorder = Recorder(figures_cache.cache)
    monkeypatch.setattr(figures_cache, "cache", recorder)
    territory = demo_programme.territories.get(code="PCSG")
    action_create(
        programme=demo_programme,
        code="SEULE",
        modality="formation",
        territory=territory,
        start=dt.date(2024, 10, 1),
    )
    assert cached_indicators(scope, evaluation=False) == compute_indicators(scope, evaluation=False)
    parts = [key.split(":parts:")[1] for key in recorder.written if ":parts:" in key]
    # The store of every territory's part is not written again: the new part is kept alone,
    # under its territory's version, and read back by the next computation.
    assert len(parts) == 1 and parts[0].split(":")[1] == str(territory.pk)
    with CaptureQueriesContext(connection) as queries:
        cached_indicators(scope, hide_small=True, evaluation=False)
    # Another view of the same versions reads the part kept alone: no territory recomputed.
    assert not [q for q in queries if '"activities_participation"."territory_id"' in q["sql"]]


class Reads(Recorder):
    """The cache, recording the keys read."""

    def __init__(self, cache):
        super().__init__(cache)
        self.read = []

    def get(self, key, *args, **kwargs):
        self.read.append(key)
        return self.cache.get(key, *args, **kwargs)


def test_after_a_write_the_process_s_copy_of_the_parts_is_used_never_stale(
    demo_programme, monkeypatch
):
    """A national store of 1,250 parts took 40 ms to unpickle after each write: the process
    keeps its copy while the shared store keeps its stamp; a part written since is never read
    from the copy, and once the cache is cleared the copy is not used."""
    from ancrage.indicators import cache as figures_cache

    monkeypatch.setattr(figures_cache, "STORE_AGAIN", 0)  # the store written as nationally
    monkeypatch.setattr(figures_cache, "_STORES", {})
    scope = Scope(demo_programme)
    cached_indicators(scope, evaluation=False)  # every part computed, the store written
    stores = set(figures_cache._STORES)
    assert len(stores) == 1  # the process kept its copy
    reads = Reads(figures_cache.cache)
    monkeypatch.setattr(figures_cache, "cache", reads)
    territory = demo_programme.territories.get(code="PCSG")
    action_create(
        programme=demo_programme,
        code="COPIE",
        modality="co_intervention",
        territory=territory,
        start=dt.date(2024, 10, 2),
        children=11,
    )
    assert cached_indicators(scope, evaluation=False) == compute_indicators(scope, evaluation=False)
    assert {f"{key}:stamp" for key in stores} <= set(reads.read)
    assert not stores & set(reads.read)  # the copy used, the shared store not read
    reads.cache.clear()
    reads.read.clear()
    assert cached_indicators(scope, evaluation=False) == compute_indicators(scope, evaluation=False)
    assert stores <= set(reads.read)  # no stamp: the shared store looked for, the copy unused
