"""The questionnaire templates shipped with Ancrage, written as XLSForm files.

Defined here as data and written to `data/templates/` by `python -m ancrage.surveys.library`;
users edit them in Kobo, ODK or Excel and load them back, or edit labels in Ancrage.
"""

from pathlib import Path

from openpyxl import Workbook

TEMPLATES_DIR = Path(__file__).parent / "data" / "templates"

AGREE = (
    "accord",
    [
        ("1", "Pas du tout d'accord", False),
        ("2", "Plutôt pas d'accord", False),
        ("3", "Plutôt d'accord", True),
        ("4", "Tout à fait d'accord", True),
    ],
)
# Children answer with four faces and words an eight-year-old reads.
SMILEYS = (
    "smileys",
    [
        ("1", "😞 Pas du tout", False),
        ("2", "😐 Un peu", False),
        ("3", "😊 Beaucoup", True),
        ("4", "😄 Énormément", True),
    ],
)
ACTIVITIES = (
    "activites",
    [
        ("jeux", "Les jeux", False),
        ("histoires", "Les histoires", False),
        ("dessins", "Les dessins", False),
        ("discussions", "Parler ensemble", False),
        ("relaxation", "Le moment calme", False),
    ],
)


def q(name, label, scale=AGREE, category="", required=False, kind="select_one"):
    return {
        "type": kind,
        "name": name,
        "label": label,
        "scale": scale,
        "category": category,
        "required": required,
    }


def text(name, label):
    return {
        "type": "text",
        "name": name,
        "label": label,
        "scale": None,
        "category": "",
        "required": False,
    }


def group(name, label, *questions):
    return {"group": name, "label": label, "questions": list(questions)}


TEMPLATES = {
    "formation_professionnels": {
        "title": "Questionnaire de fin de formation CPS",
        "public": "professionnels",
        "modalite": "formation",
        "survey": [
            group(
                "avis",
                "Votre avis sur la formation",
                q(
                    "satisfaction_globale",
                    "Globalement, je suis satisfait·e de cette formation.",
                    category="satisfaction",
                    required=True,
                ),
                q(
                    "contenus",
                    "Les contenus correspondent à mes besoins professionnels.",
                    category="satisfaction",
                ),
                q("animation", "L'animation a favorisé ma participation.", category="satisfaction"),
                q(
                    "outils",
                    "Les outils présentés sont utilisables dans ma structure.",
                    category="satisfaction",
                ),
            ),
            group(
                "effets",
                "Ce que la formation change pour vous",
                q(
                    "connaissances",
                    "J'ai renforcé mes connaissances sur les compétences psychosociales.",
                    category="effet",
                ),
                q("posture", "Ma posture avec les enfants évolue.", category="effet"),
                q("capacite", "Je me sens capable d'animer une séance CPS.", category="effet"),
                q(
                    "langage_commun",
                    "Je partage un langage commun avec d'autres professionnel·les.",
                    category="effet",
                ),
            ),
            q(
                "recommandation",
                "Je recommanderais cette formation à un·e collègue.",
                category="satisfaction",
                required=True,
            ),
            text("retenu", "Ce que je retiens de la formation"),
            text("ameliorer", "Ce qui pourrait être amélioré"),
        ],
    },
    "coi_enfants": {
        "title": "Les ateliers et moi",
        "public": "enfants",
        "modalite": "co_intervention",
        "survey": [
            q("aime", "As-tu aimé les ateliers ?", SMILEYS, "satisfaction", required=True),
            q("ecoute", "Les adultes t'ont-ils bien écouté·e ?", SMILEYS, "satisfaction"),
            group(
                "moi",
                "Ce que j'ai appris",
                q("emotions", "As-tu appris des choses sur tes émotions ?", SMILEYS, "effet"),
                q("dire", "Arrives-tu mieux à dire ce que tu ressens ?", SMILEYS, "effet"),
                q("autres", "Te sens-tu mieux avec les autres ?", SMILEYS, "effet"),
            ),
            q("prefere", "Qu'as-tu préféré ?", ACTIVITIES, kind="select_multiple"),
            text("mot", "Un mot pour dire comment tu t'es senti·e pendant les ateliers"),
        ],
    },
    "coi_enfants_emotions": {
        "title": "Mes émotions",
        "public": "enfants",
        "modalite": "co_intervention",
        "appariement": "oui",
        "survey": [
            q("reconnaitre", "Je sais reconnaître quand je suis en colère.", SMILEYS, "effet"),
            q("calmer", "Je sais comment me calmer.", SMILEYS, "effet"),
            q("aider", "Je sais aider un copain ou une copine qui est triste.", SMILEYS, "effet"),
            q("content_venir", "J'étais content·e de venir aux ateliers.", SMILEYS, "satisfaction"),
            text("moment_prefere", "Raconte un moment de l'atelier qui t'a plu"),
        ],
    },
    "coi_adultes": {
        "title": "Co-intervention : l'avis des professionnel·les",
        "public": "professionnels",
        "modalite": "co_intervention",
        "survey": [
            q(
                "coanimation_utile",
                "La co-animation avec Promotion Santé m'a été utile.",
                category="satisfaction",
                required=True,
            ),
            q(
                "organisation",
                "L'organisation des séances était adaptée à mon groupe.",
                category="satisfaction",
            ),
            q(
                "refaire_seul",
                "Je me sens capable de refaire ces ateliers seul·e.",
                category="effet",
            ),
            q(
                "changements_enfants",
                "J'observe des changements chez les enfants.",
                category="effet",
            ),
            text("commentaire", "Votre commentaire"),
        ],
    },
    "accompagnement_referents": {
        "title": "Accompagnement d'équipe : l'avis de la personne référente",
        "public": "referents",
        "modalite": "accompagnement",
        "survey": [
            q(
                "besoins_equipe",
                "L'accompagnement a répondu aux besoins de l'équipe.",
                category="satisfaction",
                required=True,
            ),
            q("rythme", "Le rythme des rencontres était adapté.", category="satisfaction"),
            q(
                "projet_structure",
                "Les CPS sont inscrites dans le projet de la structure.",
                category="effet",
            ),
            q("quotidien", "L'équipe utilise les CPS au quotidien.", category="effet"),
            text("commentaire", "Votre commentaire"),
        ],
    },
    "parents": {
        "title": "Atelier parents : votre avis",
        "public": "parents",
        "modalite": "action_parentalite",
        "survey": [
            q("apprecie", "J'ai apprécié cet atelier.", category="satisfaction", required=True),
            q(
                "utile_maison",
                "Ce que j'ai appris m'est utile à la maison.",
                category="satisfaction",
            ),
            q("echanges", "J'ai pu échanger avec d'autres parents.", category="effet"),
            text("commentaire", "Votre commentaire"),
        ],
    },
}


def template_path(form_id: str) -> Path:
    return TEMPLATES_DIR / f"{form_id}.xlsx"


def write_template(form_id: str, spec: dict, path: Path) -> Path:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "categorie"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "favorable"])
    lists: dict[str, list] = {}

    def add(question: dict) -> None:
        scale = question["scale"]
        type_cell = question["type"]
        if scale:
            lists[scale[0]] = scale[1]
            type_cell = f"{question['type']} {scale[0]}"
        survey.append(
            [
                type_cell,
                question["name"],
                question["label"],
                "yes" if question["required"] else "",
                question["category"],
            ]
        )

    for element in spec["survey"]:
        if "group" in element:
            survey.append(["begin_group", element["group"], element["label"], "", ""])
            for question in element["questions"]:
                add(question)
            survey.append(["end_group", "", "", "", ""])
        else:
            add(element)
    for list_name, items in lists.items():
        for name, label, favorable in items:
            choices.append([list_name, name, label, "oui" if favorable else ""])
    settings = book.create_sheet("settings")
    settings.append(
        [
            "form_title",
            "form_id",
            "version",
            "public",
            "modalite",
            "appariement",
            "default_language",
        ]
    )
    settings.append(
        [
            spec["title"],
            form_id,
            "2025",
            spec["public"],
            spec["modalite"],
            spec.get("appariement", ""),
            "French (fr)",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_templates() -> list[Path]:
    return [
        write_template(form_id, spec, template_path(form_id)) for form_id, spec in TEMPLATES.items()
    ]


if __name__ == "__main__":
    for written in write_templates():
        print(written)
