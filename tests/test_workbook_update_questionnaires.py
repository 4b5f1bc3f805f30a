"""Update a programme's questionnaires from its workbook: the sheets questionnaires, questions,
choix, collectes and reponses are compared like the others; an edit that keeps the answers'
meaning is applied, one that would change it is refused with a French reason, and the figures
move exactly as a fresh import of the edited workbook says."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.surveys.models import Answer, Collection, Question, Response
from ancrage.surveys.responses import import_responses
from ancrage.surveys.services import questionnaire_create
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import import_workbook

from .surveys_data import programme_with_actions
from .test_workbook_whole_programme import KOBO_FORM, RESPONSES, _answers, _without_ids

pytestmark = pytest.mark.django_db
FORM = "atelier_cps_kobo"


@pytest.fixture
def kobo_programme(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire_create(programme=programme, xlsform=KOBO_FORM.read_bytes())
    import_responses(questionnaire=form, path=RESPONSES / "kobo_atelier_cps.csv")
    return programme


def run_update(path, *options) -> str:
    out = io.StringIO()
    call_command("import", str(path), "--update", *options, "--sans-progression", stdout=out)
    return out.getvalue()


def edit(path, sheet: str, match: dict, column: str, value) -> None:
    """Change one cell of the rows matching `match` (every matching row)."""
    book = load_workbook(path)
    rows = book[sheet]
    header = [c.value for c in rows[1]]
    found = 0
    for row in rows.iter_rows(min_row=2):
        if all(str(row[header.index(k)].value) == str(v) for k, v in match.items()):
            row[header.index(column)].value = value
            found += 1
    assert found, f"{sheet}: {match} absent"
    book.save(path)


def figures(programme) -> dict:
    return _without_ids(compute_indicators(Scope(programme)))


@pytest.mark.parametrize("target", ["export.xlsx", "export-csv"])
def test_an_unchanged_export_has_nothing_to_change_in_its_questionnaires(
    kobo_programme, tmp_path, target
):
    export_workbook(kobo_programme, tmp_path / target)
    output = run_update(tmp_path / target)
    assert output.strip() == f"Programme « {kobo_programme.name} » : rien à modifier."
    assert Programme.objects.count() == 1


def test_edited_questionnaire_cells_move_exactly_the_figures_concerned(kobo_programme, tmp_path):
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    response = Response.objects.filter(programme=kobo_programme).order_by("pk").first()
    aime = Answer.objects.get(response=response, question__path="ressenti/aime").choice.name
    before = figures(kobo_programme)
    responses = set(Response.objects.values_list("pk", flat=True))
    edit(path, "questions", {"form_id": FORM, "name": "mot"}, "label", "Un mot pour conclure ?")
    edit(path, "choix", {"form_id": FORM, "list_name": "satisf", "name": "2"}, "favorable", "oui")
    edit(path, "reponses", {"reponse": response.pk, "question": "ressenti/aime"}, "valeur", "1")
    edit(path, "collectes", {"form_id": FORM, "action": "A2"}, "fin", "2027-06-30")

    preview = run_update(path, "--dry-run")
    assert (
        f"questions : modifié {FORM} / mot (label : Un mot pour finir ? → Un mot pour " in preview
    )
    assert f"choix : modifié {FORM} / satisf / 2 (favorable : (vide) → oui)" in preview
    assert f"reponses : modifié {response.pk} (ressenti/aime : {aime} → 1)" in preview
    assert f"collectes : modifié {FORM} / A2 (fin : " in preview
    assert "rien n'a été enregistré" in preview and figures(kobo_programme) == before

    run_update(path)

    after = figures(kobo_programme)
    assert after != before
    assert set(Response.objects.values_list("pk", flat=True)) == responses  # corrected in place
    assert Question.objects.get(path="mot").label == "Un mot pour conclure ?"
    assert Collection.objects.get(action__code="A2").closes_on.isoformat() == "2027-06-30"
    # Exactly as if the edited workbook had been imported afresh.
    answers = _answers(kobo_programme)
    Programme.objects.filter(pk=kobo_programme.pk).update(name="ancien")
    fresh = import_workbook(path).programme
    assert _answers(fresh) == answers
    assert figures(fresh) == after


def test_a_type_change_of_an_answered_question_is_refused_and_nothing_is_written(
    kobo_programme, tmp_path
):
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    edit(path, "questions", {"form_id": FORM, "name": "age"}, "type", "text")
    edit(path, "questions", {"form_id": FORM, "name": "mot"}, "label", "Un mot ?")
    before = _answers(kobo_programme)
    for options in (("--dry-run",), ()):
        with pytest.raises(CommandError, match="rien n'a été enregistré"):
            run_update(path, *options)
    assert Question.objects.get(path="age").kind == "integer"
    assert Question.objects.get(path="mot").label == "Un mot pour finir ?"
    assert _answers(kobo_programme) == before and Programme.objects.count() == 1


def test_the_refusal_names_the_question_and_what_to_do(kobo_programme, tmp_path, capsys):
    from ancrage.workbook.importer import WorkbookInvalid
    from ancrage.workbook.update import update_workbook

    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    edit(path, "questions", {"form_id": FORM, "name": "age"}, "type", "text")
    with pytest.raises(WorkbookInvalid) as refused:
        update_workbook(path)
    assert str(refused.value.problems[0]) == (
        "questions:-:-: « atelier_cps_kobo » : la question « age » a déjà des réponses, son "
        "type ne peut pas passer de « integer » à « text » ; donnez un autre nom (name) à la "
        "nouvelle question, ou supprimez d'abord ses réponses"
    )


def test_new_questions_and_responses_are_created_and_missing_ones_deleted_on_request(
    kobo_programme, tmp_path
):
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    first, second = Response.objects.filter(programme=kobo_programme).order_by("pk")[:2]
    book = load_workbook(path)
    questions = book["questions"]
    header = [c.value for c in questions[1]]
    at = next(
        r[0].row for r in questions.iter_rows(min_row=2) if r[header.index("name")].value == "mot"
    )
    questions.insert_rows(at + 1)
    for column, value in {
        "form_id": FORM,
        "type": "integer",
        "name": "taille",
        "label": "Ta taille ?",
    }.items():
        questions.cell(row=at + 1, column=header.index(column) + 1, value=value)
    answers = book["reponses"]
    header = [c.value for c in answers[1]]
    for index in range(answers.max_row, 1, -1):  # the first response is no longer in the file
        if answers.cell(row=index, column=1).value == first.pk:
            answers.delete_rows(index)
    answers.append([9001, FORM, "A2", "taille", 132, "", "", "papier", "", ""])
    book.save(path)

    kept = run_update(path)
    assert f"questions : créé {FORM} / taille" in kept
    assert "reponses : créé 9001" in kept
    assert f"reponses : absent du fichier, gardé {first.pk}" in kept
    created = Response.objects.get(answers__question__path="taille")
    assert created.answers.get().number == 132 and created.source == "papier"
    assert (
        Question.objects.get(path="taille").position
        == Question.objects.get(path="mot").position + 1
    )

    deleted = run_update(path, "--delete-missing")
    assert f"reponses : supprimé {first.pk}" in deleted
    assert not Response.objects.filter(pk=first.pk).exists()
    assert Response.objects.filter(pk=second.pk).exists()


def test_a_form_of_notes_alone_travels_with_the_workbook(tmp_path):
    from ancrage.surveys.models import Questionnaire

    from .test_surveys_real_forms import FORMS

    programme = programme_with_actions(tmp_path)
    notes = (FORMS / "kobo_information_notes.xlsx").read_bytes()
    questionnaire_create(programme=programme, xlsform=notes)
    path = export_workbook(programme, tmp_path / "export.xlsx")
    assert run_update(path).strip() == f"Programme « {programme.name} » : rien à modifier."
    Programme.objects.all().delete()
    imported = import_workbook(path).programme
    form = Questionnaire.objects.get(programme=imported)
    assert (form.form_id, form.public, form.questions.count()) == (
        "information_parents",
        "parents",
        0,
    )


def test_the_same_file_applied_twice_creates_its_new_responses_once(kobo_programme, tmp_path):
    """A response added by hand under a new number is found again by that number; one of the
    source's responses by its own id (Kobo `_uuid`), whatever its number in the file."""
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    counted = Response.objects.filter(programme=kobo_programme).count()
    renumbered = Response.objects.filter(programme=kobo_programme).exclude(external_id="")[0]
    edit(path, "reponses", {"reponse": renumbered.pk}, "reponse", 7777)
    book = load_workbook(path)
    book["reponses"].append([9001, FORM, "A2", "mot", "bravo", "", "", "papier", "", ""])
    book.save(path)

    first = run_update(path)
    assert "reponses : 1 créé(s), 0 modifié(s)" in first and "créé 9001" in first
    created = Response.objects.get(answers__text="bravo")
    assert created.workbook_key == "9001"
    second = run_update(path)
    assert second.strip() == f"Programme « {kobo_programme.name} » : rien à modifier."
    assert Response.objects.filter(programme=kobo_programme).count() == counted + 1

    # A correction of the hand-added row in the same file changes that response in place.
    edit(path, "reponses", {"reponse": 9001}, "valeur", "super")
    third = run_update(path)
    assert f"reponses : modifié {created.pk} (mot : bravo → super)" in third
    assert Response.objects.filter(programme=kobo_programme).count() == counted + 1
    # A fresh export numbers it by its id, and is still nothing to change.
    export_workbook(kobo_programme, tmp_path / "again.xlsx")
    assert "rien à modifier" in run_update(tmp_path / "again.xlsx")


def test_one_response_twice_in_the_file_is_refused(kobo_programme, tmp_path, capsys):
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    counted = Response.objects.filter(programme=kobo_programme).count()
    response = Response.objects.filter(programme=kobo_programme).exclude(external_id="")[0]
    book = load_workbook(path)
    sheet = book["reponses"]
    copies = [
        [7777, *(c.value for c in row[1:])]
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == response.pk
    ]
    external = [c.value for c in sheet[1]].index("id_externe")
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == response.pk:  # still the response by its number, not by its id
            row[external].value = None
    for copy in copies:
        sheet.append(copy)
    book.save(path)
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        run_update(path)
    assert (
        f"reponses:-:-: la réponse 7777 est la réponse {response.pk} du programme, déjà présente "
        "dans le fichier sous un autre numéro" in capsys.readouterr().err
    )
    assert Response.objects.filter(programme=kobo_programme).count() == counted


def test_a_questionnaire_column_absent_from_the_file_keeps_its_values(kobo_programme, tmp_path):
    categorised = Question.objects.exclude(category="").filter(
        questionnaire__programme=kobo_programme
    )[0]
    public = categorised.questionnaire.public
    path = export_workbook(kobo_programme, tmp_path / "export.xlsx")
    book = load_workbook(path)
    for sheet, column in (("questions", "categorie"),):
        header = [c.value for c in book[sheet][1]]
        book[sheet].delete_cols(header.index(column) + 1)
    book.save(path)
    edit(path, "questionnaires", {"form_id": FORM}, "form_title", "Atelier CPS (revu)")
    edit(path, "questions", {"form_id": FORM, "name": categorised.name}, "label", "Revu ?")

    output = run_update(path)

    assert "questions : colonne(s) absente(s) du fichier, valeurs gardées : categorie" in output
    categorised.refresh_from_db()
    assert categorised.label == "Revu ?" and categorised.category
    assert categorised.questionnaire.title == "Atelier CPS (revu)"
    assert categorised.questionnaire.public == public


def test_answered_rows_absent_from_the_workbook_are_named_and_kept(kobo_programme):
    """--delete-missing does not delete a question, a choice or a collection that was answered:
    the update is refused in French against its sheet, naming them, and nothing is deleted."""
    from ancrage.surveys.models import Choice
    from ancrage.workbook import sheets_update_surveys as sheets
    from ancrage.workbook.sheets_update import UpdateRefused

    answered = Answer.objects.filter(questionnaire__programme=kobo_programme)
    question = Question.objects.filter(pk__in=answered.values("question_id")).first()
    choice = Choice.objects.filter(pk__in=answered.values("choice_id")).first()
    collection = Collection.objects.filter(responses__isnull=False).distinct().first()
    cases = [
        (sheets.delete_questions, sheets._question_key(question), "questions",
         "ces questions absentes du classeur ont des réponses et ne sont pas supprimées"),
        (sheets.delete_choices, sheets._choice_key(choice), "choix",
         "ces choix absents du classeur ont été répondus et ne sont pas supprimés"),
        (sheets.delete_collections, sheets._collection_key(collection), "collectes",
         "ces collectes absentes du classeur ont des réponses et ne sont pas supprimées"),
    ]  # fmt: skip
    for delete, key, sheet, said in cases:
        with pytest.raises(UpdateRefused) as refused:
            delete(kobo_programme, [key])
        assert refused.value.sheet == sheet
        assert refused.value.message == f"{said} : {key} ; remettez-les ou retirez --delete-missing"
    for row in (question, choice, collection):
        assert type(row).objects.filter(pk=row.pk).exists()
