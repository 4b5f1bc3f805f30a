"""Computed figures kept between page views, dropped as soon as any data changes.

At national scale a programme's figures take about 2.6 s on PostgreSQL (docs: performance.md);
the dashboard must answer in under 300 ms. Figures are cached per scope under a data version
that every write bumps: model saves and deletes through signals, bulk writes (imports,
services, response imports) by calling `figures_changed()` themselves. A write to a row that
names its programme drops only that programme's figures; any other drops them all.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from ancrage.programmes.scope import Scope
from ancrage.programmes.versions import _version, figures_changed

from .selectors import compute_indicators

TIMEOUT = 24 * 3600
# The apps whose rows any figure reads.
DATA_APPS = ("programmes", "territories", "activities", "surveys", "evaluation")


def cached_indicators(scope: Scope, *, hide_small: bool = False) -> dict:
    programme_id = scope.programme.pk
    parts = (programme_id, scope.territory_ids, scope.school_years, hide_small)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:16]
    versions = f"{_version(None)}.{_version(programme_id)}"
    key = f"ancrage:figures:{versions}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_indicators(scope, hide_small=hide_small)
        cache.set(key, figures, timeout=TIMEOUT)
    return figures


def _programme_of(instance) -> int | None:
    """The programme a saved or deleted row belongs to, when it carries it."""
    if instance._meta.label_lower == "programmes.programme":
        return instance.pk
    return getattr(instance, "programme_id", None)


def _on_change(sender, instance, **kwargs) -> None:
    figures_changed(_programme_of(instance))


def connect_signals() -> None:
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"ancrage-figures-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
