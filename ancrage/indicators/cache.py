"""Computed figures kept between page views, dropped as soon as any data changes.

At national scale a programme's figures take about 2.6 s on PostgreSQL (docs: performance.md);
the dashboard must answer in under 300 ms. Figures are cached per scope under a data version
that every write bumps: model saves and deletes through signals, bulk writes (imports,
services, response imports) by calling `figures_changed()` themselves.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .scope import Scope
from .selectors import compute_indicators

VERSION_KEY = "ancrage:figures:version"
TIMEOUT = 24 * 3600
# The apps whose rows any figure reads.
DATA_APPS = ("programmes", "territories", "activities", "surveys", "evaluation")


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value invalidates
        cache.set(VERSION_KEY, _version() + 1, timeout=None)


def _bump_after_commit() -> None:
    _bump()


def figures_changed() -> None:
    """Drop every cached figure now, and again when the current transaction commits (so that
    a page computed meanwhile from the old rows is not kept). Once per transaction: an import
    saving many rows bumps twice, not once per row."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _bump_after_commit for entry in connection.run_on_commit
    ):
        return
    _bump()
    transaction.on_commit(_bump_after_commit)


def cached_indicators(scope: Scope, *, hide_small: bool = False) -> dict:
    parts = (scope.programme.pk, scope.territory_ids, scope.school_years, hide_small)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:16]
    key = f"ancrage:figures:{_version()}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_indicators(scope, hide_small=hide_small)
        cache.set(key, figures, timeout=TIMEOUT)
    return figures


def _on_change(sender, **kwargs) -> None:
    figures_changed()


def connect_signals() -> None:
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"ancrage-figures-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
