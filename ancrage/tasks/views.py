"""« Mes tâches »: a user's background tasks, their progress (polled with htmx), their result,
and the pages that start the tasks no other app starts (responses import)."""

import secrets
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.accounts.selectors import can_coordinate
from ancrage.core.uploads import too_large_message
from ancrage.surveys.models import Questionnaire, Source

from .models import Kind
from .selectors import job_for_user, jobs_for_user
from .services import job_cancel, job_start, results_folder

POLL_SECONDS = 1
RESPONSE_SUFFIXES = {".csv", ".xlsx", ".zip"}


@login_required
def job_list(request):
    return render(request, "tasks/list.html", {"jobs": jobs_for_user(request.user)})


@login_required
def job_detail(request, pk):
    job = job_for_user(request.user, pk)
    return render(request, "tasks/detail.html", {"job": job, "poll": POLL_SECONDS})


@login_required
def job_status(request, pk):
    """The task's state alone, for htmx to swap in; it stops polling once the task ends."""
    job = job_for_user(request.user, pk)
    return render(request, "tasks/_status.html", {"job": job, "poll": POLL_SECONDS})


@login_required
def job_file(request, pk):
    job = job_for_user(request.user, pk)
    path = results_folder() / Path(job.result_file).name
    if not job.result_file or not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=job.result_name, content_type=job.result_type
    )


@login_required
@require_POST
def job_cancel_view(request, pk):
    job = job_cancel(job=job_for_user(request.user, pk))
    if job.finished:
        messages.info(request, _("La tâche « {label} » est annulée.").format(label=job.label))
    else:
        messages.info(request, _("Annulation demandée : la tâche s'arrête à sa prochaine étape."))
    if request.headers.get("HX-Request"):
        return render(request, "tasks/_status.html", {"job": job, "poll": POLL_SECONDS})
    if request.POST.get("next") == "list":
        return redirect("tasks:list")
    return redirect(job.get_absolute_url())


@login_required
def responses_import(request, pk: int):
    """Import a Kobo, ODK Central or LimeSurvey export for a questionnaire, as a background task
    (coordination only: the rows may name any territory's actions)."""
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("programme"), pk=pk)
    if not can_coordinate(request.user, questionnaire.programme):
        raise PermissionDenied
    sources = [("", _("Reconnu d'après les colonnes"))] + [
        (s.value, s.label) for s in (Source.KOBO, Source.ODK, Source.LIMESURVEY)
    ]
    context = {"questionnaire": questionnaire, "sources": sources}
    if request.method == "POST":
        uploaded = request.FILES.get("fichier")
        source = request.POST.get("source", "")
        suffix = Path(uploaded.name).suffix.lower() if uploaded else ""
        if getattr(request, "upload_too_large", False):
            context["error"] = too_large_message()
        elif uploaded is None or suffix not in RESPONSE_SUFFIXES:
            context["error"] = _("Choisissez un export de réponses (.csv, .xlsx ou .zip).")
        elif source not in dict(sources):
            context["error"] = _("Outil d'origine inconnu.")
        else:
            # Kept under the user's own file name (problems name it; LimeSurvey's survey id
            # is read from it), in a folder of its own.
            folder = secrets.token_urlsafe(12)
            stored = f"{folder}/{get_valid_filename(uploaded.name)}"
            (results_folder() / folder).mkdir()
            with open(results_folder() / stored, "wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
            job = job_start(
                user=request.user,
                kind=Kind.RESPONSES,
                label=_("Import des réponses « {file} » ({form})").format(
                    file=uploaded.name, form=questionnaire.title
                ),
                params={
                    "questionnaire": questionnaire.pk,
                    "stored": stored,
                    "file_name": uploaded.name,
                    "source": source,
                    "survey": request.POST.get("enquete", "").strip()[:100],
                },
            )
            return redirect(job.get_absolute_url())
    return render(request, "tasks/responses.html", context)
