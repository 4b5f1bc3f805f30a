"""The action form in Chromium, as a coordinator uses it: the code follows the modality and the
territory until they type their own, communes and structures narrow to the chosen territory
(htmx), structures are ticked from a list filtered by typing (keyboard only), and the message
agrees with the number of participants."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ancrage.activities.models import Action

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-solide"


def test_the_action_form_follows_the_modality_and_the_territory(
    live_server, browser, demo_programme, tmp_path
):
    get_user_model().objects.create_superuser("claire", password=PASSWORD)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/actions/nouvelle/?programme={demo_programme.pk}")

    code = page.get_by_label("Identifiant")
    page.get_by_label("Territoire").select_option(label="Saint-Nazaire Agglo")
    expect(code).to_have_value(re.compile(r"^FOR-CARENE-\d+$"))
    communes = page.locator("#id_commune option").all_inner_texts()
    assert "Saint-Nazaire (44184)" in communes and "Pontchâteau (44129)" not in communes
    structures = page.locator("#structures-list label")
    expect(structures.filter(has_text="Mairie de Trignac")).to_have_count(1)
    expect(structures.filter(has_text="École publique de Pontchâteau")).to_have_count(0)

    page.get_by_label("Modalité").select_option(label="Co-intervention")
    expect(code).to_have_value(re.compile(r"^COI-CARENE-\d+$"))
    page.get_by_label("Territoire").select_option(label="Pays de Pontchâteau Saint-Gildas-des-Bois")
    expect(code).to_have_value("COI-PCSG-06")
    assert "Pontchâteau (44129)" in page.locator("#id_commune option").all_inner_texts()

    # Structures: typed, then ticked with the keyboard; no Ctrl-click.
    page.get_by_label("Filtrer les structures").fill("ecole publique")
    visible = page.locator("#structures-list li:not([hidden])")
    expect(visible.first).to_contain_text("École publique")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("[data-picker-count]")).to_contain_text("1 structure cochée")
    page.screenshot(path=str(tmp_path / "form-1366.png"), full_page=True)

    # A code of one's own stays when the modality changes.
    code.fill("COI-PCSG-MAISON")
    page.get_by_label("Modalité").select_option(label="Formation")
    page.wait_for_load_state("networkidle")
    expect(code).to_have_value("COI-PCSG-MAISON")
    expect(page.locator("[data-picker-count]")).to_contain_text("1 structure cochée")
    page.get_by_label("Modalité").select_option(label="Co-intervention")
    page.get_by_label("Début").fill("2024-03-12")
    page.get_by_label("Participant·es (codes pseudonymes, un par ligne)").fill(
        "NOUV-001 ; enseignante"
    )
    page.get_by_role("button", name="Enregistrer l'action").click()
    expect(page.locator(".messages")).to_contain_text(
        "Action COI-PCSG-MAISON enregistrée (1 participant·e listé·e)."
    )
    saved = Action.objects.get(programme=demo_programme, code="COI-PCSG-MAISON")
    assert saved.territory.code == "PCSG"
    (structure,) = saved.structures.all()
    assert structure.name.startswith("École publique")
    assert errors == []
    context.close()
