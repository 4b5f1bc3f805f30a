"""« Not found » is the lower layers' own error (core.errors.NotFound), free of HTTP and of the
terminal: the command line says it as a French CommandError, the web as a 404 page, the API as
a JSON 404."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ancrage.accounts.selectors import get_action_for_user, scope_for_user
from ancrage.core.errors import NotFound
from ancrage.surveys.selectors import QuestionnaireNotFound, get_questionnaire

from .api_world import api_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    return api_world(tmp_path)


def test_a_missing_questionnaire_is_a_domain_error_not_a_command_error(world):
    with pytest.raises(QuestionnaireNotFound, match="aucun questionnaire « inconnu »") as raised:
        get_questionnaire(world["programme"], "inconnu")
    assert isinstance(raised.value, NotFound) and not isinstance(raised.value, CommandError)
    assert get_questionnaire(world["programme"], "coi_enfants") == world["questionnaire"]


def test_the_command_line_says_it_as_a_french_command_error(world, tmp_path):
    out = tmp_path / "q.xlsx"
    with pytest.raises(CommandError, match="aucun questionnaire « inconnu » dans"):
        call_command("questionnaire_export", "inconnu", str(out), programme=world["programme"].name)
    assert not out.exists()


def test_the_access_selectors_raise_not_found_and_the_web_answers_404(world, client):
    cast, programme = world["cast"], world["programme"]
    other = programme.actions.exclude(territory=world["action"].territory).first()
    with pytest.raises(NotFound):
        get_action_for_user(cast["cheffe_t1"], other.pk, edit=True)
    with pytest.raises(NotFound):
        get_action_for_user(cast["cheffe_t1"], 10**9, edit=False)
    with pytest.raises(NotFound):
        scope_for_user(cast["cheffe_t1"], programme, "T2")
    client.force_login(cast["cheffe_t1"])
    assert client.get(reverse("activities:edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("activities:edit", args=[10**9])).status_code == 404
    assert client.get(reverse("activities:edit", args=[world["action"].pk])).status_code == 200


def test_the_api_answers_a_json_404_or_a_french_field_error(world):
    client = client_for(world["cast"]["cheffe_t1"])
    base = f"/api/v1/programmes/{world['programme'].pk}"
    other = world["programme"].actions.exclude(territory=world["action"].territory).first()
    missing = client.get(f"{base}/actions/{other.pk}/")
    assert missing.status_code == 404 and "detail" in missing.json()
    refused = client.get(f"{base}/indicateurs/?territoire=T2")
    assert refused.status_code == 400
    assert refused.json()["territoire"] == ["Territoire inconnu ou hors de votre périmètre."]


def test_the_api_says_a_selectors_not_found_as_a_json_404_with_its_message():
    """No endpoint lets one through today (the indicators turn it into a field error): the
    adapter is checked on its own, so that the next selector an endpoint calls stays a 404."""
    from ancrage.api.conventions import french_errors

    response = french_errors(QuestionnaireNotFound("aucun questionnaire « x »"), {})
    assert response.status_code == 404
    assert response.data == {"detail": "aucun questionnaire « x »"}
    assert french_errors(NotFound(), {}).status_code == 404
