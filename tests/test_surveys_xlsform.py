import io

import pytest
from openpyxl import load_workbook

from ancrage.surveys.library import TEMPLATES, template_path
from ancrage.surveys.models import QuestionKind
from ancrage.surveys.xlsform import XLSFormInvalid, parse_xlsform, write_xlsform

from .surveys_data import programme_with_actions, questionnaire

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_id", list(TEMPLATES))
def test_every_shipped_template_reads_as_xlsform(form_id):
    form = parse_xlsform(template_path(form_id).read_bytes())
    assert form.form_id == form_id
    assert form.public and form.modality
    assert all(q.label for q in form.questions)


def test_groups_types_favourable_choices_and_categories_are_read():
    form = parse_xlsform(template_path("coi_enfants").read_bytes())
    by_name = {q.name: q for q in form.questions}
    assert by_name["emotions"].path == "moi/emotions"
    assert by_name["emotions"].group_label == "Ce que j'ai appris"
    assert by_name["aime"].kind == QuestionKind.SELECT_ONE and by_name["aime"].required
    assert by_name["prefere"].kind == QuestionKind.SELECT_MULTIPLE
    assert by_name["mot"].kind == QuestionKind.TEXT
    assert [c.favorable for c in by_name["aime"].choices] == [False, False, True, True]
    assert by_name["aime"].category == "satisfaction"
    assert "Énormément" in by_name["aime"].choices[3].label  # words an 8-year-old reads


def _xlsform(survey_rows, choices_rows=(), settings=("professionnels", "formation")) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    for row in survey_rows:
        survey.append(list(row))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "favorable"])
    for row in choices_rows:
        choices.append(list(row))
    sheet = book.create_sheet("settings")
    sheet.append(["form_id", "public", "modalite"])
    sheet.append(["essai", *settings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_location_is_never_stored_and_one_warning_line_names_it():
    data = _xlsform([("integer", "age", "Âge"), ("geopoint", "lieu", "Où ?")])
    form = parse_xlsform(data)
    assert [q.name for q in form.questions] == ["age"]
    assert "lieu" in form.unstored
    assert len(form.warnings) == 1
    assert form.warnings[0].startswith("questions jamais enregistrées")
    assert form.warnings[0].endswith(": lieu")


def test_a_list_missing_from_choices_is_refused_with_pyxform_s_reason():
    with pytest.raises(XLSFormInvalid) as refused:
        parse_xlsform(_xlsform([("select_one absente", "q", "Q ?")], [("autre", "1", "Un", "")]))
    assert refused.value.problems[0].startswith("survey:2:-: XLSForm refusé par pyxform")
    assert "absente" in refused.value.problems[0]


def test_a_questionnaire_needs_a_public_and_a_modality():
    with pytest.raises(XLSFormInvalid) as refused:
        parse_xlsform(_xlsform([("integer", "age", "Âge")], settings=("eleves", "sortie")))
    assert refused.value.problems == [
        "settings:2:public: « eleves » inconnu : valeurs possibles « Enfants », "
        "« Professionnel·les », « Personnes référentes », « Parents »",
        "settings:2:modalite: « sortie » inconnu : valeurs possibles « Formation », "
        "« Co-intervention », « Accompagnement », « Journée d'échange de pratiques », "
        "« Action parentalité », « COPIL », « COTECH »",
    ]


def test_an_edited_questionnaire_exports_as_xlsform_again(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = questionnaire(programme, "coi_enfants")
    question = created.questions.get(name="aime")
    question.label = "Est-ce que tu as aimé les ateliers ?"
    question.save(update_fields=["label"])
    exported = write_xlsform(created)
    again = parse_xlsform(exported)
    assert [q.path for q in again.questions] == [
        q.path for q in created.questions.order_by("position")
    ]
    assert again.questions[0].label == "Est-ce que tu as aimé les ateliers ?"
    assert [c.favorable for c in again.questions[0].choices] == [False, False, True, True]
    book = load_workbook(io.BytesIO(exported))
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_a_field_named_like_a_response_column_fills_it_and_is_not_analysed():
    form = parse_xlsform(_xlsform([("text", "moment", "Quand ?"), ("integer", "age", "Âge")]))
    assert [q.name for q in form.questions] == ["age"]
    assert "moment" in form.unstored
