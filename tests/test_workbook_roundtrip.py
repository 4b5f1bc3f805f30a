"""Export then import into an empty database gives the same figures."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import Modality, StructureType
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import import_workbook

from .helpers import contract_governance
from .workbooks import write_csv, write_xlsx

pytestmark = pytest.mark.django_db


WORKBOOK_KEYS = ("programme", "deliveries", "participants", "reach", "coordination", "objectives")


def workbook_figures(programme: Programme) -> dict:
    """The figures the workbook carries; questionnaire answers and the evaluation's records
    travel in their own files."""
    figures = compute_indicators(Scope(programme))
    kept = {key: figures[key] for key in WORKBOOK_KEYS}
    kept["governance"] = contract_governance(figures)
    kept["by_territory"] = {
        code: {key: value for key, value in territory.items() if key != "satisfaction"}
        for code, territory in figures["by_territory"].items()
    }
    return kept


def round_trip(programme: Programme, out) -> tuple[dict, dict]:
    before = workbook_figures(programme)
    export_workbook(programme, out)
    Programme.objects.all().delete()
    after = workbook_figures(import_workbook(out).programme)
    return before, after


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_the_demo_round_trips(demo_programme, tmp_path, target):
    before, after = round_trip(demo_programme, tmp_path / target)
    assert after == before


def test_a_csv_folder_with_commas_imports_like_the_xlsx(tmp_path):
    from .workbooks import minimal_sheets

    xlsx = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    from_xlsx = workbook_figures(xlsx)
    Programme.objects.all().delete()
    folder = write_csv(minimal_sheets(), tmp_path / "csv", delimiter=",")
    from_csv = workbook_figures(import_workbook(folder).programme)
    assert from_csv == from_xlsx


MODALITIES = list(Modality.values)


@st.composite
def workbooks(draw) -> dict:
    """Small random programmes that respect the contract."""
    territories = [f"T{i}" for i in range(draw(st.integers(1, 3)))]
    communes = [(f"440{i:02d}", draw(st.sampled_from(territories))) for i in range(4)]
    structures = [
        {
            "id": f"S{i}",
            "nom": f"Structure {i}",
            "type": draw(st.sampled_from(StructureType.values)),
            "code_insee": draw(st.sampled_from(communes))[0],
        }
        for i in range(draw(st.integers(1, 5)))
    ]
    people = [f"P{i}" for i in range(draw(st.integers(1, 12)))]
    actions, participations = [], []
    for i in range(draw(st.integers(1, 12))):
        modality = draw(st.sampled_from(MODALITIES))
        listed = draw(st.lists(st.sampled_from(people), unique=True, max_size=5))
        start = dt.date(2022, 9, 1) + dt.timedelta(days=draw(st.integers(0, 700)))
        actions.append(
            {
                "id": f"A{i}",
                "modalite": modality,
                "territoire": draw(st.sampled_from(territories)),
                "debut": start.isoformat(),
                "structures": ";".join(
                    draw(
                        st.lists(
                            st.sampled_from([s["id"] for s in structures]), unique=True, max_size=2
                        )
                    )
                ),
                "enfants": draw(st.none() | st.integers(0, 40)),
                "adultes": draw(st.none() | st.integers(0, 15)),
                "parents": draw(st.none() | st.integers(0, 20)),
                "elus": draw(st.none() | st.integers(0, 9)),
                "heures": draw(st.none() | st.sampled_from([1.5, 3, 18])),
            }
        )
        participations += [{"action": f"A{i}", "personne": p} for p in listed]
    targets = [*MODALITIES, "enfants", "professionnels", "structures", "parents"]
    objectives = [
        {
            "territoire": draw(st.sampled_from([*territories, "*"])),
            "cible": draw(st.sampled_from(targets)),
            "min": draw(st.none() | st.integers(0, 50)),
            "max": None,
            "periode": draw(st.sampled_from(["an", "programme"])),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return {
        "programme": [
            {"cle": "nom", "valeur": "Généré"},
            {"cle": "debut", "valeur": "2022-09-01"},
            {"cle": "fin", "valeur": "2024-08-31"},
            {"cle": "taux_replication", "valeur": draw(st.sampled_from([0.5, 0.7, 1]))},
            {"cle": "part_multimodalite", "valeur": draw(st.sampled_from(["1/3", 0.25, 0]))},
        ],
        "territoires": [{"code": t, "nom": f"Territoire {t}"} for t in territories],
        "communes": [
            {"code_insee": c, "nom": f"Commune {c}", "territoire": t} for c, t in communes
        ],
        "structures": structures,
        "personnes": [{"id": p, "profession": "animateur"} for p in people],
        "actions": actions,
        "participations": participations,
        "objectifs": objectives,
        "coordination": [
            {"territoire": t, "annee_scolaire": "2023-2024", "jours": draw(st.integers(0, 60))}
            for t in territories
        ],
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheets=workbooks())
def test_any_valid_workbook_round_trips(tmp_path_factory, sheets):
    folder = tmp_path_factory.mktemp("rt")
    programme = import_workbook(write_xlsx(sheets, folder / "in.xlsx")).programme
    before, after = round_trip(programme, folder / "out.xlsx")
    assert after == before
    Programme.objects.all().delete()
