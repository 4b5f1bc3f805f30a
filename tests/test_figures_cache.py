"""Cached figures are never stale: any write drops them, bulk writes included; a write to one
programme keeps the other programmes' figures."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.activities.models import Person
from ancrage.activities.services import action_create, participations_add
from ancrage.indicators.cache import cached_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope


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
