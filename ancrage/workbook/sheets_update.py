"""Per sheet, how an update matches rows (identifiers) and writes the changes to the programme.

Rows are compared as the exporter writes them, so that an export imported back is « rien à
modifier » by construction; changes are copied from the staging programme's rows, which the
import has already checked.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from django.utils.translation import gettext as _

from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.activities.services import action_create, action_update, participations_add
from ancrage.core.schoolyear import school_year_label
from ancrage.evaluation.models import ActionReport, Theme
from ancrage.programmes.models import CoordinationDays, DeclaredTotal, Objective, Programme
from ancrage.surveys.models import Response
from ancrage.territories.models import Commune, Territory

from .exporter import sheet_rows
from .records import REFERENCES, RecordSheet, row_of
from .schema import ALL_TERRITORIES, COLUMNS, PROGRAMME_KEYS, SHEETS_BY_NAME
from .sheets.evaluation import RECORD_SHEETS

SEPARATOR = " / "
BATCH = 2000  # rows read at once: the changes of a large sheet, never the whole sheet


def batched(items: Iterable, size: int = BATCH):
    """`items` in lists of `size` (itertools.batched, from Python 3.12)."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


class UpdateRefused(Exception):
    """A change the update will not make; said in French against its sheet."""

    def __init__(self, sheet: str, message: str):
        super().__init__(message)
        self.sheet, self.message = sheet, message


PROGRAMME_FIELDS = tuple(key.field for key in PROGRAMME_KEYS if key.field != "name")
# What an update copies of an action; its identifier and references are re-pointed apart.
ACTION_FIELDS = tuple(
    c.field for c in COLUMNS["actions"] if c.parser.partition(":")[0] not in {"key", "ref", "refs"}
)


@dataclass(frozen=True)
class SheetSpec:
    sheet: str
    keys: tuple[str, ...]
    apply: Callable  # (target, staging, changes by key, programme name) -> None
    delete: Callable  # (target, keys) -> None
    rows: Callable | None = None  # (programme) -> rows by key, when not the exported rows
    # (target, staging, the workbook's rows) -> its rows under the keys of the programme's rows
    # they are, when a row's identity is not its key in the file
    match: Callable | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return SHEETS_BY_NAME[self.sheet].columns


def load_rows(spec: SheetSpec, programme: Programme) -> dict[str, dict]:
    """The sheet's rows as exported, by identifier."""
    if spec.rows is not None:
        return spec.rows(programme)
    columns = spec.columns
    rows = {}
    for values in sheet_rows(programme)[spec.sheet]:
        row = dict(zip(columns, ("" if v is None else v for v in values), strict=True))
        rows[SEPARATOR.join(str(row[k]) for k in spec.keys)] = row
    return rows


def _by(model, programme: Programme, key: Callable, *related: str, **only) -> dict:
    """The programme's rows (`only`: those matching this filter) by `key`; of two rows with the
    same key, the later one."""
    rows = model.objects.filter(programme=programme, **only).select_related(*related)
    return {key(obj): obj for obj in rows.order_by("pk")}


def _named(model, programme: Programme, field: str, codes) -> dict:
    """The programme's rows whose `field` is one of `codes`, by it."""
    return _by(model, programme, lambda obj: getattr(obj, field), **{f"{field}__in": codes})


class Named(dict):
    """Rows of the target by a code, each read when first asked for (one query, the later row
    of a code as in a whole dictionary): pointing a few changed rows to their actions reads
    those actions, not the programme's."""

    def __init__(self, rows, field: str = "code"):
        super().__init__()
        self.rows, self.field = rows, field

    def __missing__(self, code):
        found = self.rows.filter(**{self.field: code}).order_by("pk").last()
        if found is None:
            raise KeyError(code)
        self[code] = found
        return found


def _territory_code(obj) -> str:
    return obj.territory.code if obj.territory_id else ALL_TERRITORIES


def absent_fields(staging: Programme, sheet: str) -> set[str]:
    """The fields of the declared columns the workbook's sheet lacks: an update leaves them as
    they are (one rule for every sheet; a new row takes the import's defaults)."""
    said = getattr(staging, "said", {}).get(sheet)
    if said is None:
        return set()
    return {c.field.removesuffix("_id") for c in COLUMNS.get(sheet, ()) if c.name not in said}


# -- programme -------------------------------------------------------------------------------
def _apply_programme(target, staging, changes, name):
    """Only the keys the file gives and changes: a key row absent from the sheet keeps its value."""
    target.name = name
    for key in PROGRAMME_KEYS:
        if key.field in PROGRAMME_FIELDS and key.name in changes:
            setattr(target, key.field, getattr(staging, key.field))
    target.full_clean()
    target.save()


def _delete_nothing(target, keys):
    pass  # the programme's keys are settings: an absent one keeps its value


# -- territories, communes, structures, people -----------------------------------------------
def _copy(model, target, staging, changes, key, fields, refs=(), related=(), sheet="", code=""):
    """Create or change the changed rows, copying `fields` and re-pointing the `refs`
    (attribute, the referenced model and its code field, the code of the staging row's
    reference); a changed row keeps the fields of the `sheet`'s columns absent from the file.
    `code`: the field of a key that is one code; the rows are then read by batches of the
    changed ones (a large sheet), else whole."""
    absent = absent_fields(staging, sheet)
    for batch in batched(changes):
        only = {f"{code}__in": batch} if code else {}
        staged = _by(model, staging, key, *related, **only)
        existing = _by(model, target, key, *related, **only)
        targets = {
            attribute: _named(ref, target, field, {code_of(staged[k]) for k in batch} - {""})
            for attribute, ref, field, code_of in refs
        }
        for name in batch:
            source = staged[name]
            row = existing.get(name)
            kept = absent if row is not None else set()
            row = row or model(programme=target)
            for field in fields:
                if field not in kept:
                    setattr(row, field, getattr(source, field))
            for attribute, _ref, _field, code_of in refs:
                if attribute in kept:
                    continue
                ref_code = code_of(source)
                setattr(row, attribute, targets[attribute][ref_code] if ref_code else None)
            row.save()


def _apply_territories(target, staging, changes, name):
    _copy(
        Territory,
        target,
        staging,
        changes,
        lambda t: t.code,
        ("code", "name", "population", "commune_count"),
        sheet="territoires",
        code="code",
    )


def _apply_communes(target, staging, changes, name):
    _copy(
        Commune,
        target,
        staging,
        changes,
        lambda c: c.insee_code,
        ("insee_code", "name", "population"),
        [("territory", Territory, "code", lambda c: c.territory.code)],
        ("territory",),
        sheet="communes",
        code="insee_code",
    )


def _apply_structures(target, staging, changes, name):
    _copy(
        Structure,
        target,
        staging,
        changes,
        lambda s: s.code,
        ("code", "name", "kind", "qpv"),
        [("commune", Commune, "insee_code", lambda s: s.commune.insee_code)],
        ("commune",),
        sheet="structures",
        code="code",
    )


def _apply_people(target, staging, changes, name):
    _copy(
        Person,
        target,
        staging,
        changes,
        lambda p: p.code,
        ("code", "profession"),
        [
            ("structure", Structure, "code", lambda p: p.structure.code if p.structure_id else ""),
            ("territory", Territory, "code", lambda p: p.territory.code if p.territory_id else ""),
        ],
        ("structure", "territory"),
        sheet="personnes",
        code="code",
    )


def _deleter(model, key, *related, code=""):
    """Delete the rows of these keys; by batches when the key is one code (`code`)."""

    def delete(target, keys):
        for batch in batched(keys):
            rows = _by(model, target, key, *related, **({f"{code}__in": batch} if code else {}))
            for name in batch:
                rows[name].delete()

    return delete


# -- actions and participations: through the services that keep the copied fields ------------
def _apply_actions(target, staging, changes, name):
    absent = absent_fields(staging, "actions")
    for batch in batched(changes):
        existing = _by(Action, target, lambda a: a.code, code__in=batch)
        staged = _by(Action, staging, lambda a: a.code, "territory", "commune", code__in=batch)
        links = defaultdict(list)
        for action_code, structure_code in (
            ActionStructure.objects.filter(action_id__in=[a.pk for a in staged.values()])
            .order_by("action_id", "position")
            .values_list("action__code", "structure__code")
        ):
            links[action_code].append(structure_code)
        territories = _named(Territory, target, "code", {a.territory.code for a in staged.values()})
        communes = _named(
            Commune,
            target,
            "insee_code",
            {a.commune.insee_code for a in staged.values() if a.commune},
        )
        structures = _named(Structure, target, "code", {c for cs in links.values() for c in cs})
        for code in batch:
            source = staged[code]
            fields = {f: getattr(source, f) for f in ACTION_FIELDS}
            fields["territory"] = territories[source.territory.code]
            fields["commune"] = communes[source.commune.insee_code] if source.commune_id else None
            listed = [structures[c] for c in links[code]]
            if code in existing:
                action = existing[code]
                kept = {f: getattr(action, f) for f in fields if f in absent}
                listed = listed if "structures" not in absent else _structures_of(action)
                action_update(action, structures=listed, **{**fields, **kept})
            else:
                action_create(programme=target, code=code, structures=listed, **fields)


def _structures_of(action: Action) -> list[Structure]:
    return [
        link.structure
        for link in ActionStructure.objects.filter(action=action)
        .order_by("position")
        .select_related("structure")
    ]


def _delete_actions(target, keys):
    """Deleting an action deletes its questionnaires' responses: refused, naming the actions,
    rather than losing answers because a row went missing from a spreadsheet."""
    answered = sorted(
        code
        for batch in batched(keys)
        for code in Response.objects.filter(programme=target, collection__action__code__in=batch)
        .values_list("collection__action__code", flat=True)
        .distinct()
    )
    if answered:
        raise UpdateRefused(
            "actions",
            _(
                "ces actions absentes du classeur ont des réponses à des questionnaires et ne "
                "sont pas supprimées : {actions} ; remettez-les dans le classeur ou retirez "
                "--delete-missing"
            ).format(actions=", ".join(answered[:10]) + (" …" if len(answered) > 10 else "")),
        )
    _deleter(Action, lambda a: a.code, code="code")(target, keys)


def _participation_key(p) -> str:
    return f"{p.action.code}{SEPARATOR}{p.person.code}"


def _apply_participations(target, staging, changes, name):
    wanted = defaultdict(list)
    for key in changes:
        action_code, person_code = key.split(SEPARATOR)
        wanted[action_code].append(person_code)
    for batch in batched(wanted):
        actions = _by(Action, target, lambda a: a.code, code__in=batch)
        people = _named(Person, target, "code", {p for a in batch for p in wanted[a]})
        for action_code in batch:
            listed = [people[code] for code in wanted[action_code]]
            participations_add(action=actions[action_code], people=listed)


def _delete_participations(target, keys):
    touched = {}
    for batch in batched(keys):
        pairs = [key.split(SEPARATOR) for key in batch]
        rows = _by(
            Participation,
            target,
            _participation_key,
            "action",
            "person",
            action__code__in={action for action, _person in pairs},
            person__code__in={person for _action, person in pairs},
        )
        for key in batch:
            touched.setdefault(rows[key].action_id, rows[key].action)
            rows[key].delete()
    for action in touched.values():
        listed = action.participations.exists()
        if action.lists_people != listed:
            action.lists_people = listed
            action.save(update_fields=["lists_people"])


# -- objectives, coordination, declared totals -----------------------------------------------
def _objective_key(o) -> str:
    return SEPARATOR.join((_territory_code(o), o.target, o.period))


def _coordination_key(c) -> str:
    return f"{c.territory.code}{SEPARATOR}{school_year_label(c.school_year)}"


def _declared_key(d) -> str:
    return f"{_territory_code(d)}{SEPARATOR}{d.target}"


TERRITORY_REF = (
    "territory",
    Territory,
    "code",
    lambda o: o.territory.code if o.territory_id else "",
)


def _apply_objectives(target, staging, changes, name):
    last = Objective.objects.filter(programme=target).order_by("-position").first()
    start = last.position + 1 if last else 0
    existing = _by(Objective, target, _objective_key, "territory")
    _copy(
        Objective,
        target,
        staging,
        changes,
        _objective_key,
        ("target", "period", "minimum", "maximum"),
        [TERRITORY_REF],
        ("territory",),
        sheet="objectifs",
    )
    for offset, obj in enumerate(
        o
        for k, o in _by(Objective, target, _objective_key, "territory").items()
        if k not in existing
    ):
        obj.position = start + offset
        obj.save(update_fields=["position"])


def _apply_coordination(target, staging, changes, name):
    _copy(
        CoordinationDays,
        target,
        staging,
        changes,
        _coordination_key,
        ("school_year", "days"),
        [TERRITORY_REF],
        ("territory",),
        sheet="coordination",
    )


def _apply_declared(target, staging, changes, name):
    _copy(
        DeclaredTotal,
        target,
        staging,
        changes,
        _declared_key,
        ("target", "value", "source"),
        [TERRITORY_REF],
        ("territory",),
        sheet="totaux_declares",
    )


# -- the evaluation's sheets: one generic rule from their declarations (records.py) ----------
def _record_key(sheet: RecordSheet, obj) -> str:
    cells = dict(zip(sheet.columns, row_of(sheet, obj), strict=True))
    return SEPARATOR.join(str("" if cells[c] is None else cells[c]) for c in sheet.key)


def _record_targets(target: Programme) -> dict:
    """The target programme's rows a record may point to, by the code the workbook uses."""
    return {
        "action": Named(Action.objects.filter(programme=target)),
        "territory": Named(Territory.objects.filter(programme=target)),
        "theme": Named(Theme.objects.filter(programme=target), "number"),
        "report": Named(ActionReport.objects.filter(action__programme=target), "action__code"),
    }


def _point(col, source, refs: dict):
    value = getattr(source, col.attr)
    if value is None or col.kind == "item":
        return value
    code = {
        "action": lambda v: v.code,
        "territory": lambda v: v.code,
        "theme": lambda v: v.number,
        "report": lambda v: v.action.code,
    }[col.kind](value)
    return refs[col.kind][code]


def _record_apply(sheet: RecordSheet):
    def apply(target, staging, changes, name):
        existing = {_record_key(sheet, o): o for o in sheet.queryset(target)}
        staged = {_record_key(sheet, o): o for o in sheet.queryset(staging)}
        refs = _record_targets(target)
        said = getattr(staging, "said", {}).get(sheet.name)
        cols = [col for col in sheet.cols if said is None or col.name in said]
        for key in changes:
            source, row = staged[key], existing.get(key) or sheet.model()
            if sheet.owner == "programme":
                row.programme = target
            for col in cols:
                if col.kind in REFERENCES - {"items"}:
                    setattr(row, col.attr, _point(col, source, refs))
                elif col.kind != "items":
                    setattr(row, col.attr, getattr(source, col.attr))
            row.save()
            for col in cols:
                if col.kind == "items":
                    getattr(row, col.attr).set(getattr(source, col.attr).all())

    return apply


def _record_delete(sheet: RecordSheet):
    def delete(target, keys):
        rows = {_record_key(sheet, o): o for o in sheet.queryset(target)}
        for key in keys:
            rows[key].delete()

    return delete


RECORD_SPECS = tuple(
    SheetSpec(sheet.name, sheet.key, _record_apply(sheet), _record_delete(sheet))
    for sheet in RECORD_SHEETS
)

# In the order of the workbook: a sheet's references come before it.
SHEET_SPECS = (
    SheetSpec("programme", ("cle",), _apply_programme, _delete_nothing),
    SheetSpec(
        "territoires",
        ("code",),
        _apply_territories,
        _deleter(Territory, lambda t: t.code, code="code"),
    ),
    SheetSpec(
        "communes",
        ("code_insee",),
        _apply_communes,
        _deleter(Commune, lambda c: c.insee_code, code="insee_code"),
    ),
    SheetSpec(
        "structures", ("id",), _apply_structures, _deleter(Structure, lambda s: s.code, code="code")
    ),
    SheetSpec("personnes", ("id",), _apply_people, _deleter(Person, lambda p: p.code, code="code")),
    SheetSpec("actions", ("id",), _apply_actions, _delete_actions),
    SheetSpec(
        "participations", ("action", "personne"), _apply_participations, _delete_participations
    ),
    SheetSpec(
        "objectifs",
        ("territoire", "cible", "periode"),
        _apply_objectives,
        _deleter(Objective, _objective_key, "territory"),
    ),
    SheetSpec(
        "coordination",
        ("territoire", "annee_scolaire"),
        _apply_coordination,
        _deleter(CoordinationDays, _coordination_key, "territory"),
    ),
    SheetSpec(
        "totaux_declares",
        ("territoire", "cible"),
        _apply_declared,
        _deleter(DeclaredTotal, _declared_key, "territory"),
    ),
    *RECORD_SPECS,
)
