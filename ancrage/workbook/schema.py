"""The sheets and columns of the programme workbook (docs/workbook.md).

`required` columns must be present in the header; the others may be absent.
"""

import functools
from dataclasses import dataclass

from django.apps import apps

from ancrage.core import limits


@dataclass(frozen=True)
class Sheet:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    mandatory: bool = True
    order: tuple[str, ...] = ()  # the export's column order, when not required + optional

    @property
    def columns(self) -> tuple[str, ...]:
        return self.order or self.required + self.optional


@dataclass(frozen=True)
class Column:
    """One column of a core sheet: the model field the import fills, the lookup the export
    reads, and how a cell is read (`text`, `scrubbed` free text, `count`, `number`, `share` (a
    number from 0 to 1), `date`, `yes_no`, `school_year`, `choice:<vocabulary>`,
    `ref:<registry>`, `refs:<registry>` (codes separated by `;`), `all_or_ref:<registry>` (a code
    or `*` for the whole programme), or `key:<registry>` for the row's own identifier; see
    rows.declared_values). The `programme` sheet's keys are declared the same way, one a row."""

    name: str
    field: str
    parser: str
    required: bool = False
    lookup: str = ""  # the export's values_list lookup, when not the field
    max_length: int = 200

    @property
    def source(self) -> str:
        return self.lookup or self.field


# Core sheets declared column by column: read by their loaders (sheets/), the exporter and the
# demo builder alike.
COLUMNS = {
    "programme": (
        Column("cle", "", "text", True),
        Column("valeur", "", "text", True),
    ),
    "territoires": (
        Column("code", "code", "key:territories", True),
        Column("nom", "name", "text", True),
        Column("population", "population", "count"),
        Column("nb_communes", "commune_count", "count"),
    ),
    "communes": (
        Column("code_insee", "insee_code", "key:communes", True),
        Column("nom", "name", "text", True),
        Column("territoire", "territory_id", "ref:territories", True, "territory__code"),
        Column("population", "population", "count"),
    ),
    "structures": (
        Column("id", "code", "key:structures", True),
        Column("nom", "name", "scrubbed", True),
        Column("type", "kind", "choice:structure_type", True),
        Column("code_insee", "commune_id", "ref:communes", True, "commune__insee_code"),
        Column("qpv", "qpv", "yes_no"),
    ),
    "personnes": (
        Column("id", "code", "key:people", True),
        Column("profession", "profession", "text", True, max_length=120),
        Column("structure", "structure_id", "ref:structures", False, "structure__code"),
        # A code belongs to a territory (empty: its structure's, else where it took part).
        Column("territoire", "territory_id", "all_or_ref:territories", False, "territory__code"),
    ),
    "actions": (
        Column("id", "code", "key:actions", True),
        Column("modalite", "modality", "choice:modality", True),
        Column("territoire", "territory_id", "ref:territories", True, "territory__code"),
        Column("debut", "start", "date", True),
        Column("fin", "end", "date"),
        Column("code_insee", "commune_id", "ref:communes", False, "commune__insee_code"),
        # The structures where the action took place, in order; written by the exporter from
        # the action's structure links.
        Column("structures", "structures", "refs:structures", False, max_length=5000),
        Column("heures", "hours", "number"),
        Column("seances", "sessions", "count"),
        Column("enfants", "children", "count"),
        Column("adultes", "adults", "count"),
        Column("parents", "parents", "count"),
        Column("elus", "elected", "count"),
        Column("format", "parent_format", "choice:parent_format"),
        Column("intitule", "title", "scrubbed", max_length=300),
    ),
    "participations": (
        Column("action", "action_id", "ref:actions", True, "action__code"),
        Column("personne", "person_id", "ref:people", True, "person__code"),
    ),
    "objectifs": (
        Column("territoire", "territory_id", "all_or_ref:territories", True, "territory__code"),
        Column("cible", "target", "choice:target", True),
        Column("periode", "period", "choice:period", True),
        Column("min", "minimum", "count"),
        Column("max", "maximum", "count"),
    ),
    "coordination": (
        Column("territoire", "territory_id", "ref:territories", True, "territory__code"),
        Column("annee_scolaire", "school_year", "school_year", True),
        Column("jours", "days", "number", True),
    ),
    "totaux_declares": (
        Column("territoire", "territory_id", "all_or_ref:territories", True, "territory__code"),
        Column("cible", "target", "choice:target", True),
        Column("valeur", "value", "count", True),
        Column("source", "source", "scrubbed", max_length=300),
    ),
}


# The model each declared sheet fills (`programme`: its keys, PROGRAMME_KEYS): a number column
# keeps what its field keeps (limit_of).
MODELS = {
    "programme": "programmes.Programme",
    "territoires": "territories.Territory",
    "communes": "territories.Commune",
    "structures": "activities.Structure",
    "personnes": "activities.Person",
    "actions": "activities.Action",
    "participations": "activities.Participation",
    "objectifs": "programmes.Objective",
    "coordination": "programmes.CoordinationDays",
    "totaux_declares": "programmes.DeclaredTotal",
}


@functools.cache
def limit_of(sheet: str, column: Column) -> limits.Limit:
    """What the model field a number column fills keeps (core.limits): read from the field,
    so that the import refuses exactly what the database would."""
    return limits.of(apps.get_model(MODELS[sheet]), column.field)


def _declared(name: str, mandatory: bool = True) -> "Sheet":
    columns = COLUMNS[name]
    return Sheet(
        name,
        tuple(c.name for c in columns if c.required),
        tuple(c.name for c in columns if not c.required),
        mandatory,
    )


SHEETS = (
    _declared("programme"),
    _declared("territoires"),
    _declared("communes"),
    _declared("structures"),
    _declared("personnes"),
    _declared("actions"),
    _declared("participations"),
    _declared("objectifs"),
    _declared("coordination"),
    # Ancrage's own addition: totals stated elsewhere, checked against the computed figures.
    _declared("totaux_declares", mandatory=False),
)


def _record_sheets() -> tuple[Sheet, ...]:
    """The evaluation's sheets, declared column by column in sheets/evaluation.py; optional, so
    that a workbook of the contract alone still imports."""
    from .sheets.evaluation import RECORD_SHEETS

    return tuple(
        Sheet(
            s.name,
            s.required,
            tuple(c for c in s.columns if c not in s.required),
            mandatory=False,
            order=s.columns,
        )
        for s in RECORD_SHEETS
    )


def _questionnaire_sheets() -> tuple[Sheet, ...]:
    """The questionnaires, their collections and responses (sheets/questionnaires.py); optional."""
    from .sheets.questionnaires import COLUMNS, REQUIRED

    return tuple(
        Sheet(
            name,
            REQUIRED[name],
            tuple(c for c in columns if c not in REQUIRED[name]),
            mandatory=False,
            order=columns,
        )
        for name, columns in COLUMNS.items()
    )


SHEETS = (*SHEETS, *_record_sheets(), *_questionnaire_sheets())
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

# The `programme` sheet's keys (column `cle`), each read from its `valeur` cell like a column.
PROGRAMME_KEYS = (
    Column("nom", "name", "text", True),
    Column("debut", "start", "date", True),
    Column("fin", "end", "date", True),
    Column("taux_replication", "replication_rate", "share"),  # 0,7 by default
    Column("enfants_par_adulte", "children_per_adult", "number"),  # 20
    Column("part_multimodalite", "multimodal_share", "share"),  # 1/3
    Column("jours_par_etp", "days_per_fte", "count"),  # 218
)
PROGRAMME_KEYS_BY_NAME = {key.name: key for key in PROGRAMME_KEYS}
ALL_TERRITORIES = "*"
