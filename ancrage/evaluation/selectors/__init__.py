"""The evaluation's reads: metric values, indicator verdicts, the summary by Ottawa area."""

from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES, Modality

from ..models import EvaluationIndicator, Rule, Verdict
from . import deployment as parts
from .transfer import transferability

# The five modalities that reach the publics (governance meetings aside).
PUBLIC_MODALITIES = [m for m in Modality.values if m not in GOVERNANCE_MODALITIES]


def territorial_metrics(mesh_figures: dict) -> dict[str, float]:
    communes = mesh_figures["communes"]
    return {
        "reach.structure_kinds": mesh_figures["structures"]["kinds"],
        "reach.communes_reached": communes["reached"],
        "reach.communes_share": round(communes["reached"] / communes["total"], 4)
        if communes["total"]
        else 0.0,
    }


def metric_values(
    figures: dict, declared: dict[str, float], extra: dict[str, float] | None = None
) -> dict[str, float]:
    """Every figure an indicator may use, by key: the registry's (`declared`, read by the
    indicators layer), each questionnaire item's favourable rate, each modality's
    satisfaction, and the deployment and mesh figures."""
    values: dict[str, float] = dict(declared)
    satisfaction = figures.get("satisfaction", {})
    for questionnaire in satisfaction.get("questionnaires", []):
        for item in questionnaire["items"]:
            if item.get("favourable_rate") is not None:
                key = f"questionnaire.{questionnaire['form_id']}.{item['name']}.favourable_rate"
                values[key] = item["favourable_rate"]
        values[f"questionnaire.{questionnaire['form_id']}.respondents"] = questionnaire[
            "respondents"
        ]
        if questionnaire["response_rate"] is not None:
            values[f"questionnaire.{questionnaire['form_id']}.response_rate"] = questionnaire[
                "response_rate"
            ]
    for group in satisfaction.get("synthesis", {}).get("by_modality", []):
        if group["rate"] is not None:
            values[f"satisfaction.{group['modality']}.{group['public']}.rate"] = group["rate"]
    values["deployment.modalities_delivered"] = sum(
        1 for m in PUBLIC_MODALITIES if figures["deliveries"].get(m)
    )
    values.update(extra or {})
    return values


def computed_verdict(indicator: EvaluationIndicator, value: float | None) -> str | None:
    if value is None or not indicator.rule or indicator.target is None:
        return None
    if indicator.rule == Rule.AT_LEAST:
        met = value >= indicator.target
        partly = indicator.partly_from is not None and value >= indicator.partly_from
    elif indicator.rule == Rule.AT_MOST:
        met = value <= indicator.target
        partly = indicator.partly_from is not None and value <= indicator.partly_from
    else:
        high = indicator.target_max if indicator.target_max is not None else float("inf")
        met = indicator.target <= value <= high
        partly = False
    if met:
        return Verdict.VALIDATED
    return Verdict.PARTLY if partly else Verdict.NOT_VALIDATED


def indicator_framework(scope: Scope, values: dict[str, float]) -> dict:
    """The indicators by theme with their verdicts, and "are our indicators validated?" per
    Ottawa area."""
    indicators = (
        EvaluationIndicator.objects.filter(theme__programme=scope.programme)
        .select_related("theme", "swiss_category")
        .prefetch_related("ottawa_areas")
        .order_by("theme__number", "position")
    )
    themes: dict[int, dict] = {}
    by_area: dict[str, dict] = {}
    for indicator in indicators:
        value = values.get(indicator.metric) if indicator.metric else None
        verdict = computed_verdict(indicator, value)
        source = "computed" if verdict else "evaluator"
        verdict = verdict or indicator.evaluator_verdict or None
        areas = [area.code for area in indicator.ottawa_areas.all()]
        entry = {
            "label": indicator.label,
            "ottawa": areas,
            "swiss": indicator.swiss_category.code if indicator.swiss_category else None,
            "metric": indicator.metric or None,
            "value": value,
            "rule": indicator.rule or None,
            "target": indicator.target,
            "target_max": indicator.target_max,
            "verdict": verdict,
            "verdict_source": source if verdict else None,
            "justification": indicator.justification,
            "sources": indicator.sources,
        }
        theme = themes.setdefault(
            indicator.theme.number,
            {
                "number": indicator.theme.number,
                "label": indicator.theme.label,
                "indicators": [],
            },
        )
        theme["indicators"].append(entry)
        for area in areas:
            summary = by_area.setdefault(area, {v: 0 for v in Verdict.values} | {"none": 0})
            summary[verdict or "none"] += 1
    return {"themes": list(themes.values()), "by_ottawa_area": dict(sorted(by_area.items()))}


def evaluation_figures(scope: Scope, figures: dict, declared: dict[str, float]) -> dict:
    """The evaluation's parts of `ancrage indicators --json`, read from the figures already
    computed (never recomputed; `declared`: the registry's figures by key) plus the
    evaluation's own grouped queries."""
    efficacy = parts.efficacy(scope)
    mesh = parts.mesh(scope)
    extra = territorial_metrics(mesh)
    for code, criterion in efficacy["criteria"].items():
        if criterion["present"] is not None:
            extra[f"efficacy.{code}.present"] = criterion["present"]
    if efficacy["fidelity"] is not None:
        extra["efficacy.fidelity"] = efficacy["fidelity"]
    values = metric_values(figures, declared, extra)
    return {
        "framework": indicator_framework(scope, values),
        "efficacy": efficacy,
        "governance": {
            "deployment_model": parts.deployment_model(scope, figures),
            **parts.anchoring(scope),
        },
        "context": parts.context_register(scope),
        "reaim": parts.reaim(scope, figures, efficacy["fidelity"], mesh),
        "transferability": transferability(scope, figures, mesh),
        "metrics": values,
    }


def programme_story(programme) -> dict:
    """What the coordination writes around the figures, for the report's opening and closing
    parts (history timeline, objectives, evaluative questions, lessons, thanks)."""
    from ..models import EvaluationSettings, Milestone, Partner, Statement

    settings = EvaluationSettings.objects.filter(programme=programme).first()
    statements: dict[str, list[str]] = {kind: [] for kind in Statement.Kind.values}
    for kind, text in Statement.objects.filter(programme=programme).values_list("kind", "text"):
        statements[kind].append(text)
    return {
        "description": settings.description if settings else "",
        "milestones": [
            {"period": m.period, "title": m.title, "detail": m.detail}
            for m in Milestone.objects.filter(programme=programme)
        ],
        "general_objectives": statements[Statement.Kind.GENERAL_OBJECTIVE],
        "operational_objectives": statements[Statement.Kind.OPERATIONAL_OBJECTIVE],
        "evaluative_questions": statements[Statement.Kind.QUESTION],
        "recommendations": statements[Statement.Kind.RECOMMENDATION],
        "success_conditions": statements[Statement.Kind.SUCCESS_CONDITION],
        "thanks": list(
            Partner.objects.filter(programme=programme, thanked=True).values_list("name", flat=True)
        ),
        "closing_title": settings.closing_title if settings else "",
        "closing_text": settings.closing_text if settings else "",
    }
