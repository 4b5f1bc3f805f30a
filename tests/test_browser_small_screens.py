"""Phones and tablets, with the demo programme's real volume of data: every page of the app (the
list comes from the URL configuration, as for accessibility) is no wider than a 390 px phone or
a 768 px tablet; the menu folds behind a « Menu » button and opens with the keyboard."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ancrage.surveys.models import Collection
from ancrage.tasks.models import Kind
from ancrage.tasks.services import job_start

from .test_browser_accessibility import PAGES
from .test_permissions import url_for

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-solide"
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def demo_url(name: str, collection: Collection) -> str:
    if name == "territories:detail":
        return reverse(name, args=[collection.action.territory.code])
    return url_for(name, collection)  # the same addresses as the permission matrix


def login(page, url: str) -> None:
    page.goto(f"{url}/connexion/")
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.slow
def test_every_page_fits_a_phone_and_a_tablet(live_server, browser, demo_programme):
    # One test for both screens: the demo's reference frameworks come from a migration, which a
    # transactional test's flush would remove before a second one.
    claire = get_user_model().objects.create_superuser("claire", password=PASSWORD)
    job_start(user=claire, kind=Kind.REPORT, label="Rapport", params={})  # a task's page
    collection = Collection.objects.filter(action__programme=demo_programme).first()
    for width in (390, 768):
        check_screen(live_server, browser, collection, width)


def check_screen(live_server, browser, collection, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    shots = os.environ.get("ANCRAGE_SCREENSHOTS")  # a folder: one picture per page, to look at
    too_wide = {}
    login(page, live_server.url)
    # The people register too: its add form lists structures by their long names.
    for name in [*PAGES, "registers:register#people"]:
        if name in {"surveys:public_form", "surveys:public_thanks", "accounts:login"}:
            continue  # anonymous pages: test_browser_accessibility.py
        page.goto(live_server.url + demo_url(name, collection))
        page.wait_for_load_state("networkidle")
        if page.evaluate(WIDTH) > width:
            too_wide[name] = page.evaluate(WIDTH)
        if shots:
            page.screenshot(
                path=f"{shots}/demo-{name.replace(':', '-')}-{width}.png", full_page=True
            )
    assert too_wide == {}, f"pages plus larges que l'écran de {width} px : {too_wide}"

    # The menu: folded on a phone, opened by its button from the keyboard.
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    button = page.get_by_role("button", name="Menu")
    if width == 390:
        assert not menu.is_visible()
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert menu.get_by_role("link", name="Actions").is_visible()
        page.keyboard.press("Escape")
        assert not menu.is_visible()
    else:
        assert menu.get_by_role("link", name="Actions").is_visible()
        assert not button.is_visible()
    context.close()
