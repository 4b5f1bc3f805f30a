"""What each background task does: it calls the owning app's service with a progress callback
and says what the user gets at the end. The services stay the command line's own (synchronous)."""

import shutil
from pathlib import Path

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope

from .models import Kind
from .services import JobFailed, Progress, job_run, results_folder


def problem_row(problem, stored: str = "", name: str = "") -> dict:
    """A problem as the page shows it (sheet or file, row, column, message); a problem with
    the stored file is named by the user's own file name."""
    sheet = name if stored and problem.sheet == stored else problem.sheet
    return {
        "sheet": str(sheet),
        "row": str(problem.row),
        "column": str(problem.column),
        "message": str(problem.message),
    }


def run_report(job, progress: Progress) -> dict:
    from ancrage.reports.services import FORMATS, generate_report

    params = job.params
    programme = Programme.objects.filter(pk=params["programme"]).first()
    if programme is None:
        raise JobFailed(_("Ce programme n'existe plus : le rapport ne peut pas être produit."))
    territories, years = params.get("territories"), params.get("years")
    scope = Scope(
        programme,
        territory_ids=None if territories is None else tuple(territories),
        school_years=None if years is None else tuple(years),
    )
    fmt = params["format"]
    done = 0

    def on_step(name: str, total: int) -> None:
        nonlocal done
        if not total:  # the file is written
            return
        done += 1
        if done < total - 1:
            progress(_("Rédaction : {part}").format(part=name), 5 + 80 * done // total)
        else:
            progress(_("Mise en page du fichier {format}").format(format=fmt.upper()), 85)

    progress(_("Calcul des indicateurs"), 2)
    path = results_folder() / f"{job.pk}.{fmt}"
    generate_report(scope, fmt, path, hide_small=params.get("hide_small", True), progress=on_step)
    name = slugify(f"rapport-{programme.name}-{params.get('territory') or 'programme'}")
    return {
        "result_file": path.name,
        "result_name": f"{name}.{fmt}",
        "result_type": FORMATS[fmt],
        "message": _("Le rapport est prêt."),
    }


def run_import(job, progress: Progress) -> dict:
    from ancrage.workbook.importer import WorkbookInvalid
    from ancrage.workbook.services import upload_import, upload_path

    token = job.params["token"]
    if upload_path(token) is None:
        raise JobFailed(_("Ce classeur n'est plus disponible : déposez-le à nouveau."))
    if job.params.get("update"):  # queued as an import with an update's parameters
        return run_update(job, progress)
    progress(_("Lecture, vérification et enregistrement du classeur"), 10)
    try:
        result = upload_import(token, job.user, job.params.get("file_name", ""))
    except WorkbookInvalid as invalid:
        raise JobFailed(
            _("Import refusé : rien n'a été enregistré. Corrigez le classeur puis déposez-le."),
            [problem_row(p) for p in invalid.problems],
        ) from None
    return {
        "result_url": reverse("dashboard") + f"?programme={result.programme.pk}",
        "message": _("Programme « {name} » importé.").format(name=result.programme.name),
    }


def run_update(job, progress: Progress) -> dict:
    from ancrage.accounts.selectors import can_coordinate
    from ancrage.workbook.importer import WorkbookInvalid
    from ancrage.workbook.services import upload_path, upload_update

    params = {**job.params, **job.params.get("update", {})}
    programme = Programme.objects.filter(pk=params["programme"]).first()
    if programme is None or not can_coordinate(job.user, programme):
        raise JobFailed(_("Ce programme n'existe plus ou vous ne le coordonnez plus."))
    if upload_path(params["token"]) is None:
        raise JobFailed(_("Ce classeur n'est plus disponible : déposez-le à nouveau."))
    progress(_("Lecture, vérification et mise à jour du programme"), 10)
    try:
        plan = upload_update(
            params["token"],
            programme,
            delete_missing=params.get("delete_missing", False),
            user=job.user,
            file_name=params.get("file_name", ""),
        )
    except WorkbookInvalid as invalid:
        raise JobFailed(
            _("Mise à jour refusée : rien n'a été modifié. Corrigez le classeur puis déposez-le."),
            [problem_row(p) for p in invalid.problems],
        ) from None
    message = (
        _("Programme « {name} » mis à jour.")
        if plan.has_changes
        else _("Programme « {name} » : rien à modifier.")
    )
    return {
        "result_url": reverse("dashboard") + f"?programme={programme.pk}",
        "message": message.format(name=programme.name),
    }


def run_responses(job, progress: Progress) -> dict:
    from ancrage.surveys.models import Questionnaire
    from ancrage.surveys.responses import ResponsesInvalid, import_responses

    params = job.params
    folder, name = Path(params["stored"]).parent.name, Path(params["stored"]).name
    path = results_folder() / folder / name
    questionnaire = Questionnaire.objects.filter(pk=params["questionnaire"]).first()
    if questionnaire is None or not folder or not path.exists():
        raise JobFailed(_("Ce fichier ou ce questionnaire n'est plus disponible."))
    progress(_("Lecture, vérification et enregistrement des réponses"), 10)
    try:
        created = import_responses(
            questionnaire=questionnaire,
            path=path,
            source=params.get("source", ""),
            source_survey=params.get("survey", ""),
        )
    except ResponsesInvalid as invalid:
        problems = [problem_row(p, name, params["file_name"]) for p in invalid.problems]
        raise JobFailed(
            _("Import refusé : rien n'a été enregistré. Corrigez le fichier puis déposez-le."),
            problems,
        ) from None
    finally:
        shutil.rmtree(results_folder() / folder, ignore_errors=True)
    return {
        "result_url": reverse("surveys:results", args=[questionnaire.pk]),
        "message": _("{count} réponse(s) importée(s).").format(count=len(created)),
    }


RUNNERS = {
    Kind.REPORT: run_report,
    Kind.IMPORT: run_import,
    Kind.UPDATE: run_update,
    Kind.RESPONSES: run_responses,
}


@task()
def run_job(job_id: str) -> None:
    """The one task the queue knows: it runs the Job of that id with its kind's runner."""
    job_run(job_id, RUNNERS)
