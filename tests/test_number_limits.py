"""A number past what its column keeps is refused in French by the forms that write it, not
left to the database (PostgreSQL stopped with a 500; SQLite kept it); the limits are read from
the model fields (core.limits)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from ancrage.activities.forms import ActionForm
from ancrage.activities.models import Action
from ancrage.core import limits
from ancrage.core.cells import CellError
from ancrage.surveys.forms import QuestionnaireForm
from ancrage.surveys.models import Answer, QuestionKind
from ancrage.territories.models import Territory


def test_the_limits_are_the_model_fields():
    hours = limits.of(Action, "hours")  # DecimalField(max_digits=8, decimal_places=2)
    assert (hours.maximum, hours.places) == (Decimal("999999.99"), 2)
    assert limits.of(Action, "sessions").maximum == 2_147_483_647
    assert (limits.of(Answer, "number").minimum, limits.of(Answer, "number").maximum) == (
        -2_147_483_648,
        2_147_483_647,
    )
    assert hours.keep(Decimal("1.235")) == Decimal("1.24")  # half up, as people round
    with pytest.raises(CellError, match="au plus 999\u202f999,99"):
        hours.keep(Decimal("1E+400"))  # refused before rounding would need 400 digits


@pytest.mark.django_db
def test_the_action_form_refuses_numbers_past_their_columns():
    form = ActionForm(
        None,
        Territory.objects.none(),
        data={"hours": "1234567", "sessions": "3000000000", "children": "2147483647"},
    )
    assert not form.is_valid()
    assert form.errors["hours"] == ["Le nombre doit être au plus 999\u202f999,99."]
    assert form.errors["sessions"] == ["Le nombre doit être au plus 2\u202f147\u202f483\u202f647."]
    assert "children" not in form.errors  # the largest kept


def test_the_online_questionnaire_refuses_an_integer_past_its_column():
    question = SimpleNamespace(
        pk=1, key="age", label="Âge", required=False, kind=QuestionKind.INTEGER, group_label=""
    )
    form = QuestionnaireForm(
        SimpleNamespace(pairing=False), [question], {1: {}}, data={"age": "3000000000"}
    )
    assert not form.is_valid()
    assert form.errors["age"] == ["Le nombre doit être au plus 2\u202f147\u202f483\u202f647."]
