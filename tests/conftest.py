from collections import Counter

import pytest

from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope

from .demo_rows import DemoRows

EVALUATION_KEYS = ("framework", "efficacy", "governance", "context", "reaim", "transferability")

# Browser fixtures (Playwright driving Debian's Chromium).
pytest_plugins = ["tests.browser"]


DEMO_ROWS = DemoRows()


@pytest.fixture(scope="session")
def demo_rows():
    return DEMO_ROWS


def pytest_terminal_summary(terminalreporter):
    if DEMO_ROWS.copies or DEMO_ROWS.loads:
        loads = Counter(DEMO_ROWS.loads).most_common()
        terminalreporter.write_line(
            f"demo programme: {DEMO_ROWS.copies} copies of its rows, "
            f"{len(DEMO_ROWS.loads)} loads from the workbook"
            + "".join(f"\n  {name}: {count}" for name, count in loads)
        )


@pytest.fixture
def demo_programme(db, demo_rows):
    """The demo programme: its rows copied back into the test's database (see demo_rows.py)."""
    return demo_rows.programme()


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
