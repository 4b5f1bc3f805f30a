"""axe-core, run in Chromium on every page of the app (from the URL configuration, as the
permission matrix): no serious or critical violation of WCAG 2.1 A/AA (RGAA)."""

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


def test_every_page_has_no_serious_accessibility_violation(live_server, browser, world):  # noqa: F811
    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # to inject axe only
    page = context.new_page()
    anonymous = {"accounts:login", "surveys:public_form", "surveys:public_thanks"}
    found = {}
    for name in [n for n in PAGES if n in anonymous]:
        page.goto(live_server.url + url_for(name, world["collection"]))
        page.add_script_tag(path=str(AXE))
        found[name] = page.evaluate(RUN_AXE)
    context.add_cookies(_session_cookie(live_server, world["cast"]["coordination"]))
    for name in [n for n in PAGES if n not in anonymous]:
        page.goto(live_server.url + url_for(name, world["collection"]))
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        found[name] = page.evaluate(RUN_AXE)
    context.close()
    assert len(found) == len(PAGES) >= 20
    violations = {name: v for name, v in found.items() if v}
    assert violations == {}, violations


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
