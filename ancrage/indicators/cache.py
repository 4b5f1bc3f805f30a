"""Computed figures kept between page views, never stale, recomputed only where a write landed.

At national scale a programme's figures take seconds on PostgreSQL (docs/performance.md); the
dashboard must answer in under 300 ms while coordinators write all day. Two levels:
- the figures of a scope (programme, territories, school years, role), kept under the versions
  of the data they read (`programmes/versions.py`: bumped by every write, in its transaction);
- beneath them, each territory's part (its grouped rows, `indicators/deployment.py`), kept under
  that territory's version. After a write in one territory, the programme's figures are
  assembled again from the kept parts, that territory's part recomputed alone, the distinct
  counts read from the reach summaries, the questionnaires' and evaluation's figures computed
  as before (the small-cell rule is applied to them as always, on the assembled scope).
Model saves and deletes bump the versions through signals; bulk writes (imports, services,
response imports) call `figures_changed()` themselves.
"""

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import translation

from ancrage.activities.selectors import action_map
from ancrage.programmes.scope import Scope
from ancrage.programmes.versions import (
    EVERYWHERE,
    SURVEYS,
    digest,
    figure_versions,
    figures_changed,
)
from ancrage.surveys.models import Collection
from ancrage.surveys.selectors import satisfaction_figures
from ancrage.territories.selectors import territories_in_scope

from .deployment import (
    assemble_deployment,
    empty_part,
    scope_distinct_counts,
    territory_figures,
    territory_parts,
)
from .selectors import compute_indicators

TIMEOUT = 24 * 3600
COMPUTE_TIMEOUT = 30  # seconds a reader waits for figures another process is computing
WAIT_STEP = 0.01  # a reader waiting for figures looks for them this often (s)
# The apps whose rows any figure reads.
DATA_APPS = ("programmes", "territories", "activities", "surveys", "evaluation")
# Written by the figures' own machinery, in bulk: never a reason to drop figures.
NOT_DATA = {"programmes.figuresversion", "activities.reach", "activities.reachtotal"}
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
# The apps whose rows the questionnaires' figures read besides the collected actions and their
# participations (their beneficiaries): a write there bumps the SURVEYS version, as does a
# write of an action that has collections, or of one of its participations (`_collected`).
SURVEYS_READ = ("surveys", "territories")
# Beyond this many parts changed since the store of the territories' parts was written, it is
# written again (`_territory_parts`); below, the new parts are kept one by one.
STORE_AGAIN = 32


def _code_version() -> str:
    """A fingerprint of the code: a deploy that changes how figures are computed (or their
    shape) must never read figures a previous version cached in a shared cache."""
    fingerprint = hashlib.sha1()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            fingerprint.update(path.read_bytes())
    return fingerprint.hexdigest()[:12]


CODE_VERSION = _code_version()


def cached_indicators(
    scope: Scope,
    *,
    hide_small: bool = False,
    evaluation: bool = True,
    shape: Callable[[dict], dict] | None = None,
) -> dict:
    """The scope's figures as `compute_indicators` gives them, from the cache when no write
    changed them; `evaluation=False`: without the evaluation's (the dashboard's figures).
    `shape`: a function of the figures (a module-level one: its name is part of the key)
    whose result is kept and returned instead, when a page shows a small part of them — a
    national programme's figures (1,250 territories) cost tens of milliseconds to read back."""
    programme = scope.programme
    # The figures carry labels (criteria, conditions, verdicts) in the reader's language: an
    # English reader must never get the French reader's cached figures, nor the reverse.
    language = translation.get_language() or settings.LANGUAGE_CODE
    versions = figure_versions(programme.pk, scope.territory_ids)
    parts = (programme.pk, programme.created_at, scope.territory_ids, scope.school_years)
    shaped = f"{shape.__module__}.{shape.__qualname__}" if shape else None
    key = (
        f"ancrage:figures:{CODE_VERSION}:"
        f"{digest((parts, hide_small, evaluation, language, shaped))}:"
        f"{digest(sorted(versions.items()))}"
    )
    figures = cache.get(key)
    if figures is None:
        figures = _computed_once(key, scope, hide_small, evaluation, versions, shape)
    return figures


def cached_action_map(scope: Scope) -> dict:
    """The scope's map (`activities.selectors.action_map`: communes, actions, people and
    structures reached), kept like the figures under the versions of the rows it reads: the
    map of one territory ran ten queries on every page (a p95 over 300 ms on a busy national
    machine) and does not change between two writes in it."""
    programme = scope.programme
    language = translation.get_language() or settings.LANGUAGE_CODE  # its modalities' labels
    versions = figure_versions(programme.pk, scope.territory_ids)
    parts = (programme.pk, programme.created_at, scope.territory_ids, scope.school_years)
    key = (
        f"ancrage:map:{CODE_VERSION}:{digest((parts, language))}:{digest(sorted(versions.items()))}"
    )
    maps = cache.get(key)
    if maps is None:
        maps = action_map(scope)
        cache.set(key, maps, timeout=TIMEOUT)
    return maps


def assembled_indicators(
    scope: Scope, *, hide_small: bool, evaluation: bool = True, versions: dict
) -> dict:
    """The scope's figures from its territories' parts (kept ones, and those of territories
    written since, recomputed), its distinct counts and the programme-level families; equal to
    `compute_indicators(scope)`, which tests check."""
    codes = dict(territories_in_scope(scope).values_list("pk", "code"))
    parts = _territory_parts(scope, list(codes), versions)
    distinct = scope_distinct_counts(scope, parts)
    deployment = assemble_deployment(scope, codes, parts, distinct)
    return compute_indicators(
        scope,
        hide_small=hide_small,
        deployment=deployment,
        evaluation=evaluation,
        satisfaction=_satisfaction(scope, hide_small, versions),
    )


def _satisfaction(scope: Scope, hide_small: bool, versions: dict) -> dict:
    """The questionnaires' figures, kept apart: they read the questionnaires' rows, the
    territories' codes and, for their beneficiaries, the collected actions and their
    participations, all of which bump SURVEYS when written; an action written without a
    collection (nearly every write, even where every territory collects) keeps them. The
    excluded actions (by their dates) are part of the key."""
    programme = scope.programme
    language = translation.get_language() or settings.LANGUAGE_CODE
    what = (
        (programme.pk, programme.created_at, scope.territory_ids, tuple(scope.years)),
        (hide_small, language, scope.excluded_action_ids),
        (versions.get(SURVEYS, 0), versions.get(EVERYWHERE, 0)),
    )
    key = f"ancrage:figures:{CODE_VERSION}:satisfaction:{digest(what)}"
    figures = cache.get(key)
    if figures is None:
        figures = satisfaction_figures(scope, hide_small=hide_small)
        cache.set(key, figures, timeout=TIMEOUT)
    return figures


# The stores of territories' parts last used by this process (`_territory_parts`), newest last.
_STORES: dict[str, tuple[str, dict]] = {}
_STORES_LOCK = threading.Lock()  # gunicorn's threads share them
STORES_KEPT = 4  # a national store holds about 10 MB of parts


def _keep_store(key: str, stamp: str | None, stored: dict) -> None:
    """Keep this process's copy of a store that the shared cache holds (`stamp`)."""
    if stamp is None:
        return
    with _STORES_LOCK:
        _STORES.pop(key, None)
        _STORES[key] = (stamp, stored)
        while len(_STORES) > STORES_KEPT:
            _STORES.pop(next(iter(_STORES)))


def _territory_parts(scope: Scope, territories: list[int], versions: dict) -> dict[int, dict]:
    """The territories' parts: those kept under their current version, the others computed in
    one set of grouped queries over them and kept, shared by every process. Kept in one cache
    entry per programme and school years (the store), rewritten only when many parts changed
    (a first view, an import); a part computed after a write is kept alone under its
    territory's version (rewriting the store of 1,250 parts after each write cost more than
    computing the part). Two processes storing at once may each drop the other's new parts:
    they are then computed again, never read stale."""
    programme = scope.programme
    years = tuple(scope.years)
    # The parts keep their territory's figures, which read the programme's parameters.
    parameters = (
        programme.replication_rate,
        programme.children_per_adult,
        programme.multimodal_share,
        programme.days_per_fte,
    )
    where = digest((programme.pk, programme.created_at, years, parameters))
    store_key = f"ancrage:figures:{CODE_VERSION}:parts:{where}"
    everywhere = versions.get(EVERYWHERE, 0)

    def version(pk: int) -> tuple[int, int]:
        return (versions.get(pk, 0), everywhere)

    def outdated(stored: dict) -> list[int]:
        return [pk for pk in territories if stored.get(pk, (None,))[0] != version(pk)]

    # This process's copy of the store first: reading the shared one unpickles 1,250 parts
    # (about 40 ms, and as many objects for the garbage collector to scan) after each write.
    # The copy is used while the shared store is the one it was read as (its stamp, a small
    # entry; none once the cache is cleared); each part carries its version, so the parts
    # written since are looked for as below, never read stale.
    stamp_key = f"{store_key}:stamp"
    stamp = cache.get(stamp_key)
    with _STORES_LOCK:
        kept = _STORES.get(store_key)
    if stamp is not None and kept is not None and kept[0] == stamp:
        stored = kept[1]
    else:
        stored = cache.get(store_key) or {}
    missing = outdated(stored)
    if not missing:
        _keep_store(store_key, stamp, stored)
        return {pk: stored[pk][1] for pk in territories}
    alone = {pk: f"{store_key}:{pk}:{version(pk)[0]}:{everywhere}" for pk in missing}
    found = cache.get_many(list(alone.values()))
    still = [pk for pk in missing if alone[pk] not in found]
    for pk in missing:
        if alone[pk] in found:
            stored[pk] = (version(pk), found[alone[pk]])
    if still:
        whole = scope.territory_ids is None and len(still) == len(territories)
        fresh, _none = territory_parts(scope.within(None if whole else tuple(still)), totals=False)
        for pk in still:
            part = fresh.get(pk) or empty_part()
            part["figures"] = territory_figures(programme, part)
            stored[pk] = (version(pk), part)
    if len(missing) > STORE_AGAIN:
        stamp = secrets.token_hex(8)
        cache.set_many({store_key: stored, stamp_key: stamp}, timeout=TIMEOUT)
    elif still:
        cache.set_many({alone[pk]: stored[pk][1] for pk in still}, timeout=TIMEOUT)
    _keep_store(store_key, stamp, stored)
    return {pk: stored[pk][1] for pk in territories}


def _computed_once(
    key: str,
    scope: Scope,
    hide_small: bool,
    evaluation: bool,
    versions: dict,
    shape: Callable[[dict], dict] | None,
) -> dict:
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
        figures = assembled_indicators(
            scope, hide_small=hide_small, evaluation=evaluation, versions=versions
        )
        if shape is not None:
            figures = shape(figures)
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


def _territories_of(instance) -> tuple | None:
    """The territories a territorial row belonged to and belongs to now (none for a
    programme-wide objective); None when not known (a row loaded without its territory)."""
    before = getattr(instance, "_figures_territory", None)
    now = instance.__dict__.get("territory_id", "unknown")
    if "unknown" in (before, now):
        return None
    return tuple(t for t in {before, now} if t is not None)


def _collected(instance) -> bool:
    """An action that has collections, or a participation in one: the questionnaires'
    beneficiaries read them. An action's collections go before it (a cascade deletes them
    first), each bumping SURVEYS as it goes."""
    label = instance._meta.label_lower
    if label == "activities.action":
        action_id = instance.pk
    elif label == "activities.participation":
        action_id = instance.action_id
    else:
        return False
    return Collection.objects.filter(action_id=action_id).exists()


def _on_change(sender, instance, **kwargs) -> None:
    programme = _programme_of(instance)
    surveys = instance._meta.app_label in SURVEYS_READ or _collected(instance)
    if instance._meta.label_lower not in TERRITORIAL:
        # A row of no one territory: parts are kept.
        figures_changed(programme, shared=True, surveys=surveys)
        return
    territories = _territories_of(instance)
    if territories is None:
        figures_changed(programme, surveys=surveys)
    else:
        # A row of no territory (a programme-wide objective) is in no territory's part: only
        # the assembled figures read it.
        figures_changed(programme, territories, shared=not territories, surveys=surveys)
    instance._figures_territory = instance.__dict__.get("territory_id", "unknown")


def connect_signals() -> None:
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in NOT_DATA:
                continue
            uid = f"ancrage-figures-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
            if model._meta.label_lower in TERRITORIAL:
                post_init.connect(_remember_territory, sender=model, dispatch_uid=uid + "-init")
