"""Logs: errors with their traceback on stderr (and to ADMINS when set), a request id on every
response and log line, and no personal data in the log of a whole working session."""

import copy
import io
import logging.config
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError
from django.test import Client

from ancrage.surveys.services import collection_for

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db

# What a session types that must never reach a log: an e-mail used as a login, pseudonymous
# codes, a profession, free text naming a child, a search, the anonymous link's token.
EMAIL = "lea.martin@example.org"
CODE = "CODE-SECRET-42"
PROFESSION = "puéricultrice"
FREE_TEXT = "Théo a adoré"
SEARCH = "Dupontel"


@pytest.fixture
def stderr_log():
    """The project's LOGGING, its stderr handler writing into a buffer."""
    buffer = io.StringIO()
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["stderr"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(django_settings.LOGGING)


def test_a_server_error_is_logged_with_its_traceback_and_request_id(stderr_log, tmp_path):
    programme = programme_with_actions(tmp_path)
    client = Client(raise_request_exception=False)
    client.force_login(make_cast(programme)["coordination"])
    with mock.patch(
        "ancrage.activities.views.action_page", side_effect=RuntimeError("panne de test")
    ):
        response = client.get(f"/actions/?programme={programme.pk}")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    log = stderr_log.getvalue()
    assert "ERROR django.request" in log and "Traceback (most recent call last)" in log
    assert "RuntimeError: panne de test" in log
    assert f"[{request_id}]" in log


def test_errors_are_emailed_to_admins_when_set(stderr_log, settings, tmp_path):
    settings.ADMINS = [("", "exploitation@example.org")]
    programme = programme_with_actions(tmp_path)
    client = Client(raise_request_exception=False)
    client.force_login(make_cast(programme)["coordination"])
    with mock.patch(
        "ancrage.activities.views.action_page", side_effect=RuntimeError("panne de test")
    ):
        response = client.get(f"/actions/?programme={programme.pk}&q={SEARCH}")
    (message,) = mail.outbox
    assert message.to == ["exploitation@example.org"]
    assert response["X-Request-ID"] in message.subject
    assert "RuntimeError" in message.body and SEARCH not in message.body + message.subject


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/connexion/"), client.get("/connexion/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    # A client cannot choose its id (it could forge log lines); a trusted proxy can.
    assert client.get("/connexion/", HTTP_X_REQUEST_ID="abcdefgh1234")["X-Request-ID"] != (
        "abcdefgh1234"
    )


def test_a_whole_session_leaves_no_personal_data_in_the_log(stderr_log, settings, tmp_path):
    programme = programme_with_actions(tmp_path)
    cast = make_cast(programme)
    coordinator = cast["coordination"]
    coordinator.username = EMAIL
    coordinator.save()
    client = Client(raise_request_exception=False)
    # A failed then a good login with an e-mail as the user name.
    client.post("/connexion/", {"username": EMAIL, "password": "mauvais"})
    client.post("/connexion/", {"username": EMAIL, "password": "mot-de-passe-2025"})
    t1 = programme.territories.get(code="T1")
    action = {
        "code": "A-LOG",
        "modality": "formation",
        "territory": t1.pk,
        "start": "2023-10-02",
        "title": FREE_TEXT,
        "participants": f"{CODE} ; {PROFESSION}",
    }
    client.post(f"/actions/nouvelle/?programme={programme.pk}", action)
    client.get(f"/actions/?programme={programme.pk}&q={SEARCH}")
    client.get(f"/registres/personnes/?programme={programme.pk}&q={CODE}")
    client.get(f"/actions/999999/modifier/?q={SEARCH}")  # a 404
    # A concurrent save of the same code (a database error), then a crash in a view.
    with mock.patch(
        "ancrage.activities.services.action_create",
        side_effect=IntegrityError(f'Key (programme_id, code)=(1, {CODE}) "{PROFESSION}"'),
    ):
        client.post(f"/actions/nouvelle/?programme={programme.pk}", {**action, "code": "A-2"})
    with mock.patch(
        "ancrage.registers.views.Paginator",
        side_effect=ValueError(f"« {CODE} » {EMAIL} 06 12 34 56 78 '{FREE_TEXT}'"),
    ):
        assert client.get(f"/registres/personnes/?q={CODE}").status_code == 500
    # A child answers the online questionnaire.
    collection = collection_for(
        questionnaire(programme, "coi_enfants"), programme.actions.get(code="C2")
    )
    anonymous = Client(raise_request_exception=False)
    anonymous.get(f"/r/{collection.token}/")
    anonymous.post(f"/r/{collection.token}/", {"commentaire": FREE_TEXT})

    log = stderr_log.getvalue()
    assert "Traceback" in log  # the crash was logged…
    for secret in (EMAIL, CODE, PROFESSION, FREE_TEXT, SEARCH, collection.token, "06 12 34"):
        assert secret not in log, secret  # …without whom it was about
