"""The evaluation: reference grids, indicator verdicts, efficacy, deployment model, RE-AIM,
transferability. Checked against hand computation on small programmes and on the demo."""

import pytest

from ancrage.evaluation.models import (
    ActionReport,
    CandidateTerritory,
    EvaluationIndicator,
    Framework,
    FrameworkItem,
    Rating,
    ReportCriterion,
    Theme,
)
from ancrage.evaluation.selectors import computed_verdict
from ancrage.evaluation.selectors.deployment import efficacy
from ancrage.evaluation.selectors.transfer import assess_candidate, primary_context
from ancrage.programmes.scope import Scope
from ancrage.workbook.importer import import_workbook
from tests.helpers import LARGE_CANDIDATE, contract_governance

from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db


def test_the_reference_grids_are_loaded_as_editable_data():
    codes = set(Framework.objects.values_list("code", flat=True))
    assert codes == {"OTTAWA", "SMOC", "CPS_SPF", "EFFICACITE", "ASTAIRE", "REAIM"}
    ottawa = FrameworkItem.objects.filter(framework__code="OTTAWA")
    assert list(ottawa.values_list("code", flat=True)) == ["OT1", "OT2", "OT3", "OT4", "OT5"]
    assert Framework.objects.get(code="CPS_SPF").version == "2022"
    assert FrameworkItem.objects.get(framework__code="EFFICACITE", code="EF6").to_confirm
    safe = FrameworkItem.objects.get(framework__code="EFFICACITE", code="EF1")
    assert sorted(safe.children.values_list("code", flat=True)) == [
        "EF1A",
        "EF1E",
        "EF1F",
        "EF1S",
    ]


@pytest.mark.parametrize(
    ("rule", "target", "high", "partly", "value", "expected"),
    [
        ("gte", 10, None, 5, 12, "valide"),
        ("gte", 10, None, 5, 7, "partiel"),
        ("gte", 10, None, 5, 4, "non_valide"),
        ("gte", 10, None, None, 7, "non_valide"),
        ("lte", 0.2, None, 0.3, 0.25, "partiel"),
        ("between", 4, 8, None, 9, "non_valide"),
        ("between", 4, 8, None, 8, "valide"),
        ("gte", 10, None, None, None, None),
    ],
)
def test_computed_verdicts_follow_the_rule(rule, target, high, partly, value, expected):
    indicator = EvaluationIndicator(rule=rule, target=target, target_max=high, partly_from=partly)
    assert computed_verdict(indicator, value) == expected


def test_the_demo_shows_the_seed_s_12_indicators_with_their_verdicts(demo_evaluation):
    framework = demo_evaluation["framework"]
    assert [t["number"] for t in framework["themes"]] == [1, 2, 3, 4, 5, 6]
    indicators = [i for t in framework["themes"] for i in t["indicators"]]
    assert len(indicators) == 12
    by_label = {i["label"]: i for i in indicators}
    copil = by_label["Impulsion par un COPIL et suivi par un COTECH"]
    assert (copil["value"], copil["verdict"], copil["verdict_source"]) == (11, "valide", "computed")
    elected = by_label[
        "Élu·es et technicien·nes référent·es sur les territoires et articulation avec les "
        "CLS - CLSI"
    ]
    assert elected["value"] == 16 and elected["verdict"] == "valide"
    modalities = by_label["Toutes les modalités sont déployées auprès des publics"]
    assert modalities["value"] == 5
    mesh = by_label["Il existe un maillage territorial"]
    assert mesh["value"] == round(15 / 19, 4)  # 6 of CARENE's 10 communes, all 9 of PCSG
    informal = by_label["Il existe des pratiques informelles"]
    assert (informal["verdict"], informal["verdict_source"]) == ("partiel", "evaluator")
    assert informal["justification"]
    summary = framework["by_ottawa_area"]
    assert set(summary) == {"OT1", "OT2", "OT3", "OT4", "OT5"}
    assert sum(sum(area.values()) for area in summary.values()) == 12


def test_the_demo_governance_and_deployment_model(demo_figures, demo_evaluation):
    assert contract_governance(demo_figures) == {"copil": 5, "cotech": 11, "elected_officials": 16}
    for code in ("PCSG", "CARENE"):
        assert round(demo_figures["by_territory"][code]["coordination"]["fte_per_year"], 1) == 0.1
    model = demo_evaluation["governance"]["deployment_model"]
    assert model["total"] == 14  # 7 modalities of the pack × 2 territories
    rows = {(r["territoire"], r["cible"]): r for r in model["pack"]}
    training = rows[("PCSG", "formation")]
    assert (training["min"], training["total_min"], training["achieved"]) == (2, 8, 7)
    assert model["respected"] == sum(1 for r in model["pack"] if r["status"] == "within")
    rhythm = model["governance_rhythm"]["PCSG"]["cotech"]
    assert sum(rhythm.values()) == 6 and len(rhythm) == 4
    referents = demo_evaluation["governance"]["referents"]
    assert referents["CARENE"]["turnover"] == 1 and referents["PCSG"]["turnover"] == 0


def test_the_demo_strengths_limits_and_transferability_grid(demo_evaluation):
    context = demo_evaluation["context"]
    assert "Changements de référent·es sur le projet" in [n["text"] for n in context["limits"]]
    assert len(context["strengths"]) >= 5
    transfer = demo_evaluation["transferability"]
    assert transfer["characteristics"]["population_reached"] == {
        "children_total": 4130,
        "professionals_unique": 430,
        "structures": 52,
        "parents": 152,
    }
    assert round(transfer["characteristics"]["engagement"]["satisfaction"] * 100) == 94
    assert transfer["characteristics"]["accessibility"]["qpv_structures_share"] == round(3 / 52, 4)
    assert all(transfer["conditions"].values())
    key_functions = [row["criterion"] for row in transfer["astaire"] if row["key_function"]]
    assert "ENV1" in key_functions and "TRF1" in key_functions


def test_reaim_keeps_direct_and_indirect_reach_apart(demo_figures, demo_evaluation):
    reach = demo_evaluation["reaim"]["reach"]
    assert reach["direct"] == 350
    # 270 trained adults × 20 children × 54 % / programme's 70 % / 92 %.
    assert reach["indirect"] == {"low": 2916, "central": 3780, "high": 4968}
    assert reach["eligible_children"] == round(reach["population_mobilised_communes"] * 0.048)
    adoption = demo_evaluation["reaim"]["adoption"]
    assert adoption["rate"] == round(52 / 57, 4)


def _reported_programme(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["seances"] = 3  # A1: formation, 3 sessions delivered
    sheets["actions"][1]["seances"] = 8  # A2: co-intervention, 8 delivered
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    a1, a2 = programme.actions.get(code="A1"), programme.actions.get(code="A2")
    ef3 = FrameworkItem.objects.get(framework__code="EFFICACITE", code="EF3")
    r1 = ActionReport.objects.create(
        action=a1,
        planned_sessions=3,
        safe_sequenced=True,
        safe_active=True,
        safe_focused=True,
        safe_explicit=True,
    )
    r2 = ActionReport.objects.create(
        action=a2,
        planned_sessions=10,
        safe_sequenced=True,
        safe_active=True,
        safe_focused=False,
        safe_explicit=True,
    )
    ReportCriterion.objects.create(report=r1, criterion=ef3, rating=Rating.PRESENT)
    ReportCriterion.objects.create(report=r2, criterion=ef3, rating=Rating.PARTIAL)
    return programme


def test_efficacy_shares_and_fidelity_by_hand(tmp_path):
    programme = _reported_programme(tmp_path)
    result = efficacy(Scope(programme))
    assert result["reports"] == 2
    assert result["criteria"]["EF1"]["present"] == 0.5  # A2 misses F
    assert result["criteria"]["EF1F"]["present"] == 0.5
    assert result["criteria"]["EF1S"]["present"] == 1.0
    assert result["criteria"]["EF3"] == {"n": 2, "present": 0.5, "partial": 0.5}
    assert result["fidelity"] == round(11 / 13, 4)
    assert result["by_modality"]["co_intervention"]["fidelity"] == 0.8
    assert result["by_territory"]["T1"]["criteria"]["EF1"]["present"] == 1.0


def test_a_candidate_territory_unlike_the_seed_s_is_flagged_where_it_differs(demo_figures):
    from ancrage.programmes.models import Programme

    programme = Programme.objects.get()
    candidate = CandidateTerritory.objects.create(programme=programme, **LARGE_CANDIDATE)
    rows = assess_candidate(candidate, primary_context(Scope(programme), demo_figures))
    flagged = {row["criterion"] for row in rows if row["influence"] == "unfavourable"}
    assert flagged == {"taille", "referent", "anterieur"}
    size = next(row for row in rows if row["criterion"] == "taille")
    assert size["primary"] == 37_400 and size["comparability"] == "different"
    assert all(row["adaptation"] for row in rows if row["influence"] == "unfavourable")


def test_a_candidate_like_pcsg_meets_every_recommendation(demo_figures):
    from ancrage.programmes.models import Programme

    programme = Programme.objects.get()
    candidate = CandidateTerritory(
        programme=programme,
        name="Pays voisin",
        population=41_000,
        communes=10,
        elected_commitment=True,
        has_referent=True,
        earlier_cps_actions=True,
        partners=3,
    )
    rows = assess_candidate(candidate, primary_context(Scope(programme), demo_figures))
    assert not [row for row in rows if row["influence"] == "unfavourable"]


def test_an_indicator_without_metric_or_verdict_stays_open(tmp_path):
    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    theme = Theme.objects.create(programme=programme, number=1, label="Thème")
    EvaluationIndicator.objects.create(theme=theme, label="À juger")
    from ancrage.evaluation.selectors import indicator_framework

    (theme_out,) = indicator_framework(Scope(programme), {})["themes"]
    assert theme_out["indicators"][0]["verdict"] is None
    assert theme_out["indicators"][0]["verdict_source"] is None
