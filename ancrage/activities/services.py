"""Writes on actions and participations: the only code that sets their copied fields."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from ancrage.core.privacy import scrub
from ancrage.core.schoolyear import school_year_of
from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed
from ancrage.territories.models import Commune, Territory

from .models import Action, ActionStructure, Participation, Person, Structure
from .selectors import codes_resolve
from .signals import links_created
from .summaries import reach_batch, reach_changed, refresh_summaries

__all__ = ["refresh_summaries"]  # the bulk writers' refresh of the reach summaries


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
    links = ActionStructure.objects.bulk_create(
        ActionStructure(action=action, structure=structure, position=i, **copied)
        for i, structure in enumerate(structures)
    )
    # Bulk writes send no signal: the structures reached are refreshed here.
    reach_changed(programme_id=action.programme_id, structures=[s.pk for s in structures])
    links_created.send(sender=ActionStructure, rows=links)
    return action


@transaction.atomic
def participations_add(*, action: Action, people: list[Person]) -> list[Participation]:
    """List people as taking part in an action; people already listed are left as they are."""
    already = set(action.participations.values_list("person_id", flat=True))
    copied = action_copied_fields(action)
    # Bulk writes send no signal; they change this territory's figures only, and the
    # questionnaires' when the action has collections (its listed adults).
    collected = action.collections.exists()
    figures_changed(action.programme_id, (action.territory_id,), surveys=collected)
    created = Participation.objects.bulk_create(
        Participation(action=action, person=person, **copied)
        for person in dict.fromkeys(people)
        if person.pk not in already
    )
    links_created.send(sender=Participation, rows=created)
    if created and not action.lists_people:
        action.lists_people = True
        action.save(update_fields=["lists_people"])
    reach_changed(programme_id=action.programme_id, people=[p.person_id for p in created])
    return created


TAKEN_CODE = _("« {code} » vient d'être créé par quelqu'un d'autre : vérifiez la liste.")


def people_for_codes(
    programme: Programme,
    entries: list[tuple[str, str]],
    *,
    territory: Territory,
    action: Action | None = None,
) -> list[Person]:
    """The people named by pseudonymous codes, in order; a new code with its profession creates
    the person in `territory` (codes only, never names)."""
    known, errors = codes_resolve(programme, entries, territory=territory, action=action)
    if errors:
        raise ValidationError({"participants": errors})
    codes = [code for code, _profession in entries]
    new = [
        Person(programme=programme, territory=territory, code=code, profession=scrub(profession))
        for code, profession in dict(entries).items()
        if code not in known
    ]
    try:
        # A savepoint: a code created meanwhile by someone else becomes a form error, not a 500.
        with transaction.atomic():
            created = Person.objects.bulk_create(new)
    except IntegrityError:
        taken = Person.objects.filter(
            programme=programme, territory=territory, code__in=[p.code for p in new]
        )
        raise ValidationError(
            {
                "participants": [
                    str(TAKEN_CODE).format(code=c) for c in taken.values_list("code", flat=True)
                ]
            }
        ) from None
    for person in created:
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
    # Bulk writes send no signal; they change the territory left and the one joined, and
    # what the action's people and structures count for (modality, school year).
    figures_changed(action.programme_id, (before, action.territory_id))
    with reach_batch():
        reach_changed(
            programme_id=action.programme_id,
            people=action.participations.values_list("person_id", flat=True),
            structures=[s.pk for s in structures],
        )
        _links_set(action, structures, copied)
    return action


def _links_set(action: Action, structures: list[Structure], copied: dict) -> None:
    """The action's structure links become these, in this order: links kept stay the same rows
    (their history reads as one link), removed ones are deleted, new ones created."""
    links = ActionStructure.objects.filter(action=action)
    links.exclude(structure__in=structures).delete()
    links.update(**copied)
    kept = dict(links.values_list("structure_id", "position"))
    for position, structure in enumerate(structures):
        if structure.pk in kept and kept[structure.pk] != position:
            links.filter(structure=structure).update(position=position)
    created = ActionStructure.objects.bulk_create(
        ActionStructure(action=action, structure=structure, position=i, **copied)
        for i, structure in enumerate(structures)
        if structure.pk not in kept
    )
    links_created.send(sender=ActionStructure, rows=created)


@transaction.atomic
def participations_set(*, action: Action, people: list[Person]) -> None:
    """The action's list of participants becomes exactly these people."""
    wanted = {person.pk for person in people}
    with reach_batch():  # the people removed and added, refreshed once
        action.participations.exclude(person_id__in=wanted).delete()
        participations_add(action=action, people=people)
    listed = action.participations.exists()
    if action.lists_people != listed:
        action.lists_people = listed
        action.save(update_fields=["lists_people"])


ACTION_CODE_TAKEN = _("Ce code est déjà utilisé par une autre action.")


@transaction.atomic
def action_save(
    programme: Programme,
    action: Action | None,
    *,
    fields: dict,
    structures: list[Structure],
    participants: list[tuple[str, str]],
) -> Action:
    """Create or change an action with its structures and its participants (pseudonymous codes
    of its territory, new people created there with their profession): all of it, or nothing.
    A code taken meanwhile by a concurrent save raises a ValidationError (a form error), never
    an IntegrityError."""
    with reach_batch():  # its people and structures refreshed once, at the end
        try:
            with transaction.atomic():
                if action is None:
                    action = action_create(programme=programme, structures=structures, **fields)
                else:
                    action = action_update(action, structures=structures, **fields)
        except IntegrityError:
            raise ValidationError({"code": [str(ACTION_CODE_TAKEN)]}) from None
        people = people_for_codes(
            programme, participants, territory=action.territory, action=action
        )
        participations_set(action=action, people=people)
    return action


@transaction.atomic
def people_territories_settle(*, programme: Programme, keep: list[int] = ()) -> None:
    """People written without a territory (a workbook without the column) take their
    structure's, else the one territory where they took part; the others (and `keep`, said to
    be of the whole programme) stay of no territory. Two grouped updates."""
    unsettled = Person.objects.filter(programme=programme, territory__isnull=True).exclude(
        pk__in=list(keep)
    )
    of_structure = Structure.objects.filter(pk=OuterRef("structure_id"))
    unsettled.filter(structure__isnull=False).update(
        territory_id=Subquery(of_structure.values("commune__territory_id")[:1])
    )
    only_one = (
        Participation.objects.filter(person_id=OuterRef("pk"))
        .values("person_id")
        .annotate(n=Count("territory_id", distinct=True), one=Min("territory_id"))
        .filter(n=1)
        .values("one")
    )
    unsettled.filter(structure__isnull=True).update(territory_id=Subquery(only_one[:1]))
