import pytest

from ancrage.demo.answers import load_demo_answers
from ancrage.demo.evaluation import load_demo_evaluation
from ancrage.demo.workbook import DEMO_WORKBOOK
from ancrage.evaluation.models import Framework, FrameworkItem
from ancrage.evaluation.reference import load_frameworks
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope
from ancrage.workbook.importer import import_workbook

EVALUATION_KEYS = ("framework", "efficacy", "governance", "context", "reaim", "transferability")

# Browser fixtures (Playwright driving Debian's Chromium).
pytest_plugins = ["tests.browser"]


@pytest.fixture
def demo_programme(db):
    # A browser test's flush empties the reference grids that a migration loaded; put them back.
    load_frameworks(Framework, FrameworkItem)
    programme = import_workbook(DEMO_WORKBOOK).programme
    load_demo_answers(programme)
    load_demo_evaluation(programme)
    return programme


@pytest.fixture
def demo_figures(demo_programme):
    return compute_indicators(Scope(demo_programme))


@pytest.fixture
def demo_evaluation(demo_figures):
    return {key: demo_figures[key] for key in EVALUATION_KEYS}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many accounts: a fast hasher keeps the suite quick. The settings keep
    Django's default (PBKDF2), checked in test_production.py."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test starts with an empty in-memory cache (computed figures, throttling), apart
    from the files a running instance uses."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
