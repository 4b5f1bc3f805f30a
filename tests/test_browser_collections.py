"""A project manager opens, in Chromium, the collection of an action held two years ago (entered
after the fact): it runs from today, its QR page says so, and a respondent answers it on a
390 px phone. Once closed, the QR page says so instead of printing the code."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from ancrage.surveys.models import Collection, Response

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-2025")
    page.get_by_role("button", name="Se connecter").click()


def test_a_collection_for_an_action_two_years_old_is_answered_on_a_phone(
    live_server, browser, phone, tmp_path
):
    programme = programme_with_actions(tmp_path)
    questionnaire(programme, "coi_enfants")
    make_cast(programme)
    action = programme.actions.get(code="C2")
    assert action.start <= timezone.localdate() - dt.timedelta(days=2 * 365)

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "cheffe_t1")
    page.goto(f"{live_server.url}/actions/{action.pk}/collectes/")
    page.get_by_role("button", name="Ouvrir la collecte").click()
    end = date_format(timezone.localdate() + dt.timedelta(days=30), "j F Y")
    assert page.locator(".state-open").inner_text() == f"Collecte ouverte jusqu'au {end} inclus."
    link = page.locator("figure.qr figcaption a").get_attribute("href")
    assert page.locator("figure.qr svg").is_visible()
    page.screenshot(path=str(tmp_path / "qr-1366.png"), full_page=True)

    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Les ateliers et moi"
    phone.get_by_label("😄 Énormément").first.check()
    phone.get_by_label("Les jeux").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Merci !"
    assert Response.objects.filter(collection__action=action).count() == 1

    # Closed (its end moved to before today): the QR page says so and prints no code.
    collection = Collection.objects.get(action=action)
    Collection.objects.filter(pk=collection.pk).update(
        opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2025, 2, 1)
    )
    page.goto(f"{live_server.url}/collectes/{collection.pk}/qr/")
    assert (
        "Collecte fermée : ce QR code n'est pas imprimable"
        in page.get_by_role("alert").inner_text()
    )
    assert page.locator("figure.qr").count() == 0
    page.get_by_role("button", name="Rouvrir la collecte pour 30 jours").click()
    assert page.locator("figure.qr svg").is_visible()
    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Les ateliers et moi"
    context.close()
