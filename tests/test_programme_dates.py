"""The programme's figures cover its dates, not only its school years: an action dated before
its start (in a school year it covers) is left out of every figure and listed as excluded,
alike by the dashboard, the API, the report and the quality page (one rule, Scope.filters)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.activities.services import action_update
from ancrage.indicators.cache import cached_indicators
from ancrage.indicators.models import QualityWarning
from ancrage.indicators.quality import quality_refresh
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.surveys.models import Questionnaire

from .api_world import client_for
from .surveys_data import first_choice_response
from .test_reports import flat

pytestmark = pytest.mark.django_db


def _early_action(programme) -> Action:
    """A co-intervention dated before the programme's start but in its first school year,
    with children, a new structure, a listed person and one unfavourable answer."""
    early = Action.objects.filter(programme=programme, modality="co_intervention").first()
    early.pk, early.code = None, "COI-AVANT"
    early.start, early.end, early.children = dt.date(2021, 10, 5), None, 500
    early.save()
    assert early.school_year in programme.school_years and early.start < programme.start
    structure = Structure.objects.create(
        programme=programme, code="S-AVANT", name="École d'avant", kind="ecole",
        commune=programme.communes.filter(territory=early.territory).first(),
    )  # fmt: skip
    common = {"programme": programme, "territory": early.territory, "modality": early.modality}
    ActionStructure.objects.create(
        action=early, structure=structure, school_year=early.school_year, **common
    )
    person = Person.objects.create(programme=programme, code="P-AVANT", profession="Enseignante")
    Participation.objects.create(
        action=early, person=person, school_year=early.school_year, **common
    )
    questionnaire = Questionnaire.objects.filter(programme=programme, modality=early.modality)[0]
    first_choice_response(questionnaire, early)
    return early


def test_an_action_before_the_programme_start_is_excluded_and_listed(client, demo_programme):
    before = compute_indicators(Scope(demo_programme))
    _early_action(demo_programme)
    after = compute_indicators(Scope(demo_programme))

    excluded = after["programme"].pop("excluded_actions")
    assert [(a["code"], a["start"]) for a in excluded] == [("COI-AVANT", "2021-10-05")]
    assert before["programme"].pop("excluded_actions") == []
    assert after == before  # not one figure moved: counts, reach, satisfaction, evaluation
    assert after["reach"]["children_total"] == 4130 and after["reach"]["structures"] == 52

    note = "1 action datée hors des dates du programme (01/01/2022 – 31/08/2025) est exclue"
    client.force_login(get_user_model().objects.create_superuser("coord", password="x"))
    dashboard = flat(client.get("/").content.decode())
    assert note in dashboard and "COI-AVANT (05/10/2021)" in dashboard

    user = get_user_model().objects.get(username="coord")
    api = client_for(user).get(f"/api/v1/programmes/{demo_programme.pk}/indicateurs/").json()
    assert [a["code"] for a in api["programme"]["excluded_actions"]] == ["COI-AVANT"]

    report = build_report(Scope(demo_programme))
    footnotes = [n for s in report.sections for n in s.footnotes]
    assert any(note in n and "COI-AVANT" in n for n in footnotes)

    (warning,) = [
        w for w in quality_refresh(demo_programme) if w.kind == QualityWarning.Kind.OUTSIDE_DATES
    ]
    assert warning.reference == "COI-AVANT"
    assert warning.message.endswith(
        "exclue des chiffres du programme (elle commence hors de ses dates)"
    )


def test_a_scope_without_excluded_actions_adds_no_condition(demo_programme):
    scope = Scope(demo_programme)
    assert scope.excluded_action_ids == ()
    assert scope.filters(action="id") == scope.filters(action=None)


def test_moving_an_action_before_the_start_takes_it_out_of_the_cached_figures(demo_programme):
    """Within the same school year (2021-2022), an action moved from after the programme's
    start to before it leaves the figures at once, its people and structures with it: the
    per-territory parts and the reach summaries follow the rule."""
    scope = Scope(demo_programme)
    before = cached_indicators(scope)
    action = (
        Action.objects.filter(programme=demo_programme, school_year=2021, modality="formation")
        .exclude(participations=None)
        .first()
    )
    people = set(action.participations.values_list("person_id", flat=True))
    elsewhere = set(
        Participation.objects.filter(programme=demo_programme, modality__in=("formation",))
        .exclude(action=action)
        .values_list("person_id", flat=True)
    )
    structures = list(action.structures.all())
    action_update(action, structures=structures, start=dt.date(2021, 12, 6), end=None)
    assert action.school_year == 2021

    after = cached_indicators(Scope(demo_programme))
    assert after["deliveries"]["formation"] == before["deliveries"]["formation"] - 1
    assert [a["code"] for a in after["programme"]["excluded_actions"]] == [action.code]
    trained_only_here = people - elsewhere  # trained by this action alone: no longer counted
    assert trained_only_here
    assert after["reach"]["trained_adults"] == before["reach"]["trained_adults"] - len(
        trained_only_here
    )
    assert after == compute_indicators(Scope(demo_programme))  # cache and fresh agree
