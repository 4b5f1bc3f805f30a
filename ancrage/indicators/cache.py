"""Computed figures kept between page views, dropped as soon as any data changes.

At national scale a programme's figures take about 2.6 s on PostgreSQL (docs: performance.md);
the dashboard must answer in under 300 ms. Figures are cached per scope under a data version
that every write bumps: model saves and deletes through signals, bulk writes (imports,
services, response imports) by calling `figures_changed()` themselves. A write to a row that
names its programme drops only that programme's figures; any other drops them all.
"""

import hashlib
from functools import partial

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .scope import Scope
from .selectors import compute_indicators

VERSION_KEY = "ancrage:figures:version"  # bumped when the programme is unknown
PROGRAMME_KEY = "ancrage:figures:version:{}"  # bumped by writes to one programme's rows
TIMEOUT = 24 * 3600
# The apps whose rows any figure reads.
DATA_APPS = ("programmes", "territories", "activities", "surveys", "evaluation")


def _key(programme_id: int | None) -> str:
    return VERSION_KEY if programme_id is None else PROGRAMME_KEY.format(programme_id)


def _version(programme_id: int | None) -> int:
    key = _key(programme_id)
    version = cache.get(key)
    if version is None:
        version = 1
        cache.add(key, version, timeout=None)
    return version


def _bump(programme_id: int | None) -> None:
    try:
        cache.incr(_key(programme_id))
    except ValueError:  # not set yet, or evicted: any new value invalidates
        cache.set(_key(programme_id), _version(programme_id) + 1, timeout=None)


def figures_changed(programme_id: int | None = None) -> None:
    """Drop the cached figures of a programme (of every programme when it is not known) now,
    and again when the current transaction commits, so that a page computed meanwhile from
    the old rows is not kept. The second drop is registered once per transaction and
    programme, not once per row."""
    _bump(programme_id)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], partial)
        and entry[1].func is _bump
        and entry[1].args == (programme_id,)
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(partial(_bump, programme_id))


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
