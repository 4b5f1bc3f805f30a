"""The API's permission matrix: every URL of /api/v1/, each method it answers, for each role,
scoped (project managers of T1 or T2, a funder limited to T2) and programme-wide (coordination,
funder). Generated
from the URL configuration: an API URL without its rows fails."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from ancrage.accounts.models import Membership, Role

from .api_world import api_world, client_for

pytestmark = pytest.mark.django_db
ROLES = ["anonyme", "coordination", "cheffe_t1", "cheffe_t2", "financeur", "financeur_t2"]
DENIED = 401  # no token: the script is told to authenticate
NEW_ACTION = {"modality": "formation", "territory": "T1", "start": "2023-01-09", "adults": 3}

# url name (#variant) → (method, path after the programme, body, statuses in the order of ROLES)
EXPECTED = {
    "schema": ("get", None, None, [200, 200, 200, 200, 200, 200]),
    "docs": ("get", None, None, [200, 200, 200, 200, 200, 200]),
    "programmes": ("get", "", None, [DENIED, 200, 200, 200, 200, 200]),
    "programme": ("get", "{p}/", None, [DENIED, 200, 200, 200, 200, 200]),
    "territories": ("get", "{p}/territoires/", None, [DENIED, 200, 200, 200, 200, 200]),
    "structures": ("get", "{p}/structures/", None, [DENIED, 200, 200, 200, 200, 200]),
    "actions": ("get", "{p}/actions/", None, [DENIED, 200, 200, 200, 200, 200]),
    "actions#post": ("post", "{p}/actions/", NEW_ACTION, [DENIED, 201, 201, 400, 403, 403]),
    "action": ("get", "{p}/actions/{a}/", None, [DENIED, 200, 200, 404, 200, 404]),
    "action#patch": (
        "patch",
        "{p}/actions/{a}/",
        {"children": 9},
        [DENIED, 200, 200, 404, 403, 403],
    ),
    "action#put": (
        "put",
        "{p}/actions/{a}/",
        {"modality": "co_intervention", "territory": "T1", "start": "2023-05-02"},
        [DENIED, 200, 200, 404, 403, 403],
    ),
    "participations": ("get", "{p}/participations/", None, [DENIED, 200, 200, 200, 403, 403]),
    "participations#post": (
        "post",
        "{p}/participations/",
        {"action": "{a}", "person": "NEW-1", "profession": "ATSEM"},
        [DENIED, 201, 201, 404, 403, 403],
    ),
    "participation": ("get", "{p}/participations/{pa}/", None, [DENIED, 200, 200, 404, 403, 403]),
    "participation#delete": (
        "delete",
        "{p}/participations/{pa}/",
        None,
        [DENIED, 204, 204, 404, 403, 403],
    ),
    "questionnaires": ("get", "{p}/questionnaires/", None, [DENIED, 200, 200, 200, 200, 200]),
    "questionnaire": ("get", "{p}/questionnaires/{q}/", None, [DENIED, 200, 200, 200, 200, 200]),
    "responses": ("get", "{p}/reponses/", None, [DENIED, 200, 200, 200, 403, 403]),
    "indicators": ("get", "{p}/indicateurs/", None, [DENIED, 200, 200, 200, 200, 200]),
    "indicators#territory": (
        "get",
        "{p}/indicateurs/?territoire=T1",
        None,
        [DENIED, 200, 200, 400, 200, 400],
    ),
    "programme#other": ("get", "{other}/", None, [DENIED, 404, 404, 404, 404, 404]),
}


def api_url_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            names |= {p.name for p in pattern.url_patterns if isinstance(p, URLPattern)}
    return names


def test_every_api_url_is_in_the_matrix():
    assert api_url_names() == {name.split("#")[0] for name in EXPECTED}


def scoped_viewer(world, name: str, code: str) -> None:
    user = get_user_model().objects.create_user(name, password="mot-de-passe-2025")
    membership = Membership.objects.create(
        user=user, programme=world["programme"], role=Role.VIEWER
    )
    membership.territories.set([world["programme"].territories.get(code=code)])
    world["cast"][name] = user


def url_for(name: str, world) -> str:
    _method, tail, _body, _statuses = EXPECTED[name]
    if tail is None:
        return {"schema": "/api/v1/schema/", "docs": "/api/v1/docs/"}[name]
    from ancrage.programmes.models import Programme

    other = Programme.objects.create(name="Autre", start="2022-09-01", end="2023-08-31")
    return "/api/v1/programmes/" + tail.format(
        p=world["programme"].pk,
        a=world["action"].pk,
        pa=world["participation"].pk,
        q=world["questionnaire"].pk,
        other=other.pk,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_status_per_role(tmp_path, name, role_index):
    world = api_world(tmp_path)
    method, _tail, body, statuses = EXPECTED[name]
    role = ROLES[role_index]
    if role == "financeur_t2":  # a funder limited to territory T2 (the objects are in T1)
        scoped_viewer(world, "financeur_t2", "T2")
    client = client_for(None if role == "anonyme" else world["cast"][role])
    if body is not None:
        body = {
            k: v.format(a=world["action"].pk) if isinstance(v, str) else v for k, v in body.items()
        }
        if "action" in body:
            body["action"] = int(body["action"])
    response = getattr(client, method)(url_for(name, world), body, format="json")
    assert response.status_code == statuses[role_index], (name, role, response.content[:300])
