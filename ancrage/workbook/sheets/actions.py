"""Sheets `actions` and `participations`: what was delivered, and who took part.

Structure links and participations carry copies of their action's fields for the figures;
they are the ones `activities.services.action_copied_fields` names.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.activities.models import Action, ActionStructure, Participation
from ancrage.activities.services import action_copied_fields
from ancrage.core.schoolyear import school_year_of

from ..rows import BATCH, MODALITIES, declared_values
from ..schema import COLUMNS

if TYPE_CHECKING:
    from ..importer import WorkbookImporter

# The action's own values; its identifier and references are returned as codes.
VALUE_FIELDS = tuple(
    c.field for c in COLUMNS["actions"] if c.parser.partition(":")[0] not in {"key", "ref", "refs"}
)


def read_action(imp: "WorkbookImporter", row) -> tuple[str, dict]:
    """One row of the sheet, read as schema.COLUMNS["actions"] declares it, and checked: its
    code ("" when unusable) and its values, references as codes (structures: the list of
    codes). Shared by this loader and workbook.fastload."""
    fields, codes = declared_values(imp, row, "actions")
    start, end = fields["start"], fields["end"]
    if start and end and end < start:
        row.problem("fin", _("la date de fin précède la date de début"))
    values = {field: fields[field] for field in VALUE_FIELDS}
    values.update(
        territory=codes["territoire"], commune=codes["code_insee"], structures=codes["structures"]
    )
    return codes["id"], values


def load_actions(imp: "WorkbookImporter") -> None:
    batch, seqs, links = [], [], []
    for row in imp.rows("actions"):
        code, values = read_action(imp, row)
        if not code:
            continue
        modality, territory, start = values["modality"], values["territory"], values["start"]
        seq = imp.actions.add(code)
        year = school_year_of(start) if start else 0
        imp.action_territory.append(imp.territories.id_of(territory) or 0 if territory else 0)
        imp.action_modality.append(MODALITIES.index(modality) if modality else -1)
        imp.action_year.append(year)
        imp.action_listed.append(0)
        if not row.ok:
            continue
        commune, structure_codes = values.pop("commune"), values.pop("structures")
        del values["territory"]
        action = Action(
            programme_id=imp.pid(),
            code=code,
            territory_id=imp.territories.id_of(territory),
            commune_id=imp.communes.id_of(commune) if commune else None,
            school_year=year,
            **values,
        )
        batch.append(action)
        seqs.append(seq)
        links.append(structure_codes)
        if len(batch) >= BATCH:
            flush_actions(imp, batch, seqs, links)
    flush_actions(imp, batch, seqs, links)


def flush_actions(imp: "WorkbookImporter", batch: list, seqs: list, links: list) -> None:
    actions = list(batch)
    imp.flush(Action, batch, imp.actions, seqs)
    if imp.writing:
        link_rows = [
            ActionStructure(
                action_id=action.pk,
                structure_id=imp.structures.id_of(code),
                position=position,
                **action_copied_fields(action),
            )
            for action, codes in zip(actions, links, strict=True)
            for position, code in enumerate(codes)
        ]
        imp.flush(ActionStructure, link_rows)
    links.clear()


def _copied_fields(imp: "WorkbookImporter", seq: int) -> dict:
    """What a participation copies from its action, named by the activities services (the
    action itself is not kept in memory: its fields are, in compact arrays)."""
    action = Action(
        programme_id=imp.pid(),
        territory_id=imp.action_territory[seq],
        modality=MODALITIES[imp.action_modality[seq]],
        school_year=imp.action_year[seq],
    )
    return action_copied_fields(action)


def load_participations(imp: "WorkbookImporter") -> None:
    batch = []
    seen: set[int] = set()
    copied_seq, copied = -1, {}
    people_count = len(imp.people.ids) + 1
    for row in imp.rows("participations"):
        _fields, codes = declared_values(imp, row, "participations")
        action, person = codes["action"], codes["personne"]
        if not (action in imp.actions and person in imp.people):
            continue  # unknown, or its sheet is absent
        action_seq, person_seq = imp.actions.seq[action], imp.people.seq[person]
        pair = action_seq * people_count + person_seq
        if pair in seen:
            already_listed(row, action, person)
            continue
        seen.add(pair)
        imp.action_listed[action_seq] = 1
        if not imp.writing:
            continue
        if action_seq != copied_seq:  # participations come grouped by action, usually
            copied_seq, copied = action_seq, _copied_fields(imp, action_seq)
        batch.append(
            Participation(
                action_id=imp.actions.ids[action_seq],
                person_id=imp.people.ids[person_seq],
                **copied,
            )
        )
        if len(batch) >= BATCH:
            imp.flush(Participation, batch)
    imp.flush(Participation, batch)
    mark_listed_actions(imp)


def already_listed(row, action: str, person: str) -> None:
    row.problem(
        "personne",
        _("« {person} » est déjà listé(e) pour l'action « {action} »").format(
            person=person, action=action
        ),
    )


def mark_listed_actions(imp: "WorkbookImporter") -> None:
    if not imp.writing:
        return
    ids = [imp.actions.ids[seq] for seq, listed in enumerate(imp.action_listed) if listed]
    for start in range(0, len(ids), BATCH):
        Action.objects.filter(pk__in=ids[start : start + BATCH]).update(lists_people=True)
