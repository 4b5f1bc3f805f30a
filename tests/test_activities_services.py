"""The services that write actions and participations keep the copied fields and the
`lists_people` flag the figures read."""

import datetime as dt

import pytest

from ancrage.activities.models import ActionStructure, Participation
from ancrage.activities.services import action_create, participations_add
from ancrage.indicators.selectors import deployment_figures
from ancrage.programmes.scope import Scope
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db


def test_an_action_with_three_participants_moves_the_figures(tmp_path):
    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    before = deployment_figures(Scope(programme))
    t2 = programme.territories.get(code="T2")
    action = action_create(
        programme=programme,
        code="N1",
        modality="formation",
        territory=t2,
        start=dt.date(2023, 10, 2),
        structures=[programme.structures.get(code="S2")],
        adults=40,
        title="Formation, contact : lea@mail.fr",
    )
    assert action.school_year == 2023 and not action.lists_people
    assert action.title == "Formation, contact : [courriel masqué]"
    link = ActionStructure.objects.get(action=action)
    assert (link.territory_id, link.modality, link.school_year) == (t2.pk, "formation", 2023)
    unlisted = deployment_figures(Scope(programme))
    assert unlisted["participants"]["formation"] == before["participants"]["formation"] + 40
    assert unlisted["reach"]["professionals_method"] == "estimated"

    people = list(programme.people.order_by("code"))  # P1, P2, P3
    created = participations_add(action=action, people=[*people, people[0]])
    assert len(created) == 3  # a person listed twice is added once
    action.refresh_from_db()
    assert action.lists_people
    copied = set(
        Participation.objects.filter(action=action).values_list(
            "territory_id", "modality", "school_year"
        )
    )
    assert copied == {(t2.pk, "formation", 2023)}
    after = deployment_figures(Scope(programme))
    assert after["deliveries"]["formation"] == before["deliveries"]["formation"] + 1
    # Listed people replace the adults count: 2 + 3 trained in formations.
    assert after["participants"]["formation"] == before["participants"]["formation"] + 3
    assert after["reach"]["professionals_method"] == "exact"
    assert after["by_territory"]["T2"]["reach"]["trained_adults"] == 3  # P2, P3, P1
    assert participations_add(action=action, people=people[:1]) == []  # already listed


def test_an_action_edited_moves_its_participations_and_links(demo_programme):
    from ancrage.activities.models import Action, Structure
    from ancrage.activities.selectors import next_action_code
    from ancrage.activities.services import (
        action_update,
        participations_set,
        people_for_codes,
    )

    action = Action.objects.filter(
        programme=demo_programme, modality="formation", lists_people=True
    ).first()
    other = demo_programme.territories.exclude(pk=action.territory_id).get()
    structure = Structure.objects.filter(commune__territory=other).first()
    action_update(
        action,
        structures=[structure],
        territory=other,
        commune=None,
        start=action.start.replace(year=action.start.year + 1),
        end=None,
    )
    assert {p.territory_id for p in Participation.objects.filter(action=action)} == {other.pk}
    links = ActionStructure.objects.filter(action=action)
    assert [(link.structure_id, link.territory_id, link.school_year) for link in links] == [
        (structure.pk, other.pk, action.school_year)
    ]

    people = people_for_codes(
        demo_programme, [("NEW-A", "enseignante"), ("NEW-B", "animateur")], territory=other
    )
    assert {p.territory_id for p in people} == {other.pk}
    participations_set(action=action, people=people)
    assert sorted(action.participations.values_list("person__code", flat=True)) == [
        "NEW-A",
        "NEW-B",
    ]
    participations_set(action=action, people=[])
    action.refresh_from_db()
    assert not action.lists_people and action.participations.count() == 0

    code = next_action_code(
        demo_programme, "formation", territories=demo_programme.territories.all()
    )
    assert not Action.objects.filter(programme=demo_programme, code=code).exists()


def test_an_action_saved_with_its_participants_is_all_or_nothing(demo_programme):
    from unittest import mock

    from ancrage.activities.models import Action, Person
    from ancrage.activities.services import action_save

    territory = demo_programme.territories.get(code="PCSG")
    fields = {
        "code": "TOUT-OU-RIEN",
        "modality": "formation",
        "territory": territory,
        "commune": None,
        "start": dt.date(2024, 10, 1),
        "end": None,
        "title": "",
        "hours": None,
        "sessions": None,
        "children": None,
        "adults": None,
        "parents": None,
        "elected": None,
        "parent_format": "",
    }
    with (
        mock.patch(
            "ancrage.activities.services.participations_set", side_effect=RuntimeError("panne")
        ),
        pytest.raises(RuntimeError),
    ):
        action_save(
            demo_programme,
            None,
            fields=fields,
            structures=[],
            participants=[("NEW-Z", "x")],
        )
    assert not Action.objects.filter(programme=demo_programme, code="TOUT-OU-RIEN").exists()
    assert not Person.objects.filter(programme=demo_programme, code="NEW-Z").exists()
    action = action_save(
        demo_programme,
        None,
        fields=fields,
        structures=[],
        participants=[("NEW-Z", "x")],
    )
    assert action.lists_people and action.participations.get().person.code == "NEW-Z"


def test_the_suggested_action_code_reads_only_the_users_territories(client, tmp_path):
    """A territorial project manager's suggested code does not depend on another territory's
    codes (the numbers it skipped told of their actions). Codes stay unique in the programme:
    a typed code another territory uses is refused in French; the suggestion left as it was
    moves on at the save (which tells no more than a refusal)."""
    from .cast import make_cast
    from .surveys_data import programme_with_actions

    programme = programme_with_actions(tmp_path)  # T1: A1, C2; T2: A2, C3, F2
    cast = make_cast(programme)
    client.force_login(cast["cheffe_t1"])
    t1 = programme.territories.get(code="T1")
    c2 = programme.actions.get(code="C2")
    pages = [
        f"/actions/nouvelle/?programme={programme.pk}&modalite=co_intervention",
        f"/actions/{c2.pk}/dupliquer/",
    ]

    def suggested() -> list[str]:
        return [client.get(page).context["form"].initial["code"] for page in pages]

    assert suggested() == ["C3", "C3"]  # after her C2, though T2 has a C3
    programme.actions.filter(code="C3").update(code="Z3")
    assert suggested() == ["C3", "C3"]  # the same answer when T2 has none
    programme.actions.filter(code="Z3").update(code="C3")
    fields = {"modality": "co_intervention", "territory": t1.pk, "start": "2023-10-02"}
    url = f"/actions/nouvelle/?programme={programme.pk}"
    response = client.post(url, {**fields, "code": "C3"})
    assert response.status_code == 200
    errors = response.context["form"].errors["code"]
    assert errors == ["Ce code est déjà utilisé par une autre action."]
    assert programme.actions.filter(code="C3").count() == 1
    response = client.post(url, {**fields, "code": "C3", "code_suggested": "C3"})
    assert response.status_code == 302
    assert programme.actions.get(code="C4").territory == t1
    # The coordination sees every territory's codes, and is offered a free one.
    client.force_login(cast["coordination"])
    assert suggested() == ["C5", "C5"]


def test_deleting_a_programme_leaves_no_copy_behind(tmp_path):
    """Participations and structure links keep their action's programme and territory without
    a constraint in the database (docs/performance.md): Django's cascade still deletes them."""
    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    sheets = minimal_sheets()
    sheets["programme"][0]["valeur"] = "Autre"
    other = import_workbook(write_xlsx(sheets, tmp_path / "autre.xlsx")).programme
    assert Participation.objects.filter(programme=programme).exists()
    assert ActionStructure.objects.filter(programme=programme).exists()
    territories = list(programme.territories.values_list("pk", flat=True))
    kept = Participation.objects.filter(programme=other).count()
    programme.delete()
    assert not Participation.objects.filter(programme_id=programme.pk).exists()
    assert not ActionStructure.objects.filter(programme_id=programme.pk).exists()
    assert not Participation.objects.filter(territory_id__in=territories).exists()
    assert Participation.objects.filter(programme=other).count() == kept > 0
