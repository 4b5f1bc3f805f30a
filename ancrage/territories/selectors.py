"""Reads of the territories (the map of what reached each commune is an activities read)."""

from ancrage.programmes.scope import Scope

from .models import Territory


def territories_in_scope(scope: Scope):
    """The scope's territories, by code."""
    territories = Territory.objects.filter(programme=scope.programme).order_by("code")
    if scope.territory_ids is not None:
        territories = territories.filter(pk__in=scope.territory_ids)
    return territories
