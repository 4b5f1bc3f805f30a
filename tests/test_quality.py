import pytest

from ancrage.indicators.models import QualityWarning
from ancrage.indicators.quality import quality_refresh
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db
Kind = QualityWarning.Kind


def warnings_of(tmp_path, sheets) -> list[tuple[str, str, str]]:
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    return [(w.kind, w.reference, w.message) for w in quality_refresh(programme)]


def test_a_clean_programme_has_no_warning(tmp_path):
    assert warnings_of(tmp_path, minimal_sheets()) == []


def test_it_warns_of_a_structure_outside_the_action_territory(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["structures"] = "S1;S2"
    assert warnings_of(tmp_path, sheets) == [
        (
            Kind.STRUCTURE_OUTSIDE,
            "A1",
            "la structure « S2 » (Beta) n'est pas sur le territoire de l'action (Territoire un)",
        )
    ]


def test_it_warns_of_a_co_intervention_without_children(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = None
    sheets["objectifs"] = sheets["objectifs"][:1]
    (warning,) = warnings_of(tmp_path, sheets)
    assert warning[:2] == (Kind.NO_CHILDREN, "A2")


def test_it_warns_of_an_action_outside_the_programme_dates(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][2]["debut"] = "2025-01-10"
    assert warnings_of(tmp_path, sheets) == [
        (
            Kind.OUTSIDE_DATES,
            "A3",
            "action du 10/01/2025 hors des dates du programme (01/09/2022 – 31/08/2024) : "
            "exclue des chiffres du programme (année scolaire 2024-2025 hors du programme)",
        )
    ]


def test_an_action_ending_after_the_programme_is_counted_and_said_so(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][2]["debut"], sheets["actions"][2]["fin"] = "2024-06-10", "2024-10-04"
    assert warnings_of(tmp_path, sheets) == [
        (
            Kind.OUTSIDE_DATES,
            "A3",
            "action du 10/06/2024 – 04/10/2024 hors des dates du programme (01/09/2022 – "
            "31/08/2024) : comptée dans les chiffres du programme (elle commence dans ses dates)",
        )
    ]


def test_it_warns_of_an_objective_with_no_matching_action(tmp_path):
    sheets = minimal_sheets()
    sheets["objectifs"].append({"territoire": "T2", "cible": "jep", "min": 1, "periode": "an"})
    assert warnings_of(tmp_path, sheets) == [
        (
            Kind.OBJECTIVE_UNMATCHED,
            "T2/jep",
            "aucune action ne correspond à l'objectif « jep » du territoire « T2 »",
        )
    ]


def test_it_warns_when_a_declared_total_disagrees(tmp_path):
    sheets = minimal_sheets()
    sheets["totaux_declares"] = [
        {"territoire": "*", "cible": "enfants", "valeur": 67, "source": "rapport"},
        {"territoire": "T2", "cible": "co_intervention", "valeur": 2},
    ]
    assert warnings_of(tmp_path, sheets) == [
        (
            Kind.DECLARED_MISMATCH,
            "T2/co_intervention",
            "Réalisations : Co-intervention : 2 déclaré(s), 1 calculé(s) à partir des données",
        )
    ]


def test_warnings_are_kept_and_replaced_on_refresh(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][2]["debut"] = "2025-01-10"
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    quality_refresh(programme)
    quality_refresh(programme)
    assert QualityWarning.objects.filter(programme=programme).count() == 1


def test_the_figures_are_computed_only_for_declared_totals(tmp_path, monkeypatch):
    """Every import ends with the warnings: without declared totals they need no figure (the
    programme's figures took seconds of a national import for nothing)."""
    from ancrage.indicators import quality

    computed = []
    compute = quality.compute_indicators
    monkeypatch.setattr(
        quality, "compute_indicators", lambda scope: computed.append(1) or compute(scope)
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert warnings_of(tmp_path / "a", minimal_sheets()) == []
    assert computed == []
    sheets = minimal_sheets()
    sheets["programme"][0]["valeur"] = "Test déclaré"
    sheets["totaux_declares"] = [{"territoire": "T2", "cible": "co_intervention", "valeur": 2}]
    assert [kind for kind, _ref, _msg in warnings_of(tmp_path / "b", sheets)] == [
        Kind.DECLARED_MISMATCH
    ]
    assert computed == [1]
