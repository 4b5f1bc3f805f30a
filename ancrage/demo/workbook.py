"""The demo programme: the seed deck's programme as person-level raw data.

The rows below are built so that Ancrage, computing from them, finds the deck's figures
(docs: domain.md). The deck's totals appear here only as sizes of the raw data to generate
(how many people each training had); every figure is computed by the indicator engine.
Run `python -m ancrage.demo.workbook` to rebuild `data/demo.xlsx` after a change here.
"""

import datetime as dt
import random
from pathlib import Path

from ancrage.workbook.schema import SHEETS
from ancrage.workbook.writer import write_sheets

DEMO_NAME = "CPS Loire-Atlantique 2022-2025"
DEMO_WORKBOOK = Path(__file__).parent / "data" / "demo.xlsx"

TERRITORIES = [
    # code, name, population (deck), communes
    ("CARENE", "Saint-Nazaire Agglo", 129500, 10),
    ("PCSG", "Pays de Pontchâteau Saint-Gildas-des-Bois", 37400, 9),
]
# INSEE code, name, territory, population (@etalab/decoupage-administratif 6.0.0).
COMMUNES = [
    ("44184", "Saint-Nazaire", "CARENE", 74568),
    ("44132", "Pornichet", "CARENE", 12800),
    ("44210", "Trignac", "CARENE", 8397),
    ("44052", "Donges", "CARENE", 8219),
    ("44103", "Montoir-de-Bretagne", "CARENE", 7282),
    ("44151", "Saint-André-des-Eaux", "CARENE", 7013),
    ("44030", "La Chapelle-des-Marais", "CARENE", 4492),
    ("44168", "Saint-Joachim", "CARENE", 4112),
    ("44013", "Besné", "CARENE", 3322),
    ("44176", "Saint-Malo-de-Guersac", "CARENE", 3203),
    ("44129", "Pontchâteau", "PCSG", 11474),
    ("44098", "Missillac", "PCSG", 5709),
    ("44161", "Saint-Gildas-des-Bois", "PCSG", 3860),
    ("44068", "Guenrouet", "PCSG", 3673),
    ("44152", "Sainte-Anne-sur-Brivet", "PCSG", 3063),
    ("44050", "Crossac", "PCSG", 2974),
    ("44189", "Sainte-Reine-de-Bretagne", "PCSG", 2484),
    ("44053", "Drefféac", "PCSG", 2288),
    ("44196", "Sévérac", "PCSG", 1690),
]
TERRITORY_OF = {code: territory for code, _, territory, _ in COMMUNES}

# The structures the deck names (slide "Des CPS dans tous les milieux" and the two maps).
STRUCTURES = [
    ("École publique de Pontchâteau", "ecole_publique", "44129"),
    ("École privée Sainte-Marie", "ecole_privee", "44129"),
    ("Accueil de loisirs de Pontchâteau", "alsh", "44129"),
    ("Bibliothèque de Pontchâteau", "culture_sport", "44129"),
    ("Mairie de Pontchâteau", "collectivite", "44129"),
    ("Collège de Pontchâteau", "college", "44129"),
    (
        "Service à la population intercommunal (bibliothèques, sport santé, CTG)",
        "collectivite",
        "44129",
    ),
    ("École publique de Crossac", "ecole_publique", "44050"),
    ("Accueil périscolaire de Crossac", "periscolaire", "44050"),
    ("Mairie de Crossac", "collectivite", "44050"),
    ("École publique de Missillac", "ecole_publique", "44098"),
    ("Pôle enfance de Missillac", "alsh", "44098"),
    ("Mairie de Missillac", "collectivite", "44098"),
    ("École publique de Sévérac", "ecole_publique", "44196"),
    ("FCPE de Sévérac", "association", "44196"),
    ("Mairie de Sévérac", "collectivite", "44196"),
    ("École publique de Drefféac", "ecole_publique", "44053"),
    ("École publique de Guenrouet", "ecole_publique", "44068"),
    ("École publique de Sainte-Reine-de-Bretagne", "ecole_publique", "44189"),
    ("Accueil périscolaire de Sainte-Reine-de-Bretagne", "periscolaire", "44189"),
    ("Mairie de Sainte-Reine-de-Bretagne", "collectivite", "44189"),
    ("Accueil périscolaire de Sainte-Anne-sur-Brivet", "periscolaire", "44152"),
    ("Accueil de loisirs de Sainte-Anne-sur-Brivet", "alsh", "44152"),
    ("Mairie de Saint-Gildas-des-Bois", "collectivite", "44161"),
    ("École privée de Saint-Gildas-des-Bois", "ecole_privee", "44161"),
    ("Ville de Saint-Nazaire", "collectivite", "44184"),
    ("IME Marie Moreau", "medico_social", "44184"),
    ("Linkiaa", "medico_social", "44184"),
    ("APAJH", "medico_social", "44184"),
    ("Hôpital de Saint-Nazaire", "medico_social", "44184"),
    ("Association Addictions France du département", "medico_social", "44184"),
    ("MSP de Pornichet", "medico_social", "44132"),
    ("Service de protection de l'enfance", "protection_enfance", "44184"),
    ("Ludothèque de Méan-Penhouët", "culture_sport", "44184"),
    ("Service des sports de Saint-Nazaire Agglo", "culture_sport", "44184"),
    ("Maison de quartier", "association", "44184"),
    ("École publique Brossolette", "ecole_publique", "44184"),
    ("École Notre-Dame (NDTA)", "ecole_privee", "44184"),
    ("Accueil périscolaire de Saint-Nazaire", "periscolaire", "44184"),
    ("Accueil de loisirs de Saint-Nazaire", "alsh", "44184"),
    ("Collège de Saint-Nazaire", "college", "44184"),
    ("Réseau d'aide de l'Éducation nationale", "autre", "44184"),
    ("Explo'Santé – La Ligue contre le cancer", "association", "44184"),
    ("USEP", "association", "44184"),
    ("École publique de Donges", "ecole_publique", "44052"),
    ("Accueil périscolaire de Donges", "periscolaire", "44052"),
    ("Mairie de Donges", "collectivite", "44052"),
    ("École publique de Besné", "ecole_publique", "44013"),
    ("Mairie de Besné", "collectivite", "44013"),
    ("Accueil périscolaire de La Chapelle-des-Marais", "periscolaire", "44030"),
    ("Mairie de Trignac", "collectivite", "44210"),
    ("Mairie de Pornichet", "collectivite", "44132"),
]
# Structures in priority neighbourhoods (QPV) of Saint-Nazaire.
QPV = {"Ludothèque de Méan-Penhouët", "Maison de quartier", "École publique Brossolette"}
PROFESSIONS = {
    "ecole_publique": ["enseignant·e", "directrice d'école"],
    "ecole_privee": ["enseignant·e", "directrice d'école"],
    "college": ["enseignant·e", "infirmière scolaire"],
    "alsh": ["animateur·rice", "directrice d'accueil de loisirs"],
    "periscolaire": ["animateur·rice", "responsable périscolaire"],
    "medico_social": ["éducatrice spécialisée", "psychomotricienne", "infirmière"],
    "protection_enfance": ["éducatrice spécialisée"],
    "culture_sport": ["animateur·rice", "chargée d'accueil", "éducateur sportif"],
    "collectivite": ["responsable enfance-jeunesse", "chargée d'accueil", "coordinatrice"],
    "association": ["animateur·rice", "responsable associative"],
    "autre": ["psychologue scolaire"],
}

# Raw sizes of each modality's actions, per territory (CARENE, PCSG), read off the deck.
FORMATION_PEOPLE = ([20, 18, 19, 17, 18, 20, 16], [18, 17, 16, 19, 15, 20, 17])
COACHING_PEOPLE = (
    [8, 9, 8, 10, 8, 9, 8, 8, 9, 8, 10, 9, 8, 7, 9, 8],
    [9, 8, 10, 8, 8, 9, 9, 8, 7, 10, 8, 9, 8, 9, 7, 8],
)
JEP_PEOPLE = ([18, 17, 16], [19, 17, 17])
CO_INTERVENTION_CHILDREN = ([38, 40, 25, 37, 36], [37, 35, 38, 25, 39])
CO_INTERVENTION_ADULTS = 2
NEW_PEOPLE_IN_COACHING_AND_JEP = 160  # the others had already been trained
PARENT_ACTIONS = [
    # commune, format, sessions, parents
    ("44050", "parcours", 6, 12),
    ("44129", "parcours", 6, 14),
    ("44052", "ponctuel", 1, 22),
    ("44052", "ponctuel", 1, 20),
    ("44013", "ponctuel", 1, 21),
    ("44013", "ponctuel", 1, 19),
    ("44196", "ponctuel", 1, 23),
    ("44196", "ponctuel", 1, 21),
]
COPIL_ELECTED = {"CARENE": [6, 5], "PCSG": [10, 8, 9]}
COTECHS = {"CARENE": 5, "PCSG": 6}
SCHOOL_YEARS = [2021, 2022, 2023, 2024]


def _date_in(rng: random.Random, year: int) -> dt.date:
    """A working day of school year `year`, within the programme (which starts 1 January 2022)."""
    start = dt.date(max(year, 2021) + (1 if year == 2021 else 0), 1 if year == 2021 else 9, 10)
    end = dt.date(year + 1, 6, 30)
    day = start + dt.timedelta(days=rng.randrange((end - start).days))
    return day - dt.timedelta(days=max(day.weekday() - 4, 0))


def build_rows() -> dict[str, list[tuple]]:
    rng = random.Random(2025)
    sheets: dict[str, list[tuple]] = {sheet.name: [] for sheet in SHEETS}
    sheets["programme"] = [
        ("nom", DEMO_NAME),
        ("debut", dt.date(2022, 1, 1)),
        ("fin", dt.date(2025, 8, 31)),
        ("taux_replication", 0.7),
        ("enfants_par_adulte", 20),
        ("part_multimodalite", "1/3"),
        ("jours_par_etp", 218),
    ]
    sheets["territoires"] = list(TERRITORIES)
    sheets["communes"] = list(COMMUNES)

    structures: dict[str, list[str]] = {"CARENE": [], "PCSG": []}
    kind_of = {}
    for number, (name, kind, insee) in enumerate(STRUCTURES, start=1):
        code = f"S{number:03d}"
        sheets["structures"].append((code, name, kind, insee, "oui" if name in QPV else ""))
        structures[TERRITORY_OF[insee]].append(code)
        kind_of[code] = (kind, insee)

    people: dict[str, list[str]] = {"CARENE": [], "PCSG": []}

    def new_person(territory: str) -> str:
        code = f"P{len(sheets['personnes']) + 1:04d}"
        structure = rng.choice(structures[territory])
        profession = rng.choice(PROFESSIONS[kind_of[structure][0]])
        sheets["personnes"].append((code, profession, structure))
        people[territory].append(code)
        return code

    cursor = {"CARENE": 0, "PCSG": 0}

    def next_structures(territory: str, count: int) -> list[str]:
        # Round-robin, so that every structure of the territory is reached by some action.
        pool = structures[territory]
        chosen = [pool[(cursor[territory] + i) % len(pool)] for i in range(count)]
        cursor[territory] += count
        return list(dict.fromkeys(chosen))

    def action(prefix: str, territory: str, index: int, modality: str, year: int, **fields):
        code = f"{prefix}-{territory}-{index:02d}"
        linked = fields.pop("linked", [])
        insee = fields.pop("insee", None) or (kind_of[linked[0]][1] if linked else "")
        start = _date_in(rng, year)
        days = fields.pop("days", 1)
        end = start + dt.timedelta(days=days - 1) if days > 1 else None
        sheets["actions"].append(
            (
                code,
                modality,
                territory,
                start,
                end,
                insee,
                ";".join(linked),
                fields.get("heures"),
                fields.get("seances"),
                fields.get("enfants"),
                fields.get("adultes"),
                fields.get("parents"),
                fields.get("elus"),
                fields.get("format", ""),
                fields.get("intitule", ""),
            )
        )
        return code

    def participate(action_code: str, codes: list[str]) -> None:
        sheets["participations"].extend((action_code, person) for person in codes)

    # Trainings: three days; every trainee is a new person.
    for t, territory in enumerate(("CARENE", "PCSG")):
        for i, size in enumerate(FORMATION_PEOPLE[t], start=1):
            code = action(
                "FOR",
                territory,
                i,
                "formation",
                SCHOOL_YEARS[i % 4],
                days=3,
                heures=18,
                seances=3,
                linked=next_structures(territory, 2),
                intitule="Formation CPS « Grandir avec les CPS » (3 jours)",
            )
            participate(code, [new_person(territory) for _ in range(size)])
        # Co-interventions: a project manager and two professionals facilitate with children.
        for i, children in enumerate(CO_INTERVENTION_CHILDREN[t], start=1):
            code = action(
                "COI",
                territory,
                i,
                "co_intervention",
                SCHOOL_YEARS[1 + i % 2],
                heures=12,
                seances=8,
                enfants=children,
                linked=next_structures(territory, 1),
                intitule="Co-animation d'ateliers CPS avec un groupe d'enfants",
            )
            participate(code, [new_person(territory) for _ in range(CO_INTERVENTION_ADULTS)])

    # Coachings and practice days: some newcomers, the others trained before.
    slots = [
        (territory, prefix, modality, i, size)
        for t, territory in enumerate(("CARENE", "PCSG"))
        for prefix, modality, sizes in (
            ("ACC", "accompagnement", COACHING_PEOPLE[t]),
            ("JEP", "jep", JEP_PEOPLE[t]),
        )
        for i, size in enumerate(sizes, start=1)
    ]
    total_slots = sum(size for *_, size in slots)
    newcomer = [True] * NEW_PEOPLE_IN_COACHING_AND_JEP
    newcomer += [False] * (total_slots - len(newcomer))
    rng.shuffle(newcomer)
    position = 0
    for territory, prefix, modality, i, size in slots:
        trained = list(people[territory])
        code = action(
            prefix,
            territory,
            i,
            modality,
            SCHOOL_YEARS[i % 4],
            days=3,
            heures=18,
            seances=3,
            linked=next_structures(territory, 1 if prefix == "ACC" else 3),
            intitule=(
                "Accompagnement d'équipe (3 jours)"
                if prefix == "ACC"
                else "Journée d'échange de pratiques CPS"
            ),
        )
        chosen: list[str] = []
        for _ in range(size):
            if newcomer[position]:
                chosen.append(new_person(territory))
            else:
                chosen.append(rng.choice([p for p in trained if p not in chosen]))
            position += 1
        participate(code, chosen)

    # Parent actions: two progressive pathways of six sessions and six one-off workshops.
    for i, (insee, fmt, sessions, parents) in enumerate(PARENT_ACTIONS, start=1):
        territory = TERRITORY_OF[insee]
        local = [s for s in structures[territory] if kind_of[s][1] == insee][:1]
        action(
            "PAR",
            territory,
            i,
            "action_parentalite",
            SCHOOL_YEARS[2 + i % 2],
            heures=sessions * 2,
            seances=sessions,
            parents=parents,
            format=fmt,
            linked=local or next_structures(territory, 1),
            insee=insee,
            intitule="Parcours parents CPS (6 séances)"
            if fmt == "parcours"
            else "Atelier parents ponctuel",
        )

    # Governance: COPILs with elected officials, COTECHs of local actors.
    for territory, elected in COPIL_ELECTED.items():
        for i, count in enumerate(elected, start=1):
            action(
                "COPIL",
                territory,
                i,
                "copil",
                SCHOOL_YEARS[i],
                heures=2,
                elus=count,
                intitule="Comité de pilotage",
            )
        for i in range(1, COTECHS[territory] + 1):
            action(
                "COTECH",
                territory,
                i,
                "cotech",
                SCHOOL_YEARS[i % 4],
                heures=2,
                intitule="Comité technique",
            )

    # The seed's deployment pack, per territory, and its expected reach for the programme.
    for territory, _, _, _ in TERRITORIES:
        sheets["objectifs"] += [
            (territory, "formation", "an", 2, 2),
            (territory, "accompagnement", "an", 4, 8),
            (territory, "co_intervention", "programme", 5, None),
            (territory, "jep", "an", 1, 2),
            (territory, "action_parentalite", "an", 1, None),
            (territory, "copil", "an", 2, 2),
            (territory, "cotech", "an", 2, 2),
        ]
    sheets["objectifs"] += [
        ("*", "enfants", "programme", 3620, 3620),
        ("*", "professionnels", "programme", 420, 420),
        ("*", "structures", "programme", 57, 57),
    ]
    sheets["coordination"] = [
        (territory, f"{year}-{year + 1}", 15)
        for territory, *_ in TERRITORIES
        for year in SCHOOL_YEARS
    ]
    sheets["totaux_declares"] = [
        ("*", "parents", 158, "diapositive « La parentalité »"),
        ("*", "parents", 152, "diapositive « Nb de prestations et publics concernés »"),
        ("*", "enfants", 4130, "diapositive « Nb de prestations et publics concernés »"),
        ("*", "professionnels", 430, "diapositive « Nb de prestations et publics concernés »"),
    ]
    return sheets


def build_demo_workbook(path: Path = DEMO_WORKBOOK) -> Path:
    return write_sheets(build_rows(), path)


if __name__ == "__main__":
    print(build_demo_workbook())
