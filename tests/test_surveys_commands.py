from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from ancrage.surveys.library import template_path
from ancrage.surveys.models import Questionnaire, Response
from ancrage.surveys.xlsform import parse_xlsform

from .surveys_data import programme_with_actions, write

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out, **options)
    return out.getvalue()


def test_load_import_analyse_and_export_a_questionnaire_from_the_command_line(tmp_path):
    programme_with_actions(tmp_path)
    assert "chargé : 7 questions" in run("questionnaire_load", str(template_path("coi_enfants")))
    responses = write(tmp_path, "r.csv", "aime,mot,action\n4,super les jeux,A2\n3,content,A2\n")
    assert "2 réponse(s) importée(s)" in run(
        "responses_import", str(responses), questionnaire="coi_enfants"
    )
    analysis = run("free_text", "coi_enfants", nuages=str(tmp_path / "nuages"))
    assert "(2 réponses : positif 2, neutre 0, négatif 0)" in analysis
    assert Image.open(tmp_path / "nuages" / "coi_enfants_mot.png").format == "PNG"
    run("questionnaire_export", "coi_enfants", str(tmp_path / "out.xlsx"))
    assert parse_xlsform((tmp_path / "out.xlsx").read_bytes()).form_id == "coi_enfants"


def test_a_refused_response_file_prints_each_problem_and_writes_nothing(tmp_path):
    programme_with_actions(tmp_path)
    run("questionnaire_load", str(template_path("coi_enfants")))
    bad = write(tmp_path, "r.csv", "aime,action\n9,A2\n")
    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("responses_import", str(bad), questionnaire="coi_enfants", stderr=err)
    assert err.getvalue().startswith("r.csv:2:aime: « 9 » n'est pas un choix")
    assert Response.objects.count() == 0


def test_an_invalid_xlsform_is_refused_by_the_command(tmp_path):
    programme_with_actions(tmp_path)
    path = write(tmp_path, "faux.xlsx", "pas un classeur")
    with pytest.raises(CommandError, match="questionnaire refusé"):
        run("questionnaire_load", str(path))
    assert Questionnaire.objects.count() == 0


def test_a_questionnaire_loaded_twice_is_refused_in_french(tmp_path):
    programme_with_actions(tmp_path)
    run("questionnaire_load", str(template_path("coi_enfants")))
    err = StringIO()
    with pytest.raises(CommandError, match="questionnaire refusé"):
        call_command("questionnaire_load", str(template_path("coi_enfants")), stderr=err)
    assert "existe déjà" in err.getvalue()
    assert Questionnaire.objects.count() == 1
