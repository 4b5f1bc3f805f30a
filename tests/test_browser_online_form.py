"""A respondent fills the anonymous form on a phone, and the answer is counted."""

import datetime as dt

import pytest

from ancrage.programmes.scope import Scope
from ancrage.surveys.selectors import questionnaire_results
from ancrage.surveys.services import collection_for

from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_child_fills_the_form_on_a_phone_and_the_answer_is_counted(
    live_server,
    phone,
    tmp_path,
):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    collection = collection_for(form, programme.actions.get(code="C2"))
    collection.closes_on = dt.date.today() + dt.timedelta(days=7)
    collection.save(update_fields=["closes_on"])

    phone.goto(f"{live_server.url}/r/{collection.token}/")
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert phone.get_by_role("heading", level=1).inner_text() == "Les ateliers et moi"
    phone.get_by_label("😄 Énormément").first.check()  # "As-tu aimé les ateliers ?"
    phone.get_by_label("Les jeux").check()
    phone.get_by_label("Le moment calme").check()
    phone.get_by_label("Un mot pour dire comment tu t'es senti·e pendant les ateliers").fill(
        "j'ai adoré le moment calme"
    )
    # The page fits the phone: no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Merci !"
    phone.screenshot(path=str(tmp_path / "merci.png"))

    (entry,) = questionnaire_results(Scope(programme))
    assert entry["respondents"] == 1
    items = {item["name"]: item for item in entry["items"]}
    assert items["aime"]["favourable"] == 1
    assert items["mot"]["tones"]["positive"] == 1


def test_a_missing_required_answer_is_said_on_the_phone(live_server, phone, tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    collection = collection_for(form, programme.actions.get(code="C2"))
    collection.closes_on = dt.date.today() + dt.timedelta(days=7)
    collection.save(update_fields=["closes_on"])
    phone.goto(f"{live_server.url}/r/{collection.token}/")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    assert phone.get_by_role("alert").first.inner_text() == "Ce champ est obligatoire."
