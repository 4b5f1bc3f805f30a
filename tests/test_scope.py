"""One Scope, one builder, one territory filter: what a set of figures covers."""

import pytest
from django.core.management.base import CommandError
from django.db.models import Q

from ancrage.accounts.selectors import scope_for_user, scope_for_years
from ancrage.core.errors import NotFound
from ancrage.evaluation.models import ContextNote
from ancrage.programmes.commands import get_scope
from ancrage.programmes.scope import Scope, ScopeError, build_scope

from .cast import make_cast

pytestmark = pytest.mark.django_db


def test_the_builder_narrows_to_one_territory_and_a_span_of_school_years(demo_programme):
    pcsg = demo_programme.territories.get(code="PCSG")
    scope = build_scope(demo_programme, territory_code="PCSG", years=(2022, 2023))
    assert scope == Scope(demo_programme, territory_ids=(pcsg.pk,), school_years=(2022, 2023))
    assert build_scope(demo_programme) == Scope(demo_programme)


def test_the_builder_refuses_an_unknown_territory_and_reversed_years(demo_programme):
    with pytest.raises(ScopeError, match="aucun territoire « XX »"):
        build_scope(demo_programme, territory_code="XX")
    with pytest.raises(ScopeError, match="précède"):
        build_scope(demo_programme, years=(2024, 2022))


def test_the_builder_looks_for_the_territory_among_those_the_user_sees(demo_programme):
    carene = demo_programme.territories.get(code="CARENE")
    with pytest.raises(ScopeError):
        build_scope(demo_programme, territory_code="PCSG", visible=[carene])
    only = build_scope(demo_programme, visible=[carene])
    assert only.territory_ids == (carene.pk,)


def test_the_command_line_says_its_errors_in_french(demo_programme):
    with pytest.raises(CommandError, match="illisibles"):
        get_scope(demo_programme, None, "2024-2025:2022-2023")
    with pytest.raises(CommandError, match="aucun territoire « XX »"):
        get_scope(demo_programme, "XX", None)
    scope = get_scope(demo_programme, "PCSG", "2022-2023:2023-2024")
    assert scope.school_years == (2022, 2023)


def test_the_web_answers_404_for_another_territory_and_ignores_unknown_years(demo_programme):
    cast = make_cast(demo_programme, ("PCSG", "CARENE"))
    with pytest.raises(NotFound):  # the web answers it with a 404 (core.middleware)
        scope_for_user(cast["cheffe_pcsg"], demo_programme, "CARENE")
    scope, territories = scope_for_user(cast["cheffe_pcsg"], demo_programme, "", "1999")
    assert [t.code for t in territories] == ["PCSG"]
    assert scope.territory_ids == (territories[0].pk,) and scope.school_years is None
    everything, _ = scope_for_user(cast["coordination"], demo_programme)
    assert everything == Scope(demo_programme)  # programme-wide rows included
    narrowed = scope_for_years(everything, "2023", "2024")
    assert narrowed.school_years == (2023, 2024)
    assert scope_for_years(everything, "2024", "2022") == everything


def test_the_territory_filter_is_empty_for_the_whole_programme(demo_programme):
    pcsg = demo_programme.territories.get(code="PCSG")
    assert not Scope(demo_programme).territory_filter()
    assert Scope(demo_programme, (pcsg.pk,)).filters(action=None, year_field=None) == Q(
        programme_id=demo_programme.pk, territory_id__in=(pcsg.pk,)
    )


def test_the_territory_filter_keeps_programme_wide_notes_when_asked(demo_programme):
    pcsg = demo_programme.territories.get(code="PCSG")
    carene = demo_programme.territories.get(code="CARENE")
    common = ContextNote.objects.create(programme=demo_programme, text="commun", kind="force")
    mine = ContextNote.objects.create(
        programme=demo_programme, territory=pcsg, text="PCSG", kind="force"
    )
    other = ContextNote.objects.create(
        programme=demo_programme, territory=carene, text="CARENE", kind="force"
    )
    scope = Scope(demo_programme, territory_ids=(pcsg.pk,))
    notes = set(ContextNote.objects.filter(scope.territory_filter(or_unassigned=True)))
    assert {common, mine} <= notes and other not in notes
    assert set(ContextNote.objects.filter(scope.territory_filter())) >= {mine}
    assert common not in set(ContextNote.objects.filter(scope.territory_filter()))
