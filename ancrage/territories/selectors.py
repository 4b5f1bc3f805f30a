"""Reads of the territories (the map of what reached each commune is an activities read)."""

from ancrage.programmes.scope import Scope

from .models import Territory


def territories_in_scope(scope: Scope):
    """The scope's territories, by code."""
    territories = Territory.objects.filter(scope.territory_filter("pk"), programme=scope.programme)
    return territories.order_by("code")
