"""Writes on actions and participations: the only code that sets their copied fields."""

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction

from ancrage.core.privacy import scrub
from ancrage.core.schoolyear import school_year_of
from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed
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
    # Bulk writes send no signal; they change this territory's figures only.
    figures_changed(action.programme_id, (action.territory_id,))
    created = Participation.objects.bulk_create(
        Participation(action=action, person=person, **copied)
        for person in dict.fromkeys(people)
        if person.pk not in already
    )
    if created and not action.lists_people:
        action.lists_people = True
        action.save(update_fields=["lists_people"])
    return created


def people_for_codes(programme: Programme, entries: list[tuple[str, str]]) -> list[Person]:
    """The people named by pseudonymous codes, in order; a new code with its profession creates
    the person (codes only, never names)."""
    codes = [code for code, _profession in entries]
    known = {p.code: p for p in Person.objects.filter(programme=programme, code__in=codes)}
    new = [
        Person(programme=programme, code=code, profession=scrub(profession))
        for code, profession in dict(entries).items()
        if code not in known
    ]
    for person in Person.objects.bulk_create(new):
        known[person.code] = person
    return [known[code] for code in dict.fromkeys(codes)]


@transaction.atomic
def action_update(action: Action, *, structures: list[Structure], **fields) -> Action:
    """Change an action; its participations and structure links follow its territory, modality
    and school year (they carry copies of them for the figures)."""
    # The territory the action leaves (from the database: a form may have changed the object).
    before = Action.objects.filter(pk=action.pk).values_list("territory_id", flat=True).first()
    for name, value in fields.items():
        setattr(action, name, scrub(value) if name == "title" else value)
    action.school_year = school_year_of(action.start)
    action.full_clean()
    action.save()
    copied = action_copied_fields(action)
    Participation.objects.filter(action=action).update(**copied)
    # Bulk writes send no signal; they change the territory left and the one joined.
    figures_changed(action.programme_id, (before, action.territory_id))
    ActionStructure.objects.filter(action=action).delete()
    ActionStructure.objects.bulk_create(
        ActionStructure(action=action, structure=structure, position=i, **copied)
        for i, structure in enumerate(structures)
    )
    return action


@transaction.atomic
def participations_set(*, action: Action, people: list[Person]) -> None:
    """The action's list of participants becomes exactly these people."""
    wanted = {person.pk for person in people}
    action.participations.exclude(person_id__in=wanted).delete()
    participations_add(action=action, people=people)
    listed = action.participations.exists()
    if action.lists_people != listed:
        action.lists_people = listed
        action.save(update_fields=["lists_people"])


def next_action_code(programme: Programme, modality: str, territory=None) -> str:
    """A free code in the programme's own style: the last code of this modality (in this
    territory when there is one) with its number increased (FOR-CARENE-14 → FOR-CARENE-15), or
    a modality initial and a number."""
    same_modality = Action.objects.filter(programme=programme, modality=modality).order_by("-pk")
    last = None
    if territory is not None:
        last = same_modality.filter(territory=territory).values_list("code", flat=True).first()
    if last is None:
        last = same_modality.values_list("code", flat=True).first()
    match = re.match(r"^(.*?)(\d+)$", last or "")
    if match:
        prefix, digits = match.group(1), match.group(2)
    else:
        prefix = {"action_parentalite": "P", "copil": "CP", "cotech": "CT", "jep": "J"}.get(
            modality, modality[:1].upper()
        )
        digits = "0"
    taken = set(
        Action.objects.filter(programme=programme, code__startswith=prefix).values_list(
            "code", flat=True
        )
    )
    number = int(digits) + 1
    while f"{prefix}{number:0{len(digits)}d}" in taken:
        number += 1
    return f"{prefix}{number:0{len(digits)}d}"


@transaction.atomic
def action_save(
    programme: Programme,
    action: Action | None,
    *,
    fields: dict,
    structures: list[Structure],
    participants: list[tuple[str, str]],
) -> Action:
    """Create or change an action with its structures and its participants (pseudonymous codes,
    new people created with their profession): all of it, or nothing."""
    if action is None:
        action = action_create(programme=programme, structures=structures, **fields)
    else:
        action = action_update(action, structures=structures, **fields)
    participations_set(action=action, people=people_for_codes(programme, participants))
    return action
