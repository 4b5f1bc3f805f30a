"""The actions list (`/actions/`): its filters, its pages, and its count kept between views.

At national scale (300,000 actions) counting the filtered actions for the page links was most
of each page's time (issue #15). The count is kept per territory and filter, under that
territory's figures version (`programmes/versions.py`, the versions the figures cache reads:
bumped in every write's transaction), so a count is never stale once a write is acknowledged;
after a write only the written territory is counted again, the others are read back. The rows
themselves are always read from the database.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from ancrage.programmes.models import Programme
from ancrage.programmes.versions import EVERYWHERE, digest, figure_versions

from .models import Action

PAGE_SIZE = 50
TIMEOUT = 24 * 3600
# What the counts mean is written here: a deploy that changes this file never reads counts
# kept by the previous one in a shared cache.
CODE_VERSION = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class ActionFilters:
    """What the list shows. `territories`: the ones listed, already checked against the
    reader's scope (theirs, or the one chosen among them); `whole`: they are all the
    programme's, so the rows need no territory condition."""

    territories: tuple[int, ...]
    whole: bool = False
    modality: str = ""
    year: int | None = None
    text: str = ""


def _matching(programme: Programme, filters: ActionFilters, *, territories: bool = True):
    """The programme's actions that the filters other than the territory keep (and the
    territory too, unless `territories` is False)."""
    actions = Action.objects.filter(programme=programme)
    if territories and not filters.whole:
        actions = actions.filter(territory__in=filters.territories)
    if filters.modality:
        actions = actions.filter(modality=filters.modality)
    if filters.year is not None:
        actions = actions.filter(school_year=filters.year)
    if filters.text:
        actions = actions.filter(Q(code__icontains=filters.text) | Q(title__icontains=filters.text))
    return actions


def action_count(programme: Programme, filters: ActionFilters) -> int:
    """How many actions the filters keep: the sum of their territories' counts, each kept
    under its territory's version and the programme's EVERYWHERE version; the territories
    written since are counted again in one grouped query. The versions are read before the
    counts: a count kept is never older than the versions it is kept under.
    A text search is counted each time: its words are unbounded, and an entry kept for each
    would push the figures out of a cache of bounded size."""
    listed = filters.territories
    if not listed:
        return 0
    if filters.text:
        return _matching(programme, filters).count()
    versions = figure_versions(programme.pk, listed)
    everywhere = versions.get(EVERYWHERE, 0)
    what = (programme.pk, programme.created_at, filters.modality, filters.year)
    key = f"ancrage:actions:count:{CODE_VERSION}:{digest(what)}"
    stored = cache.get(key) or {}

    def version(pk: int) -> tuple[int, int]:
        return (versions.get(pk, 0), everywhere)

    missing = [pk for pk in listed if stored.get(pk, (None,))[0] != version(pk)]
    if missing:
        actions = _matching(programme, filters, territories=False)
        if not (filters.whole and len(missing) == len(listed)):
            actions = actions.filter(territory__in=missing)
        # COUNT(*): read from the index (programme, territory, modality) alone.
        grouped = actions.order_by().values("territory").annotate(n=Count("*"))
        counted = dict(grouped.values_list("territory", "n"))
        for pk in missing:
            stored[pk] = (version(pk), counted.get(pk, 0))
        # Two readers storing at once may each drop the other's new counts: they are then
        # counted again, never read stale (each carries its version).
        cache.set(key, stored, timeout=TIMEOUT)
    return sum(stored[pk][1] for pk in listed)


class _CountedPaginator(Paginator):
    """Django's paginator, given the count instead of asking the database for it."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def action_page(programme: Programme, filters: ActionFilters, number) -> Page:
    """The page `number` of the filtered actions, most recent first (index
    `action_list_order`), each with `listed`: how many participants it lists."""
    actions = _matching(programme, filters).select_related("territory", "commune")
    actions = actions.order_by("-start", "code")
    paginator = _CountedPaginator(actions, PAGE_SIZE, count=action_count(programme, filters))
    page = paginator.get_page(number)
    # Participants of the shown page only: one grouped query for 50 actions.
    listed = dict(
        Action.objects.filter(pk__in=[a.pk for a in page])
        .annotate(n=Count("participations"))
        .values_list("pk", "n")
    )
    for action in page:
        action.listed = listed.get(action.pk, 0)
    return page
