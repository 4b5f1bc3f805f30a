"""The programme dashboard: headline figures, expected vs achieved, governance; filtered by
territory and school year within the user's scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from ancrage.accounts.selectors import (
    can_coordinate,
    is_read_only,
    programme_for_request,
    scope_for_user,
)
from ancrage.core import charts
from ancrage.core.schoolyear import school_year_label
from ancrage.programmes.vocabulary import Modality

from .cache import cached_indicators
from .selectors import excluded_actions_text, headline_figures, objective_rows


def headline_charts(figures: dict) -> dict:
    """The dashboard's charts (the same Vega-Lite specs as the report's)."""
    result = {
        "deliveries": charts.bar_chart(
            "chart-deliveries",
            _("Nombre d'actions par modalité"),
            [(str(m.label), figures["deliveries"][m.value]) for m in Modality],
            _("Actions"),
        )
    }
    programme_objectives = objective_rows(figures["objectives"], territory="*")
    if programme_objectives:
        result["objectives"] = charts.expected_vs_achieved(
            "chart-objectives", _("Attendu et résultat"), programme_objectives
        )
    return result


# Beyond this many territory objectives (a national roll-out), the dashboard counts the
# territories below, within and above each target instead of listing every row.
MAX_OBJECTIVE_ROWS = 100


def objectives_view(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The objective rows to list (with their target's name) and, when there are too many,
    the count of territories per target and status."""
    labelled = objective_rows(rows)
    if len(labelled) <= MAX_OBJECTIVE_ROWS:
        return labelled, []
    summary: dict[str, dict] = {}
    for row in labelled:
        if row["territoire"] == "*":
            continue
        entry = summary.setdefault(
            row["cible"], {"label": row["label"], "below": 0, "within": 0, "above": 0}
        )
        entry[row["status"]] += 1
    return [row for row in labelled if row["territoire"] == "*"], list(summary.values())


@login_required
def dashboard(request):
    programme, programmes = programme_for_request(request)
    if programme is None:
        return render(request, "dashboard/empty.html")
    code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
    # The dashboard shows no evaluation figure: it never waits for them after a write.
    figures = cached_indicators(
        scope, hide_small=is_read_only(request.user, programme), evaluation=False
    )
    objectives, objective_summary = objectives_view(figures["objectives"])
    return render(
        request,
        "dashboard/programme.html",
        {
            "programme": programme,
            "programmes": programmes,
            "territories": territories,
            "territory": code,
            "years": [
                {"value": str(y), "label": school_year_label(y)} for y in programme.school_years
            ],
            "year": year,
            "figures": figures,
            "headline": headline_figures(figures),
            "excluded_actions": excluded_actions_text(figures),
            "objectives": objectives,
            "objective_summary": objective_summary,
            "charts": headline_charts(figures),
            "can_coordinate": can_coordinate(request.user, programme),
        },
    )
