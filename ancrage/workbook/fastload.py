"""The large sheets on PostgreSQL: COPY into staging tables, then one set-based insert per table.

The streaming path (sheets/) builds a Django object per row and writes it with bulk_create: on
PostgreSQL most of an import's time went there and into the per-row checks. Here each row is
read by the cheap readers of fastcells (RowCells only for a row they do not accept, so that every
problem keeps the streaming path's words, sheet, row and column), the codes are checked against
the importer's registries as before, and the row is sent by COPY to a temporary table holding
codes, not ids. Each table is then filled by one INSERT … SELECT that joins the codes to their
ids, inside the import's transaction: all or nothing as before. The small sheets keep their
loaders. docs/performance.md, « Import rapide sur PostgreSQL ».
"""

import heapq
from array import array
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection

from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.activities.services import action_copied_fields
from ancrage.core.privacy import ScrubbedCharField
from ancrage.core.schoolyear import school_year_of
from ancrage.territories.models import Commune, Territory

from . import fastcells, keys
from .fastcells import SLOW
from .reader import named
from .rows import RowCells, declared_values
from .schema import ALL_TERRITORIES, COLUMNS
from .sheets import actions, organisations, places
from .staging import COPY_BATCH, Stage

if TYPE_CHECKING:
    from .importer import WorkbookImporter

# Each registry's table, and the column its codes are kept in.
TABLES = {
    "territories": (Territory, "code"),
    "communes": (Commune, "insee_code"),
    "structures": (Structure, "code"),
    "people": (Person, "code"),
    "actions": (Action, "code"),
}
SQL_TYPES = {"count": "bigint", "number": "numeric", "date": "date", "yes_no": "boolean"}


def enabled(fast: bool | None) -> bool:
    return fast is not False and connection.vendor == "postgresql"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def _count(imp: "WorkbookImporter", model, rows: int) -> None:
    name = model._meta.model_name
    imp.counts[name] = imp.counts.get(name, 0) + rows


def _scrubbed_in_model(model, field: str) -> bool:
    return isinstance(model._meta.get_field(field), ScrubbedCharField)


# -- declared sheets: communes, structures, people -------------------------------------------------
def _picker(header: list[str], names: list[str]):
    """A function giving a row's cells of `names`, in that order, from the cells in the
    header's order (None for a column the row or the sheet lacks, as a row's dict gives)."""
    missing = len(header)
    positions = [header.index(name) if name in header else missing for name in names]
    width = missing + 1

    def cells(values: list) -> list:
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        return [values[i] for i in positions]

    return cells


def _slow_declared(imp, sheet: str, number: int, values: dict) -> tuple[RowCells, list]:
    """The row read by RowCells as the streaming path reads it; references kept as codes."""
    row = RowCells(imp, sheet, number, values)
    fields, codes = declared_values(imp, row, sheet)
    staged = []
    for column in COLUMNS[sheet]:
        kind = column.parser.partition(":")[0]
        if kind == "all_or_ref":  # a code joined in SQL (`*` joins none); empty: none
            staged.append(codes[column.name] or None)
            continue
        staged.append(
            codes[column.name] or None if kind in ("key", "ref") else fields[column.field]
        )
    if sheet == "personnes" and codes["id"] and codes.get("territoire") == ALL_TERRITORIES:
        imp.programme_wide_people.append(codes["id"])
    return row, staged


def _declared_sheet(imp, sheet: str, model, registry, code_check=None) -> Stage:
    """Read a declared sheet into its staging table; `code_check(row, code)` is the communes'
    own check of their code (the code, or "" after saying what is wrong)."""
    columns = COLUMNS[sheet]
    readers = [fastcells.declared(imp, sheet, column) for column in columns]
    scrubbed = [_scrubbed_in_model(model, column.field) for column in columns]
    types = [SQL_TYPES.get(column.parser.partition(":")[0], "text") for column in columns]
    stage = Stage(sheet, [(f"c{i}", t) for i, t in enumerate(types)], imp.background)
    kept = 0
    header, rows = imp.value_rows(sheet)
    cells = _picker(header, [column.name for column in columns])
    with stage:
        for number, values in rows:
            staged = [read(cell) for read, cell in zip(readers, cells(values), strict=True)]
            code = staged[0]
            if SLOW in staged or (code_check and not places.is_insee(code)):
                row, staged = _slow_declared(imp, sheet, number, named(header, values))
                code = staged[0] or ""
                if code and code_check:
                    code = code_check(row, code)
                if not code:
                    continue
                registry.add(code)
                if not row.ok:
                    continue
            else:
                registry.add(code)
            if imp.writing:
                for i, scrubs in enumerate(scrubbed):
                    if scrubs and staged[i]:
                        staged[i] = fastcells.scrubbed(staged[i])  # as the model's pre_save
                stage.write(staged)
            kept += 1
    _count(imp, model, kept)
    return stage


def _insert_declared(imp, sheet: str, model, stage: Stage) -> None:
    """One INSERT … SELECT: the staged rows, their references joined to the ids by code."""
    pid = imp.pid()
    columns, joins = {"programme_id": str(pid)}, []
    for i, column in enumerate(COLUMNS[sheet]):
        kind, _sep, registry = column.parser.partition(":")
        if kind in ("ref", "all_or_ref"):
            joins.append(_join(pid, f"r{i}", registry, f"s.c{i}", outer=True))
            columns[column.field] = f"r{i}.id"
        else:
            columns[column.field] = f"s.c{i}"
    params = _people_territory(columns, joins) if model is Person else []
    _insert(model, stage, columns, " ".join(joins), params=params, pid=pid)


def _people_territory(columns: dict, joins: list) -> list:
    """A person written without a territory takes their structure's in the insert itself
    (what settle_people would do after, by updating every person again); `*`: none. Returns
    the expression's parameters."""
    names = [column.field for column in COLUMNS["personnes"]]
    territory, structure = names.index("territory_id"), names.index("structure_id")
    commune = q(Commune._meta.db_table)
    joins.append(f"LEFT JOIN {commune} sc ON sc.id = r{structure}.{q('commune_id')}")
    columns["territory_id"] = (
        f"CASE WHEN s.c{territory} = %s THEN NULL "
        f"ELSE COALESCE(r{territory}.id, sc.{q('territory_id')}) END"
    )
    return [ALL_TERRITORIES]


def _load_declared(imp, sheet: str, model, registry, code_check=None) -> None:
    """The sheet read, then inserted in the background while the next sheets are read."""
    stage = _declared_sheet(imp, sheet, model, registry, code_check)
    stage.finish()  # here: the background job must not wait for itself
    writing = imp.writing  # as the sheet ends: later problems are not this insert's

    def insert() -> None:
        if writing:
            _insert_declared(imp, sheet, model, stage)
        stage.drop()

    imp.background.run(insert)


def load_communes(imp: "WorkbookImporter") -> None:
    _load_declared(imp, "communes", Commune, imp.communes, places.checked_insee)


def load_structures(imp: "WorkbookImporter") -> None:
    _load_declared(imp, "structures", Structure, imp.structures)


def load_people(imp: "WorkbookImporter") -> None:
    _load_declared(imp, "personnes", Person, imp.people)


# -- actions, their structures and participations ------------------------------------------------
ACTION_COLUMNS = [
    # (staging column, SQL type, the action's field or "" when joined or computed)
    ("code", "text", "code"),
    ("modality", "text", "modality"),
    ("territory", "text", ""),
    ("commune", "text", ""),
    ("start", "date", "start"),
    ("end_", "date", "end"),
    ("school_year", "integer", "school_year"),
    ("hours", "numeric", "hours"),
    ("sessions", "bigint", "sessions"),
    ("children", "bigint", "children"),
    ("adults", "bigint", "adults"),
    ("parents", "bigint", "parents"),
    ("elected", "bigint", "elected"),
    ("parent_format", "text", "parent_format"),
    ("title", "text", "title"),
    ("structures", "text", ""),
]
AT = {name: position for position, (name, _type, _field) in enumerate(ACTION_COLUMNS)}
STRUCTURES_MAX_LENGTH = next(c.max_length for c in COLUMNS["actions"] if c.name == "structures")
COUNTED = ("seances", "enfants", "adultes", "parents", "elus")
# The sheet's columns in the order of ACTION_COLUMNS (school_year aside: computed).
ACTION_SHEET = ("id", "modalite", "territoire", "code_insee", "debut", "fin", "heures")
ACTION_SHEET += (*COUNTED, "format", "intitule", "structures")


def _action_readers(imp: "WorkbookImporter") -> list:
    """Each column's cheap reader, as schema.COLUMNS declares it; structures: _structures."""
    declared = {column.name: column for column in COLUMNS["actions"]}
    return [fastcells.declared(imp, "actions", declared[name]) for name in ACTION_SHEET[:-1]]


def _structures(imp: "WorkbookImporter", value):
    """The action's structures as `S1;S2`, when each is a known code cited once."""
    if value is None or value == "":
        return ""
    if type(value) is not str or len(value) > STRUCTURES_MAX_LENGTH:
        return SLOW
    parts = value.split(";")
    for part in parts:
        if not (fastcells.CODE_RE.fullmatch(part) and imp.structures.knows(part)):
            return SLOW
    return value if len(set(parts)) == len(parts) else SLOW


def _fast_action(imp, readers, values: list):
    """`values`: the row's cells in the order of ACTION_SHEET; the row to stage, or None."""
    cells = [read(value) for read, value in zip(readers, values, strict=False)]
    structures = _structures(imp, values[-1])
    if SLOW in cells or structures is SLOW:
        return None
    staged = [*cells[: AT["school_year"]], None, *cells[AT["school_year"] :], structures]
    start, end = staged[AT["start"]], staged[AT["end_"]]
    return None if end and end < start else staged  # the slow reading says what is wrong


def _slow_action(imp, number: int, values: dict):
    """The row read as the streaming path reads it (sheets/actions.read_action)."""
    row = RowCells(imp, "actions", number, values)
    code, v = actions.read_action(imp, row)
    v.update(code=code, commune=v["commune"] or None, structures=";".join(v["structures"]))
    return row, [v.get(field or name) for name, _type, field in ACTION_COLUMNS]


def load_actions(imp: "WorkbookImporter") -> None:
    columns = [(name, sql_type) for name, sql_type, _field in ACTION_COLUMNS]
    stage = Stage("actions", columns, imp.background)
    readers = _action_readers(imp)
    kept = links = 0
    header, rows = imp.value_rows("actions")
    cells = _picker(header, list(ACTION_SHEET))
    with stage:
        for number, values in rows:
            staged = _fast_action(imp, readers, cells(values))
            if staged is None:
                row, staged = _slow_action(imp, number, named(header, values))
                if staged[AT["code"]]:
                    imp.actions.add(staged[AT["code"]])
                if not (staged[AT["code"]] and row.ok):
                    continue
            else:
                imp.actions.add(staged[AT["code"]])
            staged[AT["school_year"]] = school_year_of(staged[AT["start"]])
            if imp.writing:
                title = AT["title"]
                staged[title] = fastcells.scrubbed(staged[title])  # as the model's pre_save
                stage.write(staged)
            kept += 1
            structures = staged[AT["structures"]]
            links += structures.count(";") + 1 if structures else 0
    _count(imp, Action, kept)
    _count(imp, ActionStructure, links)
    imp.stages["actions"] = stage


class _Held:
    """Stands for the importer in RowCells while a sheet's problems are held back."""

    def __init__(self):
        self.problems: list[tuple] = []

    def problem(self, *problem) -> None:
        self.problems.append(problem)


def load_participations(imp: "WorkbookImporter") -> None:
    stage = Stage("participations", [("action", "text"), ("person", "text")], imp.background)
    # Each pair and its row in compact arrays (16 bytes a row; a set of pairs took 70): the
    # pairs cited twice are found at the end, and the problems put back in row order.
    pairs, lines = array("q"), array("q")
    held = _Held()
    header, rows = imp.value_rows("participations")
    with stage:
        if header:  # else absent, or skipped for its header's problems
            _read_participations(imp, stage, header, rows, pairs, lines, held)
    people_count = len(imp.people.ids) + 1
    twice = _cited_twice(imp, pairs, lines, people_count)
    for problem in heapq.merge(held.problems, twice, key=lambda problem: problem[1]):
        imp.problem(*problem)
    _count(imp, Participation, len(pairs))
    _insert_actions(imp, imp.stages.pop("actions", None), stage)
    stage.drop()


def _read_participations(imp, stage: Stage, header, rows, pairs, lines, held) -> None:
    """A row whose two cells are codes of the registries as they stand is taken as it is;
    any other is read by RowCells, which says what is wrong or finds the codes. Only codes of
    the registries are written as COPY text, unescaped: each passed RowCells.code or
    fastcells.CODE_RE, so none holds a tab, a backslash or a line break."""
    people_count = len(imp.people.ids) + 1
    action_of, person_of = imp.actions.seq.get, imp.people.seq.get
    at, pt = header.index("action"), header.index("personne")
    width = max(at, pt) + 1
    text: list[str] = []
    for number, values in rows:
        action = person = a = p = None
        if len(values) >= width:
            action, person = values[at], values[pt]
            a, p = action_of(action), person_of(person)
        if a is None or p is None:
            row = RowCells(held, "participations", number, named(header, values))
            _fields, codes = declared_values(imp, row, "participations")
            action, person = codes["action"], codes["personne"]
            a, p = action_of(action), person_of(person)
            if a is None or p is None:
                continue  # unknown, or its sheet is absent
        pairs.append(a * people_count + p)
        lines.append(number)
        if imp.writing:  # with a problem anywhere nothing is written: the rows are only checked
            text.append(f"{action}\t{person}\n")
            if len(text) >= COPY_BATCH:
                stage.write_text(text)
    stage.write_text(text)


def _cited_twice(imp: "WorkbookImporter", pairs: array, lines: array, people_count: int):
    """The problems of the rows citing a pair already cited above, in row order."""
    cited = np.frombuffer(pairs, dtype=np.int64)
    order = np.argsort(cited, kind="stable")  # a pair's rows stay in the file's order
    ordered = cited[order]
    again = np.sort(order[1:][ordered[1:] == ordered[:-1]])
    held = _Held()
    if len(again):
        action_codes = {seq: code for code, seq in imp.actions.seq.items()}
        person_codes = {seq: code for code, seq in imp.people.seq.items()}
        for i in again:
            action, person = divmod(int(cited[i]), people_count)
            row = RowCells(held, "participations", int(lines[i]), {})
            actions.already_listed(row, action_codes[action], person_codes[person])
    return held.problems


def _insert(
    model,
    stage: Stage,
    columns: dict[str, str],
    joins: str,
    order: str = "",
    params=(),
    *,
    pid: int,
) -> None:
    """INSERT … SELECT of `columns` (the model's field → SQL expression, `params` those of the
    expressions) into programme `pid`; the model's other fields get their default, as
    bulk_create would give them. Its keys are checked in one pass each (keys.py)."""
    names, exprs, defaults = [], [], []
    for name, expression in columns.items():
        names.append(model._meta.get_field(name).column)
        exprs.append(expression)
    for field in model._meta.concrete_fields:
        if not field.primary_key and field.column not in names:
            names.append(field.column)
            exprs.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    with keys.checked_in_one_pass(stage.cursor, model, pid):
        stage.insert(
            f"INSERT INTO {q(model._meta.db_table)} ({', '.join(map(q, names))}) "
            f"SELECT {', '.join(exprs)} FROM {stage.name} s {joins} {order}",
            [*params, *defaults],
        )


def _copied(alias: str) -> dict[str, str]:
    """What participations and structure links copy from their action (activities.services)."""
    names = action_copied_fields(Action()).keys()
    return {name: f"{alias}.{q(Action._meta.get_field(name).column)}" for name in names}


def _join(pid: int, alias: str, registry: str, code: str, outer: bool = False) -> str:
    """The registry's table joined by code within the programme (its id is ours: a number)."""
    model, code_field = TABLES[registry]
    kind = "LEFT JOIN" if outer else "JOIN"
    return (
        f"{kind} {q(model._meta.db_table)} {alias} "
        f"ON {alias}.programme_id = {int(pid)} AND {alias}.{q(code_field)} = {code}"
    )


def _insert_actions(imp: "WorkbookImporter", actions_stage: Stage | None, people: Stage) -> None:
    """Actions, then their structure links and participations, each in one statement."""
    if actions_stage is None:
        return
    actions_stage.finish()  # both held in memory while the people were inserted
    people.finish()
    pid = imp.pid()
    if imp.writing:
        fields = {field: f"s.{q(name)}" for name, _type, field in ACTION_COLUMNS if field}
        _insert(
            Action,
            actions_stage,
            {
                "programme_id": str(int(pid)),
                **fields,
                "territory_id": "t.id",
                "commune_id": "c.id",
                "lists_people": f"s.code IN (SELECT action FROM {people.name})",
            },
            f"{_join(pid, 't', 'territories', 's.territory', True)} "
            f"{_join(pid, 'c', 'communes', 's.commune', True)}",
            pid=pid,
        )
        links = (
            "CROSS JOIN LATERAL unnest(string_to_array(s.structures, ';')) "
            "WITH ORDINALITY AS l(code, position) "
            f"{_join(pid, 'a', 'actions', 's.code')} {_join(pid, 'st', 'structures', 'l.code')}"
        )
        link_fields = {"action_id": "a.id", "structure_id": "st.id", "position": "l.position - 1"}
        _insert(ActionStructure, actions_stage, {**link_fields, **_copied("a")}, links, pid=pid)
        joins = f"{_join(pid, 'a', 'actions', 's.action')} {_join(pid, 'p', 'people', 's.person')}"
        participation = {"action_id": "a.id", "person_id": "p.id", **_copied("a")}
        # In the order of the largest index (the figures' participation_reach_idx): its pages
        # are then filled one after the other, not at random, and the summaries that read the
        # rows in that order find them side by side (3 million rows: 37 s instead of 41 s).
        order = "ORDER BY a.territory_id, a.modality, a.school_year, p.id"
        _insert(Participation, people, participation, joins, order, pid=pid)
        _action_ids(imp)
    actions_stage.drop()


def _action_ids(imp: "WorkbookImporter") -> None:
    """The new actions' ids, for the sheets that cite them (evaluation records, responses)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT code, id FROM {q(Action._meta.db_table)} WHERE programme_id = %s", [imp.pid()]
        )
        seq, ids = imp.actions.seq, imp.actions.ids
        for code, pk in cursor:
            ids[seq[code]] = pk


def replacements(action_columns: tuple[str, ...], participation_columns: tuple[str, ...]) -> dict:
    """The streaming loaders this module replaces on PostgreSQL: all, or none when the actions
    or participations sheet has columns this module does not stage (ACTION_COLUMNS, read one
    by one) until it follows. All or none: the streaming actions and participations find the
    ids of communes, structures and people in the registries, which the set-based inserts
    here do not fill."""
    followed = set(action_columns) == set(ACTION_SHEET)
    if not (followed and participation_columns == ("action", "personne")):
        return {}
    return {
        places.load_communes: load_communes,
        organisations.load_structures: load_structures,
        organisations.load_people: load_people,
        actions.load_actions: load_actions,
        actions.load_participations: load_participations,
    }


REPLACES = replacements(
    tuple(column.name for column in COLUMNS["actions"]),
    tuple(column.name for column in COLUMNS["participations"]),
)
# The loaders above that leave the connection to the background job while they read: they
# use it only through Stage, which waits for the job first (the importer waits before others).
READERS = frozenset(REPLACES.values())
