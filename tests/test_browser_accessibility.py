"""axe-core, run in Chromium on every page of the app (from the URL configuration, as the
permission matrix) on a 1366 px laptop and a 390 px phone: no serious or critical violation of
WCAG 2.1 A/AA (RGAA), and no page wider than the screen."""

import os
from pathlib import Path

import pytest

from .test_permissions import EXPECTED, url_for, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Pages that answer with a file, a picture or a fragment, not a whole HTML page.
NOT_PAGES = {
    "reports:download",
    "tasks:status",  # an htmx fragment of the task's page
    "tasks:file",
    "workbook:export",
    "surveys:cloud",
    "accounts:logout",
    "territories:epci_search",  # an htmx fragment of the creation page
}
PAGES = sorted(
    name
    for name, (method, statuses) in EXPECTED.items()
    if method == "get" and "#" not in name and name.split("#")[0] not in NOT_PAGES
)
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
  });
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.id}: ${v.help} → ${v.nodes.slice(0, 3).map((n) => n.target).join(" | ")}`);
}"""


# A laptop and a phone: every page is checked at both widths.
SCREENS = {"ordinateur": (1366, 900), "telephone": (390, 844)}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.parametrize("screen", SCREENS)
def test_every_page_has_no_serious_accessibility_violation(live_server, browser, world, screen):  # noqa: F811
    width, height = SCREENS[screen]
    context = browser.new_context(  # bypass_csp to inject axe only
        locale="fr-FR", bypass_csp=True, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    anonymous = {"accounts:login", "surveys:public_form", "surveys:public_thanks"}
    found, too_wide = {}, {}
    shots = os.environ.get("ANCRAGE_SCREENSHOTS")  # a folder: one picture per page, to look at

    def visit(name):
        page.goto(live_server.url + url_for(name, world["collection"]))
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        found[name] = page.evaluate(RUN_AXE)
        # The page is no wider than the screen: tables and charts fit or scroll in their box.
        if page.evaluate(WIDTH) > width:
            too_wide[name] = page.evaluate(WIDTH)
        if shots:
            page.screenshot(path=f"{shots}/{name.replace(':', '-')}-{width}.png", full_page=True)

    for name in [n for n in PAGES if n in anonymous]:
        visit(name)
    context.add_cookies(_session_cookie(live_server, world["cast"]["coordination"]))
    for name in [n for n in PAGES if n not in anonymous]:
        visit(name)
    context.close()
    assert len(found) == len(PAGES) >= 20
    violations = {name: v for name, v in found.items() if v}
    assert violations == {}, violations
    assert too_wide == {}, f"pages plus larges que l'écran de {width} px : {too_wide}"


def _session_cookie(live_server, user) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
    ]
