"""The map of actions, a territory's page, and creating a territory from its EPCI."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.accounts.selectors import (
    can_coordinate,
    is_read_only,
    programme_or_404,
    scope_for_user,
)
from ancrage.activities.selectors import territory_structures
from ancrage.core.schoolyear import school_year_label
from ancrage.evaluation.models import Referent
from ancrage.indicators.cache import cached_action_map, cached_indicators
from ancrage.indicators.selectors import headline_figures
from ancrage.indicators.views import headline_charts

from . import geography
from .services import territory_create_from_epci


def _filters(programme, territories, code: str, year: str) -> dict:
    return {
        "territories": territories,
        "territory": code,
        "years": [{"value": str(y), "label": school_year_label(y)} for y in programme.school_years],
        "year": year,
    }


@login_required
def map_view(request):
    programme, programmes = programme_or_404(request)
    code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
    maps = cached_action_map(scope)
    return render(
        request,
        "territories/map.html",
        {
            "programme": programme,
            "programmes": programmes,
            "maps": list(maps.values()),
            "labels": {
                "actions": _("actions"),
                "people": _("personnes"),
                "structures": _("structures"),
            },
            **_filters(programme, territories, code, year),
        },
    )


@login_required
def territory_list(request):
    """The user's territories with their key figures, each linked to its page."""
    programme, programmes = programme_or_404(request)
    year = request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, "", year)
    figures = cached_indicators(scope, hide_small=is_read_only(request.user, programme))
    page = Paginator(territories, 50).get_page(request.GET.get("page"))
    rows = []
    for territory in page:
        area = figures["by_territory"].get(territory.code, {})
        rows.append(
            {
                "territory": territory,
                "actions": sum((area.get("deliveries") or {}).values()),
                "reach": area.get("reach", {}),
            }
        )
    return render(
        request,
        "territories/list.html",
        {
            "programme": programme,
            "programmes": programmes,
            "page": page,
            "rows": rows,
            "can_coordinate": can_coordinate(request.user, programme),
            **_filters(programme, territories, "", year),
        },
    )


@login_required
def territory_detail(request, code: str):
    programme, _programmes = programme_or_404(request)
    year = request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
    territory = next(t for t in territories if t.code == code)
    figures = cached_indicators(scope, hide_small=is_read_only(request.user, programme))
    maps = cached_action_map(scope)
    return render(
        request,
        "territories/detail.html",
        {
            "programme": programme,
            "area": territory,  # "territory" is the filter's selected code
            "figures": figures,
            "headline": headline_figures(figures),
            "charts": headline_charts(figures),
            "map": maps[code],
            "labels": {
                "actions": _("actions"),
                "people": _("personnes"),
                "structures": _("structures"),
            },
            "structures": territory_structures(territory),
            "referents": Referent.objects.filter(territory=territory).order_by("-start"),
            **_filters(programme, territories, code, year),
        },
    )


@login_required
def territory_create(request):
    programme, _programmes = programme_or_404(request)
    if not can_coordinate(request.user, programme):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            territory = territory_create_from_epci(
                programme, request.POST.get("epci", ""), request.POST.get("code", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Territoire « {name} » créé avec ses {n} communes.").format(
                    name=territory.name, n=territory.commune_count
                ),
            )
            return redirect("territories:detail", code=territory.code)
    return render(
        request,
        "territories/create.html",
        {"programme": programme, "error": error, "query": request.POST.get("q", "")},
    )


@login_required
def epci_search(request):
    """The EPCIs matching what was typed (htmx fragment of the creation form)."""
    programme, _programmes = programme_or_404(request)
    if not can_coordinate(request.user, programme):
        raise PermissionDenied
    results = geography.search_epci(request.GET.get("q", ""))
    communes = geography.communes()
    return render(
        request,
        "territories/epci_results.html",
        {
            "results": [
                {
                    "epci": epci,
                    "communes": ", ".join(communes[c].name for c in epci.communes[:12])
                    + ("…" if len(epci.communes) > 12 else ""),
                }
                for epci in results
            ],
            "query": request.GET.get("q", ""),
        },
    )
