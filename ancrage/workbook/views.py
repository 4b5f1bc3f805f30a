"""Import a workbook in the browser (upload, problems or preview, confirm) and export one."""

import tempfile
from dataclasses import replace
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.accounts.selectors import (
    can_coordinate,
    can_import,
    programme_or_404,
)
from ancrage.core.downloads import attachment
from ancrage.tasks.services import import_start

from .exporter import export_workbook
from .importer import WorkbookInvalid
from .schema import SHEETS
from .services import upload_keep, upload_path, upload_preview

# What the preview shows, in the workbook's order: counted table → French label.
PREVIEW_ROWS = [
    ("programme", gettext_lazy("programme")),
    ("territory", gettext_lazy("territoires")),
    ("commune", gettext_lazy("communes")),
    ("structure", gettext_lazy("structures")),
    ("person", gettext_lazy("personnes (codes pseudonymes)")),
    ("action", gettext_lazy("actions")),
    ("participation", gettext_lazy("participations")),
    ("objective", gettext_lazy("objectifs")),
    ("coordinationdays", gettext_lazy("jours de coordination")),
]


@login_required
def import_page(request):
    if not can_import(request.user):
        raise PermissionDenied
    context = {"sheets": SHEETS}
    if request.method == "POST":
        uploaded = request.FILES.get("classeur")
        if uploaded is None or not uploaded.name.lower().endswith(".xlsx"):
            context["error"] = _("Choisissez un classeur Excel (.xlsx).")
        else:
            token = upload_keep(uploaded)
            context["file_name"] = uploaded.name
            try:
                result = upload_preview(token)
            except WorkbookInvalid as invalid:
                upload_path(token).unlink(missing_ok=True)
                # A problem with the file itself names it: by the user's name, not ours.
                stored = f"{token}.xlsx"
                context["problems"] = [
                    replace(p, sheet=uploaded.name) if p.sheet == stored else p
                    for p in invalid.problems
                ]
            else:
                context["token"] = token
                context["preview"] = [
                    (label, result.counts.get(key, 0))
                    for key, label in PREVIEW_ROWS
                    if result.counts.get(key)
                ]
    return render(request, "workbook/import.html", context)


@login_required
def import_confirm(request):
    if not can_import(request.user) or request.method != "POST":
        raise PermissionDenied
    token = request.POST.get("token", "")
    if upload_path(token) is None:
        messages.error(request, _("Ce classeur n'est plus disponible : déposez-le à nouveau."))
        return redirect("workbook:import")
    job = import_start(user=request.user, token=token, file_name=request.POST.get("nom", ""))
    return redirect(job.get_absolute_url())


@login_required
def export_download(request):
    """The programme's workbook, as the import reads it (coordination only: it holds every
    territory's rows)."""
    programme, _programmes = programme_or_404(request)
    if not can_coordinate(request.user, programme):
        raise PermissionDenied
    with tempfile.TemporaryDirectory() as folder:
        path = export_workbook(programme, Path(folder) / "classeur.xlsx")
        payload = path.read_bytes()
    return attachment(
        payload,
        f"{slugify(programme.name)}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
