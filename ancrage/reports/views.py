"""The report page: choose the format, the territory and the school years, then download."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.selectors import (
    is_read_only,
    programme_for_request,
    programme_or_404,
    scope_for_user,
    scope_for_years,
)
from ancrage.core.downloads import attachment
from ancrage.core.schoolyear import school_year_label

from .services import FORMATS, generate_report

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
def report_download(request):
    """Build the report for the user's scope; read-only roles get the public version (small
    results hidden, no verbatims)."""
    programme, _programmes = programme_or_404(request)
    fmt = request.GET.get("format", "pptx")
    if fmt not in FORMATS:
        raise Http404
    code = request.GET.get("territoire", "")
    scope, _territories = scope_for_user(request.user, programme, code)
    scope = scope_for_years(scope, request.GET.get("debut", ""), request.GET.get("fin", ""))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rapport.{fmt}"
        generate_report(scope, fmt, path, hide_small=is_read_only(request.user, programme))
        payload = path.read_bytes()
    name = slugify(f"rapport-{programme.name}-{code or 'programme'}") + f".{fmt}"
    return attachment(payload, name, FORMATS[fmt])
