"""« Mettre à jour le programme » on the import page: a preview field by field, then the
update as a background task; only the programme's coordination may update it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.accounts.models import Membership, Role
from ancrage.activities.models import Action
from ancrage.programmes.models import Programme
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx
from .worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tmp_path):
    return import_workbook(write_xlsx(minimal_sheets(), tmp_path / "v1.xlsx")).programme


@pytest.fixture
def coordinator(client, programme):
    user = get_user_model().objects.create_user("coord", password="x")
    Membership.objects.create(user=user, programme=programme, role=Role.COORDINATOR)
    client.force_login(user)
    return user


def upload_update(client, path, programme, **extra):
    with open(path, "rb") as f:
        file = SimpleUploadedFile("corrige.xlsx", f.read())
    data = {"classeur": file, "mode": "update", "programme": programme.pk, **extra}
    return client.post("/import/", data)


def test_the_update_choice_is_beside_new_programme(client, coordinator):
    page = client.get("/import/").content.decode()
    assert "Nouveau programme" in page and "Mettre à jour le programme" in page


def test_the_preview_shows_each_change_then_the_confirmation_updates(
    client, coordinator, programme, tmp_path
):
    sheets = minimal_sheets()
    sheets["actions"][0]["heures"] = 21
    response = upload_update(client, write_xlsx(sheets, tmp_path / "v2.xlsx"), programme)
    page = response.content.decode()
    assert "modifié A1 (heures : 18 → 21)" in page
    assert Action.objects.get(code="A1").hours == 18  # nothing written yet
    response = client.post(
        "/import/confirmer/",
        {"token": response.context["token"], "programme": programme.pk, "nom": "corrige.xlsx"},
    )
    assert response.status_code == 302
    run_queued_tasks()
    assert Action.objects.get(code="A1").hours == 21
    assert Programme.objects.count() == 1


def test_an_unchanged_workbook_says_there_is_nothing_to_change(
    client, coordinator, programme, tmp_path
):
    response = upload_update(client, write_xlsx(minimal_sheets(), tmp_path / "v2.xlsx"), programme)
    assert "rien à modifier" in response.content.decode()
    assert "Confirmer la mise à jour" not in response.content.decode()


def test_a_programme_the_user_does_not_coordinate_cannot_be_updated(client, programme, tmp_path):
    other = Programme.objects.create(name="Autre", start="2024-09-01", end="2025-08-31")
    user = get_user_model().objects.create_user("autre", password="x")
    Membership.objects.create(user=user, programme=other, role=Role.COORDINATOR)
    client.force_login(user)
    response = upload_update(client, write_xlsx(minimal_sheets(), tmp_path / "v2.xlsx"), programme)
    assert "Choisissez le programme à mettre à jour" in response.content.decode()
    response = client.post("/import/confirmer/", {"token": "x" * 22, "programme": programme.pk})
    assert response.status_code in (302, 403)
    run_queued_tasks()
    assert Action.objects.get(code="A1").hours == 18
