"""The demo programme's answers, as the collection tools would export them.

Each questionnaire's answers are written as the file its tool exports (Kobo CSV, ODK Central
CSV, LimeSurvey CSV with its codes) and loaded by `ancrage demo` through the same import as any
user file. The numbers below are sizes of the raw data (how many answered, how many skipped an
item); every figure is computed from the answers. Rebuild with `python -m ancrage.demo.answers`.
"""

import csv
import datetime as dt
import random
import uuid
from pathlib import Path

from ancrage.demo.workbook import build_rows
from ancrage.surveys.library import TEMPLATES
from ancrage.workbook.schema import SHEETS_BY_NAME

DEMO_DIR = Path(__file__).parent / "data" / "answers"

# form id → tool, actions (code prefix), respondents, per-item answer counts where some skip,
# the share of favourable answers to aim at.
PLAN = {
    "formation_professionnels": {
        "tool": "kobo",
        "actions": ("FOR-",),
        "respondents": 190,
        "favourable": 0.95,
        "answered": {
            "contenus": 162,
            "animation": 163,
            "outils": 163,
            "connaissances": 162,
            "posture": 163,
            "capacite": 162,
            "langage_commun": 162,
        },
    },
    "coi_enfants": {
        "tool": "odk",
        "actions": ("COI-",),
        "respondents": 312,
        "favourable": 0.93,
        "answered": {},
    },
    "coi_enfants_emotions": {
        "tool": "kobo",
        "actions": ("COI-",),
        "only_children_over": 30,
        "respondents": 265,
        "favourable": 0.92,
        "answered": {},
    },
    "coi_adultes": {
        "tool": "limesurvey",
        "actions": ("COI-",),
        "respondents": 20,
        "favourable": 0.95,
        "answered": {},
    },
    "accompagnement_referents": {
        "tool": "kobo",
        "actions": ("ACC-",),
        "respondents": 18,
        "favourable": 0.95,
        "answered": {},
    },
    "parents": {
        "tool": "odk",
        "actions": ("PAR-",),
        "respondents": 98,
        "favourable": 0.94,
        "answered": {},
    },
}

# Free text as people write it: varied, sometimes without accents, with spelling slips.
TEXTS = {
    "retenu": [
        "Des outils concrets que je vais pouvoir réutiliser en classe",
        "L'importance de nommer les émotions avec les enfants",
        "la roue des émotions, super outil pour le périscolaire",
        "Une meilleure compréhension des CPS et de leur intérêt",
        "Prendre le temps d'écouter les enfants avant de réagir",
        "Le langage commun entre animateurs et enseignants, très utile",
        "Les jeux de coopération, facile à mettre en place",
        "bcp d'échanges entre professionnels, très enrichissant",
        "Je retiens la posture bienveillante et les messages clairs",
        "Des activités simples pour apprendre a gérer la colère",
        "Formation riche et concrète, on repart avec des fiches",
        "L'approche positive, je me sens plus à l'aise avec le groupe",
        "Comment accueillir les émotions sans juger",
    ],
    "ameliorer": [
        "Un peu dense sur la deuxième journée",
        "Plus de temps pour pratiquer entre nous",
        "Avoir les supports en version papier",
        "La salle était trop petite pour les jeux",
        "rien, c'etait parfait",
        "Prévoir un retour quelques mois après pour échanger sur la pratique",
        "Des exemples pour les plus petits (maternelle)",
        "Horaires difficiles à concilier avec le périscolaire",
        "Trop long le dernier après-midi",
    ],
    "mot": [
        "jai bien aimer les jeux",
        "c'étais trop bien !!",
        "content",
        "j'ai apris a me calmé quand je suis en colère",
        "super les histoires",
        "je me sentais bien",
        "on a rigolé avec les copains",
        "un peu long des fois mais c'était bien",
        "j'ai aimé parler de mes émotions",
        "trop cool",
        "calme",
        "j'ai adoré le moment calme",
        "pas aimé quand il y avait du bruit",
        "heureuse",
        "ça ma aidé a dire quand je suis triste",
        "génial",
        "je sais mieux dire ce que je ressent",
        "c'était rigolo",
    ],
    "moment_prefere": [
        "quand on a fait le jeu des émotions avec les cartes",
        "le moment calme allongé par terre",
        "quand on a dessiné notre météo intérieure",
        "j'ai aimé quand on a aidé un copain triste",
        "quand on a joué au jeu de la confiance",
        "l'histoire du petit monstre des couleurs",
        "quand on respire comme un ballon pour se calmer",
        "le jeu ou on devine les émotions",
        "quand j'ai dit ce qui me met en colère",
    ],
    "commentaire": [
        "Merci pour cet accompagnement, l'équipe est motivée",
        "Très bonne dynamique, les enfants en parlent encore",
        "Difficile de dégager du temps pour toute l'équipe",
        "Des échanges riches avec les autres parents, merci",
        "J'ai appris des choses utiles pour la maison",
        "Les enfants sont plus calmes au retour des ateliers",
        "Un vrai soutien pour notre projet de structure",
        "Changement de référente en cours d'année, un peu compliqué",
        "Atelier agréable et bienveillant",
        "On aimerait continuer l'année prochaine",
    ],
}


def _allocate(total: int, sizes: list[int]) -> list[int]:
    """Share `total` respondents among actions in proportion to their sizes (largest remainder),
    never more than an action's size."""
    whole = sum(sizes)
    raw = [total * s / whole for s in sizes]
    counts = [min(int(r), s) for r, s in zip(raw, sizes, strict=True)]
    order = sorted(range(len(sizes)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        j = order[i % len(order)]
        if counts[j] < sizes[j]:
            counts[j] += 1
        i += 1
    return counts


def _beneficiaries(action: dict, public: str, participants: dict[str, int]) -> int:
    if public == "enfants":
        return action["enfants"] or 0
    if public == "parents":
        return action["parents"] or 0
    if public == "referents":
        return 1
    return participants.get(action["id"], 0)


def _favourable_answer(rng: random.Random, choices: list, favourable: bool) -> str:
    pool = [name for name, _, fav in choices if fav == favourable]
    weights = [1, 3] if favourable else [1, 2]  # more "very" than "rather"
    return rng.choices(pool[::-1] if favourable else pool, weights=weights[: len(pool)])[0]


def _questions(spec: dict) -> list[dict]:
    flat = []
    for element in spec["survey"]:
        if "group" in element:
            flat += [{**q, "path": [element["group"], q["name"]]} for q in element["questions"]]
        else:
            flat.append({**element, "path": [element["name"]]})
    return flat


def demo_actions(prefixes: tuple[str, ...], minimum_children: int = 0) -> list[dict]:
    rows = build_rows()
    columns = SHEETS_BY_NAME["actions"].columns
    actions = [dict(zip(columns, row, strict=True)) for row in rows["actions"]]
    return [
        a
        for a in actions
        if a["id"].startswith(prefixes) and (a["enfants"] or 0) >= minimum_children
    ]


def build_responses(form_id: str, seed: int = 11) -> tuple[list[str], list[list]]:
    """The header and rows of one questionnaire's export, in its tool's layout."""
    spec, plan = TEMPLATES[form_id], PLAN[form_id]
    rng = random.Random(f"{seed}-{form_id}")
    actions = demo_actions(plan["actions"], plan.get("only_children_over", 0))
    participants: dict[str, int] = {}
    for action, _ in build_rows()["participations"]:
        participants[action] = participants.get(action, 0) + 1
    sizes = [_beneficiaries(a, spec["public"], participants) for a in actions]
    per_action = _allocate(plan["respondents"], sizes)
    owners = [a for a, n in zip(actions, per_action, strict=True) for _ in range(n)]
    total = len(owners)
    questions = _questions(spec)
    answers: dict[str, list] = {}
    for question in questions:
        name = question["name"]
        answered = plan["answered"].get(name, total)
        present = [True] * answered + [False] * (total - answered)
        rng.shuffle(present)
        if question["type"] == "select_one":
            n_fav = round(answered * plan["favourable"])
            favourable = [True] * n_fav + [False] * (answered - n_fav)
            rng.shuffle(favourable)
            values = iter(_favourable_answer(rng, question["scale"][1], f) for f in favourable)
            answers[name] = [next(values) if p else "" for p in present]
        elif question["type"] == "select_multiple":
            names = [c[0] for c in question["scale"][1]]
            answers[name] = [
                " ".join(sorted(rng.sample(names, rng.randint(1, 3)), key=names.index))
                for _ in present
            ]
        else:
            bank = TEXTS[name]
            answers[name] = [rng.choice(bank) if rng.random() < 0.6 else "" for _ in present]
    return _layout(plan["tool"], spec, questions, owners, answers, rng)


def _layout(tool, spec, questions, owners, answers, rng):
    start = dt.datetime(2024, 5, 6, 9, 0)
    pairing = spec.get("appariement") == "oui"
    if tool == "kobo":
        header = ["start", "end"]
        for q in questions:
            header.append("/".join(q["path"]))
            if q["type"] == "select_multiple":
                header += ["/".join(q["path"]) + "/" + c[0] for c in q["scale"][1]]
        header += ["action"] + (["code_anonyme", "moment"] if pairing else [])
        header += ["_id", "_uuid", "_submission_time", "_index"]
    elif tool == "odk":
        header = ["SubmissionDate"] + ["-".join(q["path"]) for q in questions]
        header += ["action", "meta-instanceID", "KEY", "SubmitterID", "ReviewState"]
    else:  # LimeSurvey, "codes" export: question codes, answer codes, Y for ticked options
        header = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
        for q in questions:
            if q["type"] == "select_multiple":
                header += [f"{q['name']}[{c[0]}]" for c in q["scale"][1]]
            else:
                header.append(q["name"])
        header.append("action")
    rows = []
    for i, action in enumerate(owners):
        when = start + dt.timedelta(minutes=37 * i)
        uid = str(uuid.UUID(int=rng.getrandbits(128)))
        if tool == "kobo":
            row = [when.isoformat(), (when + dt.timedelta(minutes=6)).isoformat()]
            for q in questions:
                value = answers[q["name"]][i]
                row.append(value)
                if q["type"] == "select_multiple":
                    ticked = value.split()
                    row += ["1" if c[0] in ticked else "0" for c in q["scale"][1]]
            row.append(action["id"])
            if pairing:
                row += [
                    f"{rng.choice('ABCDEFGHJKLMNPRST')}{rng.choice('ABCDEFGHJKLMNPRST')}"
                    f"{rng.randint(1, 28):02d}{rng.choice('ABCDEFGHJKLMNPRST')}",
                    "apres",
                ]
            row += [str(1000 + i), uid, when.isoformat(), str(i + 1)]
        elif tool == "odk":
            row = [when.isoformat() + "Z"] + [answers[q["name"]][i] for q in questions]
            row += [action["id"], f"uuid:{uid}", f"uuid:{uid}", "", "approved"]
        else:
            row = [str(i + 1), when.isoformat(sep=" "), "2", "fr", str(rng.randint(1, 10**8))]
            for q in questions:
                value = answers[q["name"]][i]
                if q["type"] == "select_multiple":
                    row += ["Y" if c[0] in value.split() else "" for c in q["scale"][1]]
                else:
                    row.append(value)
            row.append(action["id"])
        rows.append(row)
    return header, rows


def demo_file(form_id: str) -> Path:
    return DEMO_DIR / f"{form_id}_{PLAN[form_id]['tool']}.csv"


def write_demo_responses() -> list[Path]:
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for form_id, plan in PLAN.items():
        header, rows = build_responses(form_id)
        delimiter = ";" if plan["tool"] == "kobo" else ","
        with open(demo_file(form_id), "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(demo_file(form_id))
    return written


if __name__ == "__main__":
    for path in write_demo_responses():
        print(path)


def load_demo_answers(programme) -> dict[str, int]:
    """Create the template questionnaires for the demo programme, open their collections at
    every planned action (respondents or not: the response rate counts on all), then import
    each tool's export."""
    from ancrage.activities.models import Action
    from ancrage.surveys.library import template_path
    from ancrage.surveys.responses import import_responses
    from ancrage.surveys.services import collection_for, questionnaire_create

    counts = {}
    for form_id, plan in PLAN.items():
        questionnaire = questionnaire_create(
            programme=programme, xlsform=template_path(form_id).read_bytes()
        )
        codes = [a["id"] for a in demo_actions(plan["actions"], plan.get("only_children_over", 0))]
        for action in Action.objects.filter(programme=programme, code__in=codes):
            collection_for(questionnaire, action)
        counts[form_id] = len(
            import_responses(questionnaire=questionnaire, path=demo_file(form_id))
        )
    return counts
