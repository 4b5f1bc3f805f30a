"""French is the source language; every string has its English translation."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.indicators.registry import FIGURES_BY_KEY
from ancrage.tasks.models import Job, Status

from .cast import make_cast
from .surveys_data import programme_with_actions
from .workbooks import minimal_sheets, write_xlsx
from .worker import run_queued_tasks

CATALOG = Path(__file__).parent.parent / "ancrage" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_english_catalog_is_translated():
    # An entry is untranslated when its msgstr is empty and no continuation line follows.
    entries = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"\n(?!")', CATALOG.read_text(), re.M)
    untranslated = [msgid for msgid, msgstr in entries if msgid and not msgstr]
    assert untranslated == []
    assert len(entries) > 500  # the whole interface, not a sample
    assert "#, fuzzy\nmsgid" not in CATALOG.read_text()


def test_figures_are_labelled_in_french_by_default_and_in_english_on_request():
    figure = FIGURES_BY_KEY["reach.children_indirect"]
    assert str(figure.label) == "Enfants touchés indirectement"
    with translation.override("en"):
        assert str(figure.label) == "Children reached indirectly"
        assert str(FIGURES_BY_KEY["deliveries.jep"].label) == "Deliveries: Practice-exchange day"


@pytest.mark.django_db
def test_a_background_task_speaks_the_language_of_the_user_who_asked_for_it(
    client, tmp_path, settings
):
    # The worker has no request: the report and the task's messages must not fall back to French.
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = programme_with_actions(tmp_path)
    client.force_login(make_cast(programme)["coordination"])
    client.post(reverse("accounts:language"), {"language": "en"})
    data = {"format": "html", "debut": "", "fin": "", "territoire": ""}
    client.post(reverse("reports:download") + f"?programme={programme.pk}", data)

    run_queued_tasks()

    job = Job.objects.get()
    assert job.status == Status.DONE and job.message == "The report is ready."
    report = b"".join(client.get(reverse("tasks:file", args=[job.pk])).streaming_content).decode()
    assert "Programme evaluation" in report and "Évaluation du programme" not in report


@pytest.mark.django_db
def test_a_refused_workbook_is_explained_in_the_users_language(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    sheets = minimal_sheets()
    sheets["actions"][0]["debut"] = "2022-13-45"
    sheets["actions"][1]["modalite"] = "Danse"
    path = write_xlsx(sheets, tmp_path / "classeur.xlsx")
    client.post(reverse("accounts:language"), {"language": "en"})
    with open(path, "rb") as workbook:
        page = client.post(reverse("workbook:import"), {"classeur": workbook}).content.decode()
    assert "“2022-13-45” is not a valid date" in page and "“Danse” unknown" in page
    assert "n&#x27;est pas" not in page and "inconnu" not in page


def test_an_answer_refused_is_explained_in_french_by_default_and_in_english_on_request():
    from ancrage.core.cells import CellError
    from ancrage.surveys.services import decimal_value

    with pytest.raises(CellError, match="« douze » : nombre attendu"):
        decimal_value("douze")
    with translation.override("en"), pytest.raises(CellError, match="“douze”: number expected"):
        decimal_value("douze")


def test_the_reports_fixed_labels_follow_the_language_of_each_report():
    # Labels kept in module constants are read when a report is built, not when Python starts.
    from ancrage.reports.sections.evaluation import CONDITIONS

    assert str(CONDITIONS["political_anchoring"]).startswith("Ancrage politique")
    with translation.override("en"):
        assert str(CONDITIONS["political_anchoring"]).startswith("Political anchoring")
