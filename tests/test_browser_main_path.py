"""The main path, walked in Chromium as a new user would: log in, import the demo workbook
(preview, then confirm), read the seed's headline figures, filter by territory, open the map
and a commune's popup, add an action with three participants and see the figures move, have a
questionnaire filled on a phone, download the export and the report."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.surveys.selectors import questionnaire_results

from .surveys_data import questionnaire
from .worker import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def headline(page, label: str) -> int:
    text = page.locator("dl.headline div", has_text=label).first.locator("dd").inner_text()
    return int(re.sub(r"\D", "", text))


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_main_path(live_server, desktop, browser, tmp_path):
    page, url = desktop, live_server.url
    get_user_model().objects.create_superuser("claire", password=PASSWORD)
    login(page, url, "claire")

    # Import: the preview says what will be created, nothing is written before confirming.
    page.get_by_role("link", name="Import").click()
    page.set_input_files("#classeur", str(DEMO_WORKBOOK))
    page.get_by_role("button", name="Vérifier le classeur").click()
    preview = page.locator("table.preview")
    assert "actions" in preview.inner_text() and "participations" in preview.inner_text()
    assert not Programme.objects.exists()
    page.get_by_role("button", name="Confirmer l'import").click()
    # The import is a background task: its page waits for the worker, then opens the programme.
    expect(page.locator("#job-status")).to_contain_text("En attente")
    run_queued_tasks()
    expect(page.locator("#job-status")).to_contain_text("importé")  # polled by htmx
    page.get_by_role("link", name="Voir le résultat").click()

    # The seed's headline figures, computed from the imported person-level rows.
    assert headline(page, "Enfants touchés directement") == 350
    assert headline(page, "Enfants touchés indirectement") == 3780
    assert headline(page, "Professionnel·les") == 430
    assert headline(page, "Parents") == 152
    assert headline(page, "Structures") == 52
    page.wait_for_selector("[data-chart='chart-deliveries'][data-drawn] svg")

    # Filter by territory: the figures are the territory's.
    programme = Programme.objects.get()
    pcsg = programme.territories.get(code="PCSG")
    expected = compute_indicators(Scope(programme, territory_ids=(pcsg.pk,)))
    page.get_by_label("Territoire").select_option("PCSG")
    page.get_by_role("button", name="Filtrer").click()  # updated in the page by htmx
    structures = page.locator("dl.headline div", has_text="Structures").first.locator("dd")
    expect(structures).to_have_text(str(expected["reach"]["structures"]))
    assert expected["reach"]["structures"] < 52
    page.wait_for_url("**territoire=PCSG**")  # the filtered view has its own address
    page.wait_for_selector("[data-chart='chart-deliveries'][data-drawn] svg")

    # The map, and a commune's popup listing its actions by modality.
    page.get_by_role("link", name="Carte", exact=True).click()
    page.wait_for_selector(".map[data-drawn]")
    page.locator(".leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "actions" in popup.inner_text() and "personnes" in popup.inner_text()

    # A new action with three participants typed as codes: the figures move.
    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_role("link", name="Nouvelle action").click()
    # The form refreshes its code and lists as each field changes (htmx, a newer refresh
    # cancelling an older one, which htmx logs as an error): a person's pace lets each land.
    settled = "() => !document.querySelector('.htmx-request')"
    page.get_by_label("Modalité").select_option("formation")
    page.wait_for_function(settled)
    page.get_by_label("Territoire").select_option(label=pcsg.name)
    page.wait_for_function(settled)
    # Entered after the fact, as usual: dated within the programme (figures cover its dates).
    page.get_by_label("Début").fill((programme.end - dt.timedelta(days=60)).isoformat())
    page.get_by_label("Participant·es (codes pseudonymes, un par ligne)").fill(
        "NOUV-1 ; enseignante\nNOUV-2 ; animateur\nNOUV-3 ; éducatrice"
    )
    page.get_by_role("button", name="Enregistrer l'action").click()
    assert "3 participant·es" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Tableau de bord").click()
    assert headline(page, "Professionnel·les") == 433
    # 3 more trained adults × 70 % replicate × 20 children = 42 more children, indirectly.
    assert headline(page, "Enfants touchés indirectement") == 3780 + 42

    # A questionnaire for the new action, filled on a phone from its link.
    form = questionnaire(programme, "formation_professionnels")
    page.get_by_role("link", name="Actions", exact=True).click()
    code = page.locator("table.data tbody tr").first.locator("th").inner_text()
    page.get_by_role("link", name=f"Questionnaires de {code}").click()
    page.get_by_role("button", name="Ouvrir la collecte").click()
    link = page.locator("figure.qr a").get_attribute("href")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    phone.goto(link)
    for group in phone.locator("fieldset.question").all():
        choice = group.locator("input[type=radio], input[type=checkbox]")
        if choice.count():
            choice.last.check()
        else:
            group.locator("textarea, input").first.fill("Très utile pour ma classe")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Merci !"
    phone.context.close()
    (entry,) = [q for q in questionnaire_results(Scope(programme)) if q["id"] == form.pk]
    assert entry["respondents"] == 1

    # The export: the workbook opens back with the new action in it.
    page.goto(f"{url}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter le classeur").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    actions = load_workbook(path, read_only=True)["actions"]
    assert any(row[0] == code for row in actions.iter_rows(values_only=True))

    # The report, requested in the browser, produced by the worker, then downloaded.
    page.get_by_role("link", name="Rapport", exact=True).click()
    page.get_by_label("Page web autonome (.html)").check()
    page.get_by_role("button", name="Produire le rapport").click()
    expect(page.locator("#job-status")).to_contain_text("En attente")
    run_queued_tasks()
    link = page.get_by_role("link", name=re.compile(r"^Télécharger rapport-"))
    expect(link).to_be_visible()  # the page polled the task's state and offers the file
    expect(page.locator("#job-status progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        link.click()
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert report.name.startswith("rapport-") and report.suffix == ".html"
    assert "4\u202f172" in report.read_text(encoding="utf-8")  # 4,130 children + 42
    page.get_by_role("link", name="Mes tâches", exact=True).click()
    expect(page.locator("table.jobs tbody tr")).to_have_count(2)  # the import and the report

    assert page.errors == [], page.errors
