"""The attack pass of issue 14, one test per finding: each reproduces the attack and checks it
now fails (logins, people of another territory, read-only scopes, invitations, QR links,
production without a secret, the demonstration account, forwarded addresses)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory

from ancrage.accounts.models import Membership, Role
from ancrage.activities.models import Person, Structure
from ancrage.surveys.services import collection_for

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parent.parent
PASSWORD = "mot-de-passe-2025"


@pytest.fixture
def world(tmp_path):
    programme = programme_with_actions(tmp_path)
    return programme, make_cast(programme)


def _login(client, path, username, password, address="203.0.113.7", **extra):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_the_admin_login_has_the_same_attempt_limit(client):
    get_user_model().objects.create_superuser("root", password="le-bon-mot-de-passe")
    for _ in range(25):
        response = _login(client, "/admin/login/", "root", "mauvais")
        assert response.status_code == 200
    response = _login(client, "/admin/login/", "root", "le-bon-mot-de-passe")
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_an_account_locked_on_the_login_page_is_locked_on_the_admin_too(client, settings):
    get_user_model().objects.create_superuser("root", password="le-bon-mot-de-passe")
    for _ in range(settings.ANCRAGE_LOGIN_ATTEMPTS):
        _login(client, "/connexion/", "root", "mauvais")
    _login(client, "/admin/login/", "root", "le-bon-mot-de-passe")
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by this one's failures.
    response = _login(client, "/admin/login/", "root", "le-bon-mot-de-passe", "198.51.100.2")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_forwarded_addresses_are_ignored_without_a_trusted_proxy():
    from ancrage.core.middleware import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "10.0.0.1"


def test_behind_trusted_proxies_the_client_is_read_from_the_right(settings):
    from ancrage.core.middleware import client_address

    settings.ANCRAGE_TRUSTED_PROXIES = 1
    # The client forged the first entry; nginx appended the address it really saw.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_address(request) == "203.0.113.9"
    settings.ANCRAGE_TRUSTED_PROXIES = 2
    assert client_address(request) == "6.6.6.6"
    direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    assert client_address(direct) == "203.0.113.5"


def test_behind_a_proxy_one_classroom_does_not_lock_another(client, settings):
    """Five bad passwords from one client behind nginx lock that client only."""
    settings.ANCRAGE_TRUSTED_PROXIES = 1
    get_user_model().objects.create_user("lea", password="le-bon-mot-de-passe")
    for _ in range(settings.ANCRAGE_LOGIN_ATTEMPTS):
        _login(client, "/connexion/", "lea", "mauvais", "127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    response = _login(
        client, "/connexion/", "lea", "le-bon-mot-de-passe", "127.0.0.1",
        HTTP_X_FORWARDED_FOR="2.2.2.2",
    )  # fmt: skip
    assert response.status_code == 302


def test_the_online_form_limit_counts_each_client_behind_the_proxy(client, settings, world):
    from django.core.cache import cache

    from ancrage.surveys.views import _throttled

    settings.ANCRAGE_TRUSTED_PROXIES = 1
    settings.ANCRAGE_FORM_LIMIT = 2
    programme, _cast = world
    collection = collection_for(
        questionnaire(programme, "coi_enfants"), programme.actions.get(code="C2")
    )
    cache.clear()
    factory = RequestFactory()

    def pupil(address):
        return factory.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    assert not _throttled(pupil("1.1.1.1"), collection)
    assert not _throttled(pupil("1.1.1.1"), collection)
    assert _throttled(pupil("1.1.1.1"), collection)
    assert not _throttled(pupil("2.2.2.2"), collection)


# People of another territory ---------------------------------------------------------------


# The codes themselves: tests/test_people_codes.py (a code belongs to its territory).


def test_the_people_register_never_shows_another_territorys_structure(client, world):
    programme, cast = world
    # P2 (structure S2 in T2) took part in T1's action A1 through the workbook.
    client.force_login(cast["cheffe_t1"])
    response = client.get(f"/registres/personnes/?programme={programme.pk}")
    rows = {row[0]: row for row in response.context["rows"]}
    assert rows["P2"][3] == "—" and rows["P1"][3] == "École A"
    assert rows["P2"][1] == "—" and rows["P1"][1] == "Territoire un"  # nor its territory
    assert "ALSH B" not in response.content.decode()


# Read-only roles scoped to territories -----------------------------------------------------


def test_an_invitation_lecture_with_one_territory_limits_the_funder(client, world):
    programme, cast = world
    t1, t2 = programme.territories.get(code="T1"), programme.territories.get(code="T2")
    client.force_login(cast["coordination"])
    response = client.post(
        f"/invitations/?programme={programme.pk}",
        {"email": "ars@example.org", "role": Role.VIEWER, "territories": [t1.pk]},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ars@example.org")
    assert list(membership.territories.all()) == [t1]
    client.force_login(membership.user)
    assert client.get("/territoires/T2/").status_code == 404
    assert client.get("/territoires/T1/").status_code == 200
    assert [t.code for t in client.get("/").context["territories"]] == ["T1"]
    assert client.get(f"/?territoire={t2.code}").status_code == 404


def test_a_funder_without_territories_sees_the_whole_programme(client, world):
    _programme, cast = world
    client.force_login(cast["financeur"])
    assert client.get("/territoires/T2/").status_code == 200


# Invitations -------------------------------------------------------------------------------


def test_inviting_an_existing_superuser_sends_no_password_link(client, world):
    programme, cast = world
    root = get_user_model().objects.create_superuser("root", "root@example.org", "secret-2025!")
    client.force_login(cast["coordination"])
    response = client.post(
        f"/invitations/?programme={programme.pk}",
        {"email": "ROOT@example.org", "role": Role.VIEWER},
    )
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert mail.outbox == []
    root.refresh_from_db()
    assert root.check_password("secret-2025!") and root.is_superuser


def test_inviting_an_existing_member_never_changes_their_role(client, world):
    programme, cast = world
    cast["cheffe_t1"].email = "t1@example.org"
    cast["cheffe_t1"].save()
    client.force_login(cast["coordination"])
    response = client.post(
        f"/invitations/?programme={programme.pk}",
        {"email": "t1@example.org", "role": Role.VIEWER},
    )
    assert response.status_code == 200 and mail.outbox == []
    assert Membership.objects.get(user=cast["cheffe_t1"]).role == Role.PROJECT_MANAGER


def test_an_existing_account_gets_a_proposal_it_accepts_once_logged_in(client, world):
    import datetime as dt

    from ancrage.programmes.models import Programme

    _programme, cast = world
    other = Programme.objects.create(
        name="Autre", start=dt.date(2024, 9, 1), end=dt.date(2026, 8, 31)
    )
    member = cast["cheffe_t2"]
    member.email = "t2@example.org"
    member.save()
    client.force_login(cast["coordination"])
    # The coordinator of the first programme is made coordinator of the other too.
    Membership.objects.create(user=cast["coordination"], programme=other, role=Role.COORDINATOR)
    response = client.post(
        f"/invitations/?programme={other.pk}", {"email": "t2@example.org", "role": Role.VIEWER}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/invitation/" not in message.body  # no set-password link
    link = re.search(r"http://testserver(/invitations/proposition/\d+/)", message.body).group(1)
    pending = Membership.objects.get(user=member, programme=other)
    assert not pending.accepted
    client.force_login(member)
    assert other.pk not in [p.pk for p in client.get("/").context["programmes"]]
    assert client.post(link, {"reponse": "accepter"}).status_code == 302
    pending.refresh_from_db()
    assert pending.accepted
    assert member.check_password(PASSWORD)
    # Someone else cannot answer it.
    client.force_login(cast["cheffe_t1"])
    assert client.get(link).status_code == 404


def test_a_password_reset_token_does_not_open_an_invitation(client, world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _programme, cast = world
    user = cast["financeur"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/invitation/{uid}/{default_token_generator.make_token(user)}/")
    assert response.status_code == 400


# Read-only roles and collection links ------------------------------------------------------


def test_a_funder_cannot_open_a_collections_qr_page(client, world):
    programme, cast = world
    collection = collection_for(
        questionnaire(programme, "coi_enfants"), programme.actions.get(code="C2")
    )
    client.force_login(cast["financeur"])
    response = client.get(f"/collectes/{collection.pk}/qr/")
    assert response.status_code == 403
    assert collection.token not in response.content.decode()
    client.force_login(cast["cheffe_t1"])
    assert client.get(f"/collectes/{collection.pk}/qr/").status_code == 200


# Registers ---------------------------------------------------------------------------------


def test_the_people_register_refuses_a_name_as_a_code(client, world):
    programme, cast = world
    client.force_login(cast["cheffe_t1"])
    response = client.post(
        f"/registres/personnes/?programme={programme.pk}",
        {"code": "Marie Dupont marie@x.fr", "profession": "infirmière"},
    )
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not Person.objects.filter(code__contains="Marie").exists()


def test_register_fields_are_scrubbed(client, world):
    programme, cast = world
    client.force_login(cast["coordination"])
    commune = programme.communes.get(insee_code="44001")
    client.post(
        f"/registres/structures/?programme={programme.pk}",
        {"code": "S9", "name": "École 06 12 34 56 78", "kind": "ecole_publique",
         "commune": commune.pk},
    )  # fmt: skip
    client.post(
        f"/registres/personnes/?programme={programme.pk}",
        {"code": "P9", "profession": "infirmière jean.dupont(at)gmail.com"},
    )
    client.post(
        f"/registres/partenaires/?programme={programme.pk}",
        {"name": "Mairie +33 (0)6 12 34 56 78", "kind": "collectivite", "role": "06 123 456 78"},
    )
    assert Structure.objects.get(code="S9").name == "École [téléphone masqué]"
    assert Person.objects.get(code="P9").profession == "infirmière [courriel masqué]"
    from ancrage.evaluation.models import Partner

    partner = Partner.objects.get(programme=programme)
    assert partner.name == "Mairie [téléphone masqué]" and partner.role == "[téléphone masqué]"


# Production --------------------------------------------------------------------------------


def _env(tmp_path, **changes):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        ALLOWED_HOSTS="ancrage.example.org",
        ANCRAGE_HTTPS="1",
    )
    env.update(changes)
    return env


def test_check_deploy_fails_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ancrage.manage", "check", "--deploy"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "ancrage.E001" in result.stderr + result.stdout


def test_the_wsgi_server_refuses_to_start_without_a_secret_key(tmp_path):
    code = "import ancrage.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    # The placeholder of deploy/ancrage.env.example, left as it is, is no key either.
    placeholder = _env(tmp_path, SECRET_KEY="change-me-to-a-long-random-string")
    result = subprocess.run(
        [sys.executable, "-c", code], env=placeholder, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    with_key = _env(tmp_path, SECRET_KEY="une-vraie-cle-de-production-0123456789-abcdefghij")
    result = subprocess.run(
        [sys.executable, "-c", code], env=with_key, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_start_never_creates_the_demo_account_on_a_production_database(settings, monkeypatch):
    from io import StringIO

    from ancrage.core.management.commands import start

    settings.EMBEDDED_DATABASE = False  # DATABASE_URL points at the production database
    monkeypatch.setattr(start, "call_command", lambda *a, **k: None)
    out = StringIO()
    call_command("start", no_server=True, stdout=out)
    assert not get_user_model().objects.filter(username="demo").exists()
    assert "createsuperuser" in out.getvalue()
    # Even with --demo, a production installation (SECRET_KEY set) gets no demo account.
    monkeypatch.setenv("SECRET_KEY", "une-vraie-cle")
    call_command("start", no_server=True, demo=True, stdout=out)
    assert not get_user_model().objects.filter(username="demo").exists()


def test_start_closes_a_demo_account_left_with_its_published_password(settings, monkeypatch):
    from io import StringIO

    from ancrage.core.management.commands import start

    settings.EMBEDDED_DATABASE = False
    monkeypatch.setattr(start, "call_command", lambda *a, **k: None)
    get_user_model().objects.create_superuser("demo", password=start.DEMO_PASSWORD)
    call_command("start", no_server=True, stdout=StringIO())
    demo = get_user_model().objects.get(username="demo")
    assert not demo.is_active and not demo.check_password(start.DEMO_PASSWORD)


def test_start_creates_the_demo_account_on_the_embedded_database(settings, monkeypatch):
    from io import StringIO

    from ancrage.core.management.commands import start

    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings.EMBEDDED_DATABASE = True
    monkeypatch.setattr(start, "call_command", lambda *a, **k: None)
    call_command("start", no_server=True, stdout=StringIO())
    assert get_user_model().objects.get(username="demo").check_password(start.DEMO_PASSWORD)
