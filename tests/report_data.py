"""Programmes the report tests share: the demo (conftest), one of its territories, and a
stress programme with long names, 12 questionnaires, 30 indicators and 40 territories."""

import random

from ancrage.activities.models import Action
from ancrage.evaluation.models import (
    EvaluationIndicator,
    EvaluationSettings,
    Milestone,
    Partner,
    Statement,
    Theme,
)
from ancrage.surveys.library import TEMPLATES, write_template
from ancrage.surveys.models import QuestionKind
from ancrage.surveys.services import (
    CheckedResponse,
    answer_rows,
    question_choices,
    questionnaire_create,
    responses_write,
)
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx

LONG = "de la Communauté de communes du Pays de Sainte-Reine-de-Bretagne et des Marais de Brière"
WORDS = "jeux calme émotions colère équipe parler écouter ensemble temps difficile utile".split()


def _sheets(territories: int) -> dict:
    sheets = minimal_sheets()
    sheets["programme"][0]["valeur"] = f"Programme CPS {LONG} 2022-2024"
    sheets["territoires"], sheets["communes"], sheets["structures"] = [], [], []
    sheets["actions"], sheets["objectifs"], sheets["participations"] = [], [], []
    sheets["personnes"], sheets["coordination"] = [], []
    for n in range(1, territories + 1):
        code = f"T{n:02d}"
        sheets["territoires"].append(
            {"code": code, "nom": f"Territoire {n} {LONG}", "population": 1000 + 37 * n}
        )
        sheets["communes"].append(
            {"code_insee": f"{44000 + n}", "nom": f"Commune {n} {LONG}", "territoire": code}
        )
        sheets["structures"].append(
            {
                "id": f"S{n}",
                "nom": f"École {n} {LONG}",
                "type": "ecole_publique",
                "code_insee": f"{44000 + n}",
            }
        )
        for modality, key, value in (
            ("formation", "adultes", 12),
            ("co_intervention", "enfants", 25),
            ("action_parentalite", "parents", 8),
            ("accompagnement", "adultes", 4),
            ("copil", "elus", 3),
        ):
            sheets["actions"].append(
                {
                    "id": f"{modality[:3].upper()}{n}",
                    "modalite": modality,
                    "territoire": code,
                    "debut": "2023-03-01",
                    "structures": f"S{n}",
                    key: value,
                }
            )
        for target, low, high in (("formation", 2, 2), ("accompagnement", 4, 8), ("copil", 2, 2)):
            sheets["objectifs"].append(
                {"territoire": code, "cible": target, "min": low, "max": high, "periode": "an"}
            )
        sheets["coordination"].append(
            {"territoire": code, "annee_scolaire": "2022-2023", "jours": 15}
        )
    sheets["objectifs"].append(
        {"territoire": "*", "cible": "enfants", "min": 1000, "max": 1000, "periode": "programme"}
    )
    return sheets


def _answer(question, choices, rng: random.Random):
    if question.kind == QuestionKind.TEXT:
        return " ".join(rng.sample(WORDS, 4))
    if question.kind == QuestionKind.INTEGER:
        return str(rng.randint(1, 30))
    names = list(choices)
    if question.kind == QuestionKind.SELECT_MULTIPLE:
        return " ".join(rng.sample(names, 2))
    return rng.choice(names)


def _questionnaires(programme, tmp_path, rng: random.Random) -> None:
    """Twelve questionnaires (each shipped template twice, with long titles), answered."""
    for copy in (1, 2):
        for form_id, spec in TEMPLATES.items():
            long_spec = {**spec, "title": f"{spec['title']} {copy} : version longue {LONG}"}
            path = write_template(
                f"{form_id}_{copy}", long_spec, tmp_path / f"{form_id}_{copy}.xlsx"
            )
            questionnaire = questionnaire_create(programme=programme, xlsform=path.read_bytes())
            questions, choices = question_choices(questionnaire)
            actions = list(
                Action.objects.filter(programme=programme, modality=questionnaire.modality)
            )
            responses = [
                CheckedResponse(
                    action=actions[i % len(actions)],
                    answers=[
                        {**row, "question": question}
                        for question in questions
                        for row in answer_rows(
                            question,
                            _answer(question, choices[question.pk], rng),
                            choices[question.pk],
                        )
                    ],
                )
                for i in range(12)
            ]
            responses_write(questionnaire=questionnaire, responses=responses, source="papier")


def _evaluation(programme) -> None:
    EvaluationSettings.objects.create(
        programme=programme,
        description=f"Un programme {LONG} " * 3,
        closing_text=f"Équipe du programme {LONG}",
    )
    for start in range(1990, 2026, 5):
        Milestone.objects.create(
            programme=programme, start_year=start, end_year=start + 4, title=f"Étape {LONG}"
        )
    for kind in Statement.Kind.values:
        for n in range(6):
            Statement.objects.create(programme=programme, kind=kind, text=f"Énoncé {n} {LONG}")
    for n in range(12):
        Partner.objects.create(
            programme=programme, name=f"Partenaire {n} {LONG}", kind="institution", role=LONG
        )
    for number in range(1, 7):
        theme = Theme.objects.create(programme=programme, number=number, label=f"Thème {LONG}")
        for position in range(5):
            EvaluationIndicator.objects.create(
                theme=theme,
                position=position,
                label=f"Indicateur {number}.{position} {LONG}",
                sources=f"Fiches bilan {LONG}",
            )


def stress_programme(tmp_path):
    programme = import_workbook(write_xlsx(_sheets(40), tmp_path / "stress.xlsx")).programme
    rng = random.Random(7)
    _questionnaires(programme, tmp_path, rng)
    _evaluation(programme)
    return programme
