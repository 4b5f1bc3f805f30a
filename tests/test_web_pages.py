"""The pages' behaviour through HTTP: import with problems or preview then confirmation, the
action form, the registers, the report sheet, territories from an EPCI, report download."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pptx import Presentation

from ancrage.accounts.models import Membership, Role
from ancrage.activities.models import Action, Person, Structure
from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.evaluation.models import ActionReport
from ancrage.programmes.models import Programme

from .workbooks import minimal_sheets, write_xlsx
from .worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = get_user_model().objects.create_superuser("coord", password="x")
    client.force_login(user)
    return user


def upload(client, path, name="classeur.xlsx"):
    with open(path, "rb") as f:
        file = SimpleUploadedFile(name, f.read())
    return client.post("/import/", {"classeur": file})


def test_a_bad_workbook_lists_each_problem_with_sheet_row_column(client, coordinator, tmp_path):
    sheets = minimal_sheets()
    sheets["actions"][0]["debut"] = "pas une date"
    response = upload(client, write_xlsx(sheets, tmp_path / "w.xlsx"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    problems = response.context["problems"]
    assert any(p.sheet == "actions" and p.row == 2 and p.column == "debut" for p in problems)
    assert not Programme.objects.exists()
    assert "token" not in response.context


def test_the_preview_writes_nothing_then_the_confirmation_imports(client, tmp_path):
    user = get_user_model().objects.create_user("c", password="x")
    other = Programme.objects.create(name="Autre", start="2024-09-01", end="2025-08-31")
    Membership.objects.create(user=user, programme=other, role=Role.COORDINATOR)
    client.force_login(user)
    response = upload(client, DEMO_WORKBOOK)
    preview = dict(response.context["preview"])
    assert preview["actions"] == 86 and preview["participations"] == 645
    assert Programme.objects.count() == 1 and not Action.objects.exists()
    response = client.post("/import/confirmer/", {"token": response.context["token"]})
    assert response.status_code == 302
    assert Programme.objects.count() == 1  # the import is a background task
    run_queued_tasks()
    programme = Programme.objects.exclude(pk=other.pk).get()
    assert programme.actions.count() == 86
    # The coordinator who imported it coordinates the new programme.
    assert Membership.objects.get(user=user, programme=programme).role == Role.COORDINATOR
    # The kept file is gone: confirming twice does not import twice.
    response = client.post("/import/confirmer/", {"token": "x" * 22})
    assert response.status_code == 302 and Programme.objects.count() == 2


def test_the_export_downloads_the_workbook(demo_programme, client, coordinator):
    response = client.get(f"/export/?programme={demo_programme.pk}")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert sum(1 for _ in workbook["actions"].iter_rows()) == 86 + 1


def test_the_action_form_takes_codes_and_refuses_a_new_code_without_profession(
    client, coordinator, demo_programme
):
    territory = demo_programme.territories.get(code="PCSG")
    # A code names a person of the action's territory (tests/test_people_codes.py).
    known = Person.objects.filter(programme=demo_programme, territory=territory).first()
    data = {
        "code": "NOUVELLE-1",
        "modality": "formation",
        "territory": territory.pk,
        "start": "2024-10-01",
        "participants": f"{known.code}\nINCONNU-9",
    }
    response = client.post(f"/actions/nouvelle/?programme={demo_programme.pk}", data)
    assert response.status_code == 200
    assert "INCONNU-9" in str(response.context["form"].errors["participants"])
    assert not Action.objects.filter(code="NOUVELLE-1").exists()

    data["participants"] = f"{known.code}\nINCONNU-9 ; infirmière"
    response = client.post(f"/actions/nouvelle/?programme={demo_programme.pk}", data)
    assert response.status_code == 302
    action = Action.objects.get(programme=demo_programme, code="NOUVELLE-1")
    assert action.lists_people and action.participations.count() == 2
    assert Person.objects.get(programme=demo_programme, code="INCONNU-9").profession == (
        "infirmière"
    )
    # Duplicate: a new code is proposed, everything else prefilled.
    response = client.get(f"/actions/{action.pk}/dupliquer/")
    initial = response.context["form"].initial
    assert initial["code"] == "NOUVELLE-2" and initial["territory"] == territory.pk
    assert initial["participants"].splitlines() == sorted([known.code, "INCONNU-9"])


def test_a_structure_is_added_to_its_register(demo_programme, client, coordinator):
    commune = demo_programme.communes.get(insee_code="44129")
    response = client.post(
        f"/registres/structures/?programme={demo_programme.pk}",
        {"code": "S-NEW", "name": "École neuve", "kind": "ecole_publique", "commune": commune.pk},
    )
    assert response.status_code == 302
    assert Structure.objects.get(programme=demo_programme, code="S-NEW").commune == commune
    page = client.get(f"/registres/structures/?programme={demo_programme.pk}&q=neuve")
    assert page.context["page"].paginator.count == 1


def test_the_report_sheet_is_saved_with_its_criteria_and_scrubbed(
    client, coordinator, demo_programme
):
    action = Action.objects.filter(programme=demo_programme, report__isnull=True).first()
    page = client.get(f"/actions/{action.pk}/fiche-bilan/")
    rows = page.context["rows"]
    first = rows[0][0]
    response = client.post(
        f"/actions/{action.pk}/fiche-bilan/",
        {
            "planned_sessions": 6,
            "worked": "Bien, écrire à marie@example.org",
            f"c{first.pk}-rating": "present",
            f"c{first.pk}-evidence": "Conducteur de séance",
        },
    )
    assert response.status_code == 302
    report = ActionReport.objects.get(action=action)
    assert "[courriel masqué]" in report.worked
    assert report.criteria.get().criterion == first


def test_a_territory_is_created_from_the_epci_search(client, coordinator):
    programme = Programme.objects.create(name="Nouveau", start="2024-09-01", end="2026-08-31")
    fragment = client.get(f"/territoires/epci/?programme={programme.pk}&q=pontchateau")
    assert "200000438" in fragment.content.decode()
    response = client.post(
        f"/territoires/nouveau/?programme={programme.pk}", {"epci": "200000438", "code": "PCSG"}
    )
    assert response.status_code == 302
    assert programme.territories.get(code="PCSG").communes.count() == 9


def test_the_report_is_downloaded_for_the_users_scope(client, demo_programme):
    viewer = get_user_model().objects.create_user("f", password="x")
    Membership.objects.create(user=viewer, programme=demo_programme, role=Role.VIEWER)
    client.force_login(viewer)
    form = {"format": "pptx", "territoire": "PCSG", "debut": "2023", "fin": "2024"}
    response = client.post("/rapport/telecharger/", form)
    assert response.status_code == 302  # to the task's page, which offers the file when done
    run_queued_tasks()
    response = client.get(response["Location"] + "fichier/")
    assert response["Content-Disposition"].endswith('.pptx"')
    deck = Presentation(io.BytesIO(b"".join(response.streaming_content)))
    cover = " ".join(
        shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame
    )
    assert "2023-2024 à 2024-2025" in cover and "Pontchâteau" in cover
    text = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "«" not in text  # no verbatims for a read-only role


def test_the_history_written_on_the_evaluation_page_opens_the_report(
    client, coordinator, demo_programme
):
    from ancrage.programmes.scope import Scope
    from ancrage.reports.sections import programme
    from ancrage.reports.sections.base import gather

    response = client.post(
        f"/evaluation/?programme={demo_programme.pk}",
        {
            "form": "settings",
            "settings-description": "Né en 1998 ; écrire à claire@example.org.",
            "settings-eligible_share": "4,8",  # per cent, typed the French way
            "settings-free_actions": "on",
        },
    )
    assert response.status_code == 302
    history = programme.history(gather(Scope(demo_programme)))[0]
    texts = [block.text for block in history.blocks if hasattr(block, "text")]
    assert texts[0] == "Né en 1998 ; écrire à [courriel masqué]."
    from ancrage.evaluation.models import EvaluationSettings

    assert EvaluationSettings.objects.get(programme=demo_programme).eligible_share == 0.048
    page = client.get(f"/evaluation/?programme={demo_programme.pk}").content.decode()
    assert 'value="4,8"' in page and "0.048" not in page


def test_a_meeting_record_is_added_to_a_copil_already_entered(demo_programme, client, coordinator):
    from ancrage.evaluation.models import MeetingRecord

    copil = (
        Action.objects.filter(
            programme=demo_programme, modality="copil", meeting_record__isnull=True
        ).first()
        or Action.objects.filter(programme=demo_programme, modality="copil").first()
    )
    MeetingRecord.objects.filter(action=copil).delete()
    response = client.post(
        f"/registres/reunions/?programme={demo_programme.pk}",
        {
            "action": copil.pk,
            "technicians": 4,
            "institutional_partners": 2,
            "structures": 3,
            "decisions": "Relancer les écoles ; appeler le 06 12 34 56 78",
        },
    )
    assert response.status_code == 302
    record = MeetingRecord.objects.get(action=copil)
    assert record.technicians == 4 and "[téléphone masqué]" in record.decisions


def test_a_territory_page_shows_its_name_figures_and_structures(
    client, coordinator, demo_programme
):
    response = client.get(f"/territoires/PCSG/?programme={demo_programme.pk}")
    page = response.content.decode()
    assert "<h1>Pays de Pontchâteau Saint-Gildas-des-Bois</h1>" in page
    assert response.context["figures"]["by_territory"].keys() == {"PCSG"}
    structures = response.context["structures"]
    assert structures and all(s.commune.territory.code == "PCSG" for s in structures)


def test_a_too_long_profession_and_a_code_taken_get_french_errors(
    client, coordinator, demo_programme
):
    territory = demo_programme.territories.get(code="PCSG")
    response = client.post(
        f"/actions/nouvelle/?programme={demo_programme.pk}",
        {
            "code": "LONGUE-1",
            "modality": "formation",
            "territory": territory.pk,
            "start": "2024-10-01",
            "participants": "NOUVEAU-1 ; " + "x" * 121,
        },
    )
    assert "profession trop longue" in str(response.context["form"].errors["participants"])
    assert not Action.objects.filter(code="LONGUE-1").exists()

    taken = Structure.objects.filter(programme=demo_programme).first()
    response = client.post(
        f"/registres/structures/?programme={demo_programme.pk}",
        {
            "code": taken.code,
            "name": "Doublon",
            "kind": "ecole_publique",
            "commune": taken.commune_id,
        },
    )
    assert response.status_code == 200
    assert "déjà utilisé" in str(response.context["form"].errors["code"])
    assert Structure.objects.filter(programme=demo_programme, code=taken.code).count() == 1


def test_a_file_that_is_not_a_workbook_is_named_by_the_users_file_name(client, coordinator):
    response = client.post(
        "/import/", {"classeur": SimpleUploadedFile("mon-classeur.xlsx", b"pas un classeur")}
    )
    (problem,) = response.context["problems"]
    assert problem.sheet == "mon-classeur.xlsx" and "illisible" in problem.message
    assert not Programme.objects.exists()
