"""Write a synthetic programme the size of a national roll-out, as a folder of CSV files.

Default sizes (docs: performance.md): 1,250 territories, 35,000 communes, 100,000 structures,
1,000,000 people, 300,000 actions, 3,000,000 participations. `--scale 0.01` makes a small one.
"""

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

from tqdm import tqdm

SIZES = {
    "territories": 1250,
    "communes": 35000,
    "structures": 100000,
    "people": 1000000,
    "actions": 300000,
    "participations": 3000000,
}
MODALITIES = [
    ("formation", 10),
    ("accompagnement", 25),
    ("co_intervention", 15),
    ("jep", 8),
    ("action_parentalite", 12),
    ("copil", 10),
    ("cotech", 20),
]
STRUCTURE_TYPES = [
    "ecole_publique",
    "ecole_privee",
    "college",
    "alsh",
    "periscolaire",
    "medico_social",
    "protection_enfance",
    "culture_sport",
    "collectivite",
    "association",
    "autre",
]
PROFESSIONS = ["enseignant·e", "animateur·rice", "éducatrice", "directrice", "psychomotricienne"]


def generate(out: Path, scale: float = 1.0, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    n = {k: max(int(v * scale), 2) for k, v in SIZES.items()}
    n["territories"] = max(n["territories"], 2)
    out.mkdir(parents=True, exist_ok=True)

    def writer(name: str, header: list[str]):
        handle = open(out / f"{name}.csv", "w", encoding="utf-8", newline="")
        w = csv.writer(handle)
        w.writerow(header)
        return handle, w

    def bar(total: int, name: str):
        return tqdm(
            total=total,
            desc=f"génération {name:<14}",
            unit=" lignes",
            file=sys.stderr,
            mininterval=1,
        )

    handle, w = writer("programme", ["cle", "valeur"])
    w.writerows([("nom", f"National x{scale}"), ("debut", "2021-09-01"), ("fin", "2025-08-31")])
    handle.close()

    territories = [f"EPCI{i:05d}" for i in range(n["territories"])]
    handle, w = writer("territoires", ["code", "nom", "population", "nb_communes"])
    for code in territories:
        w.writerow((code, f"Territoire {code}", rng.randint(5000, 400000), ""))
    handle.close()

    commune_territory = []
    handle, w = writer("communes", ["code_insee", "nom", "territoire", "population"])
    for i in range(n["communes"]):
        # Every territory gets communes first, then the rest at random.
        territory = i if i < len(territories) else rng.randrange(len(territories))
        code = f"{10 + i // 1000:02d}{i % 1000:03d}"
        w.writerow((code, f"Commune {code}", territories[territory], rng.randint(50, 50000)))
        commune_territory.append((code, territory))
    handle.close()
    communes_of: list[list[str]] = [[] for _ in territories]
    for code, territory in commune_territory:
        communes_of[territory].append(code)

    structures_of: list[list[str]] = [[] for _ in territories]
    handle, w = writer("structures", ["id", "nom", "type", "code_insee"])
    with bar(n["structures"], "structures") as progress:
        for i in range(n["structures"]):
            code, territory = commune_territory[rng.randrange(len(commune_territory))]
            sid = f"S{i}"
            w.writerow((sid, f"Structure {i}", rng.choice(STRUCTURE_TYPES), code))
            structures_of[territory].append(sid)
            progress.update()
    handle.close()

    people_of: list[list[str]] = [[] for _ in territories]
    handle, w = writer("personnes", ["id", "profession", "structure"])
    with bar(n["people"], "personnes") as progress:
        for i in range(n["people"]):
            territory = i % len(territories)
            pid = f"P{i}"
            pool = structures_of[territory]
            w.writerow((pid, rng.choice(PROFESSIONS), rng.choice(pool) if pool else ""))
            people_of[territory].append(pid)
            progress.update()
    handle.close()

    kinds = [m for m, weight in MODALITIES for _ in range(weight)]
    per_action = n["participations"] / n["actions"]
    start = dt.date(2021, 9, 1)
    actions = open(out / "actions.csv", "w", encoding="utf-8", newline="")
    participations = open(out / "participations.csv", "w", encoding="utf-8", newline="")
    wa, wp = csv.writer(actions), csv.writer(participations)
    wa.writerow(
        [
            "id",
            "modalite",
            "territoire",
            "debut",
            "code_insee",
            "structures",
            "heures",
            "enfants",
            "adultes",
            "parents",
            "elus",
            "format",
        ]
    )
    wp.writerow(["action", "personne"])
    written = 0
    with bar(n["actions"], "actions") as progress:
        for i in range(n["actions"]):
            territory = i % len(territories)
            modality = rng.choice(kinds)
            day = start + dt.timedelta(days=rng.randrange(1460))
            pool = structures_of[territory]
            linked = ";".join(dict.fromkeys(rng.sample(pool, min(len(pool), rng.randint(1, 2)))))
            children = rng.randint(10, 40) if modality == "co_intervention" else ""
            parents = rng.randint(5, 25) if modality == "action_parentalite" else ""
            elected = rng.randint(2, 12) if modality == "copil" else ""
            fmt = rng.choice(["parcours", "ponctuel"]) if modality == "action_parentalite" else ""
            aid = f"A{i}"
            wa.writerow(
                (
                    aid,
                    modality,
                    territories[territory],
                    day.isoformat(),
                    rng.choice(communes_of[territory]),
                    linked,
                    18,
                    children,
                    "",
                    parents,
                    elected,
                    fmt,
                )
            )
            # Spread the participations evenly: the total comes out at the target size.
            target = int((i + 1) * per_action) - written
            people = people_of[territory]
            for pid in rng.sample(people, min(target, len(people))):
                wp.writerow((aid, pid))
                written += 1
            progress.update()
    actions.close()
    participations.close()

    handle, w = writer("objectifs", ["territoire", "cible", "min", "max", "periode"])
    w.writerow(("*", "enfants", 100000, "", "programme"))
    for code in territories:
        w.writerow((code, "formation", 2, 2, "an"))
    handle.close()
    handle, w = writer("coordination", ["territoire", "annee_scolaire", "jours"])
    for code in territories:
        w.writerow((code, "2023-2024", 15))
    handle.close()
    n["participations"] = written
    return n


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Génère un programme synthétique à l'échelle nationale (dossier de CSV)."
    )
    parser.add_argument("out", type=Path, help="dossier de sortie")
    parser.add_argument("--scale", type=float, default=1.0, help="échelle (1 = national)")
    args = parser.parse_args()
    sizes = generate(args.out, args.scale)
    print(", ".join(f"{k} {v:,}".replace(",", " ") for k, v in sizes.items()))


if __name__ == "__main__":
    main()
