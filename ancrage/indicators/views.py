"""The programme dashboard: headline figures, expected vs achieved, governance; filtered by
territory and school year within the user's scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ancrage.accounts.selectors import is_read_only, programmes_for_user, scope_for_user
from ancrage.activities.vocabulary import Modality
from ancrage.core.schoolyear import school_year_label

from .selectors import compute_indicators


@login_required
def dashboard(request):
    programmes = list(programmes_for_user(request.user))
    if not programmes:
        return render(request, "dashboard/empty.html")
    wanted = request.GET.get("programme")
    programme = next((p for p in programmes if str(p.pk) == wanted), programmes[0])
    code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
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
            "years": [
                {"value": str(y), "label": school_year_label(y)} for y in programme.school_years
            ],
            "year": year,
            "figures": figures,
            "deliveries": deliveries,
        },
    )
