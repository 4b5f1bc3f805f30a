"""Reads of the territories: their communes, and the map of what reached each of them."""

from ancrage.activities.selectors import actions_by_commune
from ancrage.activities.vocabulary import Modality
from ancrage.indicators.scope import Scope

from . import geography
from .models import Commune, Territory


def territories_in_scope(scope: Scope):
    """The scope's territories, by code."""
    territories = Territory.objects.filter(programme=scope.programme).order_by("code")
    if scope.territory_ids is not None:
        territories = territories.filter(pk__in=scope.territory_ids)
    return territories


# Beyond this many territories (a national roll-out), maps are drawn one territory at a time:
# a page or a deck of a thousand maps helps nobody and would load every outline of France.
MAX_MAPS = 12


def action_map(scope: Scope) -> dict:
    """Per territory of the scope: its communes with the actions by modality, the people and
    structures reached (the seed's "maps of actions"), which communes were mobilised, and, for
    up to MAX_MAPS territories, the communes as GeoJSON features for the map."""
    reached = actions_by_commune(scope)
    labels = dict(Modality.choices)
    territories = list(territories_in_scope(scope))
    communes = Commune.objects.filter(territory__in=territories).select_related("territory")
    by_territory: dict[str, dict] = {}
    for territory in territories:
        by_territory[territory.code] = {
            "code": territory.code,
            "name": territory.name,
            "population": territory.population,
            "commune_count": territory.commune_count,
            "communes": {},
        }
    for commune in communes:
        figures = reached.get(commune.pk, {})
        by_modality = [
            {"modality": m, "label": str(labels[m]), **counts}
            for m, counts in sorted(figures.get("by_modality", {}).items())
        ]
        by_territory[commune.territory.code]["communes"][commune.insee_code] = {
            "name": commune.name,
            "population": commune.population,
            "actions": figures.get("actions", 0),
            "people": figures.get("people", 0),
            "structures": figures.get("structures", 0),
            "by_modality": by_modality,
        }
    drawn = len(by_territory) <= MAX_MAPS
    for territory in by_territory.values():
        mobilised = [c for c in territory["communes"].values() if c["actions"]]
        territory["mobilised"] = sorted(c["name"] for c in mobilised)
        territory["mobilised_population"] = sum(c["population"] or 0 for c in mobilised)
        territory["actions"] = sum(c["actions"] for c in territory["communes"].values())
        territory["people"] = sum(c["people"] for c in territory["communes"].values())
        territory["features"] = (
            geography.feature_collection(territory["communes"]) if drawn else None
        )
    return by_territory


def territory_structures(territory: Territory):
    """The territory's structures with their commune, for its page."""
    from ancrage.activities.models import Structure

    return (
        Structure.objects.filter(commune__territory=territory)
        .select_related("commune")
        .order_by("commune__name", "name")
    )
