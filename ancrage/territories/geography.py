"""Every French commune and EPCI, offline: read from the files `geobuild.py` generates.

Populations are the communes' municipal populations of the npm package's vintage (2026
edition); an EPCI's population is the sum of its members' in that same vintage, so a territory
and its communes always agree.
"""

import csv
import gzip
import json
import unicodedata
from dataclasses import dataclass
from functools import cache

from .geobuild import TARGET

POPULATION_VINTAGE = "INSEE, populations municipales (découpage administratif 2026)"


@dataclass(frozen=True)
class CommuneInfo:
    code: str
    name: str
    departement: str
    population: int | None
    epci: str


@dataclass(frozen=True)
class EpciInfo:
    siren: str
    name: str
    kind: str  # CA, CC, CU, METRO
    population: int
    communes: tuple[str, ...]


def _fold(text: str) -> str:
    """Lower case without accents, so "pontchateau" finds "Pontchâteau"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def communes() -> dict[str, CommuneInfo]:
    with gzip.open(TARGET / "communes.csv.gz", "rt", encoding="utf-8", newline="") as f:
        return {
            row["code"]: CommuneInfo(
                row["code"],
                row["nom"],
                row["departement"],
                int(row["population"]) if row["population"] else None,
                row["epci"],
            )
            for row in csv.DictReader(f)
        }


@cache
def epcis() -> dict[str, EpciInfo]:
    members: dict[str, list[str]] = {}
    for commune in communes().values():
        if commune.epci:
            members.setdefault(commune.epci, []).append(commune.code)
    with gzip.open(TARGET / "epci.csv.gz", "rt", encoding="utf-8", newline="") as f:
        result = {}
        for row in csv.DictReader(f):
            codes = tuple(sorted(members.get(row["siren"], [])))
            population = sum(communes()[c].population or 0 for c in codes)
            result[row["siren"]] = EpciInfo(
                row["siren"], row["nom"], row["type"], population, codes
            )
        return result


def search_epci(text: str, limit: int = 20) -> list[EpciInfo]:
    """EPCIs whose name, SIREN or member communes' names contain the text."""
    wanted = _fold(text.strip())
    if len(wanted) < 2:
        return []
    found = []
    for epci in epcis().values():
        names = [epci.name, epci.siren, *(communes()[c].name for c in epci.communes)]
        if any(wanted in _fold(name) for name in names):
            found.append(epci)
    found.sort(key=lambda e: (not _fold(e.name).startswith(wanted), e.name))
    return found[:limit]


@cache
def _outlines(departement: str) -> dict[str, dict]:
    path = TARGET / "outlines" / f"{departement}.json.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def outline(code: str) -> dict | None:
    """The commune's simplified outline (GeoJSON geometry) with its town-hall point, or None."""
    commune = communes().get(code)
    if commune is None:
        return None
    return _outlines(commune.departement).get(code)


def feature_collection(properties_by_code: dict[str, dict]) -> dict:
    """A GeoJSON FeatureCollection of the given communes, each with its properties and its
    town-hall point (`lon`, `lat`); communes without a known outline are left out."""
    features = []
    for code, properties in properties_by_code.items():
        shape = outline(code)
        if shape is None:
            continue
        lon, lat = shape["town_hall"]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": {"type": shape["type"], "coordinates": shape["coordinates"]},
                "properties": {"code": code, "lon": lon, "lat": lat, **properties},
            }
        )
    return {"type": "FeatureCollection", "features": features}
