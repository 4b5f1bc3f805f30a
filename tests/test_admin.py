"""The French admin serves every model of the programme, with its lists and forms."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

ANCRAGE_MODELS = [model for model in admin.site._registry if model._meta.app_label not in {"auth"}]


@pytest.fixture
def admin_client_fr(client, db):
    user = get_user_model().objects.create_superuser("coordination", password="x-pass-2025")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ANCRAGE_MODELS, ids=lambda m: m._meta.label)
def test_every_list_and_first_page_opens_in_french(demo_programme, admin_client_fr, model):
    opts = model._meta
    listing = admin_client_fr.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert listing.status_code == 200
    assert 'lang="fr"' in listing.content.decode()
    first = model.objects.first()
    if first is not None:
        page = admin_client_fr.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
        )
        assert page.status_code == 200


def test_the_admin_lists_search_by_code(demo_programme, admin_client_fr):
    url = reverse("admin:activities_action_changelist")
    page = admin_client_fr.get(url, {"q": "COPIL-PCSG"})
    assert page.status_code == 200
    assert "3 actions" in page.content.decode()


def test_the_admin_requires_a_login(client, db):
    response = client.get(reverse("admin:activities_person_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_is_for_administrators_only(client, db):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("cheffe", password="x-pass-2025", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:activities_person_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
