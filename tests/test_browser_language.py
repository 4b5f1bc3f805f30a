"""A browser set to English gets French; the user switches to English with the switcher, and
the next visit is in English too (the account remembers)."""

import pytest
from playwright.sync_api import expect

from .cast import make_cast
from .surveys_data import programme_with_actions

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("mot-de-passe-2025")
    page.locator("form button[type=submit]").last.click()


def test_a_user_switches_to_english_and_it_is_remembered(live_server, browser, tmp_path):
    make_cast(programme_with_actions(tmp_path))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    login(page, live_server.url, "cheffe_t1")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Actions", exact=True).click()
    expect(page.get_by_role("link", name="New action")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    context.clear_cookies()
    login(page, live_server.url, "cheffe_t1")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    context.close()
