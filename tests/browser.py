"""Playwright driving Debian's Chromium, for browser tests.

Locally, browser tests skip with a stated reason where no Chromium is found; in CI (CI=true)
a missing Chromium fails them instead: they must run there.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(found, reason: str, what: str):
    """A tool the test needs: skip locally with the reason where it is missing; in CI
    (CI=true) fail instead, since there the test must run."""
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} ; en CI, {what} doivent tourner")
        pytest.skip(reason)
    return found


def chromium_path() -> str | None:
    return (
        os.environ.get("ANCRAGE_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    executable = require(
        chromium_path(),
        "Chromium introuvable : installez le paquet Debian « chromium » (apt-get install chromium)",
        "les tests navigateur",
    )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django must still let the
    # tests use the database from it, while the browser runs and only then.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    """A phone-sized page (390 × 844, touch), in French."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    page = context.new_page()
    yield page
    context.close()
