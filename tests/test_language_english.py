"""English second, by choice: what Python writes for a user (data-quality warnings, XLSForm
errors, the candidate territories' assessment, the cached figures' labels) follows the chosen
language, and French stays the default whatever the browser says."""

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.evaluation.models import CandidateTerritory
from ancrage.evaluation.selectors.transfer import assess_candidate
from ancrage.indicators.cache import cached_indicators
from ancrage.indicators.quality import quality_refresh
from ancrage.programmes.scope import Scope
from ancrage.surveys.xlsform import XLSFormInvalid, parse_xlsform
from ancrage.workbook.importer import WorkbookInvalid, import_workbook

from .cast import make_cast
from .helpers import LARGE_CANDIDATE
from .test_surveys_xlsform import _xlsform
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db
BROWSER_IN_ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_the_quality_warnings_follow_the_reader_french_by_default(tmp_path, client):
    """Warnings are computed once (here by the import, in French) and written in each reader's
    language when read."""
    sheets = minimal_sheets()
    sheets["actions"][0]["structures"] = "S1;S2"
    sheets["actions"][2]["debut"] = "2025-01-10"
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    quality_refresh(programme)
    client.force_login(make_cast(programme)["coordination"])
    page = client.get(reverse("evaluation:quality"), **BROWSER_IN_ENGLISH)
    french = page.content.decode()
    assert page["Content-Language"] == "fr"
    assert "la structure « S2 » (Beta) n&#x27;est pas sur le territoire de l&#x27;action" in french
    assert "action du 10/01/2025 hors des dates du programme (01/09/2022 – 31/08/2024)" in french
    client.post(reverse("accounts:language"), {"language": "en"})
    english = client.get(reverse("evaluation:quality")).content.decode()
    assert "structure “S2” (Beta) is not in the action&#x27;s territory (Territoire un)" in english
    assert (
        "action dated 01/10/2025 outside the programme&#x27;s dates (09/01/2022 – 08/31/2024)"
        in (english)
    )
    assert "left out of the programme&#x27;s figures (school year 2024-2025" in english
    assert "hors des dates" not in english and "n&#x27;est pas sur le territoire" not in english


def test_an_xlsform_error_is_said_in_the_chosen_language():
    bad = _xlsform([("integer", "age", "Âge")], settings=("eleves", "formation"))
    with pytest.raises(XLSFormInvalid) as french:
        parse_xlsform(bad)
    (french_problem,) = french.value.problems
    assert french_problem.startswith("settings:2:public: « eleves » inconnu : valeurs possibles ")
    with translation.override("en"), pytest.raises(XLSFormInvalid) as english:
        parse_xlsform(bad)
    (english_problem,) = english.value.problems
    assert english_problem.startswith("settings:2:public: “eleves” unknown: possible values ")
    assert "Children" in english_problem and "Enfants" not in english_problem
    with translation.override("en"), pytest.raises(XLSFormInvalid) as unreadable:
        parse_xlsform(b"name;age\n")
    assert unreadable.value.problems == [
        "fichier:-:-: file unreadable as an XLSForm (.xlsx or .xls expected)"
    ]


def test_an_xlsform_error_in_a_workbook_imported_in_english(tmp_path):
    sheets = minimal_sheets()
    sheets["questionnaires"] = [
        {"form_id": "q1", "form_title": "Q", "public": "eleves", "modalite": "formation"}
    ]
    sheets["questions"] = [{"form_id": "q1", "type": "integer", "name": "age", "label": "Âge"}]
    with translation.override("en"), pytest.raises(WorkbookInvalid) as refused:
        import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx"))
    messages = [p.message for p in refused.value.problems]
    assert any("“eleves” unknown: possible values" in m for m in messages), messages


def candidate() -> CandidateTerritory:
    return CandidateTerritory(**LARGE_CANDIDATE)


PRIMARY = {
    "territories": [
        {"population": 37_000, "elected_officials": 2, "referent": True, "communes": 5}
    ],
    "earlier_cps_actions": "",
    "free_actions": True,
    "partners": 2,
}


def test_a_candidate_territory_is_assessed_in_the_chosen_language():
    french = {row["criterion"]: row for row in assess_candidate(candidate(), PRIMARY)}
    assert french["referent"]["label"] == "Référent·e CPS dédié·e"
    with translation.override("en"):
        english = {row["criterion"]: row for row in assess_candidate(candidate(), PRIMARY)}
    assert english["referent"]["label"] == "Dedicated CPS referent"
    assert english["taille"]["label"] == "Size of the territory (close to 37,000 inhabitants)"
    assert english["accessibilite"]["adaptation"] == (
        "Keep the actions free and schedule some in the 3 priority neighbourhoods (QPV)."
    )
    assert english["referent"]["adaptation"].startswith("Secure dedicated time")


def test_cached_figures_are_kept_apart_by_language(tmp_path):
    sheets = minimal_sheets()
    programme = import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme
    c = candidate()
    c.programme = programme
    c.save()
    scope = Scope(programme)

    def labels() -> set[str]:
        (row,) = cached_indicators(scope)["transferability"]["candidates"]
        return {str(line["label"]) for line in row["assessment"]}

    assert "Référent·e CPS dédié·e" in labels()
    with translation.override("en"):
        assert "Dedicated CPS referent" in labels()
    assert "Référent·e CPS dédié·e" in labels()  # the English reader did not change the French
