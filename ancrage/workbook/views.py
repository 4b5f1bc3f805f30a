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
    programmes_for_user,
)
from ancrage.core.downloads import attachment
from ancrage.core.uploads import too_large_message
from ancrage.core.uploads import upload_limit as limit
from ancrage.tasks.services import import_start

from .exporter import export_workbook
from .importer import WorkbookInvalid
from .schema import PROGRAMME_KEYS, SHEETS
from .services import upload_keep, upload_path, upload_preview, upload_update_preview

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
    ("questionnaire", gettext_lazy("questionnaires")),
    ("collection", gettext_lazy("collectes de questionnaires")),
    ("response", gettext_lazy("réponses aux questionnaires")),
]


MAX_CHANGES_SHOWN = 300


def _coordinated(user) -> list:
    return [p for p in programmes_for_user(user) if can_coordinate(user, p)]


def _problems_named(problems, token: str, name: str) -> list:
    # A problem with the file itself names it: by the user's name, not ours.
    stored = f"{token}.xlsx"
    return [replace(p, sheet=name) if p.sheet == stored else p for p in problems]


def _update_context(plan) -> dict:
    changes = [(sheet.sheet, change) for sheet in plan.sheets for change in sheet.changes]
    return {
        "plan": plan,
        "changes": changes[:MAX_CHANGES_SHOWN],
        "changes_hidden": max(len(changes) - MAX_CHANGES_SHOWN, 0),
    }


@login_required
def import_page(request):
    if not can_import(request.user):
        raise PermissionDenied
    programmes = _coordinated(request.user)
    context = {
        "sheets": SHEETS,
        "programme_keys": [key.name for key in PROGRAMME_KEYS],
        "programmes": programmes,
        "mode": "new",
    }
    if request.method != "POST":
        return render(request, "workbook/import.html", context)
    uploaded = request.FILES.get("classeur")
    mode = "update" if request.POST.get("mode") == "update" else "new"
    context["mode"] = mode
    target = None
    if mode == "update":
        wanted = request.POST.get("programme", "")
        target = next((p for p in programmes if str(p.pk) == wanted), None)
    delete_missing = request.POST.get("supprimer_absents") == "1"
    if getattr(request, "upload_too_large", False) or (uploaded and uploaded.size > limit()):
        context["error"] = too_large_message()
    elif uploaded is None or not uploaded.name.lower().endswith(".xlsx"):
        context["error"] = _("Choisissez un classeur Excel (.xlsx).")
    elif mode == "update" and target is None:
        context["error"] = _("Choisissez le programme à mettre à jour.")
    else:
        token = upload_keep(uploaded)
        context.update(file_name=uploaded.name, target=target, delete_missing=delete_missing)
        try:
            if target is None:
                result = upload_preview(token)
            else:
                plan = upload_update_preview(token, target, delete_missing=delete_missing)
        except WorkbookInvalid as invalid:
            upload_path(token).unlink(missing_ok=True)
            context["problems"] = _problems_named(invalid.problems, token, uploaded.name)
        else:
            context["token"] = token
            if target is None:
                context["preview"] = [
                    (label, result.counts.get(key, 0))
                    for key, label in PREVIEW_ROWS
                    if result.counts.get(key)
                ]
            else:
                context.update(_update_context(plan))
    return render(request, "workbook/import.html", context)


@login_required
def import_confirm(request):
    if not can_import(request.user) or request.method != "POST":
        raise PermissionDenied
    token = request.POST.get("token", "")
    if upload_path(token) is None:
        messages.error(request, _("Ce classeur n'est plus disponible : déposez-le à nouveau."))
        return redirect("workbook:import")
    update = None
    if request.POST.get("programme"):
        target = next(
            (p for p in _coordinated(request.user) if str(p.pk) == request.POST["programme"]),
            None,
        )
        if target is None:
            raise PermissionDenied
        update = {
            "programme": target.pk,
            "delete_missing": request.POST.get("supprimer_absents") == "1",
        }
    job = import_start(
        user=request.user, token=token, file_name=request.POST.get("nom", ""), update=update
    )
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
