"""Every French commune and EPCI offline; a territory created from its EPCI; the map of actions
per commune computed by grouped queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.activities.selectors import action_map, professions, structures_by_kind
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.territories import geography
from ancrage.territories.services import territory_create_from_epci

from .cast import make_cast

CARENE, PCSG = "244400644", "200000438"


def test_every_commune_and_epci_of_france_is_known_offline():
    communes, epcis = geography.communes(), geography.epcis()
    assert len(communes) > 34_000 and len(epcis) > 1_200
    # The seed's two EPCIs, matched on codes (docs: geodata.md).
    assert len(epcis[CARENE].communes) == 10 and len(epcis[PCSG].communes) == 9
    assert communes["44068"].name == "Guenrouet" and communes["44068"].epci == PCSG
    # An EPCI's population is the sum of its communes' (one vintage).
    assert epcis[PCSG].population == sum(communes[c].population for c in epcis[PCSG].communes)
    # Outlines for maps, with the town hall where markers go.
    outline = geography.outline("44184")
    assert outline["type"] in {"Polygon", "MultiPolygon"}
    lon, lat = outline["town_hall"]
    assert -2.4 < lon < -2.1 and 47.2 < lat < 47.4


def test_search_finds_an_epci_by_name_siren_or_member_commune_without_accents():
    assert [e.siren for e in geography.search_epci("pontchateau")] == [PCSG]
    assert geography.search_epci(CARENE)[0].siren == CARENE
    assert PCSG in [e.siren for e in geography.search_epci("Guenrouët")]
    assert geography.search_epci("x") == []


@pytest.mark.django_db
def test_a_territory_is_created_from_its_epci_with_all_its_communes():
    programme = Programme.objects.create(name="P", start="2024-09-01", end="2025-08-31")
    territory = territory_create_from_epci(programme, PCSG, "PCSG")
    assert territory.commune_count == 9 == territory.communes.count()
    assert territory.population == geography.epcis()[PCSG].population
    assert territory.communes.get(insee_code="44068").name == "Guenrouet"
    with pytest.raises(ValidationError, match="existe déjà"):
        territory_create_from_epci(programme, CARENE, "PCSG")
    with pytest.raises(ValidationError, match="déjà rattachées"):
        territory_create_from_epci(programme, PCSG, "AUTRE")
    with pytest.raises(ValidationError, match="inconnu"):
        territory_create_from_epci(programme, "123", "X")
    assert programme.territories.count() == 1


def test_the_action_map_has_the_seeds_mobilised_communes(demo_programme):
    scope = Scope(demo_programme)
    with CaptureQueriesContext(connection) as queries:
        maps = action_map(scope)
    assert len(queries) <= 6  # grouped queries, whatever the number of actions
    carene, pcsg = maps["CARENE"], maps["PCSG"]
    # The seed: "6 communes sur 10 mobilisées", "110 000 sur les 6 communes", 9 of 9 for PCSG.
    assert carene["mobilised"] == [
        "Besné",
        "Donges",
        "La Chapelle-des-Marais",
        "Pornichet",
        "Saint-Nazaire",
        "Trignac",
    ]
    assert round(carene["mobilised_population"], -4) == 110_000
    assert len(pcsg["mobilised"]) == 9
    assert len(carene["features"]["features"]) == 10
    saint_nazaire = carene["communes"]["44184"]
    assert saint_nazaire["actions"] == sum(m["actions"] for m in saint_nazaire["by_modality"])
    assert saint_nazaire["people"] > 0 and saint_nazaire["structures"] > 0
    # A territory's map leaves the other territory out.
    only = action_map(Scope(demo_programme, territory_ids=(pcsg_id(demo_programme),)))
    assert list(only) == ["PCSG"]


def pcsg_id(programme) -> int:
    return programme.territories.get(code="PCSG").pk


def test_structures_by_kind_and_professions_add_up(demo_programme, demo_figures):
    kinds = structures_by_kind(Scope(demo_programme))
    assert sum(k["n"] for k in kinds) == demo_figures["reach"]["structures"] == 52
    jobs = professions(Scope(demo_programme))
    assert sum(j["n"] for j in jobs) >= demo_figures["reach"]["professionals_unique"]


def test_the_map_is_kept_between_writes_and_moves_with_each(client, demo_programme):
    """The map of a territory read ten queries on every page: it is kept under the versions
    of what it reads, and an action written there shows at once."""
    import datetime as dt

    from django.urls import reverse

    from ancrage.activities.services import action_create
    from ancrage.indicators.cache import cached_action_map

    client.force_login(make_cast(demo_programme, ("PCSG", "CARENE"))["admin"])
    territory = demo_programme.territories.get(code="PCSG")
    url = f"{reverse('territories:map')}?programme={demo_programme.pk}&territoire=PCSG"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert not [q for q in again if "territories_commune" in q["sql"]]  # the map kept
    scope = Scope(demo_programme, territory_ids=(territory.pk,))
    commune = territory.communes.order_by("insee_code").first()
    before = cached_action_map(scope)["PCSG"]["communes"][commune.insee_code]["actions"]
    action_create(
        programme=demo_programme,
        code="CARTE",
        modality="co_intervention",
        territory=territory,
        commune=commune,
        start=dt.date(2024, 10, 3),
        children=9,
    )
    maps = cached_action_map(scope)
    assert maps == action_map(scope)
    assert maps["PCSG"]["communes"][commune.insee_code]["actions"] == before + 1
