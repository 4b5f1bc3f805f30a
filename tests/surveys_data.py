"""A small programme with a shipped questionnaire, for questionnaire tests."""

from ancrage.surveys.library import template_path
from ancrage.surveys.services import (
    CheckedResponse,
    answer_rows,
    question_choices,
    questionnaire_create,
    responses_write,
)
from ancrage.workbook.importer import import_workbook

from .workbooks import minimal_sheets, write_xlsx


def programme_with_actions(tmp_path):
    sheets = minimal_sheets()
    sheets["actions"] += [
        {
            "id": "C2",
            "modalite": "co_intervention",
            "territoire": "T1",
            "debut": "2023-05-02",
            "enfants": 10,
            "structures": "S1",
        },
        {
            "id": "C3",
            "modalite": "co_intervention",
            "territoire": "T2",
            "debut": "2023-11-15",
            "enfants": 12,
            "structures": "S2",
        },
        {
            "id": "F2",
            "modalite": "formation",
            "territoire": "T2",
            "debut": "2023-10-02",
            "adultes": 12,
        },
    ]
    return import_workbook(write_xlsx(sheets, tmp_path / "w.xlsx")).programme


def questionnaire(programme, form_id: str):
    return questionnaire_create(programme=programme, xlsform=template_path(form_id).read_bytes())


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def first_choice_response(questionnaire, action, *, source: str = "en_ligne") -> None:
    """One response to `questionnaire` about `action`, each single-choice question answered by
    its first choice (« Pas du tout » on the shipped agreement scales: all unfavourable)."""
    questions, choices = question_choices(questionnaire)
    answers = [
        {**row, "question": question}
        for question in questions
        if question.kind == "select_one"
        for row in answer_rows(question, next(iter(choices[question.pk])), choices[question.pk])
    ]
    responses_write(
        questionnaire=questionnaire,
        responses=[CheckedResponse(action=action, answers=answers)],
        source=source,
    )
