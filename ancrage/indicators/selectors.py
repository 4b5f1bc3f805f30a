"""Compute a programme's figures (docs/figures.md)."""

import datetime as dt

from django.utils.translation import ngettext

from ancrage.activities.models import Action
from ancrage.core.numbers import fr_decimal, fr_int, fr_percent
from ancrage.evaluation.selectors import evaluation_figures
from ancrage.programmes.models import Programme
from ancrage.programmes.objectives import expected_text, territory_label
from ancrage.programmes.scope import Scope
from ancrage.surveys.selectors import satisfaction_figures

from .deployment import deployment_figures, objective_status
from .models import QualityWarning
from .registry import (
    FIGURES_BY_KEY,
    HEADLINE_KEYS,
    STATUS_LABELS,
    declared_values,
    figure_value,
    target_label,
)

__all__ = ["compute_indicators", "deployment_figures", "objective_status"]


def compute_indicators(
    scope: Scope,
    *,
    hide_small: bool = False,
    deployment: dict | None = None,
    evaluation: bool = True,
    satisfaction: dict | None = None,
) -> dict:
    """Every figure: the contract's, the questionnaires' and the evaluation's, for the programme
    and per territory. A fixed number of grouped queries whatever the data's size: seven for
    deployment and reach, nine for the questionnaires, about twenty for the evaluation.
    `hide_small` hides results of fewer than five answers (read-only roles). `deployment`:
    the deployment figures when already assembled (indicators/cache.py), else computed.
    `evaluation=False` leaves the evaluation's figures out (the dashboard shows none of them);
    `satisfaction`: the questionnaires' figures when already known (kept by the cache)."""
    result = deployment if deployment is not None else deployment_figures(scope)
    if satisfaction is None:
        satisfaction = satisfaction_figures(scope, hide_small=hide_small)
    synthesis_by_territory = satisfaction["synthesis"].pop("by_territory")
    result["satisfaction"] = satisfaction
    for code, figures in result["by_territory"].items():
        figures["satisfaction"] = {
            "synthesis": synthesis_by_territory.get(code, {"by_modality": [], "overall": None})
        }
    if not evaluation:
        return result
    # The evaluation reads the figures above (never recomputes them) and adds its own parts.
    evaluated = evaluation_figures(scope, result, declared_values(result))
    result["governance"].update(evaluated.pop("governance"))
    result.update(evaluated)
    return result


def excluded_actions_text(figures: dict) -> str:
    """The excluded actions in one sentence (empty when none), for the dashboard and the
    report alike."""
    rows = figures["programme"].get("excluded_actions") or []
    if not rows:
        return ""
    programme = figures["programme"]
    start, end = (dt.date.fromisoformat(programme[k]) for k in ("start", "end"))
    listed = ", ".join(
        f"{row['code']} ({dt.date.fromisoformat(row['start']):%d/%m/%Y})" for row in rows
    )
    return ngettext(
        "{n} action datée hors des dates du programme ({start} – {end}) est exclue de ses "
        "chiffres : {actions}.",
        "{n} actions datées hors des dates du programme ({start} – {end}) sont exclues de ses "
        "chiffres : {actions}.",
        len(rows),
    ).format(n=len(rows), start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}", actions=listed)


def headline_figures(figures: dict, keys: tuple[str, ...] = HEADLINE_KEYS) -> list[dict]:
    """The registry's figures named by `keys`, with their label and explanation, ready to
    show; a figure hidden from the user (None) is left out."""
    rows = []
    for key in keys:
        figure = FIGURES_BY_KEY[key]
        value = figure_value(figures, key)
        if value is None:
            continue
        if figure.unit == "share":
            shown = fr_percent(value)
        elif figure.unit == "decimal":
            shown = fr_decimal(value, 2)
        else:
            shown = fr_int(value)
        rows.append(
            {
                "key": key,
                "label": figure.label,
                "explanation": figure.explanation,
                "value": value,
                "shown": shown,
            }
        )
    return rows


def objective_rows(objectives: list[dict], *, territory: str | None = None) -> list[dict]:
    """« Attendu et résultat », built once for the dashboard and the report: each objective
    row with its target's name, its expected range in words as written for its period with
    the total it implies (« 2 par an, soit 8 sur 4 années scolaires »), the total compared
    (`expected`), and its status in words; only one territory's rows (`"*"`: the
    programme's) when `territory` is given."""
    return [
        {
            **row,
            "label": target_label(row["cible"]),
            "where": territory_label(row["territoire"]),
            "expected": row["total_min"] or 0,
            "expected_range": expected_text(row),
            "status_label": str(STATUS_LABELS[row["status"]]),
        }
        for row in objectives
        if territory is None or row["territoire"] == territory
    ]


def visible_quality_warnings(programme: Programme, territories) -> list[QualityWarning]:
    """The data-quality warnings a user sees, given the territories they may see: those about
    their actions and the programme-wide ones (a warning about another territory's action
    names it, so it stays hidden). Each carries `action_pk` when it names a visible action."""
    warnings = list(QualityWarning.objects.filter(programme=programme).order_by("kind", "pk"))
    references = {w.reference for w in warnings if w.sheet == "actions" and w.reference}
    actions = dict(
        Action.objects.filter(
            programme=programme, code__in=references, territory__in=territories
        ).values_list("code", "pk")
    )
    visible = []
    for warning in warnings:
        if warning.sheet == "actions" and warning.reference:
            if warning.reference not in actions:
                continue
            warning.action_pk = actions[warning.reference]
        else:
            warning.action_pk = None
        visible.append(warning)
    return visible
