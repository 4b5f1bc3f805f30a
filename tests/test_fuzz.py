"""Hostile input (a bounded, seeded run; `scripts/fuzz_report` runs more and prints them): the
API answers every generated request without a server error, and each importer either takes a
hostile file whole or refuses it whole with clear problems, never another exception."""

import pytest
from rest_framework.authtoken.models import Token

from ancrage.surveys.library import template_path

from .api_world import api_world
from .fuzzing import fuzz_api, fuzz_responses, fuzz_workbook, fuzz_xlsform, report
from .surveys_data import programme_with_actions, questionnaire
from .workbooks import minimal_sheets

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EXAMPLES = 8

KOBO = (
    "start;end;aime;ecoute;moi/emotions;moi/dire;moi/autres;prefere;prefere/jeux;"
    "prefere/histoires;prefere/dessins;prefere/discussions;prefere/relaxation;mot;action;"
    "_id;_uuid;_submission_time;_index\n"
    "2023-03-01T10:00;2023-03-01T10:05;4;3;3;2;4;jeux dessins;1;0;1;0;0;"
    "trop bien;A2;1;u-1;2023-03-01T10:05;1\n"
    "2023-05-02T10:00;2023-05-02T10:04;2;4;1;3;3;;0;0;0;0;0;bof;C2;3;u-3;2023-05-02;3\n"
)


def test_the_api_never_answers_with_a_server_error(tmp_path):
    world = api_world(tmp_path)
    tokens = {"anonyme": ""}
    for role in ("coordination", "cheffe_t1", "financeur"):
        tokens[role] = Token.objects.create(user=world["cast"][role]).key
    ids = {
        "action": world["action"].pk,
        "participation": world["participation"].pk,
        "questionnaire": world["questionnaire"].pk,
    }
    tally = fuzz_api(world["programme"], tokens, ids, examples=EXAMPLES)
    assert tally.tried > 200 and tally.accepted > 0 and tally.refused > 0
    assert tally.crashes == [], report([tally])


def test_the_workbook_import_takes_or_refuses_a_hostile_file_whole(tmp_path):
    tally = fuzz_workbook(minimal_sheets(), tmp_path, examples=EXAMPLES * 4)
    assert tally.tried > 25 and tally.refused > 0
    assert tally.crashes == [], report([tally])


def test_the_xlsform_loader_takes_or_refuses_a_hostile_form_whole(tmp_path):
    programme = programme_with_actions(tmp_path)
    template = template_path("coi_enfants").read_bytes()
    tally = fuzz_xlsform(programme, template, tmp_path, examples=EXAMPLES * 4)
    assert tally.tried > 25 and tally.refused > 0
    assert tally.crashes == [], report([tally])


def test_the_response_import_takes_or_refuses_a_hostile_export_whole(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    tally = fuzz_responses(form, KOBO, tmp_path, examples=EXAMPLES * 4)
    assert tally.tried > 25 and tally.accepted + tally.refused == tally.tried
    assert tally.crashes == [], report([tally])
