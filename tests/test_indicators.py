"""The contract's rules (docs/figures.md), on small hand-computed programmes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.indicators.selectors import compute_indicators, objective_status
from ancrage.programmes.scope import Scope
from ancrage.workbook.importer import import_workbook
from tests.helpers import contract_governance

from .helpers import grow_programme
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db


def figures_of(tmp_path, sheets) -> dict:
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    return compute_indicators(Scope(programme))


def test_listed_people_are_the_participants(tmp_path):
    figures = figures_of(tmp_path, minimal_sheets())
    assert figures["participants"]["formation"] == 2
    assert figures["participants"]["co_intervention"] == 2
    assert figures["reach"]["adult_participations"] == 4
    # P2 took part in both: three distinct people, counted exactly.
    assert figures["reach"]["professionals_unique"] == 3
    assert figures["reach"]["professionals_method"] == "exact"


def test_an_action_without_listed_people_counts_its_adults_and_makes_the_count_estimated(
    tmp_path,
):
    sheets = minimal_sheets()
    sheets["actions"].append(
        {"id": "A4", "modalite": "jep", "territoire": "T1", "debut": "2023-05-01", "adultes": 8}
    )
    figures = figures_of(tmp_path, sheets)
    assert figures["participants"]["jep"] == 8
    assert figures["reach"]["adult_participations"] == 12
    assert figures["reach"]["professionals_method"] == "estimated"
    assert figures["reach"]["professionals_unique"] == 8  # round(12 × (1 − 1/3))
    territory = figures["by_territory"]["T2"]["reach"]
    assert territory["professionals_method"] == "exact"  # T2 lists all its people


def test_trained_adults_and_indirect_children(tmp_path):
    sheets = minimal_sheets()
    sheets["programme"] += [
        {"cle": "taux_replication", "valeur": "0,5"},
        {"cle": "enfants_par_adulte", "valeur": 15},
    ]
    figures = figures_of(tmp_path, sheets)
    reach = figures["reach"]
    assert reach["trained_adults"] == 3  # P1, P2 (in both), P3
    assert reach["children_indirect"] == 23  # round(3 × 0.5 × 15 = 22.5), half up
    assert reach["children_direct"] == 25
    assert reach["children_total"] == 48


def test_governance_actions_do_not_reach_structures(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["structures"] = ""
    figures = figures_of(tmp_path, sheets)
    assert figures["reach"]["structures"] == 1  # S2 only: S1 is named by the COPIL alone
    assert figures["by_territory"]["T1"]["reach"]["structures"] == 0


def test_elected_officials_are_the_largest_copil_per_territory_summed(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"] += [
        {"id": "C2", "modalite": "copil", "territoire": "T1", "debut": "2023-06-01", "elus": 7},
        {"id": "C3", "modalite": "copil", "territoire": "T2", "debut": "2023-06-01", "elus": 3},
    ]
    figures = figures_of(tmp_path, sheets)
    assert contract_governance(figures) == {"copil": 3, "cotech": 0, "elected_officials": 10}


def test_parents_sum_over_parent_actions(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"] += [
        {
            "id": "PA1",
            "modalite": "action_parentalite",
            "territoire": "T1",
            "debut": "2023-01-01",
            "parents": 9,
            "format": "parcours",
            "seances": 6,
        },
        {
            "id": "PA2",
            "modalite": "action_parentalite",
            "territoire": "T2",
            "debut": "2023-01-01",
            "parents": 4,
            "format": "ponctuel",
        },
    ]
    figures = figures_of(tmp_path, sheets)
    assert figures["reach"]["parents"] == 13
    assert figures["by_territory"]["T2"]["reach"]["parents"] == 4


def test_yearly_objectives_multiply_by_the_school_years_the_programme_touches(tmp_path):
    sheets = minimal_sheets()  # 2022-09-01 → 2024-08-31: two school years
    figures = figures_of(tmp_path, sheets)
    yearly = figures["objectives"][0]  # 1 to 2 a year: 2 to 4 over two school years
    assert (yearly["min"], yearly["max"], yearly["total_min"], yearly["total_max"]) == (1, 2, 2, 4)
    assert (yearly["achieved"], yearly["status"]) == (1, "below")
    overall = figures["objectives"][1]
    assert (overall["territoire"], overall["min"], overall["max"]) == ("*", 100, None)
    assert overall["achieved"] == 25 + 42  # 25 children + round(3 × 0.7 × 20)
    assert overall["status"] == "below"  # 67 < 100


def test_objective_statuses():
    assert objective_status(3, None, None) == "within"
    assert objective_status(3, 4, None) == "below"
    assert objective_status(9, 4, 8) == "above"
    assert objective_status(8, 4, 8) == "within"


def test_coordination_days_become_fte(tmp_path):
    figures = figures_of(tmp_path, minimal_sheets())
    coordination = figures["by_territory"]["T1"]["coordination"]
    assert coordination["fte_by_school_year"] == {"2022-2023": 0.1}  # 21.8 ÷ 218


def test_figures_can_be_restricted_to_a_territory_and_a_school_year(tmp_path):
    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    t2 = programme.territories.get(code="T2")
    figures = compute_indicators(Scope(programme, territory_ids=(t2.pk,)))
    assert list(figures["by_territory"]) == ["T2"]
    assert figures["deliveries"]["formation"] == 0
    assert figures["reach"]["children_direct"] == 25
    first_year = compute_indicators(Scope(programme, school_years=(2022,)))
    assert first_year["deliveries"]["co_intervention"] == 1
    assert first_year["deliveries"]["formation"] == 1
    assert (
        compute_indicators(Scope(programme, school_years=(2023,)))["deliveries"]["formation"] == 0
    )


def test_all_figures_take_a_fixed_number_of_queries_whatever_the_data_size(demo_programme):
    # Grouped queries: 7 for deployment and reach, 9 for the questionnaires, about 23 for
    # the evaluation; none per territory, action, participation, questionnaire or answer.
    with CaptureQueriesContext(connection) as before:
        compute_indicators(Scope(demo_programme))
    assert len(before) <= 45
    grow_programme(demo_programme)  # a territory, 28 actions, a seventh questionnaire
    with CaptureQueriesContext(connection) as after:
        grown = compute_indicators(Scope(demo_programme))
    assert len(grown["by_territory"]) == 3 and len(grown["satisfaction"]["questionnaires"]) == 7
    assert len(after) == len(before), [q["sql"][:80] for q in after.captured_queries]
