"""An administrator or a coordinator invites someone by e-mail; the link sets the password once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from ancrage.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_an_invited_project_manager_chooses_a_password_and_sees_their_territory(
    client, demo_programme
):
    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)
    pcsg = demo_programme.territories.get(code="PCSG")
    response = client.post(
        f"/invitations/?programme={demo_programme.pk}",
        {"email": "Lea@Example.org", "role": Role.PROJECT_MANAGER, "territories": [pcsg.pk]},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["lea@example.org"] and "CPS Loire-Atlantique" in message.subject
    link = re.search(r"http://testserver(/invitation/\S+/)", message.body).group(1)
    user = get_user_model().objects.get(email="lea@example.org")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user, programme=demo_programme)
    assert list(membership.territories.all()) == [pcsg]

    client.logout()
    password = "un-long-mot-de-passe-2025"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    dashboard = client.get("/")
    assert [t.code for t in dashboard.context["territories"]] == ["PCSG"]
    # The link served once: it no longer works.
    assert client.get(link).status_code == 400


def test_a_project_manager_invitation_needs_a_territory(client, demo_programme):
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    response = client.post(
        f"/invitations/?programme={demo_programme.pk}",
        {"email": "x@example.org", "role": Role.PROJECT_MANAGER},
    )
    assert response.status_code == 200 and response.context["form"].errors["territories"]
    assert mail.outbox == []


def test_an_invitation_that_cannot_be_sent_says_so_and_keeps_nothing(client, demo_programme):
    from unittest import mock

    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    with mock.patch(
        "ancrage.accounts.services.send_mail", side_effect=ConnectionRefusedError(111, "refusé")
    ):
        response = client.post(
            f"/invitations/?programme={demo_programme.pk}",
            {"email": "y@example.org", "role": Role.VIEWER},
        )
    assert response.status_code == 200
    assert "n'a pas pu être envoyée" in response.content.decode().replace("&#x27;", "'")
    assert not get_user_model().objects.filter(email="y@example.org").exists()
    assert not Membership.objects.filter(user__email="y@example.org").exists()


def test_an_invitation_is_written_in_the_recipient_s_language_not_the_inviter_s(client, tmp_path):
    """A coordinator who chose English invites someone new: French, as for anyone who has not
    chosen; an account that chose English gets its proposal in English."""
    from ancrage.accounts.models import Preference

    from .cast import make_cast
    from .surveys_data import programme_with_actions

    programme = programme_with_actions(tmp_path)
    cast = make_cast(programme)
    client.force_login(cast["coordination"])
    client.post("/langue/", {"language": "en"})
    invite = {"role": Role.VIEWER, "territories": []}
    client.post(f"/invitations/?programme={programme.pk}", {**invite, "email": "new@example.org"})
    english_reader = cast["sans_role"]
    english_reader.email = "reader@example.org"
    english_reader.save()
    Preference.objects.create(user=english_reader, language="en")
    client.post(
        f"/invitations/?programme={programme.pk}", {**invite, "email": "reader@example.org"}
    )
    new, existing = mail.outbox
    assert new.subject.startswith("Invitation à suivre le programme") and "Bonjour" in new.body
    assert existing.subject.startswith("Invitation to follow the programme")
