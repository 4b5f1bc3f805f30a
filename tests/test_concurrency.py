"""Concurrent writes never give a 500: ten people saving the same action code or the same new
person code at once get a French form error, and one of them wins."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from ancrage.activities.models import Action, Person

from .cast import make_cast
from .surveys_data import programme_with_actions

ATTEMPTS = 10


def _post_at_once(user, programme, forms: list[dict], path: str) -> list[int]:
    """POST each form from its own thread (its own database connection), all released
    together; returns the status codes."""
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = [0] * len(forms)

    def work(i: int):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        try:
            statuses[i] = client.post(path, forms[i]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _action(programme, code: str, participants: str = "") -> dict:
    return {
        "code": code,
        "modality": "formation",
        "territory": programme.territories.get(code="T1").pk,
        "start": "2023-10-02",
        "participants": participants,
    }


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database (in memory, shared cache) serialises writers with table "
    "locks; the race itself is reproduced deterministically below on both databases",
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_actions_with_the_same_code_give_no_500(tmp_path):
    programme = programme_with_actions(tmp_path)
    user = make_cast(programme)["coordination"]
    path = f"/actions/nouvelle/?programme={programme.pk}"
    statuses = _post_at_once(user, programme, [_action(programme, "RACE-1")] * ATTEMPTS, path)
    assert 500 not in statuses, statuses
    assert statuses.count(302) == 1
    assert Action.objects.filter(programme=programme, code="RACE-1").count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_creations_of_the_same_new_person_give_no_500(tmp_path):
    programme = programme_with_actions(tmp_path)
    user = make_cast(programme)["coordination"]
    path = f"/actions/nouvelle/?programme={programme.pk}"
    forms = [_action(programme, f"RACE-{i}", "NOUVEAU-7 ; infirmière") for i in range(ATTEMPTS)]
    statuses = _post_at_once(user, programme, forms, path)
    assert 500 not in statuses, statuses
    assert Person.objects.filter(programme=programme, code="NOUVEAU-7").count() == 1
    # Every saved action lists the person; the others saved nothing.
    saved = Action.objects.filter(programme=programme, code__startswith="RACE-")
    assert saved.count() == statuses.count(302) >= 1
    assert all(a.participations.count() == 1 for a in saved)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_register_entries_with_the_same_code_give_no_500(tmp_path):
    programme = programme_with_actions(tmp_path)
    user = make_cast(programme)["coordination"]
    path = f"/registres/personnes/?programme={programme.pk}"
    forms = [{"code": "REG-1", "profession": "infirmière"}] * ATTEMPTS
    statuses = _post_at_once(user, programme, forms, path)
    assert 500 not in statuses, statuses
    assert Person.objects.filter(programme=programme, code="REG-1").count() == 1


@pytest.mark.django_db
def test_a_code_taken_between_the_check_and_the_write_is_a_form_error(client, tmp_path):
    """The race, made deterministic: the form's check passes, the database refuses."""
    programme = programme_with_actions(tmp_path)
    client.force_login(make_cast(programme)["coordination"])
    path = f"/actions/nouvelle/?programme={programme.pk}"
    with (
        mock.patch("ancrage.activities.forms.ActionForm.clean_code", lambda form: "A1"),
        mock.patch.object(Action, "validate_constraints", lambda *a, **k: None),
    ):
        response = client.post(path, _action(programme, "A1"))
    assert response.status_code == 200
    assert "déjà utilisé" in str(response.context["form"].non_field_errors())


@pytest.mark.django_db
def test_a_person_created_between_the_check_and_the_write_is_a_form_error(client, tmp_path):
    from ancrage.activities import services

    programme = programme_with_actions(tmp_path)
    client.force_login(make_cast(programme)["coordination"])
    path = f"/actions/nouvelle/?programme={programme.pk}"
    real = services.codes_resolve

    def resolve_then_someone_else_creates(programme, entries, *, territory, action=None):
        result = real(programme, entries, territory=territory, action=action)
        Person.objects.get_or_create(
            programme=programme, territory=territory, code="NOUVEAU-8", profession="x"
        )
        return result

    with mock.patch.object(services, "codes_resolve", resolve_then_someone_else_creates):
        response = client.post(path, _action(programme, "RACE-P", "NOUVEAU-8 ; infirmière"))
    assert response.status_code == 200
    assert "NOUVEAU-8" in str(response.context["form"].non_field_errors())
    assert not Action.objects.filter(code="RACE-P").exists()


@pytest.mark.django_db
def test_a_register_code_taken_between_the_check_and_the_write_is_a_form_error(client, tmp_path):
    programme = programme_with_actions(tmp_path)
    client.force_login(make_cast(programme)["coordination"])
    with mock.patch(
        "ancrage.registers.registers.RegisterForm.clean_code",
        lambda form: form.cleaned_data["code"],
    ):
        response = client.post(
            f"/registres/structures/?programme={programme.pk}",
            {
                "code": "S1",
                "name": "Doublon",
                "kind": "ecole_publique",
                "commune": programme.communes.get(insee_code="44001").pk,
            },
        )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
