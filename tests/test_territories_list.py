"""/territoires/: the territories a user may see, with their key figures, each linked to its
page."""

import pytest
from django.urls import reverse

from .cast import make_cast
from .surveys_data import programme_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tmp_path):
    return make_cast(programme_with_actions(tmp_path))


def test_the_coordination_lists_every_territory_with_its_figures(client, cast):
    client.force_login(cast["coordination"])
    page = client.get(reverse("territories:list")).content.decode()
    assert "2 territoires" in page
    assert reverse("territories:detail", args=["T1"]) in page
    assert reverse("territories:detail", args=["T2"]) in page
    assert "Nouveau territoire" in page


def test_a_project_manager_lists_only_their_territory(client, cast):
    client.force_login(cast["cheffe_t2"])
    page = client.get(reverse("territories:list")).content.decode()
    assert "1 territoire" in page
    assert reverse("territories:detail", args=["T2"]) in page
    assert reverse("territories:detail", args=["T1"]) not in page
    assert "Nouveau territoire" not in page


def test_the_demo_territories_show_population_and_actions(
    client, demo_programme, django_user_model
):
    admin = django_user_model.objects.create_superuser("admin", password="pw-2025-x")
    client.force_login(admin)
    page = client.get(reverse("territories:list")).content.decode()
    row = page[page.index("Saint-Nazaire Agglo") :].split("</tr>")[0]
    assert "129\u202f500" in row  # population, French thousands
    assert "<td>10</td>" in row  # communes
