"""The REST API as scripts use it: a token made on a page, the territory scopes and small-cell
rules of the pages, writes through the activities services (and the journal), pages, CSV, the
registry's figures as the command line prints them, French errors, the schema and its docs."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from ancrage.activities.models import Action
from ancrage.audit.models import Event, Kind

from .api_world import api_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    return api_world(tmp_path)


def api(world, tail: str) -> str:
    return f"/api/v1/programmes/{world['programme'].pk}/{tail}"


def test_a_user_creates_a_token_on_a_page_and_a_script_uses_it(client, world):
    user = world["cast"]["cheffe_t1"]
    client.force_login(user)
    assert client.post("/api/jeton/", {"action": "creer"}).status_code == 302
    key = Token.objects.get(user=user).key
    assert key in client.get("/api/jeton/").content.decode()
    script = client_for(None)
    script.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert script.get("/api/v1/programmes/").json()["count"] == 1
    client.post("/api/jeton/", {"action": "supprimer"})
    assert script.get("/api/v1/programmes/").status_code == 401


def test_without_a_token_the_answer_is_401_in_french(world):
    response = client_for(None).get("/api/v1/programmes/")
    assert response.status_code == 401
    assert "authentification" in response.json()["detail"].lower()


def test_a_project_manager_lists_only_her_territory(world):
    client = client_for(world["cast"]["cheffe_t1"])
    codes = {a["code"] for a in client.get(api(world, "actions/")).json()["results"]}
    assert codes == set(
        world["programme"].actions.filter(territory__code="T1").values_list("code", flat=True)
    )
    other = world["programme"].actions.get(code="C3")  # T2
    assert client.get(api(world, f"actions/{other.pk}/")).status_code == 404
    structures = client.get(api(world, "structures/")).json()["results"]
    assert {s["territory"] for s in structures} == {"T1"}


def test_an_action_created_through_the_api_goes_through_the_services_and_the_journal(world):
    user = world["cast"]["cheffe_t1"]
    body = {
        "modality": "formation",
        "territory": "T1",
        "commune": "44001",
        "start": "2023-02-06",
        "title": "Formation CPS",
        "structures": ["S1"],
        "participants": [{"code": "P1"}, {"code": "NEW-7", "profession": "ATSEM"}],
    }
    response = client_for(user).post(api(world, "actions/"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    action = Action.objects.get(pk=data["id"])
    assert data["participants"] == ["NEW-7", "P1"] and data["structures"] == ["S1"]
    assert action.school_year == 2022 and action.lists_people
    assert action.participations.get(person__code="NEW-7").territory_id == action.territory_id
    event = Event.objects.get(model="activities.action", object_id=action.pk, kind=Kind.CREATE)
    assert event.user == user
    assert any(c["field"] == "participants" and "NEW-7" in c["new"] for c in event.changes)


def test_an_edit_through_the_api_is_recorded_with_its_changed_fields(world):
    user, action = world["cast"]["coordination"], world["action"]
    response = client_for(user).patch(api(world, f"actions/{action.pk}/"), {"children": 21})
    assert response.status_code == 200 and response.json()["children"] == 21
    event = Event.objects.get(model="activities.action", object_id=action.pk, kind=Kind.UPDATE)
    assert event.user == user
    assert [(c["field"], c["old"], c["new"]) for c in event.changes] == [("children", "10", "21")]


def test_writes_are_refused_with_the_form_rules_in_french(world):
    client = client_for(world["cast"]["cheffe_t1"])
    body = {"code": "C2", "modality": "formation", "territory": "T1", "start": "2023-13-45"}
    errors = client.post(api(world, "actions/"), body, format="json").json()
    assert "date" in errors["start"][0].lower() and "format" in errors["start"][0].lower()
    body["start"] = "2023-01-09"
    errors = client.post(api(world, "actions/"), body, format="json").json()
    assert errors["code"] == ["Ce code est déjà utilisé par une autre action."]
    body.update(code="X1", participants=[{"code": "Marie Dupont"}])
    errors = client.post(api(world, "actions/"), body, format="json").json()
    assert "n'est pas un code" in errors["participants"][0]
    body.update(participants=[], territory="T2")
    errors = client.post(api(world, "actions/"), body, format="json").json()
    assert errors["territory"] == ["Territoire inconnu ou hors de votre périmètre."]
    assert not Action.objects.filter(code="X1").exists()


def test_numbers_are_taken_up_to_what_their_columns_keep_as_in_the_form(world):
    """The API capped its counts by hand (10⁷ children, 100 000 sessions) where the form and
    the workbook take what the column keeps (core.limits)."""
    client = client_for(world["cast"]["cheffe_t1"])
    action = world["action"]
    body = {"children": 10**7 + 1, "sessions": 100_001, "hours": "999999.99"}
    response = client.patch(api(world, f"actions/{action.pk}/"), body, format="json")
    assert response.status_code == 200, response.content
    action.refresh_from_db()
    assert (action.children, action.sessions, str(action.hours)) == (
        10**7 + 1,
        100_001,
        "999999.99",
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("children", 2**31, "Le nombre doit être au plus 2\u202f147\u202f483\u202f647."),
        ("elected", 10**40, "Le nombre doit être au plus 2\u202f147\u202f483\u202f647."),
        ("hours", "1234567", "Le nombre doit être au plus 999\u202f999,99."),
        ("hours", "1e400", "Le nombre doit être au plus 999\u202f999,99."),  # not rounded: no 500
        ("hours", "1.234", "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."),
    ],
)
def test_numbers_past_their_columns_are_refused_at_their_field_in_the_forms_words(
    world, field, value, message
):
    """Never the database's overflow (a 500 on PostgreSQL): the form's message, at the field."""
    client = client_for(world["cast"]["cheffe_t1"])
    action = world["action"]
    response = client.patch(api(world, f"actions/{action.pk}/"), {field: value}, format="json")
    assert response.status_code == 400 and response.json() == {field: [message]}


def test_an_action_id_past_its_column_is_refused_in_the_forms_words(world):
    client = client_for(world["cast"]["cheffe_t1"])
    body = {"action": 2**63, "person": "NEW-2", "profession": "animatrice"}
    refused = client.post(api(world, "participations/"), body, format="json")
    assert refused.status_code == 400 and refused.json() == {
        "action": [
            "Le nombre doit être au plus 9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f807."
        ]
    }


def test_a_funder_reads_aggregates_but_never_writes_nor_reads_people(world):
    client = client_for(world["cast"]["financeur"])
    response = client.patch(api(world, f"actions/{world['action'].pk}/"), {"children": 1})
    assert response.status_code == 403
    assert response.json()["detail"] == "Votre rôle ne permet que la lecture."
    assert client.get(api(world, "participations/")).status_code == 403
    assert client.get(api(world, "reponses/")).status_code == 403


def test_participations_are_added_and_removed_through_the_services(world):
    client = client_for(world["cast"]["cheffe_t1"])
    action = world["action"]
    body = {"action": action.pk, "person": "NEW-2", "profession": "animatrice"}
    response = client.post(api(world, "participations/"), body, format="json")
    assert response.status_code == 201 and response.json()["territory"] == "T1"
    again = client.post(api(world, "participations/"), body, format="json")
    assert again.status_code == 400 and "déjà listée" in again.json()["person"][0]
    gone = client.delete(api(world, f"participations/{world['participation'].pk}/"))
    assert gone.status_code == 204
    action.refresh_from_db()
    assert list(action.participations.values_list("person__code", flat=True)) == ["NEW-2"]
    removed = Event.objects.filter(model="activities.action", object_id=action.pk).first()
    assert removed.changes[0]["removed"] == ["P1"]


def test_the_indicators_are_the_command_lines_json(world):
    out = io.StringIO()
    call_command("indicators", "--json", "--programme", world["programme"].name, stdout=out)
    response = client_for(world["cast"]["coordination"]).get(api(world, "indicateurs/"))
    assert response.json() == json.loads(out.getvalue())


def test_the_indicators_follow_the_territory_and_year_filters(world):
    client = client_for(world["cast"]["coordination"])
    whole = client.get(api(world, "indicateurs/")).json()
    t1 = client.get(api(world, "indicateurs/?territoire=T1")).json()
    assert t1["reach"]["children_direct"] < whole["reach"]["children_direct"]
    bad = client.get(api(world, "indicateurs/?annee=1990"))
    assert bad.status_code == 400 and "Année scolaire" in bad.json()["annee"][0]


def test_small_results_are_hidden_from_read_only_roles_as_on_the_pages(world):
    funder = client_for(world["cast"]["financeur"]).get(api(world, "indicateurs/")).json()
    editor = client_for(world["cast"]["coordination"]).get(api(world, "indicateurs/")).json()
    hidden = [
        q for q in funder["satisfaction"]["questionnaires"] for i in q["items"] if i["hidden"]
    ]
    shown = [q for q in editor["satisfaction"]["questionnaires"] for i in q["items"] if i["hidden"]]
    assert hidden and not shown


def test_every_list_is_paginated(world):
    client = client_for(world["cast"]["coordination"])
    page = client.get(api(world, "actions/?taille=2")).json()
    assert page["count"] == world["programme"].actions.count() and len(page["results"]) == 2
    assert "taille=2" in page["next"]


def test_every_list_has_a_csv_form_with_no_formula_cells(world):
    client = client_for(world["cast"]["coordination"])
    client.patch(api(world, f"actions/{world['action'].pk}/"), {"title": "=2+3"}, format="json")
    response = client.get(api(world, "actions/?format=csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["code"] for r in rows} >= {"C2", "C3"}
    assert next(r for r in rows if r["code"] == "C2")["title"] == "'=2+3"
    for tail in ("territoires/", "structures/", "participations/", "questionnaires/", "reponses/"):
        listed = client.get(api(world, tail), HTTP_ACCEPT="text/csv")
        assert listed.status_code == 200 and listed["Content-Type"].startswith("text/csv")


def test_the_schema_is_valid_openapi_3_and_its_docs_are_served_offline(client):
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/programmes/" in schema["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "http" not in docs.replace("http-equiv", "")
    assert "<script>" not in docs and "<style>" not in docs  # files only: the CSP holds


@pytest.mark.parametrize(
    "address", ["/api/v1/programmes/{p}/actions/?territoire=T%00", "/actions/?q=%00"]
)
def test_a_nul_character_in_a_filter_is_refused_not_a_server_error(client, world, address):
    """Found by schemathesis on PostgreSQL: a NUL in a filter ended in a 500."""
    client.force_login(world["cast"]["coordination"])
    response = client.get(address.format(p=world["programme"].pk))
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_a_funder_gets_no_participant_codes_nor_free_text_with_the_actions(world):
    action = world["action"]
    action.title = "Atelier avec Mme X"
    action.save()
    funder = client_for(world["cast"]["financeur"]).get(api(world, f"actions/{action.pk}/")).json()
    assert funder["participants"] is None and funder["title"] is None
    assert funder["participant_count"] == 1
    editor = client_for(world["cast"]["coordination"]).get(api(world, f"actions/{action.pk}/"))
    assert editor.json()["participants"] == ["P1"]
