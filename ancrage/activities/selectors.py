"""Reads of the activities: who was reached, where and how, grouped by the database."""

import re

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES, Modality, StructureType
from ancrage.territories import geography
from ancrage.territories.models import Commune, Territory
from ancrage.territories.selectors import territories_in_scope

from .models import (
    Action,
    ActionStructure,
    Participation,
    Person,
    Reach,
    ReachTotal,
    Structure,
)


def people_of_codes(programme, codes, *, territory: Territory | None):
    """The people these codes can name in `territory`: its own and the programme's people of
    no territory, never another territory's (so that the answer tells nothing about them).
    The one lookup of the action form, the API and the people register. `territory` None (a
    person of the whole programme, added by the coordination): the codes of every territory."""
    people = Person.objects.filter(programme=programme, code__in=list(codes))
    if territory is None:
        return people
    return people.filter(Q(territory=territory) | Q(territory__isnull=True))


UNKNOWN_CODE = _(
    "« {code} » n'est pas un code de ce territoire. Pour une personne nouvelle, ajoutez "
    "« ; profession »."
)


def people_in_reach(programme: Programme, reach: set[int] | None):
    """The people a user may see: those of their territories, those listed on an action of
    their territories, and the programme's people of no territory. `reach` is the user's
    territory ids (accounts.selectors.territory_scope), None for the whole programme."""
    people = Person.objects.filter(programme=programme)
    if reach is None:
        return people
    ids = list(reach)
    return people.filter(
        Q(territory__in=ids) | Q(territory__isnull=True) | Q(participations__territory__in=ids)
    ).distinct()


def codes_resolve(
    programme: Programme,
    entries: list[tuple[str, str]],
    *,
    territory: Territory,
    action: Action | None = None,
) -> tuple[dict[str, Person], list[str]]:
    """The people these codes name on an action of `territory`, and one French message per code
    that names nobody and brings no profession. A code is looked up in that territory, then
    among the programme's people of no territory and the action's own participants; never
    elsewhere: another territory's codes are not this one's, so a user learns nothing about
    them (the same code there is another person)."""
    codes = list(dict.fromkeys(code for code, _profession in entries))
    known: dict[str, Person] = {}
    if action is not None and action.pk:
        listed = Person.objects.filter(participations__action=action, code__in=codes)
        known.update((p.code, p) for p in listed)
    found = people_of_codes(programme, codes, territory=territory)
    # The territory's own code comes before a programme-wide one.
    known.update((p.code, p) for p in sorted(found, key=lambda p: p.territory_id is not None))
    errors = [
        str(UNKNOWN_CODE).format(code=code)
        for code, profession in dict(entries).items()
        if code not in known and not profession
    ]
    return known, errors


def people_in_scope(programme, scope: set[int] | None):
    """The people whose record (history, structure, territory) is the user's to read: those of
    their territories and the programme's people of no territory; not another territory's
    person merely listed on one of their actions (people_in_reach lists those, without their
    details). `scope` is accounts.selectors.territory_scope: None for the whole programme."""
    people = Person.objects.filter(programme=programme)
    if scope is None:
        return people
    return people.filter(Q(territory__in=list(scope)) | Q(territory__isnull=True))


def next_action_code(programme: Programme, modality: str, territory=None, *, territories) -> str:
    """A code to suggest in the programme's own style: the last code of this modality (in this
    territory when there is one) with its number increased (FOR-CARENE-14 → FOR-CARENE-15), or
    a modality initial and a number. Read from the actions of the user's `territories` only
    (accounts.selectors.territories_for_user): neither the code nor the numbers it skips tell of
    another territory's actions. Codes stay unique in the programme: a suggestion another
    territory happens to use moves on at the save (action_code_free)."""
    visible = Action.objects.filter(programme=programme, territory__in=territories)
    same_modality = visible.filter(modality=modality).order_by("-pk")
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
    return _first_free(visible, prefix, int(digits) + 1, len(digits))


def action_code_free(programme: Programme, code: str, *, action: Action | None = None) -> str:
    """A code the server chose (a suggestion left as it was, an action sent to the API without
    one), made free in the whole programme at the save: the next number in its style when
    another action uses it. It tells no more than refusing it would; a code the user typed is
    refused instead (ACTION_CODE_TAKEN)."""
    others = Action.objects.filter(programme=programme)
    if action is not None and action.pk:
        others = others.exclude(pk=action.pk)
    match = re.match(r"^(.*?)(\d+)$", code)
    if not others.filter(code=code).exists() or match is None:
        return code
    prefix, digits = match.group(1), match.group(2)
    return _first_free(others, prefix, int(digits), len(digits))


def _first_free(actions, prefix: str, number: int, width: int) -> str:
    """prefix + the first number from `number` that none of `actions` uses as its code."""
    taken = set(actions.filter(code__startswith=prefix).values_list("code", flat=True))
    while f"{prefix}{number:0{width}d}" in taken:
        number += 1
    return f"{prefix}{number:0{width}d}"


def structures_by_kind(scope: Scope) -> list[dict]:
    """Structures reached (governance meetings aside) per type, most frequent first."""
    rows = (
        ActionStructure.objects.filter(scope.filters(action="action_id"))
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("structure__kind")
        .annotate(n=Count("structure_id", distinct=True))
        .order_by("-n", "structure__kind")
    )
    labels = dict(StructureType.choices)
    return [{"kind": kind, "label": str(labels.get(kind, kind)), "n": n} for kind, n in rows]


def professions(scope: Scope) -> list[dict]:
    """People reached per profession (distinct people), most frequent first."""
    rows = (
        Participation.objects.filter(scope.filters(action="action_id"))
        .values_list("person__profession")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "person__profession")
    )
    return [{"profession": profession or "—", "n": n} for profession, n in rows]


def actions_by_commune(scope: Scope) -> dict[int, dict]:
    """Per commune: actions by modality, people reached (listed people or counted adults, plus
    children and parents) and structures: three grouped queries whatever the data's size."""
    actions = (
        Action.objects.filter(scope.filters(action="id"))
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("commune_id", "modality")
        .annotate(
            n=Count("id"),
            children=Sum("children"),
            parents=Sum("parents"),
            counted_adults=Sum("adults", filter=Q(lists_people=False)),
        )
        .order_by()
    )
    listed = (
        Participation.objects.filter(scope.filters(action="action_id"))
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("action__commune_id", "modality")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    structures = (
        ActionStructure.objects.filter(scope.filters(action="action_id"))
        .exclude(modality__in=GOVERNANCE_MODALITIES)
        .values_list("action__commune_id")
        .annotate(n=Count("structure_id", distinct=True))
        .order_by()
    )
    communes: dict[int, dict] = {}

    def entry(commune_id: int) -> dict:
        return communes.setdefault(
            commune_id, {"actions": 0, "people": 0, "structures": 0, "by_modality": {}}
        )

    for commune_id, modality, n, children, parents, adults in actions:
        row = entry(commune_id)
        row["actions"] += n
        row["people"] += (children or 0) + (parents or 0) + (adults or 0)
        by_modality = row["by_modality"].setdefault(modality, {"actions": 0, "people": 0})
        by_modality["actions"] += n
        by_modality["people"] += (children or 0) + (parents or 0) + (adults or 0)
    for commune_id, modality, n in listed:
        row = entry(commune_id)
        row["people"] += n
        row["by_modality"].setdefault(modality, {"actions": 0, "people": 0})["people"] += n
    for commune_id, n in structures:
        entry(commune_id)["structures"] = n
    return communes


# Beyond this many territories (a national roll-out), maps are drawn one territory at a time:
# a page or a deck of a thousand maps helps nobody and would load every outline of France.
MAX_MAPS = 12


def action_map(scope: Scope) -> dict:
    """Per territory of the scope: its communes with the actions by modality, the people and
    structures reached (the seed's "maps of actions"), which communes were mobilised, and, for
    up to MAX_MAPS territories, the communes as GeoJSON features for the map."""
    reached = actions_by_commune(scope)
    labels = dict(Modality.choices)
    territories = list(territories_in_scope(scope))
    communes = Commune.objects.filter(territory__in=territories).select_related("territory")
    by_territory: dict[str, dict] = {}
    for territory in territories:
        by_territory[territory.code] = {
            "code": territory.code,
            "name": territory.name,
            "population": territory.population,
            "commune_count": territory.commune_count,
            "communes": {},
        }
    for commune in communes:
        figures = reached.get(commune.pk, {})
        by_modality = [
            {"modality": m, "label": str(labels[m]), **counts}
            for m, counts in sorted(figures.get("by_modality", {}).items())
        ]
        by_territory[commune.territory.code]["communes"][commune.insee_code] = {
            "name": commune.name,
            "population": commune.population,
            "actions": figures.get("actions", 0),
            "people": figures.get("people", 0),
            "structures": figures.get("structures", 0),
            "by_modality": by_modality,
        }
    drawn = len(by_territory) <= MAX_MAPS
    for territory in by_territory.values():
        mobilised = [c for c in territory["communes"].values() if c["actions"]]
        territory["mobilised"] = sorted(c["name"] for c in mobilised)
        territory["mobilised_population"] = sum(c["population"] or 0 for c in mobilised)
        territory["actions"] = sum(c["actions"] for c in territory["communes"].values())
        territory["people"] = sum(c["people"] for c in territory["communes"].values())
        territory["features"] = (
            geography.feature_collection(territory["communes"]) if drawn else None
        )
    return by_territory


def territory_structures(territory: Territory):
    """The territory's structures with their commune, for its page."""
    return (
        Structure.objects.filter(commune__territory=territory)
        .select_related("commune")
        .order_by("commune__name", "name")
    )


def reach_totals(programme, years) -> dict[str, int]:
    """Unique professionals, trained adults and structures of the whole programme over these
    school years, read from the reach summaries (activities/summaries.py): one row each over
    all the programme's years or over one year, a count of summary rows over several."""
    names = {
        Reach.PROFESSIONALS: "professionals",
        Reach.TRAINED: "trained",
        Reach.STRUCTURES: "structures",
    }
    years = sorted(set(years))
    whole = years == sorted(programme.school_years)
    if whole or len(years) == 1:
        year = Reach.ALL_YEARS if whole else years[0]
        rows = ReachTotal.objects.filter(programme=programme, school_year=year)
        found = dict(rows.values_list("public", "count"))
    else:
        rows = Reach.objects.filter(programme=programme, school_year__in=years)
        found = dict(
            rows.values_list("public").annotate(n=Count("member", distinct=True)).order_by()
        )
    return {name: found.get(public, 0) for public, name in names.items()}
