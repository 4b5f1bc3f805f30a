import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from ancrage.surveys.models import Answer, Response, Source
from ancrage.surveys.services import collection_for

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tmp_path):
    cache.clear()
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    action = programme.actions.get(code="C2")  # in territory T1
    collection = collection_for(form, action)
    collection.closes_on = dt.date.today() + dt.timedelta(days=10)
    collection.save(update_fields=["closes_on"])
    return {"programme": programme, "collection": collection, "cast": make_cast(programme)}


def entry_url(collection):
    return reverse("surveys:paper_entry", args=[collection.pk])


def test_paper_rows_are_saved_together(client, setting):
    client.force_login(setting["cast"]["cheffe_t1"])
    url = entry_url(setting["collection"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "r0-aime": "4",
            "r0-prefere": "jeux dessins",
            "r0-mot": "super, appelez le 06 12 34 56 78",
            "r1-aime": "2",
            "r1-emotions": "3",
        },
        follow=True,
    )
    assert "2 questionnaires enregistrés." in response.content.decode()
    assert set(Response.objects.values_list("source", flat=True)) == {Source.PAPER}
    assert Answer.objects.get(question__name="mot").text == "super, appelez le [téléphone masqué]"


def test_a_wrong_code_names_its_cell_and_saves_nothing(client, setting):
    client.force_login(setting["cast"]["coordination"])
    response = client.post(
        entry_url(setting["collection"]),
        {
            "r0-aime": "4",
            "r1-aime": "7",
        },
    )
    page = response.content.decode()
    assert "« 7 » n&#x27;est pas un choix de la question" in page
    assert 'aria-invalid="true"' in page
    assert Response.objects.count() == 0


def test_a_required_question_left_empty_is_flagged(client, setting):
    client.force_login(setting["cast"]["coordination"])
    page = client.post(entry_url(setting["collection"]), {"r0-emotions": "3"}).content.decode()
    assert "réponse obligatoire" in page
    assert Response.objects.count() == 0


def test_outsiders_get_404_viewers_403_strangers_the_login(client, setting):
    url = entry_url(setting["collection"])
    assert client.get(url).status_code == 302
    client.force_login(setting["cast"]["cheffe_t2"])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("surveys:collection_qr", args=[setting["collection"].pk])).status_code
        == 404
    )
    client.force_login(setting["cast"]["financeur"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"r0-aime": "4"}).status_code == 403
    assert Response.objects.count() == 0


def test_the_qr_page_shows_the_anonymous_link(client, setting):
    client.force_login(setting["cast"]["cheffe_t1"])
    page = client.get(reverse("surveys:collection_qr", args=[setting["collection"].pk]))
    content = page.content.decode()
    assert "<svg" in content
    assert f"/r/{setting['collection'].token}/" in content


def public_url(collection):
    return reverse("surveys:public_form", args=[collection.token])


def test_the_anonymous_form_needs_no_login_and_counts_the_answer(client, setting):
    url = public_url(setting["collection"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ce questionnaire est anonyme" in page.content.decode()
    response = client.post(url, {"aime": "4", "prefere": ["jeux", "relaxation"], "mot": "top"})
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.source == Source.ONLINE and saved.collection == setting["collection"]
    assert set(
        Answer.objects.filter(question__name="prefere").values_list("choice__name", flat=True)
    ) == {"jeux", "relaxation"}


def test_the_anonymous_form_refuses_a_missing_required_answer(client, setting):
    page = client.post(public_url(setting["collection"]), {"mot": "bof"})
    assert page.status_code == 200
    assert "Ce champ est obligatoire." in page.content.decode()
    assert Response.objects.count() == 0


def test_the_anonymous_form_closes_after_the_collection_window(client, setting):
    collection = setting["collection"]
    collection.closes_on = dt.date.today() - dt.timedelta(days=1)
    collection.save(update_fields=["closes_on"])
    assert client.get(public_url(collection)).status_code == 410
    assert client.post(public_url(collection), {"aime": "4"}).status_code == 410
    assert Response.objects.count() == 0


def test_the_anonymous_form_is_throttled_per_address(client, setting, settings):
    settings.ANCRAGE_FORM_LIMIT = 2
    url = public_url(setting["collection"])
    for _ in range(2):
        assert client.post(url, {"aime": "3"}).status_code == 302
    assert client.post(url, {"aime": "3"}).status_code == 429
    other = client.post(url, {"aime": "3"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert Response.objects.count() == 3


def test_an_unknown_link_is_404(client, db):
    assert client.get(reverse("surveys:public_form", args=["inconnu"])).status_code == 404
