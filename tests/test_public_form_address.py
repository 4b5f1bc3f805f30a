"""One form of address per questionnaire: « tu » for children, « vous » for adults, in every
text of the anonymous form around the questionnaire's own items."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ancrage.surveys.services import collection_for

from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tmp_path):
    cache.clear()
    return programme_with_actions(tmp_path)


def pages(client, collection) -> tuple[str, str]:
    form = client.get(reverse("surveys:public_form", args=[collection.token]))
    thanks = client.get(reverse("surveys:public_thanks", args=[collection.token]))
    return form.content.decode(), thanks.content.decode()


def test_professionals_are_addressed_as_vous(client, programme):
    form = questionnaire(programme, "formation_professionnels")
    collection = collection_for(form, programme.actions.get(code="F2"))
    page, thanks = pages(client, collection)
    assert "n'écrivez pas votre nom" in page and "n'écris pas ton nom" not in page
    assert "Vos réponses ont bien été enregistrées." in thanks
    assert "Tes réponses" not in thanks


def test_children_are_addressed_as_tu(client, programme):
    form = questionnaire(programme, "coi_enfants")
    collection = collection_for(form, programme.actions.get(code="C2"))
    page, thanks = pages(client, collection)
    assert "n'écris pas ton nom" in page
    assert "Tes réponses ont bien été enregistrées." in thanks


def test_the_pairing_code_is_asked_in_the_questionnaire_s_form_of_address(client, programme):
    form = questionnaire(programme, "formation_professionnels")
    form.pairing = True
    form.save(update_fields=["pairing"])
    collection = collection_for(form, programme.actions.get(code="F2"))
    page, _thanks = pages(client, collection)
    assert "Votre code secret" in page and "prénom de votre mère" in page
    assert "Ton code secret" not in page
