"""Computed figures kept between page views, dropped as soon as any data changes.

At national scale a programme's figures take about 2.6 s on PostgreSQL (docs/performance.md);
the dashboard must answer in under 300 ms. Figures are cached per scope under a data version
that every write bumps: model saves and deletes through signals, bulk writes (imports,
services, response imports) by calling `figures_changed()` themselves. A write to a row that
names its programme drops only that programme's figures; any other drops them all.
"""

import hashlib
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import translation

from ancrage.programmes.scope import Scope
from ancrage.programmes.versions import figures_changed, versions_of

from .selectors import compute_indicators

TIMEOUT = 24 * 3600
COMPUTE_TIMEOUT = 30  # seconds a reader waits for figures another process is computing
WAIT_STEP = 0.05
# The apps whose rows any figure reads.
DATA_APPS = ("programmes", "territories", "activities", "surveys", "evaluation")
# Rows that belong to one territory and that only that territory's figures (and the
# programme-wide ones) read: writing one keeps the other territories' figures. Any other row
# (people, structures, referents, the evaluation's grids…) may show in every territory's.
TERRITORIAL = {
    "activities.action",
    "activities.participation",
    "activities.actionstructure",
    "surveys.response",
    "surveys.answer",
    "programmes.coordinationdays",
    "programmes.objective",
}
# Beyond this many territories, a scope is keyed on every write in the programme.
TERRITORY_KEYS_MAX = 50


def _code_version() -> str:
    """A fingerprint of the code: a deploy that changes how figures are computed (or their
    shape) must never read figures a previous version cached in a shared cache."""
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def cached_indicators(scope: Scope, *, hide_small: bool = False) -> dict:
    programme_id = scope.programme.pk
    # The figures carry labels (criteria, conditions, verdicts) in the reader's language: an
    # English reader must never get the French reader's cached figures, nor the reverse.
    language = translation.get_language() or settings.LANGUAGE_CODE
    parts = (programme_id, scope.territory_ids, scope.school_years, hide_small, language)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:16]
    territories = scope.territory_ids
    if territories is not None and len(territories) > TERRITORY_KEYS_MAX:
        territories = None
    versions = versions_of(programme_id, territories)
    key = f"ancrage:figures:{CODE_VERSION}:{versions}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = _computed_once(key, scope, hide_small)
    return figures


def _computed_once(key: str, scope: Scope, hide_small: bool) -> dict:
    """Compute the figures of these versions in one process while the others wait for them
    (every reader missed the cache at once after a write: computing them all in parallel made
    each slower). They are the same versions' figures, so just as fresh; a reader that waited
    too long computes them itself."""
    lock = key + ":calcul"
    if not cache.add(lock, 1, timeout=COMPUTE_TIMEOUT):
        deadline = time.monotonic() + COMPUTE_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            figures = cache.get(key)
            if figures is not None:
                return figures
            if cache.get(lock) is None:  # the computing process gave up or failed
                break
    try:
        figures = compute_indicators(scope, hide_small=hide_small)
        cache.set(key, figures, timeout=TIMEOUT)
    finally:
        cache.delete(lock)
    return figures


def _programme_of(instance) -> int | None:
    """The programme a saved or deleted row belongs to, when it carries it."""
    if instance._meta.label_lower == "programmes.programme":
        return instance.pk
    return getattr(instance, "programme_id", None)


def _remember_territory(sender, instance, **kwargs) -> None:
    """The territory a territorial row had when loaded: moving it changes both territories."""
    instance._figures_territory = instance.__dict__.get("territory_id", "unknown")


def _territories_of(instance) -> tuple:
    """The territories whose figures a write of this row changes; () when it may be any."""
    if instance._meta.label_lower not in TERRITORIAL:
        return ()
    before = getattr(instance, "_figures_territory", None)
    now = instance.__dict__.get("territory_id", "unknown")
    if "unknown" in (before, now):
        return ()
    return tuple(t for t in {before, now} if t is not None) or ()


def _on_change(sender, instance, **kwargs) -> None:
    territories = _territories_of(instance)
    if instance._meta.label_lower in TERRITORIAL and not territories:
        figures_changed(_programme_of(instance))  # a programme-wide objective, say
    else:
        figures_changed(_programme_of(instance), territories)
    if instance._meta.label_lower in TERRITORIAL:
        instance._figures_territory = instance.__dict__.get("territory_id", "unknown")


def connect_signals() -> None:
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"ancrage-figures-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
            if model._meta.label_lower in TERRITORIAL:
                post_init.connect(_remember_territory, sender=model, dispatch_uid=uid + "-init")
