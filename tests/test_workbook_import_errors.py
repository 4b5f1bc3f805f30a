"""Every bad workbook is refused whole, with sheet:row:column messages in French."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from ancrage.workbook.importer import WorkbookInvalid, import_workbook

from .workbooks import minimal_sheets, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ANCRAGE_APPS = ("programmes", "territories", "activities", "indicators")


def assert_nothing_written():
    for label in ANCRAGE_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model.objects.count() == 0, model.__name__


def problems_of(tmp_path, sheets, headers=None) -> list[str]:
    path = write_xlsx(sheets, tmp_path / "classeur.xlsx", headers)
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(path)
    assert_nothing_written()
    return [str(p) for p in refused.value.problems]


def test_a_valid_workbook_imports(tmp_path):
    result = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "ok.xlsx"))
    assert result.counts["participation"] == 4
    assert result.programme.name == "Test"


def test_it_names_a_missing_sheet(tmp_path):
    sheets = minimal_sheets()
    del sheets["participations"]
    assert problems_of(tmp_path, sheets) == ["participations:-:-: feuille absente du classeur"]


def test_a_missing_sheet_does_not_hide_the_problems_of_the_others(tmp_path):
    """Every sheet present is still checked; rows citing the missing sheet's codes are not
    reported one by one."""
    sheets = minimal_sheets()
    del sheets["territoires"]
    sheets["actions"][0]["debut"] = "2022-13-45"
    sheets["personnes"][1]["structure"] = "S9"
    sheets["objectifs"][0]["periode"] = "semaine"
    assert problems_of(tmp_path, sheets) == [
        "territoires:-:-: feuille absente du classeur",
        "personnes:3:structure: structure « S9 » inconnu(e)",
        "actions:2:debut: « 2022-13-45 » n'est pas une date valide (format attendu AAAA-MM-JJ)",
        "objectifs:2:periode: « semaine » inconnu : valeurs possibles « Par année scolaire », "
        "« Sur le programme »",
    ]


def test_a_sheet_with_a_broken_header_does_not_hide_the_problems_of_the_others(tmp_path):
    headers = {"structures": ["id", "nom", "code_insee"]}
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = "vingt"
    assert problems_of(tmp_path, sheets, headers) == [
        "structures:1:type: colonne obligatoire absente",
        "actions:3:enfants: « vingt » n'est pas un nombre",
    ]


def test_it_names_a_missing_required_column(tmp_path):
    headers = {"actions": ["id", "modalite", "debut", "structures", "heures", "enfants", "elus"]}
    assert problems_of(tmp_path, minimal_sheets(), headers) == [
        "actions:1:territoire: colonne obligatoire absente"
    ]


def test_it_rejects_an_unknown_modality(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][1]["modalite"] = "atelier"
    (problem,) = problems_of(tmp_path, sheets)
    assert problem.startswith(
        "actions:3:modalite: « atelier » inconnu : valeurs possibles « Formation », "
        "« Co-intervention », « Accompagnement », « Journée d'échange de pratiques »"
    )


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Formation", "formation"),
        ("Co-intervention", "co_intervention"),
        ("co intervention", "co_intervention"),
        ("JEP", "jep"),
        ("Journée d'échange de pratiques", "jep"),
    ],
)
def test_a_modality_typed_as_its_label_is_accepted(tmp_path, typed, code):
    from ancrage.activities.models import Action

    sheets = minimal_sheets()
    sheets["actions"][1]["modalite"] = typed
    import_workbook(write_xlsx(sheets, tmp_path / "ok.xlsx"))
    assert Action.objects.get(code="A2").modality == code


def test_it_rejects_an_unknown_structure_type(tmp_path):
    sheets = minimal_sheets()
    sheets["structures"][0]["type"] = "ecole"
    (problem,) = problems_of(tmp_path, sheets)
    assert problem.startswith("structures:2:type: « ecole » inconnu")


def test_it_rejects_a_bad_date(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["debut"] = "2022-13-45"
    assert problems_of(tmp_path, sheets) == [
        "actions:2:debut: « 2022-13-45 » n'est pas une date valide (format attendu AAAA-MM-JJ)"
    ]


def test_it_rejects_a_bad_number(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["heures"] = "dix-huit"
    sheets["actions"][1]["enfants"] = "12,5"
    assert problems_of(tmp_path, sheets) == [
        "actions:2:heures: « dix-huit » n'est pas un nombre",
        "actions:3:enfants: « 12,5 » n'est pas un nombre entier",
    ]


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "expected"),
    [
        ("communes", 0, "territoire", "T9", "communes:2:territoire: territoire « T9 » inconnu(e)"),
        (
            "structures",
            1,
            "code_insee",
            "99999",
            "structures:3:code_insee: commune « 99999 » inconnu(e)",
        ),
        ("personnes", 2, "structure", "S9", "personnes:4:structure: structure « S9 » inconnu(e)"),
        ("actions", 0, "structures", "S1;S9", "actions:2:structures: structure « S9 » inconnue"),
        (
            "participations",
            3,
            "personne",
            "P9",
            "participations:5:personne: personne « P9 » inconnu(e)",
        ),
        ("participations", 0, "action", "A9", "participations:2:action: action « A9 » inconnu(e)"),
        (
            "objectifs",
            0,
            "territoire",
            "T9",
            "objectifs:2:territoire: territoire « T9 » inconnu (ou « * » pour tout le programme)",
        ),
    ],
)
def test_it_rejects_a_reference_to_an_unknown_row(tmp_path, sheet, index, column, value, expected):
    sheets = minimal_sheets()
    sheets[sheet][index][column] = value
    assert problems_of(tmp_path, sheets) == [expected]


@pytest.mark.parametrize(
    ("sheet", "column", "expected"),
    [
        ("territoires", "code", "territoires:3:code: identifiant « T1 » en double"),
        ("structures", "id", "structures:3:id: identifiant « S1 » en double"),
        ("personnes", "id", "personnes:3:id: identifiant « P1 » en double"),
        ("actions", "id", "actions:3:id: identifiant « A1 » en double"),
    ],
)
def test_it_rejects_duplicate_ids(tmp_path, sheet, column, expected):
    sheets = minimal_sheets()
    sheets[sheet][1][column] = sheets[sheet][0][column]
    assert expected in problems_of(tmp_path, sheets)


def test_it_rejects_a_person_listed_twice_for_one_action(tmp_path):
    sheets = minimal_sheets()
    sheets["participations"].append({"action": "A1", "personne": "P1"})
    assert problems_of(tmp_path, sheets) == [
        "participations:6:personne: « P1 » est déjà listé(e) pour l'action « A1 »"
    ]


def test_it_rejects_an_end_before_the_start(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["fin"] = "2022-10-01"
    sheets["programme"][2]["valeur"] = "2021-01-01"
    assert problems_of(tmp_path, sheets) == [
        "programme:4:valeur: la fin du programme précède son début",
        "actions:2:fin: la date de fin précède la date de début",
    ]


def test_it_rejects_negative_counts(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = -3
    sheets["territoires"][0]["population"] = -1
    assert problems_of(tmp_path, sheets) == [
        "territoires:2:population: le nombre doit être positif ou nul",
        "actions:3:enfants: le nombre doit être positif ou nul",
    ]


def test_it_rejects_counts_larger_than_the_database_keeps(tmp_path):
    """PostgreSQL stopped the import with « integer out of range »; SQLite kept the number."""
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = 2_147_483_648
    sheets["objectifs"][0]["max"] = "99999999999"
    sheets["actions"][0]["seances"] = 2_147_483_647  # the largest kept
    assert problems_of(tmp_path, sheets) == [
        "actions:3:enfants: le nombre doit être au plus 2\u202f147\u202f483\u202f647",
        "objectifs:2:max: le nombre doit être au plus 2\u202f147\u202f483\u202f647",
    ]


def test_it_rejects_numbers_larger_than_their_column_keeps(tmp_path):
    """Hours and days fill numeric(8, 2), a theme's number a small integer: PostgreSQL stopped
    the import with « numeric field overflow » or « smallint out of range »; SQLite kept them.
    The maximum is the model field's, said the French way."""
    sheets = minimal_sheets()
    sheets["actions"][0]["heures"] = 1_234_567
    sheets["actions"][2]["heures"] = "999999,995"  # rounds to 1 000 000,00: too large too
    sheets["coordination"][0]["jours"] = "1000000"
    sheets["themes"] = [{"numero": 32768, "libelle": "Climat scolaire"}]
    sheets["fiches_bilan"] = [{"action": "A2", "heures_prevues": "2000000", "seances_prevues": 1}]
    assert problems_of(tmp_path, sheets) == [
        "actions:2:heures: le nombre doit être au plus 999\u202f999,99",
        "actions:4:heures: le nombre doit être au plus 999\u202f999,99",
        "coordination:2:jours: le nombre doit être au plus 999\u202f999,99",
        "themes:2:numero: le nombre doit être au plus 32\u202f767",
        "fiches_bilan:2:heures_prevues: le nombre doit être au plus 999\u202f999,99",
    ]


def test_decimals_beyond_what_the_column_keeps_are_rounded(tmp_path):
    """1,234 h is kept as 1,23 h on every database (PostgreSQL rounded, SQLite kept every
    digit), half up as people round; the largest number kept is accepted."""
    sheets = minimal_sheets()
    sheets["actions"][0]["heures"] = "1,234"
    sheets["actions"][1]["heures"] = "2,345"
    sheets["actions"][2]["heures"] = "999999,994"
    sheets["coordination"][0]["jours"] = 21.875
    result = import_workbook(write_xlsx(sheets, tmp_path / "ok.xlsx"))
    hours = dict(result.programme.actions.values_list("code", "hours"))
    assert hours == {"A1": Decimal("1.23"), "A2": Decimal("2.35"), "A3": Decimal("999999.99")}
    assert result.programme.coordination.get().days == Decimal("21.88")


def test_it_reports_every_problem_at_once(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["modalite"] = "?"
    sheets["participations"][0]["personne"] = "P404"
    sheets["coordination"][0]["annee_scolaire"] = "2023"
    assert len(problems_of(tmp_path, sheets)) == 3


def test_it_refuses_a_programme_name_already_in_the_database(tmp_path):
    path = write_xlsx(minimal_sheets(), tmp_path / "ok.xlsx")
    import_workbook(path)
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(path)
    assert [str(p) for p in refused.value.problems] == [
        "programme:2:valeur: un programme nommé « Test » existe déjà : pour le mettre à jour "
        "depuis ce classeur, choisissez « Mettre à jour le programme » (ligne de commande : "
        "ancrage import CLASSEUR --update)"
    ]


def test_it_refuses_a_name_where_a_pseudonymous_code_is_expected(tmp_path):
    sheets = minimal_sheets()
    sheets["personnes"][0]["id"] = "Marie Dupont"
    sheets["participations"] = sheets["participations"][2:]
    (problem,) = problems_of(tmp_path, sheets)
    assert problem.startswith("personnes:2:id: « Marie Dupont » n'est pas un identifiant")


def test_it_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "faux.xlsx"
    path.write_text("bonjour")
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(path)
    assert str(refused.value.problems[0]).startswith("faux.xlsx:-:-: fichier illisible")
    assert_nothing_written()


def test_it_refuses_a_csv_file_that_is_not_text_naming_it(tmp_path):
    folder = write_csv(minimal_sheets(), tmp_path / "csv")
    (folder / "structures.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x00\x00!\x00\xe9\xff")
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(folder)
    problem = refused.value.problems[-1]
    assert problem.sheet == "structures"
    assert "structures.csv : encodage du fichier non reconnu" in str(problem)
    assert_nothing_written()


def test_it_reads_the_sheets_french_excel_saves_in_windows_1252(tmp_path):
    from ancrage.activities.models import Action, Structure

    result = import_workbook(DATA / "workbook_excel_cp1252")
    assert result.programme.name == "Programme CPS Pays de la Loire – 2022"
    assert Structure.objects.get(code="S2").name == "ALSH « Les Écureuils »"
    assert Action.objects.get(code="A1").title == "Formation CPS – module « émotions »"
    # Vocabularies typed as their labels are stored as codes.
    assert dict(Action.objects.values_list("code", "modality")) == {
        "A1": "formation",
        "A2": "co_intervention",
        "A3": "copil",
    }
    assert dict(Structure.objects.values_list("code", "kind")) == {
        "S1": "ecole_publique",
        "S2": "alsh",
    }
    assert result.counts["participation"] == 4


def test_a_late_problem_rolls_back_rows_already_written(tmp_path):
    sheets = minimal_sheets()
    sheets["coordination"][0]["jours"] = "beaucoup"  # the last sheet read
    problems_of(tmp_path, sheets)  # asserts nothing was written


def test_the_import_command_prints_problems_and_exits_non_zero(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    sheets = minimal_sheets()
    sheets["actions"][0]["modalite"] = "atelier"
    path = write_xlsx(sheets, tmp_path / "bad.xlsx")
    import io

    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import", str(path), stderr=err, quiet=True)
    assert err.getvalue().startswith("actions:2:modalite: « atelier » inconnu")
    assert_nothing_written()


def test_a_formula_without_computed_value_is_refused_naming_the_cell():
    """Written by a script (openpyxl never computes): read as empty, 25 children would vanish."""
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(DATA / "workbook_formula_without_cache.xlsx")
    assert [str(p) for p in refused.value.problems] == [
        "actions:3:enfants: la cellule J3 contient une formule sans valeur calculée : ouvrez le "
        "fichier dans Excel ou LibreOffice, enregistrez-le, puis importez-le à nouveau",
        "coordination:2:jours: la cellule C2 contient une formule sans valeur calculée : ouvrez "
        "le fichier dans Excel ou LibreOffice, enregistrez-le, puis importez-le à nouveau",
    ]
    assert_nothing_written()
