"""Small results stay hidden from read-only roles even by subtraction: no figure shown to them
(all territories, one territory, one school year, any period) minus another shown figure gives
a result of fewer than five answers."""

import itertools

import pytest
from django.urls import reverse

from ancrage.programmes.scope import Scope
from ancrage.surveys.selectors import questionnaire_results, satisfaction_synthesis

pytestmark = pytest.mark.django_db


def _scopes(programme):
    """Every scope a page, a report or the API lets a read-only role ask for: all territories
    or one, all school years, one, or a period."""
    territories = [None, *[(t.pk,) for t in programme.territories.order_by("code")]]
    years = programme.school_years
    periods = [None] + [
        tuple(years[i:j]) for i in range(len(years)) for j in range(i + 1, len(years) + 1)
    ]
    return [Scope(programme, territory_ids=t, school_years=p) for t in territories for p in periods]


def _cells(scope):
    territories = scope.territory_ids or tuple(
        scope.programme.territories.values_list("pk", flat=True)
    )
    years = scope.school_years or tuple(scope.programme.school_years)
    return {(t, y) for t in territories for y in years}


def test_no_hidden_distribution_follows_by_subtracting_two_shown_ones(demo_programme):
    shown, hidden = {}, {}
    for scope in _scopes(demo_programme):
        for questionnaire in questionnaire_results(scope, hide_small=True):
            for item in questionnaire["items"]:
                key = (questionnaire["id"], item["name"])
                if item["n"] == 0:
                    continue
                target = hidden if item["hidden"] else shown
                target.setdefault(key, []).append(frozenset(_cells(scope)))
    attacks = []
    for key, small_cells in hidden.items():
        visible = shown.get(key, [])
        for big, small in itertools.permutations(visible, 2):
            if small < big and (big - small) in small_cells:
                attacks.append(key)
    assert hidden, "the demo has small results (4 referents in 2021-2022)"
    assert attacks == []


def test_the_referents_of_a_small_year_stay_hidden_in_every_total(demo_programme):
    """In 2021-2022, 4 referents answered: the all-years figures would give them away."""
    results = {
        q["form_id"]: q for q in questionnaire_results(Scope(demo_programme), hide_small=True)
    }
    items = results["accompagnement_referents"]["items"]
    assert any(i["hidden"] for i in items)
    for item in items:
        if item["hidden"]:
            assert "distribution" not in item and "favourable_rate" not in item
    # Editors see everything.
    full = {q["form_id"]: q for q in questionnaire_results(Scope(demo_programme))}
    assert not any(i["hidden"] for i in full["accompagnement_referents"]["items"])


def test_the_satisfaction_synthesis_hides_totals_that_contain_a_small_cell(demo_programme):
    synthesis = satisfaction_synthesis(Scope(demo_programme), hide_small=True)
    referents = [g for g in synthesis["by_modality"] if g["public"] == "referents"]
    assert referents and all(g["hidden"] and g["rate"] is None for g in referents)
    # The overall mean is taken over what is shown only.
    shown = [g["rate"] for g in synthesis["by_modality"] if g["rate"] is not None]
    assert synthesis["overall"] == round(sum(shown) / len(shown), 4)


def test_a_funder_reads_the_same_rule_on_the_results_page(client, demo_programme):
    from django.contrib.auth import get_user_model

    from ancrage.accounts.models import Membership, Role
    from ancrage.surveys.models import Questionnaire

    funder = get_user_model().objects.create_user("ars", password="x")
    Membership.objects.create(user=funder, programme=demo_programme, role=Role.VIEWER)
    client.force_login(funder)
    referents = Questionnaire.objects.get(form_id="accompagnement_referents")
    training = Questionnaire.objects.get(form_id="formation_professionnels")
    # Referents: 4 in CARENE each year. CARENE for all years shows no distribution, though
    # each of its years is hidden too: all years minus three would give the fourth.
    carene = client.get(
        reverse("surveys:results", args=[referents.pk]), {"territoire": "CARENE"}
    ).content.decode()
    assert "résultat masqué" in carene
    # Training: at least 13 answers in every territory and year: everything is shown.
    page = client.get(reverse("surveys:results", args=[training.pk])).content.decode()
    assert "résultat masqué" not in page and "IC 95 %" in page
