"""Workbooks as users really save them: re-saved by LibreOffice (dates as date cells, whole
numbers as numbers, empty strings dropped), and a script's formulas once LibreOffice computed
them (tests/data, made with `libreoffice --headless --convert-to xlsx`)."""

from pathlib import Path

import pytest

from ancrage.activities.models import Action
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.surveys.models import Questionnaire
from ancrage.workbook.importer import import_workbook
from ancrage.workbook.update import update_workbook

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
LIBREOFFICE = DATA / "workbook_libreoffice.xlsx"  # the demo's export, re-saved by LibreOffice


def test_the_export_re_saved_by_libreoffice_imports_with_the_same_figures(demo_programme):
    Questionnaire.objects.filter(programme=demo_programme).delete()  # not in the workbook
    before = compute_indicators(Scope(demo_programme))
    Programme.objects.all().delete()
    programme = import_workbook(LIBREOFFICE).programme
    # Every key; part_multimodalite = 1/3 came back from LibreOffice as 0.333333333333333.
    assert compute_indicators(Scope(programme)) == before


def test_the_export_re_saved_by_libreoffice_has_nothing_to_change(demo_programme):
    plan = update_workbook(LIBREOFFICE)
    assert not plan.has_changes, plan.lines()[:5]


def test_a_script_s_formulas_computed_by_libreoffice_import():
    """The advice given for a formula without value works: once LibreOffice saved it, it has."""
    import_workbook(DATA / "workbook_formula_libreoffice.xlsx")
    assert Action.objects.get(code="A2").children == 25
