"""Collections fit real work: actions entered after the fact get a collection running from today,
its end date can be moved, it can be reopened, and a closed collection says so."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ancrage.surveys.models import Collection, Response
from ancrage.surveys.services import (
    CollectionDateInvalid,
    collection_for,
    collection_reopen,
    collection_set_end,
)

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tmp_path):
    cache.clear()
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    action = programme.actions.get(code="C2")  # 2 May 2023, in territory T1
    return {"programme": programme, "form": form, "action": action, "cast": make_cast(programme)}


def collections_url(action):
    return reverse("surveys:action_collections", args=[action.pk])


def test_a_collection_opened_for_an_old_action_runs_from_today(setting):
    today = timezone.localdate()
    collection = collection_for(setting["form"], setting["action"])
    assert collection.opens_on == today
    assert collection.closes_on == today + dt.timedelta(days=30)
    assert collection.is_open(today)


def test_the_collection_length_is_set_per_programme(setting):
    programme = setting["programme"]
    programme.collection_days = 10
    programme.save(update_fields=["collection_days"])
    action = setting["programme"].actions.get(code="C2")
    collection = collection_for(setting["form"], action, today=dt.date(2026, 11, 26))
    assert collection.closes_on == dt.date(2026, 12, 6)


def test_a_collection_for_a_future_action_stays_open_after_it(setting):
    action = setting["action"]
    collection = collection_for(setting["form"], action, today=dt.date(2023, 4, 1))
    assert collection.opens_on == dt.date(2023, 4, 1)
    assert collection.closes_on == dt.date(2023, 6, 1)  # 2 May + 30 days


def test_the_end_date_cannot_precede_the_opening(setting):
    collection = collection_for(setting["form"], setting["action"])
    with pytest.raises(CollectionDateInvalid, match="ne peut pas précéder"):
        collection_set_end(collection=collection, closes_on=collection.opens_on - dt.timedelta(1))
    collection.refresh_from_db()
    assert collection.closes_on == collection.opens_on + dt.timedelta(days=30)


def test_a_closed_collection_is_reopened_from_today(setting):
    collection = collection_for(setting["form"], setting["action"], today=dt.date(2025, 1, 1))
    today = timezone.localdate()
    assert not collection.is_open(today)
    collection_reopen(collection=collection)
    assert collection.is_open(today)
    assert collection.closes_on == today + dt.timedelta(days=30)


def test_the_project_manager_opens_moves_and_reopens_a_collection(client, setting):
    action, form = setting["action"], setting["form"]
    client.force_login(setting["cast"]["cheffe_t1"])
    opened = client.post(collections_url(action), {"questionnaire": form.pk})
    collection = Collection.objects.get(action=action, questionnaire=form)
    assert opened.url == reverse("surveys:collection_qr", args=[collection.pk])
    new_end = timezone.localdate() + dt.timedelta(days=60)
    moved = client.post(
        collections_url(action),
        {"questionnaire": form.pk, "operation": "end", f"q{form.pk}-closes_on": new_end},
        follow=True,
    )
    assert "Fin de collecte fixée au" in moved.content.decode()
    collection.refresh_from_db()
    assert collection.closes_on == new_end
    collection.opens_on = dt.date(2025, 1, 1)
    collection.save(update_fields=["opens_on"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client.post(
        collections_url(action),
        {"questionnaire": form.pk, "operation": "end", f"q{form.pk}-closes_on": yesterday},
    )
    page = client.get(collections_url(action)).content.decode()
    assert "Collecte fermée" in page and "Rouvrir pour 30 jours" in page
    client.post(collections_url(action), {"questionnaire": form.pk, "operation": "reopen"})
    collection.refresh_from_db()
    assert collection.is_open(timezone.localdate())


def test_a_read_only_role_cannot_move_a_collection(client, setting):
    collection = collection_for(setting["form"], setting["action"])
    client.force_login(setting["cast"]["financeur"])
    refused = client.post(
        collections_url(setting["action"]),
        {"questionnaire": setting["form"].pk, "operation": "reopen"},
    )
    assert refused.status_code == 403
    qr = client.get(reverse("surveys:collection_qr", args=[collection.pk])).content.decode()
    assert "Rouvrir" not in qr


def test_the_qr_page_of_a_closed_collection_says_so_and_shows_no_code(client, setting):
    collection = collection_for(setting["form"], setting["action"], today=dt.date(2025, 1, 1))
    client.force_login(setting["cast"]["cheffe_t1"])
    page = client.get(reverse("surveys:collection_qr", args=[collection.pk])).content.decode()
    assert "Collecte fermée : ce QR code n'est pas imprimable" in page
    assert "<svg" not in page
    collection_reopen(collection=collection)
    page = client.get(reverse("surveys:collection_qr", args=[collection.pk])).content.decode()
    assert "<svg" in page and "Collecte ouverte jusqu" in page


def test_the_anonymous_form_answers_while_open_and_not_before(client, setting):
    today = timezone.localdate()
    collection = collection_for(setting["form"], setting["action"])
    url = reverse("surveys:public_form", args=[collection.token])
    assert client.post(url, {"aime": "4"}).status_code == 302
    collection.opens_on = today + dt.timedelta(days=2)
    collection.save(update_fields=["opens_on"])
    closed = client.get(url)
    assert closed.status_code == 410 and "ouvrira le" in closed.content.decode()
    assert Response.objects.count() == 1
