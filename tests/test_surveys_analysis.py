import pytest

from ancrage.programmes.scope import Scope
from ancrage.surveys.responses import import_responses
from ancrage.surveys.selectors import (
    questionnaire_results,
    satisfaction_synthesis,
    wilson_interval,
)

from .surveys_data import programme_with_actions, questionnaire, write

pytestmark = pytest.mark.django_db


def test_the_wilson_interval_matches_hand_computation():
    # p = 8/10, z = 1.96: centre 0.7167 ± 0.2248 (Wilson 1927).
    assert wilson_interval(8, 10) == (0.4902, 0.9433)
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == 0.7225


def _answers(tmp_path, rows: list[tuple[str, str]]):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    content = "aime,action\n" + "".join(f"{value},{action}\n" for value, action in rows)
    import_responses(questionnaire=form, path=write(tmp_path, "r.csv", content))
    return programme


def test_results_of_fewer_than_five_answers_are_hidden_from_read_only_roles(tmp_path):
    programme = _answers(tmp_path, [("4", "A2"), ("3", "A2"), ("1", "C2")])
    (entry,) = questionnaire_results(Scope(programme), hide_small=True)
    item = entry["items"][0]
    assert item["n"] == 3 and item["hidden"]
    assert "favourable_rate" not in item and "distribution" not in item
    (full,) = questionnaire_results(Scope(programme))
    assert full["items"][0]["favourable_rate"] == round(2 / 3, 4)


def test_the_synthesis_weighs_school_years_by_their_answers(tmp_path):
    # 2022-2023 (A2, C2): 3 of 4 favourable; 2023-2024 (C3): 1 of 2. Weighted by answers:
    # 4 of 6, not the mean of the years (0.625).
    programme = _answers(
        tmp_path, [("4", "A2"), ("4", "A2"), ("3", "A2"), ("1", "C2"), ("4", "C3"), ("2", "C3")]
    )
    synthesis = satisfaction_synthesis(Scope(programme))
    (group,) = synthesis["by_modality"]
    assert group["by_school_year"] == {
        "2022-2023": {"n": 4, "rate": 0.75},
        "2023-2024": {"n": 2, "rate": 0.5},
    }
    assert group["rate"] == round(4 / 6, 4)
    assert group["respondents"] == 6
    assert synthesis["overall"] == round(4 / 6, 4)
    assert synthesis["by_territory"]["T2"]["overall"] == round(4 / 5, 4)  # A2 and C3
    later = satisfaction_synthesis(Scope(programme, school_years=(2023,)))
    assert later["overall"] == 0.5


def test_answers_are_filtered_by_territory(tmp_path):
    programme = _answers(tmp_path, [("4", "A2"), ("1", "C2")])
    t1 = programme.territories.get(code="T1")
    (entry,) = questionnaire_results(Scope(programme, territory_ids=(t1.pk,)))
    assert entry["respondents"] == 1
    assert entry["items"][0]["favourable"] == 0
    assert entry["beneficiaries"] == 10  # C2's children
