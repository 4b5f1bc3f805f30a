"""Downloads beside every chart and table, as a user takes them in Chromium: a chart's data as
CSV (written by the server from the rows the chart is drawn from), the drawn chart as PNG and
SVG, and any table of figures as CSV for a French spreadsheet."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-mot-de-passe-solide"


def test_a_chart_and_a_table_are_downloaded(live_server, browser, demo_programme, tmp_path):
    get_user_model().objects.create_superuser("claire", password=PASSWORD)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    chart = page.locator("figure.chart").filter(has_text="Nombre d'actions par modalité")
    with page.expect_download() as download:
        chart.get_by_role("link", name="données (CSV)").click()
    assert download.value.suggested_filename == "nombre-dactions-par-modalite.csv"
    text = download.value.path().read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Catégorie;Actions"
    assert "Formation;14" in lines and "Accompagnement;32" in lines

    with page.expect_download() as image:
        chart.get_by_role("link", name="image (PNG)").click()
    assert image.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as drawing:
        chart.get_by_role("link", name="image (SVG)").click()
    assert "<svg" in drawing.value.path().read_text(encoding="utf-8")

    page.goto(f"{live_server.url}/territoires/")
    with page.expect_download() as table:
        page.get_by_role("button", name="Télécharger le tableau (CSV)").click()
    rows = table.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Territoire;Code;Population;Communes;Actions")
    assert any(r.startswith("Saint-Nazaire Agglo;CARENE;129500;10;") for r in rows)
    context.close()
