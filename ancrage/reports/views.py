"""The report page: choose the format, the territory and the school years, then download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ancrage.accounts.selectors import (
    is_read_only,
    programme_for_request,
    programme_or_404,
    scope_for_user,
    scope_for_years,
)
from ancrage.core.schoolyear import school_year_label
from ancrage.tasks.services import report_start

from .services import FORMATS

FORMAT_LABELS = {
    "pptx": _("Diaporama PowerPoint (.pptx)"),
    "pdf": _("Document PDF (.pdf)"),
    "docx": _("Document Word (.docx)"),
    "html": _("Page web autonome (.html)"),
}


@login_required
def report_form(request):
    programme, programmes = programme_for_request(request)
    if programme is None:
        return render(request, "dashboard/empty.html")
    _scope, territories = scope_for_user(request.user, programme)
    years = [{"value": str(y), "label": school_year_label(y)} for y in programme.school_years]
    return render(
        request,
        "reports/form.html",
        {
            "programme": programme,
            "programmes": programmes,
            "territories": territories,
            "years": years,
            "formats": FORMAT_LABELS,
            "read_only": is_read_only(request.user, programme),
        },
    )


@login_required
@require_POST
def report_download(request):
    """Queue the report for the user's scope (a background task: the page follows its progress
    and offers the file); read-only roles get the public version (small results hidden, no
    verbatims)."""
    programme, _programmes = programme_or_404(request)
    fmt = request.POST.get("format", "pptx")
    if fmt not in FORMATS:
        raise Http404
    code = request.POST.get("territoire", "")
    scope, _territories = scope_for_user(request.user, programme, code)
    scope = scope_for_years(scope, request.POST.get("debut", ""), request.POST.get("fin", ""))
    job = report_start(
        user=request.user,
        scope=scope,
        fmt=fmt,
        territory=code,
        hide_small=is_read_only(request.user, programme),
    )
    return redirect(job.get_absolute_url())
