"""The demo programme: the seed deck's programme as person-level raw data.

The rows below are built so that Ancrage, computing from them, finds the deck's figures
(docs/domain.md). The deck's totals appear here only as sizes of the raw data to generate
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


PROGRAMME = [
    ("nom", DEMO_NAME),
    ("debut", dt.date(2022, 1, 1)),
    ("fin", dt.date(2025, 8, 31)),
    ("taux_replication", 0.7),
    ("enfants_par_adulte", 20),
    ("part_multimodalite", "1/3"),
    ("jours_par_etp", 218),
]
# How each kind of action is written: its modality, length, hours and sessions, how many
# structures it names, its title, and the school year of its n-th action (index into
# SCHOOL_YEARS). Sizes (people, children, parents, elected officials) are in the tables above.
ACTION_KINDS = {
    "FOR": {
        "modality": "formation",
        "days": 3,
        "heures": 18,
        "seances": 3,
        "structures": 2,
        "year": lambda i: i % 4,
        "intitule": "Formation CPS « Grandir avec les CPS » (3 jours)",
    },
    "COI": {
        "modality": "co_intervention",
        "heures": 12,
        "seances": 8,
        "structures": 1,
        "year": lambda i: 1 + i % 2,
        "intitule": "Co-animation d'ateliers CPS avec un groupe d'enfants",
    },
    "ACC": {
        "modality": "accompagnement",
        "days": 3,
        "heures": 18,
        "seances": 3,
        "structures": 1,
        "year": lambda i: i % 4,
        "intitule": "Accompagnement d'équipe (3 jours)",
    },
    "JEP": {
        "modality": "jep",
        "days": 3,
        "heures": 18,
        "seances": 3,
        "structures": 3,
        "year": lambda i: i % 4,
        "intitule": "Journée d'échange de pratiques CPS",
    },
    "PAR": {"modality": "action_parentalite", "year": lambda i: 2 + i % 2},
    "COPIL": {
        "modality": "copil",
        "heures": 2,
        "year": lambda i: i,
        "intitule": "Comité de pilotage",
    },
    "COTECH": {
        "modality": "cotech",
        "heures": 2,
        "year": lambda i: i % 4,
        "intitule": "Comité technique",
    },
}
PARENT_TITLES = {
    "parcours": "Parcours parents CPS (6 séances)",
    "ponctuel": "Atelier parents ponctuel",
}
# The seed's deployment pack, per territory, and its expected reach for the programme.
PACK = [
    ("formation", "an", 2, 2),
    ("accompagnement", "an", 4, 8),
    ("co_intervention", "programme", 5, None),
    ("jep", "an", 1, 2),
    ("action_parentalite", "an", 1, None),
    ("copil", "an", 2, 2),
    ("cotech", "an", 2, 2),
]
PROGRAMME_OBJECTIVES = [
    ("*", "enfants", "programme", 3620, 3620),
    ("*", "professionnels", "programme", 420, 420),
    ("*", "structures", "programme", 57, 57),
]
COORDINATION_DAYS = 15  # per territory and school year
DECLARED_TOTALS = [
    ("*", "parents", 158, "diapositive « La parentalité »"),
    ("*", "parents", 152, "diapositive « Nb de prestations et publics concernés »"),
    ("*", "enfants", 4130, "diapositive « Nb de prestations et publics concernés »"),
    ("*", "professionnels", 430, "diapositive « Nb de prestations et publics concernés »"),
]
ACTION_FIELDS = ("heures", "seances", "enfants", "adultes", "parents", "elus")


class DemoRows:
    """Writes the tables above as workbook rows. People and dates are drawn from a fixed seed,
    so the workbook is the same each time (a test checks the shipped file)."""

    def __init__(self):
        self.rng = random.Random(2025)
        # The contract's sheets; the evaluation is loaded by demo/evaluation.py.
        self.sheets: dict[str, list[tuple]] = {
            sheet.name: [] for sheet in SHEETS if not sheet.order
        }
        self.structures: dict[str, list[str]] = {"CARENE": [], "PCSG": []}
        self.kind_of: dict[str, tuple[str, str]] = {}
        self.people: dict[str, list[str]] = {"CARENE": [], "PCSG": []}
        self.cursor = {"CARENE": 0, "PCSG": 0}

    def add_structures(self) -> None:
        for number, (name, kind, insee) in enumerate(STRUCTURES, start=1):
            code = f"S{number:03d}"
            self.sheets["structures"].append(
                (code, name, kind, insee, "oui" if name in QPV else "")
            )
            self.structures[TERRITORY_OF[insee]].append(code)
            self.kind_of[code] = (kind, insee)

    def new_person(self, territory: str) -> str:
        code = f"P{len(self.sheets['personnes']) + 1:04d}"
        structure = self.rng.choice(self.structures[territory])
        profession = self.rng.choice(PROFESSIONS[self.kind_of[structure][0]])
        self.sheets["personnes"].append((code, profession, structure))
        self.people[territory].append(code)
        return code

    def next_structures(self, territory: str, count: int) -> list[str]:
        # Round-robin, so that every structure of the territory is reached by some action.
        pool = self.structures[territory]
        start = self.cursor[territory]
        chosen = [pool[(start + i) % len(pool)] for i in range(count)]
        self.cursor[territory] += count
        return list(dict.fromkeys(chosen))

    def action(self, prefix: str, territory: str, index: int, **fields) -> str:
        """One action of ACTION_KINDS[prefix], the index-th of its territory; `fields` add or
        override the kind's (sizes, structures, commune)."""
        kind = {**ACTION_KINDS[prefix], **fields}
        if "linked" not in kind:
            kind["linked"] = self.next_structures(territory, kind["structures"])
        linked = kind["linked"]
        insee = kind.get("insee") or (self.kind_of[linked[0]][1] if linked else "")
        start = _date_in(self.rng, SCHOOL_YEARS[kind["year"](index)])
        days = kind.get("days", 1)
        end = start + dt.timedelta(days=days - 1) if days > 1 else None
        code = f"{prefix}-{territory}-{index:02d}"
        sizes = [kind.get(name) for name in ACTION_FIELDS]
        text = [kind.get("format", ""), kind.get("intitule", "")]
        row = (
            code,
            kind["modality"],
            territory,
            start,
            end,
            insee,
            ";".join(linked),
            *sizes,
            *text,
        )
        self.sheets["actions"].append(row)
        return code

    def participate(self, action_code: str, codes: list[str]) -> None:
        self.sheets["participations"].extend((action_code, person) for person in codes)

    def trainings_and_co_interventions(self) -> None:
        """Every trainee is a new person; co-interventions bring two professionals each."""
        for t, territory in enumerate(("CARENE", "PCSG")):
            for i, size in enumerate(FORMATION_PEOPLE[t], start=1):
                code = self.action("FOR", territory, i)
                self.participate(code, [self.new_person(territory) for _ in range(size)])
            for i, children in enumerate(CO_INTERVENTION_CHILDREN[t], start=1):
                code = self.action("COI", territory, i, enfants=children)
                adults = [self.new_person(territory) for _ in range(CO_INTERVENTION_ADULTS)]
                self.participate(code, adults)

    def coachings_and_practice_days(self) -> None:
        """Some newcomers (NEW_PEOPLE_IN_COACHING_AND_JEP), the others trained before."""
        slots = [
            (territory, prefix, i, size)
            for t, territory in enumerate(("CARENE", "PCSG"))
            for prefix, sizes in (("ACC", COACHING_PEOPLE[t]), ("JEP", JEP_PEOPLE[t]))
            for i, size in enumerate(sizes, start=1)
        ]
        total_slots = sum(size for *_, size in slots)
        newcomer = [True] * NEW_PEOPLE_IN_COACHING_AND_JEP
        newcomer += [False] * (total_slots - len(newcomer))
        self.rng.shuffle(newcomer)
        position = 0
        for territory, prefix, i, size in slots:
            trained = list(self.people[territory])
            code = self.action(prefix, territory, i)
            chosen: list[str] = []
            for _ in range(size):
                if newcomer[position]:
                    chosen.append(self.new_person(territory))
                else:
                    chosen.append(self.rng.choice([p for p in trained if p not in chosen]))
                position += 1
            self.participate(code, chosen)

    def parent_actions(self) -> None:
        for i, (insee, fmt, sessions, parents) in enumerate(PARENT_ACTIONS, start=1):
            territory = TERRITORY_OF[insee]
            local = [s for s in self.structures[territory] if self.kind_of[s][1] == insee][:1]
            self.action(
                "PAR",
                territory,
                i,
                heures=sessions * 2,
                seances=sessions,
                parents=parents,
                format=fmt,
                linked=local or self.next_structures(territory, 1),
                insee=insee,
                intitule=PARENT_TITLES[fmt],
            )

    def governance(self) -> None:
        for territory, elected in COPIL_ELECTED.items():
            for i, count in enumerate(elected, start=1):
                self.action("COPIL", territory, i, elus=count, linked=[])
            for i in range(1, COTECHS[territory] + 1):
                self.action("COTECH", territory, i, linked=[])


def build_rows() -> dict[str, list[tuple]]:
    rows = DemoRows()
    rows.sheets["programme"] = list(PROGRAMME)
    rows.sheets["territoires"] = list(TERRITORIES)
    rows.sheets["communes"] = list(COMMUNES)
    rows.add_structures()
    rows.trainings_and_co_interventions()
    rows.coachings_and_practice_days()
    rows.parent_actions()
    rows.governance()
    territories = [code for code, *_ in TERRITORIES]
    rows.sheets["objectifs"] = [(t, *objective) for t in territories for objective in PACK]
    rows.sheets["objectifs"] += PROGRAMME_OBJECTIVES
    rows.sheets["coordination"] = [
        (t, f"{year}-{year + 1}", COORDINATION_DAYS) for t in territories for year in SCHOOL_YEARS
    ]
    rows.sheets["totaux_declares"] = list(DECLARED_TOTALS)
    return rows.sheets


def build_demo_workbook(path: Path = DEMO_WORKBOOK) -> Path:
    return write_sheets(build_rows(), path)


if __name__ == "__main__":
    print(build_demo_workbook())
