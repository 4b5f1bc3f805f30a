"""A number past what its column keeps is refused in French by every way in that writes it
(forms, the API, workbooks, response files), not left to the database: PostgreSQL stopped with
a 500 on an integer or decimal overflow, and stored a float too large for a double as
« Infinity »; SQLite kept them. The limits are read from the model fields (core.limits)."""

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import Workbook

from ancrage.activities.forms import ActionForm
from ancrage.activities.models import Action
from ancrage.core import cells, limits
from ancrage.core.cells import CellError
from ancrage.evaluation.models import EvaluationIndicator
from ancrage.programmes.models import Programme
from ancrage.surveys.forms import QuestionnaireForm
from ancrage.surveys.models import Answer, QuestionKind
from ancrage.surveys.responses import ResponsesInvalid, import_responses
from ancrage.surveys.services import collection_for, questionnaire_create
from ancrage.territories.models import Territory
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import WorkbookInvalid, import_workbook

from .cast import make_cast
from .surveys_data import programme_with_actions
from .workbooks import minimal_sheets, write_csv, write_xlsx


def test_the_limits_are_the_model_fields():
    hours = limits.of(Action, "hours")  # DecimalField(max_digits=8, decimal_places=2)
    assert (hours.maximum, hours.places) == (Decimal("999999.99"), 2)
    assert limits.of(Action, "sessions").maximum == 2_147_483_647
    assert (limits.of(Answer, "number").minimum, limits.of(Answer, "number").maximum) == (
        -2_147_483_648,
        2_147_483_647,
    )
    assert hours.keep(Decimal("1.235")) == Decimal("1.24")  # half up, as people round
    with pytest.raises(CellError, match="au plus 999\u202f999,99"):
        hours.keep(Decimal("1E+400"))  # refused before rounding would need 400 digits


@pytest.mark.django_db
def test_the_action_form_refuses_numbers_past_their_columns():
    form = ActionForm(
        None,
        Territory.objects.none(),
        data={"hours": "1234567", "sessions": "3000000000", "children": "2147483647"},
    )
    assert not form.is_valid()
    assert form.errors["hours"] == ["Le nombre doit être au plus 999\u202f999,99."]
    assert form.errors["sessions"] == ["Le nombre doit être au plus 2\u202f147\u202f483\u202f647."]
    assert "children" not in form.errors  # the largest kept


def test_the_online_questionnaire_refuses_an_integer_past_its_column():
    question = SimpleNamespace(
        pk=1, key="age", label="Âge", required=False, kind=QuestionKind.INTEGER, group_label=""
    )
    form = QuestionnaireForm(
        SimpleNamespace(pairing=False), [question], {1: {}}, data={"age": "3000000000"}
    )
    assert not form.is_valid()
    assert form.errors["age"] == ["Le nombre doit être au plus 2\u202f147\u202f483\u202f647."]


# -- float columns: a number too large for a double would be stored as infinity -----------------
FLOAT_TOO_LARGE = "le nombre doit être au plus 10³⁰⁸"
KOBO_FORM = Path(__file__).parent / "data" / "xlsform" / "kobo_atelier_tous_types.xlsx"


def test_a_float_column_keeps_numbers_up_to_ten_to_the_308():
    """Answer.decimal, EvaluationIndicator.target… are doubles: 1E400 became infinity (stored as
    « Infinity » by PostgreSQL and SQLite), a NaN from a file was a 500 or a NULL."""
    decimal = limits.of(Answer, "decimal")
    assert (decimal.minimum, decimal.maximum) == (Decimal("-1e308"), Decimal("1e308"))
    assert limits.of(EvaluationIndicator, "target") == decimal
    assert decimal.keep(Decimal("1e308")) == Decimal("1e308")
    for value in (Decimal("1e400"), Decimal("1.5e308"), float("inf")):
        assert _refusal(decimal, value) == FLOAT_TOO_LARGE
    assert _refusal(decimal, Decimal("-1e400")) == "le nombre doit être au moins -10³⁰⁸"
    assert _refusal(decimal, float("nan")) == "nombre attendu"
    # A spreadsheet library reads 1E400 written as a number as infinity: never a number.
    with pytest.raises(CellError, match="« inf » n'est pas un nombre"):
        cells.decimal(float("inf"))


def _refusal(limit: limits.Limit, value) -> str:
    with pytest.raises(CellError) as refused:
        limit.keep(value)
    return str(refused.value)


@pytest.mark.django_db
def test_a_workbook_refuses_a_float_past_its_column_at_its_cell(tmp_path):
    """The programme's ratios, the evaluation's share and an indicator's targets are doubles."""
    sheets = minimal_sheets()
    sheets["programme"].append({"cle": "enfants_par_adulte", "valeur": "1e400"})
    sheets["evaluation"] = [{"part_8_11_ans": "2E308"}]
    sheets["themes"] = [{"numero": 1, "libelle": "Climat scolaire"}]
    sheets["indicateurs"] = [
        {"theme": 1, "position": 1, "libelle": "Écoles", "cible": "1e309", "cible_haute": "1e308"},
        {
            "theme": 1,
            "position": 2,
            "libelle": "Élèves",
            "cible": "inf",
            "partiel_a_partir_de": "nan",
        },
    ]
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(write_csv(sheets, tmp_path / "classeur"))
    assert [str(p) for p in refused.value.problems] == [
        f"programme:5:valeur: {FLOAT_TOO_LARGE}",
        f"evaluation:2:part_8_11_ans: {FLOAT_TOO_LARGE}",
        f"indicateurs:2:cible: {FLOAT_TOO_LARGE}",
        "indicateurs:3:cible: « inf » n'est pas un nombre",
        "indicateurs:3:partiel_a_partir_de: « nan » n'est pas un nombre",
    ]
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_a_number_an_xlsx_file_holds_as_infinity_is_refused_at_its_cell(tmp_path):
    """1E400 written as a number in the file's XML: openpyxl reads infinity, which stopped the
    import with an OverflowError (a count) or was stored (a float column)."""
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = 123456789.5
    sheets["evaluation"] = [{"part_8_11_ans": 987654321.5}]
    path = write_xlsx(sheets, tmp_path / "classeur.xlsx")
    _replace_in_xlsx(path, {b"123456789.5": b"1E400", b"987654321.5": b"-1E400"})
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(path)
    assert [str(p) for p in refused.value.problems] == [
        "actions:3:enfants: « inf » n'est pas un nombre",
        "evaluation:2:part_8_11_ans: « -inf » n'est pas un nombre",
    ]


def _replace_in_xlsx(path: Path, replacements: dict[bytes, bytes]) -> None:
    with zipfile.ZipFile(path) as book:
        parts = [(item, book.read(item.filename)) for item in book.infolist()]
    with zipfile.ZipFile(path, "w") as book:
        for item, data in parts:
            for old, new in replacements.items():
                data = data.replace(b"<v>" + old + b"</v>", b"<v>" + new + b"</v>")
            book.writestr(item, data)


@pytest.fixture
def kobo_collection(tmp_path):
    """A real Kobo form with a decimal question (`duree`), collected at C2, open."""
    programme = programme_with_actions(tmp_path)
    form = questionnaire_create(programme=programme, xlsform=KOBO_FORM.read_bytes())
    collection = collection_for(form, programme.actions.get(code="C2"))
    collection.closes_on = dt.date.today() + dt.timedelta(days=10)
    collection.save(update_fields=["closes_on"])
    return collection


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e400", "Le nombre doit être au plus 10³⁰⁸."),  # was « Saisissez un nombre. »
        ("-1e400", "le nombre doit être au moins -10³⁰⁸"),
        ("nan", "Saisissez un nombre."),
    ],
)
def test_the_online_questionnaire_refuses_a_decimal_past_its_column(
    client, kobo_collection, typed, message
):
    url = reverse("surveys:public_form", args=[kobo_collection.token])
    answers = {"date_atelier": "2024-03-12", "aime": "4", "fin_saisie": "2024-03-12T14:55"}
    response = client.post(url, {**answers, "duree": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["duree"] == [message]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_paper_entry_refuses_a_decimal_past_its_column(client, kobo_collection):
    programme = kobo_collection.action.programme
    client.force_login(make_cast(programme)["coordination"])
    url = reverse("surveys:paper_entry", args=[kobo_collection.pk])
    page = client.post(url, {"r0-duree": "1,5e400", "r0-aime": "4"}).content.decode()
    assert FLOAT_TOO_LARGE in page
    assert not Answer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["kobo.csv", "kobo.xlsx"])
def test_a_response_file_refuses_a_decimal_past_its_column_at_its_cell(
    tmp_path, kobo_collection, name
):
    rows = [["duree", "ressenti/aime", "action"], ["1e400", "4", "A2"], ["1E308", "4", "A2"]]
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8")
    else:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=kobo_collection.questionnaire, path=path)
    assert [str(p) for p in refused.value.problems] == [f"{name}:2:duree: {FLOAT_TOO_LARGE}"]


@pytest.mark.django_db
def test_the_workbooks_response_sheet_refuses_a_decimal_past_its_column(tmp_path, kobo_collection):
    programme = kobo_collection.action.programme
    import_responses(
        questionnaire=kobo_collection.questionnaire,
        path=Path(__file__).parent / "data" / "responses" / "kobo_atelier_cps.csv",
    )
    export_workbook(programme, tmp_path / "export")
    Programme.objects.all().delete()
    path = tmp_path / "export" / "reponses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if ",duree,1.5," in line)
    lines[number] = lines[number].replace(",duree,1.5,", ",duree,1e400,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(tmp_path / "export")
    assert [str(p) for p in refused.value.problems] == [
        f"reponses:{number + 1}:valeur: {FLOAT_TOO_LARGE}"
    ]
    assert not Answer.objects.exists()
