"""The programme dashboard: headline figures, expected vs achieved, governance; filtered by
territory and school year within the user's scope."""

from html import escape

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
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
from .registry import target_label
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
    the count of territories per target and status (counted on the raw rows: labelling a
    national programme's thousand rows only to count them cost more than the page)."""
    if len(rows) <= MAX_OBJECTIVE_ROWS:
        return objective_rows(rows), []
    summary: dict[str, dict] = {}
    for row in rows:
        if row["territoire"] == "*":
            continue
        entry = summary.get(row["cible"])
        if entry is None:
            label = target_label(row["cible"])
            entry = summary[row["cible"]] = {"label": label, "below": 0, "within": 0, "above": 0}
        entry[row["status"]] += 1
    return objective_rows(rows, territory="*"), list(summary.values())


def dashboard_content(figures: dict) -> dict:
    """What the dashboard shows of a scope's figures, ready to render: kept by the figures
    cache instead of the figures themselves (`cached_indicators(shape=…)`), whose territories'
    figures, read back on every page of a national programme, cost more than the page."""
    objectives, objective_summary = objectives_view(figures["objectives"])
    headline = [
        {**row, "label": str(row["label"]), "explanation": str(row["explanation"])}
        for row in headline_figures(figures)
    ]
    return {
        "headline": headline,
        "excluded_actions": excluded_actions_text(figures),
        "objectives": objectives,
        "objective_summary": objective_summary,
        "charts": headline_charts(figures),
        "questionnaires": [
            {key: q[key] for key in ("id", "title", "respondents", "beneficiaries")}
            for q in figures["satisfaction"]["questionnaires"]
        ],
        "governance": figures["governance"],
    }


def territory_options(territories, chosen: str) -> str:
    """The territory filter's options, written at once: a national programme lists 1,250
    territories, which the template's loop (then format_html, lazy-aware, for each) took tens
    of milliseconds to write on every page. html.escape is what Django's escape calls."""
    return mark_safe(  # each code and name escaped
        "".join(
            f'<option value="{escape(t.code)}"{" selected" if t.code == chosen else ""}>'
            f"{escape(t.name)}</option>"
            for t in territories
        )
    )


@login_required
def dashboard(request):
    programme, programmes = programme_for_request(request)
    if programme is None:
        return render(request, "dashboard/empty.html")
    code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
    # The dashboard shows no evaluation figure: it never waits for them after a write.
    content = cached_indicators(
        scope,
        hide_small=is_read_only(request.user, programme),
        evaluation=False,
        shape=dashboard_content,
    )
    return render(
        request,
        "dashboard/programme.html",
        {
            "programme": programme,
            "programmes": programmes,
            # The territories the user may choose: written at once as the filter's options.
            "territories": territories,
            "territory_options": territory_options(territories, code),
            "territory": code,
            "years": [
                {"value": str(y), "label": school_year_label(y)} for y in programme.school_years
            ],
            "year": year,
            **content,
            "can_coordinate": can_coordinate(request.user, programme),
        },
    )
