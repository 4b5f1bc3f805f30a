"""Participations and an action's structure links in the audit trail: each keeps its own
versions (who added or removed it, when) in the history tables, and the action's history tab
says which participants and structures were added or removed — in the browser, through the
API and by an update from a workbook."""

import pytest
from django.core.management import call_command

from ancrage.activities.models import ActionStructure, Participation
from ancrage.audit.models import Event, Kind

from .api_world import client_for
from .cast import make_cast
from .surveys_data import programme_with_actions
from .test_audit import form_data
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db

HistoricalParticipation = Participation.history.model
HistoricalLink = ActionStructure.history.model


@pytest.fixture
def world(tmp_path):
    programme = programme_with_actions(tmp_path)
    return {"programme": programme, "cast": make_cast(programme)}


def _versions(model, action) -> list[tuple]:
    return sorted(
        (v.history_type, v.person.code if model is HistoricalParticipation else v.structure.code,
         v.history_user.username if v.history_user else None)
        for v in model.objects.filter(action_id=action.pk)
    )  # fmt: skip


def test_a_participant_list_edited_in_the_browser_keeps_each_change(client, world):
    programme, user = world["programme"], world["cast"]["coordination"]
    action = programme.actions.get(code="A1")  # T1, listing P1 and P2 (from the workbook)
    client.force_login(user)
    s2 = programme.structures.get(code="S2")
    data = form_data(action, participants="P1\nNEW-5 ; ATSEM")
    data["structures"] = [*data["structures"], s2.pk]
    link_before = ActionStructure.objects.get(action=action).pk
    assert client.post(f"/actions/{action.pk}/modifier/", data).status_code == 302
    assert _versions(HistoricalParticipation, action) == [
        ("+", "NEW-5", "coordination"),
        ("-", "P2", "coordination"),
    ]
    assert _versions(HistoricalLink, action) == [("+", "S2", "coordination")]
    # The structure kept is the same link (no delete-and-create on every save).
    assert ActionStructure.objects.filter(pk=link_before).exists()
    event = Event.objects.filter(model="activities.action", object_id=action.pk).first()
    changed = {c["field"]: (c["added"], c["removed"]) for c in event.changes}
    assert changed["participants"] == (["NEW-5"], ["P2"])
    assert event.user == user
    tab = client.get(f"/actions/{action.pk}/historique/").content.decode()
    assert "NEW-5" in tab and "P2" in tab


def test_a_participant_added_and_removed_through_the_api_keeps_who_did_it(world):
    programme, user = world["programme"], world["cast"]["cheffe_t1"]
    action = programme.actions.get(code="A1")
    client = client_for(user)
    url = f"/api/v1/programmes/{programme.pk}/participations/"
    body = {"action": action.pk, "person": "API-1", "profession": "infirmière"}
    assert client.post(url, body, format="json").status_code == 201
    gone = Participation.objects.get(action=action, person__code="P1")
    assert client.delete(f"{url}{gone.pk}/").status_code == 204
    assert _versions(HistoricalParticipation, action) == [
        ("+", "API-1", "cheffe_t1"),
        ("-", "P1", "cheffe_t1"),
    ]
    entries = Event.objects.filter(model="activities.action", object_id=action.pk)
    said = [(e.user.username, c["added"], c["removed"]) for e in entries for c in e.changes]
    assert ("cheffe_t1", [], ["P1"]) in said and ("cheffe_t1", ["API-1"], []) in said


def test_a_participant_list_changed_by_a_workbook_shows_in_the_actions_history(
    client, world, tmp_path
):
    programme = world["programme"]
    sheets = minimal_sheets()
    sheets["actions"] += [
        {"id": code, "modalite": "co_intervention", "territoire": t, "debut": d, "enfants": n,
         "structures": s}
        for code, t, d, n, s in (("C2", "T1", "2023-05-02", 10, "S1"),
                                 ("C3", "T2", "2023-11-15", 12, "S2"))
    ] + [{"id": "F2", "modalite": "formation", "territoire": "T2", "debut": "2023-10-02",
          "adultes": 12}]  # fmt: skip
    sheets["programme"][0]["valeur"] = programme.name
    # A1 now lists P1 and P3 (P2 leaves, P3 joins).
    sheets["participations"] = [
        row for row in sheets["participations"] if (row["action"], row["personne"]) != ("A1", "P2")
    ] + [{"action": "A1", "personne": "P3"}]
    path = write_xlsx(sheets, tmp_path / "suivi-avril.xlsx")
    call_command("import", str(path), "--update", "--delete-missing", "--sans-progression")
    action = programme.actions.get(code="A1")
    assert sorted(action.participations.values_list("person__code", flat=True)) == ["P1", "P3"]
    entry = Event.objects.get(model="activities.action", object_id=action.pk, kind=Kind.IMPORT)
    assert entry.details["file_name"] == "suivi-avril.xlsx"
    (change,) = entry.changes
    assert (change["added"], change["removed"]) == (["P3"], ["P2"])
    assert [v[:2] for v in _versions(HistoricalParticipation, action)] == [
        ("+", "P3"),
        ("-", "P2"),
    ]
    client.force_login(world["cast"]["cheffe_t1"])
    tab = client.get(f"/actions/{action.pk}/historique/").content.decode()
    assert "suivi-avril.xlsx" in tab and "P3" in tab and "P2" in tab


def test_the_journal_names_say_what_they_hold(world):
    """The models whose versions an action's entry tells (by Django label), and the heading
    of each list of links in that entry (by action_links' keys, French first)."""
    from django.utils import translation

    from ancrage.audit.services import LINK_HEADINGS, action_links, link_change
    from ancrage.audit.signals import LINK_MODEL_LABELS

    assert LINK_MODEL_LABELS == {"activities.participation", "activities.actionstructure"}
    action = world["programme"].actions.get(code="A1")
    assert set(LINK_HEADINGS) == set(action_links(action))
    with translation.override("fr"):
        assert link_change("participants", ["P2"], [])["label"] == "participant·es"
        assert link_change("structures", [], ["S1"])["label"] == "structures"
