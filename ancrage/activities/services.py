"""Writes on actions and participations: the only code that sets their copied fields."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ancrage.core.privacy import scrub
from ancrage.core.schoolyear import school_year_of
from ancrage.programmes.models import Programme
from ancrage.territories.models import Commune, Territory

from .models import Action, ActionStructure, Participation, Person, Structure


def action_copied_fields(action: Action) -> dict:
    """What each participation and structure link copies from its action."""
    return {
        "programme_id": action.programme_id,
        "territory_id": action.territory_id,
        "modality": action.modality,
        "school_year": action.school_year,
    }


@transaction.atomic
def action_create(
    *,
    programme: Programme,
    code: str,
    modality: str,
    territory: Territory,
    start: dt.date,
    end: dt.date | None = None,
    commune: Commune | None = None,
    structures: list[Structure] = (),
    hours: Decimal | None = None,
    sessions: int | None = None,
    children: int | None = None,
    adults: int | None = None,
    parents: int | None = None,
    elected: int | None = None,
    parent_format: str = "",
    title: str = "",
) -> Action:
    action = Action(
        programme=programme,
        code=code,
        modality=modality,
        territory=territory,
        commune=commune,
        start=start,
        end=end,
        school_year=school_year_of(start),
        hours=hours,
        sessions=sessions,
        children=children,
        adults=adults,
        parents=parents,
        elected=elected,
        parent_format=parent_format,
        title=scrub(title),
    )
    action.full_clean()
    action.save()
    copied = action_copied_fields(action)
    ActionStructure.objects.bulk_create(
        ActionStructure(action=action, structure=structure, position=i, **copied)
        for i, structure in enumerate(structures)
    )
    return action


@transaction.atomic
def participations_add(*, action: Action, people: list[Person]) -> list[Participation]:
    """List people as taking part in an action; people already listed are left as they are."""
    already = set(action.participations.values_list("person_id", flat=True))
    copied = action_copied_fields(action)
    created = Participation.objects.bulk_create(
        Participation(action=action, person=person, **copied)
        for person in dict.fromkeys(people)
        if person.pk not in already
    )
    if created and not action.lists_people:
        action.lists_people = True
        action.save(update_fields=["lists_people"])
    return created
