"""The evaluation's sheets, declared once (column → field → kind; see workbook/records.py), and
their loading. They are optional: a workbook without them imports as before."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ancrage.core import cells
from ancrage.evaluation.models import (
    ActionReport,
    AstaireRating,
    CandidateTerritory,
    ContextNote,
    EvaluationIndicator,
    EvaluationSettings,
    FrameworkItem,
    HealthContract,
    MeetingRecord,
    Milestone,
    Partner,
    Rating,
    Referent,
    ReportCriterion,
    Rule,
    Statement,
    Theme,
    Verdict,
)

from ..records import Col, RecordSheet, field_name, read_cell

if TYPE_CHECKING:
    from ..importer import WorkbookImporter


def _years_in_order(row, values: dict) -> None:
    start, end = values.get("start_year"), values.get("end_year")
    if start is not None and end is not None and end < start:
        row.problem("fin", _("l'année de fin précède l'année de début"))


RECORD_SHEETS = (
    RecordSheet(
        "evaluation",
        EvaluationSettings,
        (
            Col("historique_objectifs", "description", "longtext"),
            Col("part_8_11_ans", "eligible_share", "float"),
            Col("enfants_8_11_ans", "eligible_children", "int"),
            Col("structures_sollicitees", "structures_approached", "int"),
            Col("actions_gratuites", "free_actions", "bool"),
            Col("actions_cps_anterieures", "earlier_cps_actions", "longtext"),
            Col("titre_cloture", "closing_title", "text", extra=200),
            Col("texte_cloture", "closing_text", "longtext"),
        ),
        key=(),
    ),
    # The report's story: its history timeline and the sentences the evaluation team writes.
    RecordSheet(
        "jalons",
        Milestone,
        (
            Col("debut", "start_year", "year", required=True),
            Col("fin", "end_year", "year"),
            Col("etape", "title", "text", required=True, extra=200),
            Col("precision", "detail", "text", extra=300),
        ),
        key=("debut", "etape"),
        check=lambda row, values: _years_in_order(row, values),
    ),
    RecordSheet(
        "enonces",
        Statement,
        (
            Col("type", "kind", "choice", required=True, extra=Statement.Kind),
            Col("texte", "text", "text", required=True, extra=500),
            Col("ordre", "position", "int"),
        ),
        key=("type", "texte"),
    ),
    RecordSheet(
        "gouvernance",
        MeetingRecord,
        (
            Col("action", "action", "action", required=True),
            Col("techniciens", "technicians", "int"),
            Col("partenaires_institutionnels", "institutional_partners", "int"),
            Col("representants_structures", "structures", "int"),
            Col("decisions", "decisions", "longtext"),
        ),
        key=("action",),
        owner="action",
    ),
    RecordSheet(
        "referents",
        Referent,
        (
            Col("territoire", "territory", "territory", required=True),
            Col("type", "kind", "choice", required=True, extra=Referent.Kind),
            Col("fonction", "role", "text", required=True, extra=200),
            Col("debut", "start", "date", required=True),
            Col("fin", "end", "date"),
        ),
        key=("territoire", "type", "fonction", "debut"),
    ),
    RecordSheet(
        "partenaires",
        Partner,
        (
            Col("nom", "name", "text", required=True, extra=200),
            Col("type", "kind", "choice", required=True, extra=Partner.Kind),
            Col("role", "role", "text", extra=300),
            Col("remercie", "thanked", "bool"),
        ),
        key=("nom",),
    ),
    RecordSheet(
        "contrats",
        HealthContract,
        (
            Col("territoire", "territory", "territory", required=True),
            Col("type", "kind", "choice", required=True, extra=HealthContract.Kind),
            Col("nom", "name", "text", required=True, extra=200),
            Col("demarche_inscrite", "written_in", "bool"),
        ),
        key=("territoire", "type", "nom"),
    ),
    RecordSheet(
        "themes",
        Theme,
        (
            Col("numero", "number", "int", required=True),
            Col("libelle", "label", "text", required=True),
        ),
        key=("numero",),
    ),
    RecordSheet(
        "indicateurs",
        EvaluationIndicator,
        (
            Col("theme", "theme", "theme", required=True),
            Col("position", "position", "int", required=True),
            Col("libelle", "label", "text", required=True),
            Col("axes_ottawa", "ottawa_areas", "items", extra="OTTAWA"),
            Col("categorie_modele_suisse", "swiss_category", "item", extra="SMOC"),
            Col("sources", "sources", "longtext"),
            Col("chiffre", "metric", "text", extra=200),
            Col("regle", "rule", "choice", extra=Rule),
            Col("cible", "target", "float"),
            Col("cible_haute", "target_max", "float"),
            Col("partiel_a_partir_de", "partly_from", "float"),
            Col("avis_evaluateur", "evaluator_verdict", "choice", extra=Verdict),
            Col("justification", "justification", "longtext"),
            Col("elements_de_preuve", "evidence", "longtext"),
        ),
        key=("theme", "position"),
        owner="theme",
    ),
    RecordSheet(
        "contexte",
        ContextNote,
        (
            Col("territoire", "territory", "territory"),
            Col("type", "kind", "choice", required=True, extra=ContextNote.Kind),
            Col("theme", "theme", "theme"),
            Col("constat", "text", "text", required=True),
            Col("elements_de_preuve", "evidence", "longtext"),
        ),
        key=("territoire", "type", "constat"),
    ),
    RecordSheet(
        "fiches_bilan",
        ActionReport,
        (
            Col("action", "action", "action", required=True),
            Col("seances_prevues", "planned_sessions", "int"),
            Col("heures_prevues", "planned_hours", "decimal"),
            Col("progression", "progression", "bool"),
            Col("outils", "tools", "longtext"),
            Col("pedagogie_experientielle", "experiential", "bool"),
            Col("safe_sequence", "safe_sequenced", "bool"),
            Col("safe_actif", "safe_active", "bool"),
            Col("safe_focalise", "safe_focused", "bool"),
            Col("safe_explicite", "safe_explicit", "bool"),
            Col("ce_qui_a_fonctionne", "worked", "longtext"),
            Col("difficultes", "difficulties", "longtext"),
            Col("adaptations", "adaptations", "longtext"),
        ),
        key=("action",),
        owner="action",
    ),
    RecordSheet(
        "fiches_criteres",
        ReportCriterion,
        (
            Col("action", "report", "report", required=True),
            Col("critere", "criterion", "item", required=True, extra="EFFICACITE"),
            Col("appreciation", "rating", "choice", required=True, extra=Rating),
            Col("elements_de_preuve", "evidence", "longtext"),
        ),
        key=("action", "critere"),
        owner="report",
    ),
    RecordSheet(
        "astaire",
        AstaireRating,
        (
            Col("critere", "criterion", "item", required=True, extra="ASTAIRE"),
            Col("contexte_origine", "primary_value", "longtext", required=True),
            Col("fonction_cle", "key_function", "bool"),
            Col("adaptation", "adaptation", "longtext"),
        ),
        key=("critere",),
    ),
    RecordSheet(
        "territoires_candidats",
        CandidateTerritory,
        (
            Col("nom", "name", "text", required=True, extra=200),
            Col("population", "population", "int", required=True),
            Col("communes", "communes", "int", required=True),
            Col("elus_engages", "elected_commitment", "bool"),
            Col("referent_cps", "has_referent", "bool"),
            Col("actions_cps_anterieures", "earlier_cps_actions", "bool"),
            Col("partenaires", "partners", "int"),
            Col("qpv", "priority_neighbourhoods", "int"),
        ),
        key=("nom",),
    ),
)
RECORD_SHEETS_BY_NAME = {sheet.name: sheet for sheet in RECORD_SHEETS}


def reference_tables() -> dict:
    """The shared reference grids, by framework and item code."""
    tables: dict = {}
    for item in FrameworkItem.objects.select_related("framework"):
        tables.setdefault(("item", item.framework.code), {})[item.code] = item
    for sheet in RECORD_SHEETS:
        for col in sheet.cols:
            if col.kind in ("item", "items"):
                tables.setdefault(("item", col.extra), {})
    return tables | {"theme": {}, "report": {}}


def _create(imp: "WorkbookImporter", sheet: RecordSheet, values: dict, refs: dict) -> None:
    items = {c.attr: values.pop(c.attr) for c in sheet.cols if c.kind == "items"}
    if sheet.owner == "programme":
        values["programme_id"] = imp.pid()
    obj = sheet.model.objects.create(**values)
    for attr, chosen in items.items():
        getattr(obj, attr).set(chosen)
    if sheet.model is Theme:
        refs["theme"][str(obj.number)] = obj.pk
    elif sheet.model is ActionReport:
        refs["report"][obj.action.code] = obj.pk


def _remember(sheet: RecordSheet, row, refs: dict) -> None:
    """Once a problem stops the writing, a valid theme or report sheet is still known by its
    code, so that the rows citing it are not refused too."""
    if sheet.model is Theme:
        refs["theme"][cells.text(row.raw("numero"))] = 0
    elif sheet.model is ActionReport:
        refs["report"][cells.text(row.raw("action"))] = 0


def load_records(imp: "WorkbookImporter") -> None:
    refs = reference_tables()
    for sheet in RECORD_SHEETS:
        seen: set[tuple] = set()
        count = 0
        for row in imp.rows(sheet.name):
            values = {field_name(col): read_cell(imp, row, sheet, col, refs) for col in sheet.cols}
            if sheet.check:
                sheet.check(row, values)
            key = tuple(str(row.raw(column) or "").strip() for column in sheet.key)
            if key in seen:
                row.problem(sheet.key[0] if sheet.key else "-", _("ligne en double"))
            seen.add(key)
            count += 1
            if row.ok and imp.writing:
                _create(imp, sheet, {k: v for k, v in values.items() if v is not None}, refs)
            elif row.ok:
                _remember(sheet, row, refs)
        imp.counts[sheet.model._meta.model_name] = count
