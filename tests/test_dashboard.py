import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .cast import PASSWORD, make_cast
from .helpers import grow_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo_programme):
    return make_cast(demo_programme, ("PCSG", "CARENE"))


def test_the_dashboard_shows_the_seed_s_headline_figures(client, people):
    client.force_login(people["admin"])
    page = client.get(reverse("dashboard")).content.decode()
    # French numbers: a narrow no-break space groups thousands and precedes « % ».
    for figure in ("350", "3\u202f780", "430", "152", "52", "94\u202f%"):
        assert f"<dd>{figure}</dd>" in page
    assert "5 COPIL · 11 COTECH · 16" in page


def test_the_dashboard_filters_by_territory_and_school_year(client, people):
    client.force_login(people["admin"])
    page = client.get(reverse("dashboard"), {"territoire": "PCSG"}).content.decode()
    assert "10 élu·es investi·es" in page
    year = client.get(reverse("dashboard"), {"annee": "2022"}).content.decode()
    from ancrage.activities.models import Action

    trainings = Action.objects.filter(modality="formation", school_year=2022).count()
    assert 0 < trainings < 14
    assert f"Formation</th><td>{trainings}</td>" in year


def test_a_project_manager_sees_only_their_territory(client, people):
    client.force_login(people["cheffe_pcsg"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "3 COPIL · 6 COTECH · 10" in page  # PCSG's, not the programme's
    assert "Saint-Nazaire Agglo" not in page
    assert client.get(reverse("dashboard"), {"territoire": "CARENE"}).status_code == 404


def test_a_user_without_role_sees_no_figures(client, people):
    client.force_login(people["sans_role"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "Aucun programme" in page


def test_the_dashboard_query_count_does_not_grow_with_the_data(client, people, demo_programme):
    client.force_login(people["admin"])
    client.get(reverse("dashboard"))  # the session's first page saves its own rows
    cache.clear()  # each measured page computes every figure, none kept
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("dashboard")).status_code == 200
    assert len(before) <= 50
    grow_programme(demo_programme)  # a territory, 28 actions, a seventh questionnaire
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse("dashboard")).status_code == 200
    assert len(after) == len(before), [q["sql"][:80] for q in after.captured_queries]


def test_login_is_throttled_after_repeated_failures(client, people, settings):
    settings.ANCRAGE_LOGIN_ATTEMPTS = 3
    url = reverse("accounts:login")
    for _ in range(3):
        page = client.post(url, {"username": "financeur", "password": "faux"})
        assert "Saisissez un nom d’utilisateur et un mot de passe valides" in page.content.decode()
    blocked = client.post(url, {"username": "financeur", "password": PASSWORD})
    assert "Trop de tentatives de connexion" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_in_french(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="fr"' in page and "Se connecter" in page


def test_the_results_page_shows_items_with_n_and_the_sentiment_cloud(client, people):
    from ancrage.surveys.models import Questionnaire

    training = Questionnaire.objects.get(form_id="formation_professionnels")
    client.force_login(people["admin"])
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("surveys:results", args=[training.pk]) in dashboard
    page = client.get(reverse("surveys:results", args=[training.pk])).content.decode()
    assert "190 répondant·es sur 250 bénéficiaires" in page
    assert "N = 162" in page and "IC 95 %" in page
    assert reverse("surveys:cloud", args=[training.pk, "retenu"]) in page
    image = client.get(reverse("surveys:cloud", args=[training.pk, "retenu"]))
    assert image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"


def test_read_only_roles_see_no_free_text_and_no_small_cells(client, people):
    from ancrage.surveys.models import Questionnaire

    referents = Questionnaire.objects.get(form_id="accompagnement_referents")
    client.force_login(people["financeur"])
    page = client.get(reverse("surveys:results", args=[referents.pk])).content.decode()
    assert "Nuage de sentiments" not in page and "Verbatim" not in page
    cloud = client.get(reverse("surveys:cloud", args=[referents.pk, "commentaire"]))
    assert cloud.status_code == 403
    # In 2021-2022, 4 referents answered: hidden from a viewer, shown to the coordination.
    year = {"annee": "2021"}
    small = client.get(reverse("surveys:results", args=[referents.pk]), year).content.decode()
    assert "4 réponses : résultat masqué (moins de 5 réponses" in small
    client.force_login(people["admin"])
    full = client.get(reverse("surveys:results", args=[referents.pk]), year).content.decode()
    assert "N = 4" in full and "résultat masqué" not in full
