"""French first: French whatever the browser asks; English only by choice, remembered for the
user on their account."""

import pytest
from django.urls import reverse

from ancrage.accounts.models import Preference

from .cast import make_cast
from .surveys_data import programme_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tmp_path):
    return make_cast(programme_with_actions(tmp_path))


def test_a_browser_set_to_english_still_gets_french(client, cast):
    client.force_login(cast["coordination"])
    page = client.get(reverse("activities:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr">' in text and "Nouvelle action" in text and "New action" not in text


def test_the_switcher_changes_the_language_and_the_account_remembers_it(client, cast):
    user = cast["cheffe_t1"]
    client.force_login(user)
    switched = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("activities:list")}
    )
    assert switched.url == reverse("activities:list")
    assert "New action" in client.get(reverse("activities:list")).content.decode()
    assert Preference.objects.get(user=user).language == "en"
    client.logout()
    client.force_login(user)  # a new visit: the account's choice holds
    page = client.get(reverse("activities:list"))
    assert page["Content-Language"] == "en" and '<html lang="en">' in page.content.decode()
    client.post(reverse("accounts:language"), {"language": "fr"})
    assert "Nouvelle action" in client.get(reverse("activities:list")).content.decode()


def test_the_switcher_refuses_other_languages_and_foreign_addresses(client, cast):
    client.force_login(cast["coordination"])
    response = client.post(
        reverse("accounts:language"), {"language": "de", "next": "https://example.org/"}
    )
    assert response.url == "/"
    assert not Preference.objects.exists()
    assert client.get(reverse("activities:list"))["Content-Language"] == "fr"


def test_anyone_may_switch_for_their_visit(client):
    client.post(reverse("accounts:language"), {"language": "en"})
    page = client.get(reverse("accounts:login"))
    assert page["Content-Language"] == "en"
