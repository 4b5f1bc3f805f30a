"""The API's test world: the small programme with a questionnaire collected at C2 (T1), the
named cast, and a client per member authenticated by token as a script would be."""

import datetime as dt

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ancrage.activities.models import Participation, Person
from ancrage.surveys.models import Answer, Response
from ancrage.surveys.services import collection_for

from .cast import make_cast
from .surveys_data import programme_with_actions, questionnaire


def api_world(tmp_path) -> dict:
    programme = programme_with_actions(tmp_path)
    cast = make_cast(programme)
    action = programme.actions.get(code="C2")  # territory T1
    participation = Participation.objects.create(
        action=action,
        person=Person.objects.get(code="P1"),
        programme=programme,
        territory=action.territory,
        modality=action.modality,
        school_year=action.school_year,
    )
    collection = collection_for(questionnaire(programme, "coi_enfants"), action)
    collection.closes_on = dt.date.today() + dt.timedelta(days=3)
    collection.save(update_fields=["closes_on"])
    response = Response.objects.create(
        collection=collection,
        questionnaire=collection.questionnaire,
        programme=programme,
        territory=action.territory,
        modality=action.modality,
        school_year=action.school_year,
        source="papier",
    )
    question = collection.questionnaire.questions.filter(kind="select_one").first()
    choice = question.choices.first()
    Answer.objects.create(  # one answer: a small cell, hidden from read-only roles
        response=response,
        question=question,
        choice=choice,
        questionnaire=collection.questionnaire,
        territory=action.territory,
        school_year=action.school_year,
        favorable=choice.favorable,
    )
    return {
        "programme": programme,
        "cast": cast,
        "action": action,
        "participation": participation,
        "questionnaire": collection.questionnaire,
    }


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
