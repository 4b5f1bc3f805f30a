"""The permission matrix: for every URL of the app and every role, the expected status.

Generated from the URL configuration: a new page without an entry below fails this test."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ancrage.accounts.models import Membership, Role
from ancrage.activities.models import Action, Person, Structure
from ancrage.audit.services import action_delete
from ancrage.surveys.services import collection_for
from ancrage.tasks.models import Job, Kind
from ancrage.tasks.services import job_start, results_folder

from .cast import PASSWORD, make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db
ROLES = ["anonyme", "coordination", "cheffe_t1", "cheffe_t2", "financeur", "financeur_t2"]
LOGIN = 302
# financeur_t2: a funder limited to T2 (the rows' objects are T1's): 404, as for cheffe_t2, since
# the territory is checked before the role.
# url name → (method, expected status per role, in the order of ROLES)
EXPECTED = {
    "dashboard": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "accounts:login": ("get", [200, 302, 302, 302, 302, 302]),
    "accounts:logout": ("post", [302, 302, 302, 302, 302, 302]),
    "accounts:invite": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "accounts:invite#post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "accounts:accept": ("get", [400, 400, 400, 400, 400, 400]),
    "accounts:language": ("post", [302, 302, 302, 302, 302, 302]),
    "accounts:proposal": ("get", [LOGIN, 404, 404, 404, 404, 404]),  # only its own account's
    "surveys:paper_entry": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "surveys:paper_entry#post": ("post", [LOGIN, 200, 200, 404, 403, 404]),
    "surveys:collection_qr": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "surveys:results": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "surveys:cloud": ("get", [LOGIN, 200, 200, 200, 403, 403]),
    "surveys:public_form": ("get", [200, 200, 200, 200, 200, 200]),
    "surveys:public_thanks": ("get", [200, 200, 200, 200, 200, 200]),
    "reports:form": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "reports:download": ("post", [LOGIN, 302, 302, 302, 302, 302]),
    "reports:download#other": ("post", [LOGIN, 302, 302, 404, 302, 404]),
    "territories:map": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "territories:list": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "territories:detail": ("get", [LOGIN, 200, 200, 404, 200, 404]),
    "territories:create": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "territories:create#post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "territories:epci_search": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "activities:list": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "activities:create": ("get", [LOGIN, 200, 200, 200, 403, 403]),
    "activities:create#post": ("post", [LOGIN, 200, 200, 200, 403, 403]),
    "activities:edit": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "activities:edit#post": ("post", [LOGIN, 200, 200, 404, 403, 404]),
    "activities:duplicate": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "evaluation:overview": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "evaluation:overview#post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "evaluation:quality": ("get", [LOGIN, 200, 200, 200, 403, 403]),
    "evaluation:report_sheet": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "evaluation:report_sheet#post": ("post", [LOGIN, 302, 302, 404, 403, 404]),
    "registers:register": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "registers:register#post": ("post", [LOGIN, 200, 200, 200, 403, 403]),
    "registers:register#people": ("get", [LOGIN, 200, 200, 200, 403, 403]),
    "registers:register#partners-post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "surveys:action_collections": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "surveys:action_collections#post": ("post", [LOGIN, 302, 302, 404, 403, 404]),
    "workbook:import": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "workbook:import#post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "workbook:confirm": ("post", [LOGIN, 302, 403, 403, 403, 403]),
    "workbook:export": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    # Background tasks: everyone has a list; a task (here the coordination's) is its owner's.
    "tasks:list": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "tasks:detail": ("get", [LOGIN, 200, 404, 404, 404, 404]),
    "tasks:status": ("get", [LOGIN, 200, 404, 404, 404, 404]),
    "tasks:file": ("get", [LOGIN, 200, 404, 404, 404, 404]),
    "tasks:cancel": ("post", [LOGIN, 302, 404, 404, 404, 404]),
    "tasks:responses": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "tasks:responses#post": ("post", [LOGIN, 200, 403, 403, 403, 403]),
    "activities:delete": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "activities:delete#post": ("post", [LOGIN, 302, 302, 404, 403, 404]),
    "activities:deleted": ("get", [LOGIN, 200, 200, 200, 403, 403]),
    "activities:restore": ("get", [LOGIN, 200, 200, 404, 403, 404]),
    "activities:restore#post": ("post", [LOGIN, 302, 302, 404, 403, 404]),
    "audit:log": ("get", [LOGIN, 200, 403, 403, 403, 403]),
    "audit:action": ("get", [LOGIN, 200, 200, 404, 403, 403]),
    "audit:structure": ("get", [LOGIN, 200, 200, 404, 403, 403]),
    "audit:person": ("get", [LOGIN, 200, 200, 404, 403, 403]),
    "api_pages:token": ("get", [LOGIN, 200, 200, 200, 200, 200]),
    "api_pages:token#post": ("post", [LOGIN, 302, 302, 302, 302, 302]),
    # Lists and dashboards filtered to T1 (?territoire=T1): refused to those scoped to T2.
    "dashboard#t1": ("get", [LOGIN, 200, 200, 404, 200, 404]),
    "territories:map#t1": ("get", [LOGIN, 200, 200, 404, 200, 404]),
    "activities:list#t1": ("get", [LOGIN, 200, 200, 200, 200, 200]),  # empty: see below
    "evaluation:overview#t1": ("get", [LOGIN, 200, 200, 404, 200, 404]),
    "surveys:results#t1": ("get", [LOGIN, 200, 200, 404, 200, 404]),
}
# What a POST sends, where the page reads it from the form.
POSTED = {
    "reports:download#other": {"format": "html", "territoire": "T1"},
    # A real questionnaire, so that only the territory check can refuse it (not a 404 for a
    # missing field).
    "surveys:action_collections#post": lambda collection: {
        "questionnaire": collection.questionnaire_id
    },
}


def app_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue  # the admin is for administrators only (test_admin.py)
                if pattern.app_name == "api":
                    continue  # the REST API has its own matrix (test_api_permissions.py)
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_page_of_the_app_is_in_the_matrix():
    assert app_url_names() == {name.split("#")[0] for name in EXPECTED}


@pytest.fixture
def world(tmp_path, settings):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = programme_with_actions(tmp_path)
    collection = collection_for(
        questionnaire(programme, "coi_enfants"), programme.actions.get(code="C2")
    )  # territory T1
    collection.closes_on = dt.date.today() + dt.timedelta(days=3)
    collection.save(update_fields=["closes_on"])
    cast = make_cast(programme)
    # A funder limited to T2: the objects the rows are about lie in T1.
    funder = get_user_model().objects.create_user("financeur_t2", password=PASSWORD)
    membership = Membership.objects.create(user=funder, programme=programme, role=Role.VIEWER)
    membership.territories.set([programme.territories.get(code="T2")])
    cast["financeur_t2"] = funder
    job = job_start(user=cast["coordination"], kind=Kind.REPORT, label="Rapport", params={})
    (results_folder() / f"{job.pk}.html").write_text("<p>rapport</p>", encoding="utf-8")
    Job.objects.filter(pk=job.pk).update(result_file=f"{job.pk}.html", result_name="r.html")
    return {"cast": cast, "collection": collection}


def url_for(name: str, collection) -> str:
    original = name
    name = name.split("#")[0]
    if name in {"tasks:detail", "tasks:status", "tasks:file", "tasks:cancel"}:
        return reverse(name, args=[Job.objects.get().pk])
    if name == "tasks:responses":
        return reverse(name, args=[collection.questionnaire_id])
    if name == "accounts:accept":
        return reverse(name, args=["MQ", "invalide"])
    if name == "accounts:proposal":
        return reverse(name, args=[collection.action_id])  # nobody's pending proposal
    if name == "territories:detail":
        return reverse(name, args=["T1"])
    if name == "territories:epci_search":
        return reverse(name) + "?q=nazair"
    if name in {
        "activities:edit",
        "activities:duplicate",
        "evaluation:report_sheet",
        "surveys:action_collections",
        "activities:delete",
        "audit:action",
    }:
        return reverse(name, args=[collection.action_id])  # an action of territory T1
    if name == "registers:register":
        slug = {"#people": "personnes", "#partners-post": "partenaires"}.get(
            "#" + original.partition("#")[2], "structures"
        )
        return reverse(name, args=[slug])
    territory = collection.action.territory_id  # T1 (or the demo's first collection's)
    if name == "activities:restore":  # another action of that territory, deleted
        action = Action.objects.filter(territory_id=territory).exclude(pk=collection.action_id)
        return reverse(name, args=[action_delete(action=action.first(), user=None).pk])
    if name == "audit:structure":
        structure = Structure.objects.filter(commune__territory_id=territory).order_by("pk")
        return reverse(name, args=[structure.first().pk])
    if name == "audit:person":
        person = Person.objects.filter(structure__commune__territory_id=territory).order_by("pk")
        return reverse(name, args=[person.first().pk])
    if name in {"surveys:paper_entry", "surveys:collection_qr"}:
        return reverse(name, args=[collection.pk])
    if name == "surveys:results":
        return reverse(name, args=[collection.questionnaire_id])
    if name == "surveys:cloud":
        return reverse(name, args=[collection.questionnaire_id, "mot"])
    if name in {"surveys:public_form", "surveys:public_thanks"}:
        return reverse(name, args=[collection.token])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_status_per_role(client, world, name, role_index):
    method, statuses = EXPECTED[name]
    role = ROLES[role_index]
    if role != "anonyme":
        client.force_login(world["cast"][role])
    url = url_for(name, world["collection"])
    if name.endswith("#t1"):
        url += "?territoire=T1"
    data = POSTED.get(name, {})
    data = data(world["collection"]) if callable(data) else data
    response = getattr(client, method)(url, data)
    assert response.status_code == statuses[role_index], (name, role)


@pytest.mark.parametrize("role", ["cheffe_t2", "financeur_t2"])
def test_a_list_filtered_to_another_territory_shows_none_of_its_actions(client, world, role):
    client.force_login(world["cast"][role])
    response = client.get(reverse("activities:list") + "?territoire=T1")
    assert response.status_code == 200
    assert not list(response.context["page"])
    response = client.get(reverse("activities:list"))
    assert {a.territory.code for a in response.context["page"]} == {"T2"}
