"""A person's code belongs to a territory: a territorial project manager who types a code, in
the action form, through the API or in the people register, gets the same answer whether that
code is taken in another territory or exists nowhere (same status, same message but for the
code, same rows written, same number of database queries: nothing to measure), and never
reaches the other territory's person. The same code in two territories names two people."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.activities.models import Action, Participation, Person
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope

from .api_world import client_for
from .cast import make_cast
from .surveys_data import programme_with_actions
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db

# P3 has no structure and took part in T2's action A2 only: a T2 person. P9 exists nowhere.
ELSEWHERE, NOWHERE = "P3", "P9"


@pytest.fixture
def world(tmp_path):
    programme = programme_with_actions(tmp_path)
    return programme, make_cast(programme)


def _neutral(text: str, code: str) -> str:
    """A page or a JSON body with the typed code, the action code and the per-request parts
    (CSRF token, ids) taken out."""
    text = text.replace(code, "CODE")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"(id|pk)": ?\d+', "", text)


def _state(programme, code: str) -> list:
    """Who bears this code, where, and how many participations each has."""
    return sorted(
        (p.territory.code if p.territory_id else "*", p.profession, p.participations.count())
        for p in Person.objects.filter(programme=programme, code=code)
    )


def _form_post(client, programme, code: str, participants: str):
    t1 = programme.territories.get(code="T1")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/actions/nouvelle/?programme={programme.pk}",
            {
                "code": f"NEW-{code}",
                "modality": "formation",
                "territory": t1.pk,
                "start": "2023-10-02",
                "participants": participants.format(code=code),
            },
            follow=True,
        )
    if response.redirect_chain:  # saved: the actions list (which grows), with its message
        said = " ".join(str(m) for m in response.context["messages"])
    else:
        said = response.content.decode()
    return response.status_code, _neutral(said, code).replace(f"NEW-{code}", "NEW"), len(queries)


def test_the_action_form_answers_alike_for_a_code_of_another_territory(client, world):
    programme, cast = world
    client.force_login(cast["cheffe_t1"])
    _form_post(client, programme, "P8", "{code}")  # the first request fills caches
    # Without a profession: the same refusal, the same page.
    refused = {code: _form_post(client, programme, code, "{code}") for code in (ELSEWHERE, NOWHERE)}
    assert refused[ELSEWHERE][0] == refused[NOWHERE][0] == 200
    assert "n&#x27;est pas un code de ce territoire" in refused[NOWHERE][1]
    assert refused[ELSEWHERE][1:] == refused[NOWHERE][1:]
    # With a profession: both become a new person of T1; T2's P3 is never reached.
    _form_post(client, programme, "P8", "{code} ; animateur")
    added = {
        code: _form_post(client, programme, code, "{code} ; animateur")
        for code in (ELSEWHERE, NOWHERE)
    }
    assert added[ELSEWHERE][1:] == added[NOWHERE][1:]
    assert "Action NEW-CODE enregistrée (1 participant·e listé·e)" in added[NOWHERE][1]
    assert _state(programme, ELSEWHERE) == [("T1", "animateur", 1), ("T2", "animateur", 1)]
    assert _state(programme, NOWHERE) == [("T1", "animateur", 1)]
    t2_person = Person.objects.get(programme=programme, code=ELSEWHERE, territory__code="T2")
    assert list(t2_person.participations.values_list("action__code", flat=True)) == ["A2"]
    # Her own territory's code names its person: attached, not created again.
    saved = _form_post(client, programme, "P1", "{code}")
    assert "Action NEW-CODE enregistrée (1 participant·e listé·e)" in saved[1]
    assert _state(programme, "P1") == [("T1", "enseignante", 2)]


def test_the_api_answers_alike_for_a_code_of_another_territory(world):
    programme, cast = world
    client = client_for(cast["cheffe_t1"])
    action = programme.actions.get(code="C2")  # T1
    url = f"/api/v1/programmes/{programme.pk}/participations/"

    def post(code: str, profession: str):
        body = {"action": action.pk, "person": code, "profession": profession}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, body, format="json")
        return response.status_code, _neutral(response.content.decode(), code), len(queries)

    post("P8", "")  # the first request fills caches
    refused = {code: post(code, "") for code in (ELSEWHERE, NOWHERE)}
    assert refused[ELSEWHERE] == refused[NOWHERE]
    assert refused[NOWHERE][0] == 400
    post("P8", "infirmière")  # the first participant also marks the action as listing people
    added = {code: post(code, "infirmière") for code in (ELSEWHERE, NOWHERE)}
    assert added[ELSEWHERE] == added[NOWHERE]
    assert added[NOWHERE][0] == 201
    assert _state(programme, ELSEWHERE) == [("T1", "infirmière", 1), ("T2", "animateur", 1)]

    # Writing an action with participants goes the same way. P2 is T2's (structure S2) and P7
    # exists nowhere: the same refusal without a profession, the same new T1 person with one.
    def patch(code: str, **profession):
        body = {"participants": [{"code": code, **profession}]}
        with CaptureQueriesContext(connection) as queries:
            response = client.patch(
                f"/api/v1/programmes/{programme.pk}/actions/{action.pk}/", body, format="json"
            )
        return response.status_code, _neutral(response.content.decode(), code), len(queries)

    patch("P6")  # the first request fills caches
    refused = {code: patch(code) for code in ("P2", "P7")}
    assert refused["P2"] == refused["P7"]
    assert refused["P7"][0] == 400 and "pas un code de ce territoire" in refused["P7"][1]
    added = {code: patch(code, profession="ATSEM") for code in ("P2", "P7")}
    assert added["P2"][0] == added["P7"][0] == 200
    assert _state(programme, "P2") == [("T1", "ATSEM", 0), ("T2", "animateur", 2)]
    assert _state(programme, "P7") == [("T1", "ATSEM", 1)]
    for code in (ELSEWHERE, NOWHERE):
        response = client.patch(
            f"/api/v1/programmes/{programme.pk}/actions/{action.pk}/",
            {"participants": [{"code": code}, {"code": "Q7", "profession": "ATSEM"}]},
            format="json",
        )
        assert response.status_code == 200, response.content
    assert Person.objects.get(code="Q7").territory.code == "T1"


def test_the_people_register_answers_alike_for_a_code_of_another_territory(client, world):
    programme, cast = world
    client.force_login(cast["cheffe_t1"])
    t1 = programme.territories.get(code="T1")
    url = f"/registres/personnes/?programme={programme.pk}"

    def add(code: str):
        data = {"code": code, "profession": "éducatrice", "territory": t1.pk}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data, follow=True)
        page = _neutral(response.content.decode(), code)
        return response.status_code, page.count("ajouté"), len(queries)

    add("P8")  # the first request fills caches
    assert add(ELSEWHERE) == add(NOWHERE)
    assert _state(programme, NOWHERE) == [("T1", "éducatrice", 0)]
    assert _state(programme, ELSEWHERE) == [("T1", "éducatrice", 0), ("T2", "animateur", 1)]
    # Her own territory's code is refused, in words about her territory only.
    response = client.post(url, {"code": "P1", "profession": "x", "territory": t1.pk})
    assert "déjà utilisé dans ce territoire" in str(response.context["form"].errors["code"])
    # She cannot place a person in another territory (nor leave it programme-wide).
    t2 = programme.territories.get(code="T2")
    for territory in (t2.pk, ""):
        response = client.post(url, {"code": "Z1", "profession": "x", "territory": territory})
        assert response.status_code == 200 and "territory" in response.context["form"].errors
    assert not Person.objects.filter(code="Z1").exists()


def test_a_programme_wide_person_is_one_person_in_every_territory(client, world):
    """The coordination links territories: a person of the whole programme (territory left
    empty) is the same person wherever she is named, and counted once."""
    programme, cast = world
    client.force_login(cast["coordination"])
    url = f"/registres/personnes/?programme={programme.pk}"
    assert client.post(url, {"code": "FORM-1", "profession": "formatrice"}).status_code == 302
    assert Person.objects.get(code="FORM-1").territory is None
    # A code a territory uses would be two people there: refused, in words about the programme.
    response = client.post(url, {"code": "P1", "profession": "formatrice"})
    assert "déjà utilisé dans le programme" in str(response.context["form"].errors["code"])
    for user, action_code in (("cheffe_t1", "A1"), ("cheffe_t2", "A2")):
        action = programme.actions.get(code=action_code)
        response = client_for(cast[user]).post(
            f"/api/v1/programmes/{programme.pk}/participations/",
            {"action": action.pk, "person": "FORM-1"},
            format="json",
        )
        assert response.status_code == 201, response.content
    assert Person.objects.filter(code="FORM-1").count() == 1
    assert Participation.objects.filter(person__code="FORM-1").count() == 2


def test_the_same_code_in_two_territories_counts_two_professionals(world):
    programme, _cast = world
    Action.objects.filter(programme=programme).update(lists_people=True)  # exact count

    def professionals() -> int:
        return compute_indicators(Scope(programme))["reach"]["professionals_unique"]

    before = professionals()
    for territory in ("T1", "T2"):
        action = programme.actions.filter(territory__code=territory, modality="formation").first()
        person = Person.objects.create(
            programme=programme, territory=action.territory, code="DUO", profession="x"
        )
        Participation.objects.create(
            action=action,
            person=person,
            programme=programme,
            territory=action.territory,
            modality=action.modality,
            school_year=action.school_year,
        )
    assert Person.objects.filter(code="DUO").count() == 2
    assert professionals() == before + 2


def test_a_workbook_settles_each_persons_territory(tmp_path):
    """A workbook names each code once; its people take the `territoire` column's territory
    (`*`: the whole programme), else their structure's, else the one where they took part."""
    from ancrage.workbook.importer import import_workbook

    sheets = minimal_sheets()
    sheets["personnes"] += [
        {"id": "P4", "profession": "formatrice", "territoire": "*"},
        {"id": "P5", "profession": "infirmière", "territoire": "T2"},
        {"id": "P6", "profession": "animateur"},
    ]
    sheets["participations"] += [
        {"action": "A1", "personne": "P4"},
        {"action": "A2", "personne": "P4"},
        {"action": "A1", "personne": "P6"},
        {"action": "A2", "personne": "P6"},
    ]
    programme = import_workbook(write_xlsx(sheets, tmp_path / "t.xlsx")).programme
    territory = dict(
        Person.objects.filter(programme=programme).values_list("code", "territory__code")
    )
    # P1 (S1) and P2 (S2) by structure, P3 by its one action, P6 in two: the whole programme.
    assert territory == {
        "P1": "T1",
        "P2": "T2",
        "P3": "T2",
        "P4": None,
        "P5": "T2",
        "P6": None,
    }


def test_the_demo_keeps_its_430_professionals_each_in_one_territory(demo_figures):
    from ancrage.activities.models import Person as People

    assert demo_figures["reach"]["professionals_unique"] == 430
    assert not People.objects.filter(territory__isnull=True).exists()


def test_another_territory_s_person_listed_on_her_action_keeps_their_history_hidden(client, world):
    """A workbook may list a T2 person on a T1 action: the T1 register shows the code without
    structure or territory, and the person's history (which names them) is not hers either."""
    from ancrage.activities.models import Structure
    from ancrage.activities.services import participations_add

    programme, cast = world
    client.force_login(cast["cheffe_t2"])
    t2 = programme.territories.get(code="T2")
    added = client.post(
        f"/registres/personnes/?programme={programme.pk}",
        {
            "code": "Z2",
            "profession": "psychologue",
            "structure": Structure.objects.get(code="S2").pk,
            "territory": t2.pk,
        },
    )
    assert added.status_code == 302
    person = Person.objects.get(code="Z2")
    history = f"/registres/personnes/{person.pk}/historique/"
    assert "ALSH B" in client.get(history).content.decode()  # her own territory's person
    participations_add(action=programme.actions.get(code="A1"), people=[person])  # T1
    client.force_login(cast["cheffe_t1"])
    register = client.get(f"/registres/personnes/?programme={programme.pk}")
    row = next(row for row in register.context["rows"] if row[0] == "Z2")
    assert row[1] == row[3] == "—"
    assert client.get(history).status_code == 404
    # Her register links no page that would answer 404, and still links her own people's.
    assert history not in register.content.decode()
    own = Person.objects.get(programme=programme, code="P1")
    assert f"/registres/personnes/{own.pk}/historique/" in register.content.decode()
    client.force_login(cast["coordination"])
    assert "ALSH B" in client.get(history).content.decode()
    register = client.get(f"/registres/personnes/?programme={programme.pk}")
    assert history in register.content.decode()


def test_the_code_lookups_are_reads_that_tell_nothing_of_another_territory(world):
    """codes_resolve and people_in_reach are selectors: they only read, and a T1 lookup of a T2
    code answers as for a code that exists nowhere."""
    from ancrage.activities.selectors import codes_resolve, people_in_reach, people_in_scope

    programme, _cast = world
    t1 = programme.territories.get(code="T1")
    with CaptureQueriesContext(connection) as queries:
        known, errors = codes_resolve(
            programme, [(ELSEWHERE, ""), (NOWHERE, ""), ("P1", "")], territory=t1
        )
        reach = set(people_in_reach(programme, {t1.pk}).values_list("code", flat=True))
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert list(known) == ["P1"] and len(errors) == 2
    assert [e.replace(ELSEWHERE, "CODE") for e in errors if ELSEWHERE in e] == [
        e.replace(NOWHERE, "CODE") for e in errors if NOWHERE in e
    ]
    assert ELSEWHERE not in reach and "P1" in reach
    participations_on_t1 = programme.actions.get(code="A1").participations
    assert set(reach) >= set(participations_on_t1.values_list("person__code", flat=True))
    assert set(people_in_scope(programme, {t1.pk}).values_list("code", flat=True)) <= reach
