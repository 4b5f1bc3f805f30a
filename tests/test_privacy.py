"""The one scrubber: e-mail addresses and phone numbers however they are written, every
free-text column of the domain, and text analysis that ignores the scrubber's placeholders."""

import re

import pytest
from django.apps import apps
from django.db import models
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ancrage.core.privacy import EMAIL_MASK, PHONE_MASK, scrub

NAMED = [
    "+33 (0)6 12 34 56 78",
    "6 12 34 56 78",
    "06 123 456 78",
    "jean.dupont(at)gmail.com",
]


@pytest.mark.parametrize("secret", NAMED)
def test_the_formats_found_by_the_attack_pass_are_masked(secret):
    scrubbed = scrub(f"Appelez Jean au {secret} merci")
    assert secret not in scrubbed
    assert scrubbed.startswith("Appelez Jean au [") and scrubbed.endswith("] merci")


def test_figures_dates_and_school_years_are_left_alone():
    for text in [
        "Séance du 12/05, 3 enfants sur 25",
        "2022-2023 2024-2025",
        "4 130 enfants, 350 + 3 780 = 4 130",
        "du 12.05.2024 au 13.05.2024",
        "SIREN 244400404",
        "le point fort at home",
    ]:
        assert scrub(text) == text


digits = st.text(alphabet="0123456789", min_size=8, max_size=8)
separator = st.sampled_from(["", " ", ".", "-"])
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç ,;:!?'", max_size=20)


def _grouped(number: str, draw_sizes, sep: str) -> str:
    out, rest = [], number
    for size in draw_sizes:
        if not rest:
            break
        out.append(rest[:size])
        rest = rest[size:]
    if rest:
        out.append(rest)
    return sep.join(out)


@st.composite
def french_phone(draw) -> tuple[str, str]:
    """A French number written as people write it: with 0, +33, 0033 or +33 (0), any grouping
    and separator; without its 0 for a mobile or in pairs. Returns (text, its 8 last digits)."""
    first = draw(st.sampled_from("123456789"))
    rest = draw(digits)
    sep = draw(separator)
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=9))
    prefix = draw(st.sampled_from(["0", "+33 ", "+33", "0033 ", "+33 (0)", "+33(0)", "none"]))
    if prefix == "none":
        if first in "67":
            body = _grouped(first + rest, sizes, sep)
        else:
            body = first + "".join(f"{sep or ' '}{rest[i : i + 2]}" for i in range(0, 8, 2))
        return body, rest
    body = _grouped(first + rest, sizes, sep)
    if prefix == "0":
        body = _grouped("0" + first + rest, sizes, sep)
        return body, rest
    return prefix + body, rest


@given(phone=french_phone(), before=words, after=words)
@settings(max_examples=400, deadline=None)
def test_every_way_of_writing_a_french_phone_number_is_masked(phone, before, after):
    text, last_digits = phone
    scrubbed = scrub(f"{before} {text} {after}")
    assert last_digits not in re.sub(r"\D", "", scrubbed), (text, scrubbed)
    assert PHONE_MASK in scrubbed


label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
AT = ["@", "(at)", " (at) ", "[at]", " [at] ", "{at}", "(arobase)", " arobase ", " at "]
DOT = [".", "(dot)", " (dot) ", "[dot]", " [point] ", " point ", " dot "]


@given(
    local=st.lists(label, min_size=1, max_size=3),
    domain=st.lists(label, min_size=1, max_size=2),
    tld=st.sampled_from(["fr", "com", "org", "net", "eu", "gouv.fr"]),
    at=st.sampled_from(AT),
    dot=st.sampled_from(DOT),
    before=words,
    after=words,
)
@settings(max_examples=400, deadline=None)
def test_every_way_of_writing_an_email_address_is_masked(
    local, domain, tld, at, dot, before, after
):
    # The words around may hold "at" themselves ("chat", "at"): only the address's must go.
    assume(at.strip() not in f"{before} {after}")
    address = ".".join(local) + at + dot.join([*domain, *tld.split(".")])
    scrubbed = scrub(f"{before} {address} {after}")
    assert EMAIL_MASK in scrubbed, (address, scrubbed)
    assert at.strip() not in scrubbed.replace(EMAIL_MASK, ""), (address, scrubbed)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_scrubbing_twice_changes_nothing_more(text):
    once = scrub(text)
    assert scrub(once) == once


def _scrub_unguarded(text: str) -> str:
    """scrub without its cheap guards: every pattern run on every text."""
    from ancrage.core.privacy import EMAIL_RE, PHONE_RES

    text = EMAIL_RE.sub(EMAIL_MASK, text)
    for pattern in PHONE_RES:
        text = pattern.sub(PHONE_MASK, text)
    return text


# Texts made of what addresses and phone numbers are made of, disguised or not.
PIECES = [" ", "@", "at", "AT", "arobase", "(", "[", "<", "{", ")", ".", "dot", "point", "-"]
PIECES += ["+", "00", "33", "(0)", "0", "6", "12", "34", "56", "78", "jean", "gmail", "fr"]


@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join) | st.text(max_size=80))
@settings(max_examples=600, deadline=None)
def test_the_cheap_guards_never_let_an_address_or_a_number_through(text):
    """scrub skips its patterns for a text without "@", "at"/"arobase" or eight digits: it
    gives what running every pattern gives."""
    assert scrub(text) == _scrub_unguarded(text)


# Columns a person may write in freely; everything else is a code, a number, a date, a choice,
# a label of the reference grids or of a questionnaire, or a name from the national registers.
NOT_FREE_TEXT = {
    "programmes.Programme.name",
    "territories.Territory.code",
    "territories.Territory.name",
    "territories.Commune.insee_code",
    "territories.Commune.name",
    "activities.Structure.code",
    "activities.Person.code",
    "activities.Action.code",
    "surveys.Questionnaire.form_id",
    "surveys.Questionnaire.title",
    "surveys.Questionnaire.version",
    "surveys.Question.name",
    "surveys.Question.path",
    "surveys.Question.group_label",
    "surveys.Question.label",
    "surveys.Question.list_name",
    "surveys.Question.repeat",
    "surveys.Choice.name",
    "surveys.Choice.label",
    "surveys.Collection.token",
    "surveys.Response.external_id",
    "surveys.Response.workbook_key",  # the row number a hand-added response came under
    # The reach summaries' public: a vocabulary key written by the services, never typed.
    "activities.Reach.public",
    "activities.ReachTotal.public",
    "surveys.Response.pairing_code",
    "surveys.Response.source_survey",
    "surveys.Answer.tone",
    "evaluation.Framework.code",
    "evaluation.Framework.name",
    "evaluation.Framework.version",
    "evaluation.FrameworkItem.code",
    "evaluation.FrameworkItem.label",
    "evaluation.Theme.label",
    "evaluation.EvaluationIndicator.label",
    "evaluation.EvaluationIndicator.metric",
}


def test_every_free_text_column_is_scrubbed_whoever_writes_it():
    from ancrage.core.privacy import ScrubbedCharField, ScrubbedTextField

    unscrubbed = []
    for app in ("programmes", "territories", "activities", "surveys", "evaluation"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                name = f"{app}.{model.__name__}.{field.name}"
                scrubbed = isinstance(field, ScrubbedCharField | ScrubbedTextField)
                if not scrubbed and name not in NOT_FREE_TEXT:
                    unscrubbed.append(name)
    assert unscrubbed == []


@pytest.mark.django_db
def test_a_bulk_write_is_scrubbed_too(tmp_path):
    from ancrage.activities.models import Person

    from .surveys_data import programme_with_actions

    programme = programme_with_actions(tmp_path)
    Person.objects.bulk_create(
        [Person(programme=programme, code="Z1", profession="06 12 34 56 78")]
    )
    Person.objects.filter(code="P1").update(profession="marie@x.fr")
    assert Person.objects.get(code="Z1").profession == PHONE_MASK
    assert Person.objects.get(code="P1").profession == EMAIL_MASK


def test_text_analysis_ignores_the_scrubbers_placeholders():
    from ancrage.surveys.text import summarise

    answers = [
        scrub("Super atelier, écrivez-moi à jean.dupont(at)gmail.com"),
        scrub("Atelier génial, mon numéro 06 12 34 56 78"),
        scrub("Atelier trop court +33 (0)6 12 34 56 78"),
    ]
    summary = summarise(answers).as_dict()
    terms = {t["term"] for t in summary["terms"] + summary["bigrams"]}
    words = set(" ".join(terms).split())
    assert "atelier" in terms
    assert not words & {"courriel", "téléphone", "masqué", "masquer"}, terms
