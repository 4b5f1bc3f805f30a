"""The audit trail: who changed what and when, in the browser and by an import; an action
deleted with what goes with it, then restored from its history."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from ancrage.activities.forms import ActionForm
from ancrage.activities.models import Action, Participation, Person, Structure
from ancrage.activities.services import action_create
from ancrage.audit.models import Event, Kind
from ancrage.audit.services import action_delete, action_restore, record_import
from ancrage.surveys.models import Response
from ancrage.surveys.services import collection_for

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire
from .workbooks import minimal_sheets, write_xlsx
from .worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    programme = programme_with_actions(tmp_path)
    return {"programme": programme, "cast": make_cast(programme)}


def form_data(action: Action, **changes) -> dict:
    data = {k: v for k, v in ActionForm.initial_from(action).items() if v is not None}
    data["start"] = data["start"].isoformat()
    data.update(changes)
    return data


def test_an_edit_in_the_browser_records_who_when_and_the_changed_fields(client, world):
    action = world["programme"].actions.get(code="C2")  # territory T1
    client.force_login(world["cast"]["cheffe_t1"])
    before = dt.datetime.now(dt.UTC)
    response = client.post(
        f"/actions/{action.pk}/modifier/",
        form_data(action, children=14, title="Atelier émotions", participants="P1\nNEW-9 ; ATSEM"),
    )
    assert response.status_code == 302
    event = Event.objects.get(model="activities.action", object_id=action.pk, kind=Kind.UPDATE)
    assert event.user == world["cast"]["cheffe_t1"]
    assert event.at >= before
    changed = {c["field"]: (c["old"], c["new"]) for c in event.changes}
    assert changed["children"] == ("10", "14")
    assert changed["title"] == ("—", "Atelier émotions")
    assert changed["participants"] == ("—", "NEW-9, P1")
    assert event.programme_id == world["programme"].pk
    assert event.territory_id == action.territory_id


def test_the_history_tab_says_participants_added_and_removed_not_old_to_new(client, world):
    """Participants are a set: « P1 → NEW-9 » would read as P1 renamed; the tab says who came
    and who left."""
    action = world["programme"].actions.get(code="C2")
    client.force_login(world["cast"]["cheffe_t1"])
    client.post(f"/actions/{action.pk}/modifier/", form_data(action, participants="P1"))
    client.post(f"/actions/{action.pk}/modifier/", form_data(action, participants="NEW-9 ; ATSEM"))
    page = " ".join(client.get(f"/actions/{action.pk}/historique/").content.decode().split())
    assert "<strong>participant·es</strong> : ajout de NEW-9 ; retrait de P1" in page
    assert "<strong>participant·es</strong> : ajout de P1<" in page
    assert "P1 → NEW-9" not in page and "— → P1" not in page
    assert "10 → 15" not in page  # (no other field changed)


def test_the_history_tab_shows_the_edit_to_editors_of_the_territory_only(client, world):
    action = world["programme"].actions.get(code="C2")
    client.force_login(world["cast"]["cheffe_t1"])
    client.post(f"/actions/{action.pk}/modifier/", form_data(action, children=15))
    page = client.get(f"/actions/{action.pk}/historique/")
    assert page.status_code == 200
    assert "cheffe_t1" in page.content.decode() and "10 → 15" in page.content.decode()
    client.force_login(world["cast"]["cheffe_t2"])
    assert client.get(f"/actions/{action.pk}/historique/").status_code == 404
    client.force_login(world["cast"]["financeur"])
    assert client.get(f"/actions/{action.pk}/historique/").status_code == 403


def test_a_register_addition_and_its_history(client, world):
    client.force_login(world["cast"]["cheffe_t1"])
    commune = world["programme"].communes.get(insee_code="44001")
    client.post(
        f"/registres/structures/?programme={world['programme'].pk}",
        {"code": "S9", "name": "École neuve", "kind": "ecole_publique", "commune": commune.pk},
    )
    structure = Structure.objects.get(code="S9")
    page = client.get(f"/registres/structures/{structure.pk}/historique/")
    assert page.status_code == 200 and "École neuve" in page.content.decode()
    event = Event.objects.get(model="activities.structure", object_id=structure.pk)
    assert event.kind == Kind.CREATE and event.user == world["cast"]["cheffe_t1"]


def test_an_import_in_the_browser_is_one_event_with_its_file_name_and_counts(client, tmp_path):
    user = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(user)
    path = write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")
    upload = SimpleUploadedFile("Suivi CPS 2024.xlsx", path.read_bytes())
    preview = client.post("/import/", {"classeur": upload}).context
    client.post("/import/confirmer/", {"token": preview["token"], "nom": preview["file_name"]})
    run_queued_tasks()
    event = Event.objects.get(kind=Kind.IMPORT)
    assert event.user == user and event.details["file_name"] == "Suivi CPS 2024.xlsx"
    assert event.details["counts"]["action"] == 3 and event.details["counts"]["person"] == 3
    rows = [
        "activities.action",
        "activities.person",
        "activities.structure",
        "territories.territory",
    ]
    assert not Event.objects.filter(model__in=rows).exists()  # one event, not one per row
    page = client.get(f"/journal/?programme={event.programme_id}").content.decode()
    assert "Suivi CPS 2024.xlsx" in page


def test_an_import_on_the_command_line_is_recorded_without_a_user(tmp_path):
    call_command(
        "import", str(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")), "--sans-progression"
    )
    event = Event.objects.get(kind=Kind.IMPORT)
    assert event.user is None and event.details["file_name"] == "w.xlsx"


def test_record_import_keeps_the_file_and_counts(world):
    user = world["cast"]["coordination"]
    record_import(
        user=user, programme=world["programme"], file_name="suivi.xlsx", counts={"action": 3}
    )
    event = Event.objects.get(kind=Kind.IMPORT)
    assert event.details == {"file_name": "suivi.xlsx", "counts": {"action": 3}, "changes": []}
    assert event.user == user and event.programme_id == world["programme"].pk


def test_the_programme_log_is_for_the_coordination(client, world):
    action = world["programme"].actions.get(code="C2")
    client.force_login(world["cast"]["coordination"])
    client.post(f"/actions/{action.pk}/modifier/", form_data(action, children=11))
    page = client.get(f"/journal/?programme={world['programme'].pk}")
    assert page.status_code == 200 and "C2" in page.content.decode()
    for role in ("cheffe_t1", "financeur"):
        client.force_login(world["cast"][role])
        assert client.get(f"/journal/?programme={world['programme'].pk}").status_code == 403


def answered_action(programme):
    """Action C2 (T1) with a participant, a collection and two answers."""
    action = programme.actions.get(code="C2")
    Participation.objects.create(
        action=action,
        person=Person.objects.get(code="P1"),
        programme=programme,
        territory=action.territory,
        modality=action.modality,
        school_year=action.school_year,
    )
    collection = collection_for(questionnaire(programme, "coi_enfants"), action)
    for _ in range(2):
        Response.objects.create(
            collection=collection,
            questionnaire=collection.questionnaire,
            programme=programme,
            territory=action.territory,
            modality=action.modality,
            school_year=action.school_year,
            source="papier",
        )
    return action


def test_the_delete_page_says_what_happens_to_the_answers(client, world):
    action = answered_action(world["programme"])
    client.force_login(world["cast"]["cheffe_t1"])
    page = client.get(f"/actions/{action.pk}/supprimer/").content.decode()
    assert "2 réponses déjà recueillies" in page
    assert "ne sont pas perdues" in page and "restaurée" in page
    assert Action.objects.filter(pk=action.pk).exists()  # a GET changes nothing


def test_an_action_deleted_in_the_browser_is_restored_with_everything(client, world):
    action = answered_action(world["programme"])
    pk, responses = action.pk, Response.objects.filter(collection__action=action).count()
    client.force_login(world["cast"]["cheffe_t1"])
    assert client.post(f"/actions/{pk}/supprimer/").status_code == 302
    assert not Action.objects.filter(pk=pk).exists()
    assert not Response.objects.filter(collection__action_id=pk).exists()
    event = Event.objects.get(model="activities.action", object_id=pk, kind=Kind.DELETE)
    assert event.user == world["cast"]["cheffe_t1"]
    assert event.details["summary"]["responses"] == 2
    assert not Event.objects.filter(parent_id=pk, kind=Kind.DELETE)  # one entry: the action's
    listing = client.get(f"/actions/supprimees/?programme={world['programme'].pk}")
    assert "C2" in listing.content.decode()
    client.force_login(world["cast"]["cheffe_t2"])
    assert client.post(f"/actions/supprimees/{event.pk}/restaurer/").status_code == 404
    client.force_login(world["cast"]["cheffe_t1"])
    assert client.post(f"/actions/supprimees/{event.pk}/restaurer/").status_code == 302
    restored = Action.objects.get(pk=pk)
    assert restored.code == "C2" and restored.participations.count() == 1
    assert Response.objects.filter(collection__action=restored).count() == responses
    assert restored.collections.get().responses.count() == 2
    assert Event.objects.filter(model="activities.action", object_id=pk, kind=Kind.RESTORE)
    event.refresh_from_db()
    assert event.restored_at is not None


def test_a_restore_is_refused_in_french_when_the_code_was_taken_meanwhile(world):
    programme = world["programme"]
    action = programme.actions.get(code="C2")
    event = action_delete(action=action, user=None)
    action_create(
        programme=programme,
        code="C2",
        modality="formation",
        territory=programme.territories.get(code="T1"),
        start=dt.date(2023, 1, 5),
    )
    with pytest.raises(ValidationError, match="Restauration impossible"):
        action_restore(event=event, user=None)
    assert Action.objects.filter(code="C2").count() == 1
    event.refresh_from_db()
    assert event.restored_at is None


def test_a_restore_is_refused_when_a_participant_was_deleted(world):
    action = answered_action(world["programme"])
    event = action_delete(action=action, user=None)
    Person.objects.get(code="P1").delete()
    with pytest.raises(ValidationError, match="n'existe plus"):
        action_restore(event=event, user=None)
    assert not Action.objects.filter(code="C2").exists()


def test_an_update_from_a_workbook_is_one_event_listing_its_changes(tmp_path):
    call_command(
        "import", str(write_xlsx(minimal_sheets(), tmp_path / "a.xlsx")), "--sans-progression"
    )
    sheets = minimal_sheets()
    sheets["actions"][1]["enfants"] = 30  # A2: 25 children before
    newer = write_xlsx(sheets, tmp_path / "suivi-mars.xlsx")
    known = set(Event.objects.values_list("pk", flat=True))
    call_command("import", str(newer), "--update", "--sans-progression")
    new = Event.objects.exclude(pk__in=known)
    # One entry for the import, plus one in the history of the one action it changed.
    (event,) = new.filter(model="programmes.programme")
    (on_action,) = new.exclude(pk=event.pk)
    assert on_action.object_repr.startswith("A2") and on_action.kind == Kind.IMPORT
    assert on_action.changes == [{"field": "enfants", "label": "enfants", "old": "25", "new": "30"}]
    assert event.kind == Kind.IMPORT and event.details["file_name"] == "suivi-mars.xlsx"
    assert event.details["counts"]["actions"]["modifiés"] == 1
    assert any("A2" in line and "30" in line for line in event.details["changes"])


def _deleted_long_ago(action, days: int) -> Event:
    event = action_delete(action=action, user=None)
    Event.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days))
    event.refresh_from_db()
    return event


def test_deletions_older_than_the_retention_are_purged_and_their_entries_stay(
    client, world, settings
):
    settings.ANCRAGE_DELETION_RETENTION_DAYS = 365
    programme = world["programme"]
    old = _deleted_long_ago(answered_action(programme), 400)
    recent = _deleted_long_ago(programme.actions.get(code="C3"), 30)
    out = StringIO()
    call_command("purge_journal", "--dry-run", stdout=out)
    assert "1 suppression(s) de plus de 365 jours seraient purgées" in out.getvalue()
    assert Event.objects.get(pk=old.pk).snapshot is not None  # a dry run erases nothing
    taken = {"old": old.snapshot, "recent": recent.snapshot}
    assert _versions(taken["old"]) and _versions(taken["recent"])
    call_command("purge_journal", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.snapshot is None and recent.snapshot is not None
    # The history tables no longer keep the purged action, its participation nor collection.
    assert _versions(taken["old"]) == {} and _versions(taken["recent"])
    assert f"{old.details['versions_purged']} version(s) effacée(s)" in out.getvalue()
    # The entry stays: who deleted what, when, with what counts.
    assert old.kind == Kind.DELETE and old.details["summary"]["responses"] == 2
    assert old.details["snapshot_purged_at"]
    client.force_login(world["cast"]["coordination"])
    listing = client.get(f"/actions/supprimees/?programme={programme.pk}").content.decode()
    assert "C2 (Co-intervention)" not in listing and "C3 (Co-intervention)" in listing
    # Shown in the users' time zone: late in a UTC evening it is already the next day there.
    kept_until = timezone.localtime(recent.at + dt.timedelta(days=365))
    assert kept_until.strftime("%d/%m/%Y") in listing
    assert client.post(f"/actions/supprimees/{old.pk}/restaurer/").status_code == 404
    assert (
        "C2 (Co-intervention)" in client.get(f"/journal/?programme={programme.pk}").content.decode()
    )


def _versions(snapshot: list[dict]) -> dict[str, int]:
    """How many versions the history tables keep of the rows a deletion took (per model)."""
    from django.apps import apps

    found = {}
    for item in snapshot:
        model = apps.get_model(item["model"])
        if hasattr(model, "history"):
            n = model.history.filter(**{model._meta.pk.attname: item["pk"]}).count()
            found[item["model"]] = found.get(item["model"], 0) + n
    return {label: n for label, n in found.items() if n}


def test_a_restored_deletion_keeps_its_history_when_its_entry_is_purged(world, settings):
    settings.ANCRAGE_DELETION_RETENTION_DAYS = 365
    action = answered_action(world["programme"])
    event = _deleted_long_ago(action, 400)
    taken = event.snapshot
    kept = _versions(taken)
    assert set(kept) >= {"activities.action", "activities.participation", "surveys.collection"}
    action_restore(event=event, user=None)
    before = _versions(taken)
    call_command("purge_journal", stdout=StringIO())
    assert _versions(taken) == before  # the action lives again, with its whole history
    assert Event.objects.get(pk=event.pk).snapshot is None


def test_a_retention_of_zero_keeps_deletions_for_ever(world, settings):
    settings.ANCRAGE_DELETION_RETENTION_DAYS = 0
    old = _deleted_long_ago(world["programme"].actions.get(code="C2"), 4000)
    out = StringIO()
    call_command("purge_journal", stdout=out)
    assert "sans limite" in out.getvalue()
    old.refresh_from_db()
    assert old.snapshot is not None and old.restorable_until is None
    call_command("purge_journal", "--jours", "30", stdout=out)
    old.refresh_from_db()
    assert old.snapshot is None


def test_purge_journal_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        call_command("purge_journal", "--help")
    help_text = capsys.readouterr().out
    assert "utilisation :" in help_text and "ANCRAGE_DELETION_RETENTION_DAYS" in help_text
    assert "--jours N" in help_text and "sans rien effacer" in help_text


def test_purge_journal_refuses_a_bad_duration_in_french_and_purges_nothing(world):
    from django.core.management import load_command_class

    old = _deleted_long_ago(world["programme"].actions.get(code="C2"), 4000)
    command = load_command_class("ancrage.audit", "purge_journal")
    command._called_from_command_line = True  # as typed in a terminal (run_from_argv)
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(command, "--jours", "0", stderr=err)
    assert exited.value.code == 1
    said = err.getvalue()
    assert said.startswith("Erreur : --jours : un nombre de jours d'au moins 1")
    assert "CommandError" not in said
    old.refresh_from_db()
    assert old.snapshot is not None


def test_a_deletion_snapshot_keeps_scrubbed_texts_and_no_person_but_their_number(world):
    """What a deletion keeps is no more personal than the rows it deleted: free texts went
    through the scrubber when written, people are kept as numbers (they stay in the register
    under their pseudonymous code)."""
    action = answered_action(world["programme"])
    action.title = "Atelier avec marie.dupont@exemple.fr, 06 12 34 56 78"
    action.save()
    response = Response.objects.filter(collection__action=action).first()
    question = response.questionnaire.questions.first()
    response.answers.create(
        question=question,
        text="Appeler jean(at)gmail.com au +33 (0)6 12 34 56 78",
        questionnaire=response.questionnaire,
        territory_id=response.territory_id,
        school_year=response.school_year,
    )
    event = action_delete(action=action, user=None)
    kept = json.dumps(event.snapshot, ensure_ascii=False)
    for typed in ("marie.dupont", "exemple.fr", "jean(at)", "12 34 56 78"):
        assert typed not in kept
    assert "[courriel masqué]" in kept
    participation = next(o for o in event.snapshot if o["model"] == "activities.participation")
    assert participation["fields"]["person"] == Person.objects.get(code="P1").pk
    assert not [o for o in event.snapshot if o["model"] == "activities.person"]
