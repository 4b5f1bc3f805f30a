"""Pre/post pairing by a self-made anonymous code: paired change, with attrition shown."""

import pytest

from ancrage.programmes.scope import Scope
from ancrage.surveys.responses import ResponsesInvalid, import_responses
from ancrage.surveys.selectors import paired_change

from .surveys_data import programme_with_actions, questionnaire, write

pytestmark = pytest.mark.django_db

HEADER = "reconnaitre;calmer;aider;content_venir;moment_prefere;action;code_anonyme;moment\n"


def test_paired_change_counts_only_codes_seen_before_and_after(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants_emotions")
    assert form.pairing
    rows = [
        # before: LM12A and KB03C unsure, ZZ99Q confident; ZZ99Q does not answer after.
        "2;2;3;3;;A2;LM12A;avant",
        "4;3;3;4;;A2;KB03C;avant",
        "3;3;3;3;;A2;ZZ99Q;avant",
        "4;4;4;4;le jeu des émotions;A2;lm12a;apres",
        "4;3;4;4;;A2;KB03C;apres",
        "3;3;3;3;;A2;;apres",
    ]
    path = write(tmp_path, "kobo.csv", HEADER + "\n".join(rows))
    import_responses(questionnaire=form, path=path)
    change = paired_change(Scope(programme), form.pk)
    assert (change["before"], change["after"], change["pairs"]) == (3, 2, 2)
    assert change["attrition"] == round(1 / 3, 4)
    assert change["items"]["reconnaitre"] == {
        "before": {"n": 2, "rate": 0.5},
        "after": {"n": 2, "rate": 1.0},
        "change": 0.5,
    }


def test_a_pairing_code_with_a_name_shape_is_refused(tmp_path):
    programme = programme_with_actions(tmp_path)
    form = questionnaire(programme, "coi_enfants_emotions")
    path = write(tmp_path, "k.csv", "reconnaitre;action;code_anonyme\n3;A2;Léa Martin\n")
    with pytest.raises(ResponsesInvalid) as refused:
        import_responses(questionnaire=form, path=path)
    assert [str(p) for p in refused.value.problems] == [
        "k.csv:2:code_anonyme: le code anonyme compte 4 à 16 lettres ou chiffres, sans espace"
    ]
