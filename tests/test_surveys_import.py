"""Response files as Kobo, ODK Central and LimeSurvey export them, checked against hand counts."""

import pytest

from ancrage.programmes.scope import Scope
from ancrage.surveys.models import Answer, Response, Source
from ancrage.surveys.responses import ResponsesInvalid, import_responses
from ancrage.surveys.selectors import questionnaire_results

from .surveys_data import programme_with_actions, questionnaire, write

pytestmark = pytest.mark.django_db

KOBO = (
    "start;end;aime;ecoute;moi/emotions;moi/dire;moi/autres;prefere;prefere/jeux;"
    "prefere/histoires;prefere/dessins;prefere/discussions;prefere/relaxation;mot;action;"
    "_id;_uuid;_submission_time;_index\n"
    "2023-03-01T10:00;2023-03-01T10:05;4;3;3;2;4;jeux dessins;1;0;1;0;0;"
    "c'était trop bien, écris-moi à lea@mail.fr;A2;1;u-1;2023-03-01T10:05;1\n"
    "2023-03-01T10:06;2023-03-01T10:09;3;2;4;;1;relaxation;0;0;0;0;1;;A2;2;u-2;2023-03-01;2\n"
    "2023-05-02T10:00;2023-05-02T10:04;2;4;1;3;3;;0;0;0;0;0;bof;C2;3;u-3;2023-05-02;3\n"
)


def results(programme, form_id):
    (entry,) = [q for q in questionnaire_results(Scope(programme)) if q["form_id"] == form_id]
    return entry, {item["name"]: item for item in entry["items"]}


def test_a_kobo_export_with_group_prefixes_is_counted(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    created = import_responses(questionnaire=form, path=write(tmp_path, "kobo.csv", KOBO))
    assert len(created) == 3
    assert {r.source for r in created} == {Source.KOBO}
    entry, items = results(programme, "coi_enfants")
    assert entry["respondents"] == 3
    assert entry["beneficiaries"] == 25 + 10  # the children of A2 and C2, where it was given
    assert entry["response_rate"] == round(3 / 35, 4)
    assert items["aime"]["n"] == 3
    assert items["aime"]["favourable"] == 2  # 4 and 3 are favourable, 2 is not
    assert items["aime"]["favourable_rate"] == round(2 / 3, 4)
    assert items["dire"]["n"] == 2  # one child skipped it
    distribution = {d["choice"]: d["n"] for d in items["prefere"]["distribution"]}
    assert distribution == {
        "jeux": 1,
        "histoires": 0,
        "dessins": 1,
        "discussions": 0,
        "relaxation": 1,
    }
    assert items["prefere"]["n"] == 2
    texts = list(Answer.objects.filter(question__name="mot").values_list("text", flat=True))
    assert "c'était trop bien, écris-moi à [courriel masqué]" in texts


def test_an_odk_central_export_with_dashed_groups_is_counted(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    odk = (
        "SubmissionDate,aime,ecoute,moi-emotions,moi-dire,moi-autres,prefere,mot,action,"
        "meta-instanceID,KEY,SubmitterID,ReviewState\n"
        "2023-03-02T10:00:00Z,4,4,4,4,4,jeux histoires,super,A2,uuid:a,uuid:a,,approved\n"
        "2023-03-02T10:01:00Z,1,2,2,2,2,,nul,A2,uuid:b,uuid:b,,\n"
    )
    created = import_responses(questionnaire=form, path=write(tmp_path, "odk.csv", odk))
    assert {r.source for r in created} == {Source.ODK}
    assert {r.external_id for r in created} == {"uuid:a", "uuid:b"}
    _, items = results(programme, "coi_enfants")
    assert (items["emotions"]["n"], items["emotions"]["favourable"]) == (2, 1)
    distribution = {d["choice"]: d["n"] for d in items["prefere"]["distribution"]}
    assert distribution["histoires"] == 1


def test_a_limesurvey_export_with_its_codes_is_counted(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    lime = (
        "id,submitdate,lastpage,startlanguage,seed,aime,ecoute,emotions,dire,autres,"
        "prefere[jeux],prefere[histoires],prefere[dessins],prefere[discussions],"
        "prefere[relaxation],mot,action\n"
        "1,2023-03-03 10:00:00,2,fr,123,3,3,3,3,3,Y,,,Y,,content,A2\n"
    )
    (created,) = import_responses(questionnaire=form, path=write(tmp_path, "lime.csv", lime))
    assert created.source == Source.LIMESURVEY
    chosen = set(
        Answer.objects.filter(question__name="prefere").values_list("choice__name", flat=True)
    )
    assert chosen == {"jeux", "discussions"}


def assert_nothing_written():
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "aime,action,couleur\n3,A2,bleu\n",
            "r.csv:1:couleur: colonne inconnue : aucune question « couleur » dans le questionnaire "
            "« coi_enfants »",
        ),
        (
            "aime,action\n5,A2\n",
            "r.csv:2:aime: « 5 » n'est pas un choix de la question (choix : 1, 2, 3, 4)",
        ),
        ("aime,action\n3,A404\n", "r.csv:2:action: action « A404 » inconnue dans le programme"),
        (
            "aime,action\n3,A1\n",
            "r.csv:2:action: l'action « A1 » est de modalité « formation », le questionnaire porte "
            "sur « co_intervention »",
        ),
        (
            "aime\n3\n",
            "r.csv:1:action: colonne obligatoire absente (identifiant de l'action où le "
            "questionnaire a été rempli)",
        ),
        ("", "r.csv:1:-: fichier vide"),
        ("aime,action\n", "r.csv:2:-: aucune réponse dans le fichier"),
        (
            "aime,prefere/jeux,action\n3,peut-être,A2\n",
            "r.csv:2:prefere/jeux: « peut-être » : 1 ou 0 attendu (choix coché ou non)",
        ),
    ],
)
def test_a_bad_response_file_is_refused_whole(tmp_path, content, expected):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=form, path=write(tmp_path, "r.csv", content))
    assert [str(p) for p in refused.value.problems] == [expected]
    assert_nothing_written()


def test_a_file_in_latin_1_is_read_with_its_accents(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    path = write(tmp_path, "r.csv", "aime;mot;action\n3;très bien;A2\n", encoding="latin-1")
    import_responses(questionnaire=form, path=path)
    assert list(Answer.objects.exclude(text="").values_list("text", flat=True)) == ["très bien"]


def test_a_file_that_is_not_text_is_refused(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    path = tmp_path / "r.csv"
    path.write_bytes(b"aime,action\n3,A2\x00\x01\x02\n")
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=form, path=path)
    (problem,) = refused.value.problems
    assert str(problem).startswith("r.csv:-:-: encodage du fichier non reconnu")
    assert_nothing_written()


def test_the_same_submission_is_not_imported_twice(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants")
    import_responses(questionnaire=form, path=write(tmp_path, "kobo.csv", KOBO))
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=form, path=write(tmp_path, "kobo.csv", KOBO))
    assert str(refused.value.problems[0]) == "kobo.csv:2:_uuid: réponse « u-1 » déjà importée"
    assert Response.objects.count() == 3
