"""The sheets and columns of the programme workbook (docs/workbook.md).

`required` columns must be present in the header; the others may be absent.
"""

from dataclasses import dataclass


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


SHEETS = (
    Sheet("programme", ("cle", "valeur")),
    Sheet("territoires", ("code", "nom"), ("population", "nb_communes")),
    Sheet("communes", ("code_insee", "nom", "territoire"), ("population",)),
    Sheet("structures", ("id", "nom", "type", "code_insee"), ("qpv",)),
    Sheet("personnes", ("id", "profession"), ("structure",)),
    Sheet(
        "actions",
        ("id", "modalite", "territoire", "debut"),
        (
            "fin",
            "code_insee",
            "structures",
            "heures",
            "seances",
            "enfants",
            "adultes",
            "parents",
            "elus",
            "format",
            "intitule",
        ),
    ),
    Sheet("participations", ("action", "personne")),
    Sheet("objectifs", ("territoire", "cible", "periode"), ("min", "max")),
    Sheet("coordination", ("territoire", "annee_scolaire", "jours")),
    # Ancrage's own addition: totals stated elsewhere, checked against the computed figures.
    Sheet("totaux_declares", ("territoire", "cible", "valeur"), ("source",), mandatory=False),
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

PROGRAMME_KEYS = {
    "nom": True,
    "debut": True,
    "fin": True,
    "taux_replication": False,
    "enfants_par_adulte": False,
    "part_multimodalite": False,
    "jours_par_etp": False,
}
ALL_TERRITORIES = "*"
