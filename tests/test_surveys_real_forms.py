"""Real XLSForms (pyxform's own test forms, and a form laid out as KoboToolbox writes it) load
into Ancrage: what can be analysed is kept, the rest is left aside or refused with a
`sheet:row:column: message` line, never a traceback."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from ancrage.surveys.models import Choice, Question, QuestionKind, Questionnaire
from ancrage.surveys.services import questionnaire_create
from ancrage.surveys.xlsform import XLSFormInvalid, parse_xlsform, write_xlsform

from .surveys_data import programme_with_actions

pytestmark = pytest.mark.django_db

FORMS = Path(__file__).parent / "data" / "xlsform"
KOBO_FORM = FORMS / "kobo_atelier_tous_types.xlsx"


def load(programme, name: str, **settings):
    settings = {"public": "enfants", "modality": "co_intervention", **settings}
    return questionnaire_create(
        programme=programme, xlsform=(FORMS / name).read_bytes(), **settings
    )


def kinds(questionnaire) -> dict[str, str]:
    return dict(questionnaire.questions.values_list("path", "kind"))


@pytest.mark.parametrize(
    ("name", "questions"),
    [
        ("choice_filter_test.xlsx", 3),
        ("cascading_select_test_equivalent.xls", 7),
        ("or_other.xlsx", 3),
        ("widgets.xls", 27),
        ("xlsform_spec_test.xlsx", 22),
        ("tutorial.xls", 10),
        ("loop.xlsx", 6),
        ("kobo_atelier_tous_types.xlsx", 14),
    ],
)
def test_a_real_form_loads_with_its_analysable_questions(tmp_path, name, questions):
    programme = programme_with_actions(tmp_path)
    assert load(programme, name).questions.count() == questions


def test_cascading_selects_with_duplicate_choice_names_load_as_one_choice(tmp_path):
    # Before: IntegrityError: UNIQUE constraint failed: surveys_choice.question_id, …name
    programme = programme_with_actions(tmp_path)
    created = load(programme, "choice_filter_test.xlsx")
    county = created.questions.get(name="county")
    assert list(county.choices.values_list("name", "label")) == [
        ("king", "King"),
        ("pierce", "Pierce"),
        ("cameron", "Cameron"),
    ]


def test_a_duplicate_name_with_two_labels_keeps_both(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "kobo_atelier_tous_types.xlsx")
    town = created.questions.get(name="ville")
    labels = dict(town.choices.values_list("name", "label"))
    assert labels["saint_jean"] == "Saint-Jean-en-Royans / Saint-Jean-de-Muzols"
    assert town.choices.count() == 3


def test_or_other_adds_an_other_choice_and_its_text_question_in_french(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "or_other.xlsx")
    colour = created.questions.get(name="fav_color")
    assert colour.choices.last().name == "other"
    assert colour.choices.last().label == "Autre"
    other = created.questions.get(name="fav_color_other")
    assert (other.kind, other.label) == (QuestionKind.TEXT, "Précisez l'autre réponse")


def test_a_kobo_form_keeps_dates_times_decimals_and_leaves_metadata_notes_and_calculations(
    tmp_path,
):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "kobo_atelier_tous_types.xlsx")
    assert kinds(created) == {
        "date_atelier": QuestionKind.DATE,
        "heure_debut": QuestionKind.TIME,
        "duree": QuestionKind.DECIMAL,
        "age": QuestionKind.INTEGER,
        "ressenti/aime": QuestionKind.SELECT_ONE,
        "ressenti/emotion": QuestionKind.SELECT_ONE,
        "ressenti/emotion_other": QuestionKind.TEXT,
        "ressenti/prefere": QuestionKind.SELECT_MULTIPLE,
        "departement": QuestionKind.SELECT_ONE,
        "ville": QuestionKind.SELECT_ONE,
        "seances/seance_aime": QuestionKind.SELECT_ONE,
        "seances/seance_duree": QuestionKind.DECIMAL,
        "fin_saisie": QuestionKind.DATETIME,
        "mot": QuestionKind.TEXT,
    }
    # Metadata, the note and the calculation are read past, with the never-stored fields.
    for path in ("start", "end", "today", "deviceid", "username", "accueil", "age_mois"):
        assert path in created.unstored_fields
    assert created.load_warnings == [
        "questions jamais enregistrées (position, photo, son, vidéo, fichier, code-barres ou "
        "téléphone : rien qui situe ou montre une personne) : lieu, trajet, zone, photo, voix, "
        "film, piece_jointe, code_barre"
    ]
    assert created.questions.get(name="seance_aime").repeat == "seances"


@pytest.mark.parametrize("name", ["widgets.xls", "xlsform_spec_test.xlsx"])
def test_no_location_photo_sound_video_or_barcode_is_ever_a_question(tmp_path, name):
    programme = programme_with_actions(tmp_path)
    created = load(programme, name)
    assert not created.questions.filter(
        name__in=[
            *("my_geopoint", "my_image", "my_audio", "my_video", "my_barcode"),
            *("geopoint_test", "image_test", "audio_test", "video_test", "barcode_test"),
        ]
    ).exists()
    assert len(created.load_warnings) == 1


def test_a_repeat_loads_with_its_questions_marked(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "tutorial.xls")
    assert set(created.questions.filter(repeat="member").values_list("name", flat=True)) >= {
        "sex",
        "age_in_years",
    }


def test_a_loop_asks_its_questions_once_per_column(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "loop.xlsx")
    counts = created.questions.filter(name="number")
    assert counts.count() == 4
    assert counts.first().label == "How many Pit latrine with slab are on the premises?"


def test_a_repeat_inside_a_repeat_is_refused_naming_both(tmp_path):
    programme = programme_with_actions(tmp_path)
    with pytest.raises(XLSFormInvalid) as refused:
        load(programme, "UCL_Biomass_Plot_Form.xlsx")
    assert refused.value.problems == [
        "survey:43:type: la répétition « stems » est dans la répétition « trees » : des "
        "répétitions imbriquées ne peuvent pas être analysées ; sortez-la de la première ou "
        "retirez-la"
    ]
    assert Questionnaire.objects.count() == 0


def _book(survey, choices=(), settings=(("form_id", "essai"),)) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    sheet = book.create_sheet("choices")
    for row in choices:
        sheet.append(list(row))
    sheet = book.create_sheet("settings")
    sheet.append([k for k, _ in settings] + ["public", "modalite"])
    sheet.append([v for _, v in settings] + ["enfants", "co_intervention"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_one_name_in_two_groups_loads_as_two_questions(tmp_path):
    programme = programme_with_actions(tmp_path)
    data = _book(
        [
            ("type", "name", "label"),
            ("begin_group", "avant", "Avant"),
            ("integer", "note", "Ta note"),
            ("end_group", "", ""),
            ("begin_group", "apres", "Après"),
            ("integer", "note", "Ta note"),
            ("end_group", "", ""),
        ]
    )
    created = questionnaire_create(programme=programme, xlsform=data)
    assert set(kinds(created)) == {"avant/note", "apres/note"}


@pytest.mark.parametrize(
    ("survey", "choices", "expected"),
    [
        (
            [("type", "name", "label"), ("select_one s", "q", "Q ?")],
            [
                ("list_name", "name", "label", "favorable"),
                ("s", "1", "Non", ""),
                ("s", "1", "Oui", "oui"),
            ],
            "choices:3:favorable: le choix « 1 » de la liste « s » figure plusieurs fois, "
            "favorable sur une ligne et pas sur l'autre : une réponse ne porte que le code, "
            "marquez-les pareil",
        ),
        (
            [("type", "name", "label", "categorie"), ("integer", "age", "Âge", "bonheur")],
            [],
            "survey:2:categorie: « bonheur » inconnue pour « age » : valeurs possibles "
            "« Satisfaction », « Effet »",
        ),
        (
            [("type", "name", "label"), ("integer", "a" * 101, "Âge")],
            [],
            f"survey:2:name: « {'a' * 40}… » dépasse 100 caractères",
        ),
    ],
)
def test_a_constraint_violation_is_a_sheet_row_column_line(tmp_path, survey, choices, expected):
    programme = programme_with_actions(tmp_path)
    settings = (("form_id", "essai"), ("allow_choice_duplicates", "yes"))
    with pytest.raises(XLSFormInvalid) as refused:
        questionnaire_create(programme=programme, xlsform=_book(survey, choices, settings))
    assert refused.value.problems == [expected]
    assert Questionnaire.objects.count() == 0


def test_duplicate_choices_without_the_setting_are_refused_where_pyxform_says(tmp_path):
    programme = programme_with_actions(tmp_path)
    data = _book(
        [("type", "name", "label"), ("select_one s", "q", "Q ?")],
        [("list_name", "name", "label"), ("s", "1", "Non"), ("s", "1", "Oui")],
    )
    with pytest.raises(XLSFormInvalid) as refused:
        questionnaire_create(programme=programme, xlsform=data)
    (problem,) = refused.value.problems
    assert problem.startswith("choices:3:name: XLSForm refusé par pyxform")
    assert "allow_choice_duplicates" in problem
    assert Questionnaire.objects.count() == 0


def test_a_form_loaded_twice_is_refused_on_its_form_id(tmp_path):
    programme = programme_with_actions(tmp_path)
    load(programme, "kobo_atelier_tous_types.xlsx")
    with pytest.raises(XLSFormInvalid) as refused:
        load(programme, "kobo_atelier_tous_types.xlsx")
    assert refused.value.problems == [
        "settings:2:form_id: un questionnaire « atelier_cps_kobo » existe déjà dans ce "
        "programme : changez form_id ou supprimez l'ancien"
    ]
    assert Questionnaire.objects.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    with pytest.raises(XLSFormInvalid) as refused:
        parse_xlsform(b"type,name,label\ninteger,age,Age\n")
    assert refused.value.problems == [
        "fichier:-:-: fichier illisible comme XLSForm (.xlsx ou .xls attendu)"
    ]


def test_a_kobo_form_exports_again_with_its_new_types_and_repeat(tmp_path):
    programme = programme_with_actions(tmp_path)
    created = load(programme, "kobo_atelier_tous_types.xlsx")
    again = parse_xlsform(write_xlsform(created))
    assert {q.path: q.kind for q in again.questions} == kinds(created)
    assert {q.path: q.repeat for q in again.questions}["seances/seance_duree"] == "seances"


def test_the_load_command_prints_the_warning_line_and_a_refusal_writes_nothing(tmp_path):
    programme_with_actions(tmp_path)
    out = io.StringIO()
    call_command("questionnaire_load", str(KOBO_FORM), stdout=out)
    assert "Avertissement : questions jamais enregistrées" in out.getvalue()
    assert "lieu, trajet, zone, photo, voix, film, piece_jointe, code_barre" in out.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command(
            "questionnaire_load",
            str(FORMS / "UCL_Biomass_Plot_Form.xlsx"),
            public="enfants",
            modalite="formation",
            stderr=err,
        )
    assert err.getvalue().startswith("survey:43:type: la répétition « stems »")
    assert Questionnaire.objects.count() == 1
    assert Choice.objects.filter(question__questionnaire__form_id="plot_form").count() == 0
    assert Question.objects.filter(questionnaire__form_id="atelier_cps_kobo").count() == 14


def test_the_anonymous_form_asks_dates_times_and_decimals_and_keeps_them(client, tmp_path):
    import datetime as dt

    from django.urls import reverse

    from ancrage.surveys.models import Answer
    from ancrage.surveys.services import collection_for

    programme = programme_with_actions(tmp_path)
    created = load(programme, "kobo_atelier_tous_types.xlsx")
    collection = collection_for(created, programme.actions.get(code="C2"))
    collection.closes_on = dt.date.today() + dt.timedelta(days=10)
    collection.save(update_fields=["closes_on"])
    url = reverse("surveys:public_form", args=[collection.token])
    page = client.get(url).content.decode()
    assert 'type="date"' in page and 'type="time"' in page and 'type="datetime-local"' in page
    answers = {
        "date_atelier": "2024-03-12",
        "heure_debut": "14:00",
        "duree": "1,5",
        "aime": "4",
        "fin_saisie": "2024-03-12T14:55",
        "ville": "saint_jean",
    }
    assert client.post(url, answers).status_code == 302
    saved = {a.question.name: a for a in Answer.objects.select_related("question", "choice")}
    assert saved["date_atelier"].date == dt.date(2024, 3, 12)
    assert saved["heure_debut"].time == dt.time(14, 0)
    assert saved["duree"].decimal == 1.5
    assert (saved["fin_saisie"].date, saved["fin_saisie"].time) == (
        dt.date(2024, 3, 12),
        dt.time(14, 55),
    )
    assert saved["ville"].choice.name == "saint_jean"


def test_paper_entry_tells_apart_one_name_in_two_groups(client, tmp_path):
    import datetime as dt

    from django.urls import reverse

    from ancrage.surveys.models import Answer
    from ancrage.surveys.services import collection_for

    from .cast import make_cast

    programme = programme_with_actions(tmp_path)
    data = _book(
        [
            ("type", "name", "label"),
            ("begin_group", "avant", "Avant"),
            ("integer", "note", "Ta note"),
            ("end_group", "", ""),
            ("begin_group", "apres", "Après"),
            ("integer", "note", "Ta note"),
            ("end_group", "", ""),
        ]
    )
    created = questionnaire_create(programme=programme, xlsform=data)
    collection = collection_for(created, programme.actions.get(code="C2"))
    collection.closes_on = dt.date.today() + dt.timedelta(days=10)
    collection.save(update_fields=["closes_on"])
    client.force_login(make_cast(programme)["coordination"])
    url = reverse("surveys:paper_entry", args=[collection.pk])
    page = client.get(url).content.decode()
    assert 'name="r0-avant/note"' in page and 'name="r0-apres/note"' in page
    assert client.post(url, {"r0-avant/note": "3", "r0-apres/note": "7"}).status_code == 302
    assert dict(Answer.objects.values_list("question__path", "number")) == {
        "avant/note": 3,
        "apres/note": 7,
    }


def test_paper_entry_takes_dates_times_and_decimals_as_typed_in_france(client, tmp_path):
    import datetime as dt

    from django.urls import reverse

    from ancrage.surveys.models import Answer
    from ancrage.surveys.services import collection_for

    from .cast import make_cast

    programme = programme_with_actions(tmp_path)
    created = load(programme, "kobo_atelier_tous_types.xlsx")
    collection = collection_for(created, programme.actions.get(code="C2"))
    client.force_login(make_cast(programme)["coordination"])
    url = reverse("surveys:paper_entry", args=[collection.pk])
    assert "date, par exemple 31/03/2024" in client.get(url).content.decode()
    row = {
        "r0-date_atelier": "12/03/2024",
        "r0-heure_debut": "14h30",
        "r0-duree": "1,5",
        "r0-aime": "4",  # required
    }
    assert client.post(url, row).status_code == 302
    saved = {a.question.name: a for a in Answer.objects.select_related("question")}
    assert saved["date_atelier"].date == dt.date(2024, 3, 12)
    assert saved["heure_debut"].time == dt.time(14, 30)
    assert saved["duree"].decimal == 1.5


def test_a_form_of_notes_alone_loads_with_a_warning_that_it_has_nothing_to_analyse(tmp_path):
    """Kobo and ODK accept an information or consent sheet with no question: so does Ancrage,
    saying so; its public and modality typed as labels (`Parents`, `ACTION PARENTALITÉ`)."""
    programme = programme_with_actions(tmp_path)
    created = questionnaire_create(
        programme=programme, xlsform=(FORMS / "kobo_information_notes.xlsx").read_bytes()
    )
    assert not created.questions.exists()
    assert (created.public, created.modality, created.pairing) == (
        "parents",
        "action_parentalite",
        False,
    )
    assert created.load_warnings == [
        "aucune question à analyser (choix, nombre, date, heure, texte) : le questionnaire est "
        "enregistré, ses réponses compteront les répondants mais ne donneront aucun autre chiffre"
    ]
    for path in ("start", "today", "bienvenue", "consentement", "jour"):
        assert path in created.unstored_fields


def test_settings_categories_and_favorable_answers_are_read_as_typed_in_english(tmp_path):
    """Ancrage's own columns typed as labels, in English or loosely, as a Kobo or ODK user
    writes them: read through the same vocabulary matching as every other sheet."""
    programme = programme_with_actions(tmp_path)
    created = questionnaire_create(
        programme=programme, xlsform=(FORMS / "odk_settings_english.xlsx").read_bytes()
    )
    assert (created.public, created.modality, created.pairing) == (
        "enfants",
        "co_intervention",
        True,
    )
    assert dict(created.questions.values_list("name", "category")) == {
        "liked": "satisfaction",
        "age": "effet",
    }
    assert dict(
        Choice.objects.filter(question__questionnaire=created).values_list("name", "favorable")
    ) == {"no": False, "yes": True}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            ("Élèves", "co_intervention", ""),
            "settings:2:public: « Élèves » inconnu : valeurs possibles « Enfants », "
            "« Professionnel·les », « Personnes référentes », « Parents »",
        ),
        (
            ("enfants", "co_intervention", "peut-être"),
            "settings:2:appariement: « peut-être » : « oui » ou « non » attendu",
        ),
    ],
)
def test_an_unknown_setting_lists_the_labels_users_see(values, expected):
    book = Workbook()
    book.active.title = "survey"
    book.active.append(("type", "name", "label"))
    book.active.append(("integer", "age", "Âge"))
    sheet = book.create_sheet("settings")
    sheet.append(("form_id", "public", "modalite", "appariement"))
    sheet.append(("essai", *values))
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(XLSFormInvalid) as refused:
        parse_xlsform(out.getvalue())
    assert refused.value.problems == [expected]
