"""Response exports as KoboToolbox, ODK Central and LimeSurvey write them (tests/data/responses),
with every metadata column these tools add, counted against hand counts."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ancrage.programmes.scope import Scope
from ancrage.surveys.models import Answer, Response, Source
from ancrage.surveys.responses import ResponsesInvalid, import_responses
from ancrage.surveys.selectors import questionnaire_results
from ancrage.surveys.services import questionnaire_create

from .surveys_data import programme_with_actions, questionnaire, write

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
RESPONSES = DATA / "responses"
KOBO_FORM = DATA / "xlsform" / "kobo_atelier_tous_types.xlsx"


@pytest.fixture
def atelier(tmp_path):
    programme = programme_with_actions(tmp_path)
    return questionnaire_create(programme=programme, xlsform=KOBO_FORM.read_bytes())


def items(form) -> dict[str, dict]:
    (entry,) = [
        q for q in questionnaire_results(Scope(form.programme)) if q["form_id"] == form.form_id
    ]
    return {item["name"]: item for item in entry["items"]}


def distribution(item) -> dict[str, int]:
    return {d["choice"]: d["n"] for d in item["distribution"]}


def test_a_kobo_export_with_every_type_and_metadata_is_counted(atelier):
    created = import_responses(questionnaire=atelier, path=RESPONSES / "kobo_atelier_cps.csv")
    assert len(created) == 3
    assert {r.source for r in created} == {Source.KOBO}
    assert {r.external_id for r in created} == {
        "uuid:7d2f4c1e-2b8a-4f0e-9a41-0f6c3e1b5a01",
        "uuid:1a9e5b77-3c1d-4b62-8f0a-5d2e7c4b9f12",
        "uuid:c4b8e2d0-9f17-4a3b-b6e5-2d1f0a7c8e33",
    }
    found = items(atelier)
    assert (found["aime"]["n"], found["aime"]["favourable"]) == (3, 2)
    assert (found["duree"]["min"], found["duree"]["max"], found["duree"]["mean"]) == (1.5, 2, 1.67)
    assert (found["age"]["min"], found["age"]["max"], found["age"]["mean"]) == (8, 10, 9)
    assert (found["date_atelier"]["min"], found["date_atelier"]["max"]) == (
        "2024-03-12",
        "2024-03-19",
    )
    assert (found["heure_debut"]["min"], found["heure_debut"]["max"]) == ("09:30:00", "14:00:00")
    assert found["duree"]["range_label"] == "de 1,5 à 2, moyenne 1,67"
    assert found["date_atelier"]["range_label"] == "du 12/03/2024 au 19/03/2024"
    assert found["heure_debut"]["range_label"] == "de 09:30 à 14:00"
    assert found["fin_saisie"]["n"] == 3
    assert distribution(found["ville"]) == {"valence": 1, "saint_jean": 2, "annonay": 0}
    assert distribution(found["emotion"])["other"] == 1
    assert distribution(found["prefere"]) == {"jeux": 1, "histoires": 1, "dessins": 1}
    assert list(
        Answer.objects.filter(question__name="emotion_other").values_list("text", flat=True)
    ) == ["la fierté"]
    # Locations, photos, metadata: nothing of them is kept.
    assert Answer.objects.count() == sum(len(r.answers.all()) for r in created)
    assert not Answer.objects.filter(text__contains="44.93").exists()


def test_the_results_page_shows_the_range_of_dates_times_and_numbers(atelier, client):
    from django.urls import reverse

    from .cast import make_cast

    import_responses(questionnaire=atelier, path=RESPONSES / "kobo_atelier_cps.csv")
    client.force_login(make_cast(atelier.programme)["coordination"])
    page = client.get(reverse("surveys:results", args=[atelier.pk])).content.decode()
    assert "du 12/03/2024 au 19/03/2024" in page
    assert "de 1,5 à 2, moyenne 1,67" in page


def test_an_odk_central_export_with_group_names_removed_is_counted(atelier):
    path = RESPONSES / "odk_central" / "atelier_cps_kobo.csv"
    created = import_responses(questionnaire=atelier, path=path)
    assert {r.source for r in created} == {Source.ODK}
    assert {r.external_id for r in created} == {
        "uuid:0b7e6a52-5d43-4c1a-9e0f-3a2b1c4d5e61",
        "uuid:9c8d7e6f-1a2b-4c3d-8e9f-0a1b2c3d4e72",
    }
    found = items(atelier)
    assert (found["aime"]["n"], found["aime"]["favourable"]) == (2, 1)
    assert found["duree"]["mean"] == 2.0  # 1.5 and 2.5
    assert distribution(found["prefere"]) == {"jeux": 1, "histoires": 0, "dessins": 1}
    assert distribution(found["departement"]) == {"26": 1, "07": 1}


def test_a_french_excel_resave_in_windows_1252_is_read_with_its_accents(atelier):
    path = RESPONSES / "kobo_atelier_cps_excel_fr.csv"
    assert b"\xe9" in path.read_bytes()  # « é » in Windows-1252, not UTF-8
    created = import_responses(questionnaire=atelier, path=path)
    assert len(created) == 2
    texts = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == {"Trop bien, j'ai adoré le théâtre", "la fierté d'être écouté"}
    found = items(atelier)
    assert found["duree"]["mean"] == 1.5  # « 1,5 »
    assert found["date_atelier"]["min"] == "2024-03-12"  # « 12/03/2024 »
    assert found["heure_debut"]["max"] == "14:00:00"
    # Excel turned the code « 07 » into 7: it is still Ardèche.
    assert distribution(found["departement"]) == {"26": 1, "07": 1}


def test_the_same_kobo_submissions_re_saved_by_excel_are_refused_as_already_imported(atelier):
    import_responses(questionnaire=atelier, path=RESPONSES / "kobo_atelier_cps.csv")
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=atelier, path=RESPONSES / "kobo_atelier_cps.csv")
    assert str(refused.value.problems[0]) == (
        "kobo_atelier_cps.csv:2:meta/instanceID: réponse "
        "« uuid:7d2f4c1e-2b8a-4f0e-9a41-0f6c3e1b5a01 » déjà importée"
    )
    assert Response.objects.count() == 3


def test_two_limesurvey_surveys_feed_one_questionnaire(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    first = import_responses(questionnaire=form, path=RESPONSES / "results-survey482913.csv")
    second = import_responses(questionnaire=form, path=RESPONSES / "results-survey517264.csv")
    # LimeSurvey numbers each survey's responses from 1: the survey tells them apart.
    assert [(r.source_survey, r.external_id) for r in first + second] == [
        ("482913", "1"),
        ("482913", "2"),
        ("517264", "1"),
        ("517264", "2"),
    ]
    assert {r.source for r in first + second} == {Source.LIMESURVEY}
    found = items(form)
    assert (found["aime"]["n"], found["aime"]["favourable"]) == (4, 2)
    assert distribution(found["prefere"]) == {
        "jeux": 2,
        "histoires": 1,
        "dessins": 1,
        "discussions": 1,
        "relaxation": 1,
    }
    assert found["dire"]["n"] == 3  # one child skipped it


def test_the_same_limesurvey_file_imported_twice_is_refused_and_nothing_written(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    import_responses(questionnaire=form, path=RESPONSES / "results-survey482913.csv")
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=form, path=RESPONSES / "results-survey482913.csv")
    assert [str(p) for p in refused.value.problems] == [
        "results-survey482913.csv:2:id: réponse « 1 » déjà importée",
        "results-survey482913.csv:3:id: réponse « 2 » déjà importée",
    ]
    assert Response.objects.count() == 2


def test_renamed_limesurvey_exports_name_their_survey_with_the_enquete_option(tmp_path):
    programme = programme_with_actions(tmp_path)
    questionnaire(programme, "coi_enfants")
    first = shutil.copy(RESPONSES / "results-survey482913.csv", tmp_path / "ecole_a.csv")
    second = shutil.copy(RESPONSES / "results-survey517264.csv", tmp_path / "ecole_b.csv")
    common = {"questionnaire": "coi_enfants", "source": "limesurvey"}
    call_command("responses_import", str(first), stdout=io.StringIO(), **common)
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("responses_import", str(second), stderr=err, **common)
    assert err.getvalue().splitlines()[0] == (
        "ecole_b.csv:2:id: réponse « 1 » déjà importée (si elle vient d'une autre enquête "
        "LimeSurvey, donnez le numéro de l'enquête : --enquete)"
    )
    out = io.StringIO()
    call_command("responses_import", str(second), stdout=out, enquete="517264", **common)
    assert "2 réponse(s) importée(s)" in out.getvalue()
    assert Response.objects.count() == 4


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "date_atelier,action\n31/02/2024,A2\n",
            "r.csv:2:date_atelier: « 31/02/2024 » : date attendue (2023-03-31 ou 31/03/2023)",
        ),
        (
            "heure_debut,action\n25:00,A2\n",
            "r.csv:2:heure_debut: « 25:00 » : heure attendue (14:30)",
        ),
        (
            "duree;action\nune heure;A2\n",
            "r.csv:2:duree: « une heure » : nombre attendu (par exemple 12,5)",
        ),
        (
            "age,action\n99999999999,A2\n",
            "r.csv:2:age: le nombre doit être au plus 2\u202f147\u202f483\u202f647",
        ),
        (
            "ville,action\nlyon,A2\n",
            "r.csv:2:ville: « lyon » n'est pas un choix de la question (choix : valence, "
            "saint_jean, annonay)",
        ),
        (
            "_uuid,aime,action\nu-1,3,A2\nu-1,4,A2\n",
            "r.csv:3:_uuid: réponse « u-1 » déjà importée",
        ),
    ],
)
def test_a_bad_value_of_a_new_type_is_refused_whole(atelier, tmp_path, content, expected):
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=atelier, path=write(tmp_path, "r.csv", content))
    assert [str(p) for p in refused.value.problems] == [expected]
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_a_location_or_photo_column_of_a_field_not_in_the_form_is_still_refused(atelier, tmp_path):
    content = "aime,action,_adresse_latitude\n3,A2,45.1\n"
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=atelier, path=write(tmp_path, "r.csv", content))
    assert str(refused.value.problems[0]).startswith("r.csv:1:_adresse_latitude: colonne inconnue")


def test_a_kobo_xlsx_export_brings_its_repeat_sheet(atelier):
    path = RESPONSES / "kobo_atelier_cps_avec_seances.xlsx"
    created = import_responses(questionnaire=atelier, path=path)
    assert len(created) == 3
    found = items(atelier)
    # Five sessions told by three children: N counts the children, the distribution sessions.
    assert found["seance_aime"]["n"] == 3
    assert distribution(found["seance_aime"]) == {"1": 0, "2": 1, "3": 2, "4": 2}
    assert found["seance_aime"]["favourable"] == 2
    assert (found["seance_duree"]["min"], found["seance_duree"]["max"]) == (0.5, 1.5)
    assert found["seance_duree"]["mean"] == 1.0
    assert (found["aime"]["n"], found["duree"]["mean"]) == (3, 1.67)  # the main sheet as in CSV


def test_an_odk_central_zip_export_brings_its_repeat_file(atelier):
    path = RESPONSES / "odk_central" / "atelier_cps_kobo.csv.zip"
    created = import_responses(questionnaire=atelier, path=path)
    assert {r.source for r in created} == {Source.ODK}
    found = items(atelier)
    assert found["seance_aime"]["n"] == 2
    assert distribution(found["seance_aime"]) == {"1": 1, "2": 1, "3": 0, "4": 1}
    assert found["seance_duree"]["mean"] == 1.17


def _xlsx(tmp_path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("repeat_sheet", "expected"),
    [
        (
            {"visites": [["n", "_parent_index"], [1, 1]]},
            "export.xlsx[visites]:1:-: aucune répétition « visites » dans le questionnaire "
            "« atelier_cps_kobo » : retirez cette feuille ou ce fichier",
        ),
        (
            {"seances": [["seances/seance_aime", "_parent_index"], [3, 9]]},
            "export.xlsx[seances]:2:_parent_index: « 9 » : aucune réponse de ce numéro dans la "
            "feuille principale",
        ),
        (
            {"seances": [["seances/seance_aime", "_parent_index"], [7, 1]]},
            "export.xlsx[seances]:2:seances/seance_aime: « 7 » n'est pas un choix de la question "
            "(choix : 1, 2, 3, 4)",
        ),
        (
            {"seances": [["seances/seance_aime", "aime", "_parent_index"], [3, 3, 1]]},
            "export.xlsx[seances]:1:aime: colonne inconnue : aucune question « aime » dans la "
            "répétition « seances »",
        ),
    ],
)
def test_a_bad_repeat_table_is_refused_whole(atelier, tmp_path, repeat_sheet, expected):
    main = [["aime", "action", "_index"], [3, "A2", 1]]
    path = _xlsx(tmp_path, {"reponses": main, **repeat_sheet})
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=atelier, path=path)
    assert [str(p) for p in refused.value.problems] == [expected]
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_two_limesurvey_surveys_and_an_odk_zip_uploaded_in_the_browser(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ancrage.tasks.models import Job, Status

    from .cast import make_cast
    from .worker import run_queued_tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    client.force_login(make_cast(programme)["coordination"])
    url = reverse("tasks:responses", args=[form.pk])
    assert 'name="enquete"' in client.get(url).content.decode()
    uploads = [
        ("results-survey482913.csv", ""),  # the survey read in the file's name
        ("ecole-b.csv", "517264"),  # renamed by the user: the survey typed in the form
        ("ecole-b-encore.csv", "517264"),  # the same survey again: refused
    ]
    sources = ["results-survey482913.csv", "results-survey517264.csv", "results-survey517264.csv"]
    for (name, survey), source in zip(uploads, sources, strict=True):
        upload = SimpleUploadedFile(name, (RESPONSES / source).read_bytes())
        client.post(url, {"fichier": upload, "source": "", "enquete": survey})
    run_queued_tasks()
    jobs = list(Job.objects.order_by("created_at"))
    assert [job.status for job in jobs] == [Status.DONE, Status.DONE, Status.FAILED]
    assert jobs[2].problems[0]["sheet"] == "ecole-b-encore.csv"
    assert jobs[2].problems[0]["message"] == "réponse « 1 » déjà importée"
    assert sorted(Response.objects.values_list("source_survey", "external_id")) == [
        ("482913", "1"),
        ("482913", "2"),
        ("517264", "1"),
        ("517264", "2"),
    ]


def test_a_kobo_export_with_labels_for_headers_and_values_is_counted(atelier):
    # Kobo's « Labels » format: columns and answers written as the respondents read them.
    path = RESPONSES / "kobo_atelier_cps_libelles.csv"
    created = import_responses(questionnaire=atelier, path=path)
    assert len(created) == 2
    found = items(atelier)
    assert distribution(found["aime"]) == {"1": 0, "2": 1, "3": 0, "4": 1}
    assert distribution(found["emotion"]) == {"joie": 0, "colere": 1, "peur": 0, "other": 1}
    assert distribution(found["prefere"]) == {"jeux": 1, "histoires": 1, "dessins": 1}
    assert distribution(found["departement"]) == {"26": 1, "07": 1}
    assert distribution(found["ville"]) == {"valence": 1, "saint_jean": 1, "annonay": 0}
    assert found["age"]["mean"] == 9.5
    assert set(Answer.objects.exclude(text="").values_list("text", flat=True)) == {
        "la fierté",
        "génial",
    }


def test_a_kobo_submission_is_recognised_even_when_its_form_id_column_is_gone(atelier, tmp_path):
    with_form = "_xform_id_string;_uuid;aime;action\natelier_cps_kobo;u-1;3;A2\n"
    import_responses(questionnaire=atelier, path=write(tmp_path, "a.csv", with_form))
    assert Response.objects.get().source_survey == "atelier_cps_kobo"
    without = "_uuid;aime;action\nu-1;3;A2\n"
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=atelier, path=write(tmp_path, "b.csv", without))
    assert str(refused.value.problems[0]) == "b.csv:2:_uuid: réponse « u-1 » déjà importée"
    assert Response.objects.count() == 1


COLUMNS = [
    "aime",
    "ressenti/aime",
    "duree",
    "date_atelier",
    "heure_debut",
    "fin_saisie",
    "prefere/jeux",
    "ville",
    "action",
    "_uuid",
    "lieu",
    "_lieu_latitude",
    "groupTime3",
    "inconnue",
]
CELLS = [
    "",
    "4",
    "1,5",
    "99999999999",
    "1e400",
    "2024-03-12",
    "31/02/2024",
    "14:00",
    "25:61",
    "A2",
    "C2",
    "x",
    "1",
    "é",
]


@pytest.mark.slow
def test_any_file_made_of_export_columns_is_imported_or_refused_never_a_traceback(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    programme = programme_with_actions(tmp_path)
    form = questionnaire_create(programme=programme, xlsform=KOBO_FORM.read_bytes())

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True),
        rows=st.lists(st.lists(st.sampled_from(CELLS), max_size=7), min_size=1, max_size=4),
        separator=st.sampled_from([";", ","]),
    )
    def check(header, rows, separator):
        text = "\n".join(separator.join(row) for row in [header, *rows]) + "\n"
        before = Response.objects.count()
        try:
            import_responses(questionnaire=form, path=write(tmp_path, "r.csv", text))
        except ResponsesInvalid as refused:
            assert refused.problems
            assert Response.objects.count() == before

    check()


def test_limesurvey_headings_with_code_and_question_text_are_read(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    content = (
        '"id","submitdate","aime. As-tu aimé les ateliers ?",'
        '"prefere[jeux]. Qu\'as-tu préféré ? [Les jeux]","action. Action"\n'
        '"1","2024-03-14 10:12:40","4","Y","A2"\n'
    )
    path = write(tmp_path, "results-survey771204.csv", content)
    (created,) = import_responses(questionnaire=form, path=path)
    assert (created.source, created.source_survey) == (Source.LIMESURVEY, "771204")
    found = items(form)
    assert found["aime"]["favourable"] == 1
    assert distribution(found["prefere"])["jeux"] == 1
