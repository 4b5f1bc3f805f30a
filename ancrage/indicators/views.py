"""The programme dashboard: headline figures, expected vs achieved, governance; filtered by
territory and school year within the user's scope."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ancrage.accounts.selectors import is_read_only, programmes_for_user, territory_scope
from ancrage.activities.vocabulary import Modality
from ancrage.core.schoolyear import school_year_label

from .scope import Scope
from .selectors import compute_indicators


@login_required
def dashboard(request):
    programmes = list(programmes_for_user(request.user))
    if not programmes:
        return render(request, "dashboard/empty.html")
    wanted = request.GET.get("programme")
    programme = next((p for p in programmes if str(p.pk) == wanted), programmes[0])
    allowed = territory_scope(request.user, programme)
    territories = programme.territories.order_by("code")
    if allowed is not None:
        territories = territories.filter(pk__in=allowed)
    territories = list(territories)
    code = request.GET.get("territoire", "")
    if code:
        chosen = [t.pk for t in territories if t.code == code]
        if not chosen:
            raise Http404  # another territory's figures are not this user's to see
        territory_ids = tuple(chosen)
    else:
        territory_ids = tuple(t.pk for t in territories) if allowed is not None else None
    year = request.GET.get("annee", "")
    years = programme.school_years
    school_years = (int(year),) if year.isdigit() and int(year) in years else None
    scope = Scope(programme, territory_ids=territory_ids, school_years=school_years)
    figures = compute_indicators(scope, hide_small=is_read_only(request.user, programme))
    deliveries = [
        {"label": modality.label, "count": figures["deliveries"][modality.value]}
        for modality in Modality
    ]
    return render(
        request,
        "dashboard/programme.html",
        {
            "programme": programme,
            "programmes": programmes,
            "territories": territories,
            "territory": code,
            "years": [{"value": str(y), "label": school_year_label(y)} for y in years],
            "year": year,
            "figures": figures,
            "deliveries": deliveries,
        },
    )
