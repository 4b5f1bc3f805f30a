"""The seed deck's figures, computed from the demo programme's person-level rows."""

import json
from io import StringIO

from django.core.management import call_command

from ancrage.indicators.models import QualityWarning
from tests.helpers import contract_governance


def test_the_demo_gives_the_seed_deliveries(demo_figures):
    assert demo_figures["deliveries"] == {
        "formation": 14,
        "accompagnement": 32,
        "co_intervention": 10,
        "jep": 6,
        "action_parentalite": 8,
        "copil": 5,
        "cotech": 11,
    }


def test_the_demo_gives_the_seed_participants(demo_figures):
    assert demo_figures["participants"] == {
        "formation": 250,
        "accompagnement": 271,
        "jep": 104,
        "co_intervention": 20,
    }
    assert demo_figures["reach"]["adult_participations"] == 645


def test_the_demo_counts_unique_professionals_exactly(demo_figures):
    reach = demo_figures["reach"]
    assert reach["professionals_unique"] == 430
    assert reach["professionals_method"] == "exact"


def test_the_demo_gives_the_seed_children(demo_figures):
    reach = demo_figures["reach"]
    assert reach["trained_adults"] == 270
    assert (reach["children_direct"], reach["children_indirect"], reach["children_total"]) == (
        350,
        3780,
        4130,
    )


def test_the_demo_gives_the_seed_parents_and_structures(demo_figures):
    assert demo_figures["reach"]["parents"] == 152
    assert demo_figures["reach"]["structures"] == 52


def test_the_demo_gives_the_seed_governance(demo_figures):
    assert contract_governance(demo_figures) == {"copil": 5, "cotech": 11, "elected_officials": 16}
    by_territory = demo_figures["by_territory"]
    assert by_territory["PCSG"]["governance"] == {
        "copil": 3,
        "cotech": 6,
        "elected_officials": 10,
    }
    assert by_territory["CARENE"]["governance"]["elected_officials"] == 6
    assert by_territory["CARENE"]["governance"]["cotech"] == 5


def test_the_demo_coordination_is_15_days_a_year_per_territory(demo_figures):
    for code in ("PCSG", "CARENE"):
        coordination = demo_figures["by_territory"][code]["coordination"]
        assert set(coordination["days_per_year"].values()) == {15.0}
        assert round(coordination["fte_per_year"], 1) == 0.1


def test_the_demo_expected_reach_has_the_seed_statuses(demo_figures):
    programme_wide = {o["cible"]: o for o in demo_figures["objectives"] if o["territoire"] == "*"}
    assert (programme_wide["enfants"]["min"], programme_wide["enfants"]["achieved"]) == (3620, 4130)
    assert programme_wide["enfants"]["status"] == "above"
    assert (
        programme_wide["professionnels"]["min"],
        programme_wide["professionnels"]["achieved"],
    ) == (
        420,
        430,
    )
    assert programme_wide["professionnels"]["status"] == "above"
    assert (programme_wide["structures"]["min"], programme_wide["structures"]["achieved"]) == (
        57,
        52,
    )
    assert programme_wide["structures"]["status"] == "below"


def test_the_demo_deployment_pack_is_multiplied_by_four_school_years(demo_figures):
    pack = {
        (o["territoire"], o["cible"]): o
        for o in demo_figures["objectives"]
        if o["territoire"] != "*"
    }
    assert demo_figures["programme"]["school_years"] == [
        "2021-2022",
        "2022-2023",
        "2023-2024",
        "2024-2025",
    ]
    training = pack[("PCSG", "formation")]
    # Written per school year (2 a year), compared with the total over the four years (8).
    assert (training["min"], training["max"], training["total_min"], training["total_max"]) == (
        2,
        2,
        8,
        8,
    )
    assert (training["achieved"], training["status"]) == (7, "below")
    coaching = pack[("CARENE", "accompagnement")]
    assert (coaching["min"], coaching["max"], coaching["total_min"], coaching["total_max"]) == (
        4,
        8,
        16,
        32,
    )
    assert (coaching["achieved"], coaching["status"]) == (16, "within")
    co_intervention = pack[("PCSG", "co_intervention")]
    assert (co_intervention["min"], co_intervention["max"]) == (5, None)


def test_the_demo_territories_add_up_to_the_programme(demo_figures):
    territories = demo_figures["by_territory"].values()
    for modality, count in demo_figures["deliveries"].items():
        assert sum(t["deliveries"][modality] for t in territories) == count
    assert sum(t["reach"]["children_direct"] for t in territories) == 350
    assert sum(t["reach"]["structures"] for t in territories) == 52  # no structure is shared


def test_the_demo_raises_the_parents_data_quality_warning(demo_programme):
    call_command("check", stdout=StringIO())
    warnings = QualityWarning.objects.filter(programme=demo_programme)
    assert [w.kind for w in warnings] == [QualityWarning.Kind.DECLARED_MISMATCH]
    assert "158" in warnings[0].message and "152" in warnings[0].message


def test_the_indicators_command_prints_the_contract_keys(demo_programme):
    out = StringIO()
    call_command("indicators", json=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert set(figures) >= {"deliveries", "reach", "governance", "objectives", "by_territory"}
    assert set(figures["reach"]) >= {
        "children_direct",
        "children_indirect",
        "children_total",
        "adult_participations",
        "professionals_unique",
        "professionals_method",
        "parents",
        "structures",
    }
    assert set(figures["by_territory"]) == {"CARENE", "PCSG"}
    assert set(figures["by_territory"]["PCSG"]) >= {"deliveries", "reach"}
    for objective in figures["objectives"]:
        assert set(objective) >= {"territoire", "cible", "min", "max", "achieved", "status"}


def test_the_readable_table_is_in_french(demo_programme):
    out = StringIO()
    call_command("indicators", stdout=out)
    text = out.getvalue()
    assert "Enfants touchés indirectement" in text
    assert "3\u202f780" in text and "4\u202f130" in text
    assert "en dessous" in text


def test_the_shipped_demo_workbook_is_the_one_the_builder_makes(tmp_path):
    from openpyxl import load_workbook

    from ancrage.demo.workbook import DEMO_WORKBOOK, build_demo_workbook

    fresh = build_demo_workbook(tmp_path / "demo.xlsx")
    shipped, rebuilt = load_workbook(DEMO_WORKBOOK), load_workbook(fresh)
    assert shipped.sheetnames == rebuilt.sheetnames
    for name in shipped.sheetnames:
        assert list(shipped[name].values) == list(rebuilt[name].values), name


def test_the_demo_answers_give_the_seed_respondent_counts(demo_figures):
    questionnaires = {q["form_id"]: q for q in demo_figures["satisfaction"]["questionnaires"]}
    training = questionnaires["formation_professionnels"]
    selects = [i["n"] for i in training["items"] if i["kind"] == "select_one"]
    assert selects == [190, 162, 163, 163, 162, 163, 162, 162, 190]
    children = questionnaires["coi_enfants"]
    assert (children["respondents"], children["beneficiaries"]) == (312, 350)
    emotions = questionnaires["coi_enfants_emotions"]
    assert (emotions["respondents"], emotions["beneficiaries"]) == (265, 300)
    assert questionnaires["coi_adultes"]["respondents"] == 20
    referents = questionnaires["accompagnement_referents"]
    assert (referents["respondents"], referents["beneficiaries"]) == (18, 32)


def test_the_demo_overall_satisfaction_is_94_percent(demo_figures):
    synthesis = demo_figures["satisfaction"]["synthesis"]
    assert round(synthesis["overall"] * 100) == 94
    rows = {(g["modality"], g["public"]): g for g in synthesis["by_modality"]}
    assert set(rows) == {
        ("formation", "professionnels"),
        ("accompagnement", "referents"),
        ("co_intervention", "enfants"),
        ("co_intervention", "professionnels"),
        ("action_parentalite", "parents"),
    }
    assert rows[("formation", "professionnels")]["respondents"] == 190
