"""Start, follow and cancel a user's background tasks (writes: keyword-only, atomic)."""

import datetime
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import FINISHED, Job, Kind, Status

logger = logging.getLogger(__name__)
RESULTS = "taches"  # folder of produced files, under MEDIA_ROOT (shared by every worker)
KEEP_DAYS = 7  # finished tasks and their files are kept this long
# Progress is written at most this often (seconds), apart from stage changes and the end.
PROGRESS_EVERY = 0.5


class JobCancelled(Exception):
    """Raised inside a running task when its owner asked to cancel it."""


class JobFailed(Exception):
    """A failure to show the user as it is: a French message and, for imports, problems."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def results_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def job_start(*, user, kind: Kind, label: str, params: dict) -> Job:
    """Record the task and put it in the queue, together (both rows commit or neither)."""
    from .jobs import run_job

    # The worker has no request: the task keeps the language the user chose, for its messages
    # and the file it produces.
    params = {**params, "language": translation.get_language() or settings.LANGUAGE_CODE}
    job = Job.objects.create(user=user, kind=kind, label=label[:300], params=params)
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


@transaction.atomic
def job_cancel(*, job: Job) -> Job:
    """A waiting task leaves the queue at once; a running one stops at its next step (an
    import still writing is rolled back whole)."""
    from django_tasks_db.models import DBTaskResult

    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.finished:
        return job
    job.cancel_requested = True
    fields = ["cancel_requested"]
    if job.status == Status.WAITING:
        DBTaskResult.objects.filter(id=job.task_id, status="READY").delete()
        job.status, job.finished_at = Status.CANCELLED, timezone.now()
        job.stage = _("Annulée avant de commencer")
        fields += ["status", "finished_at", "stage"]
    job.save(update_fields=fields)
    return job


class Progress:
    """The callback handed to the services: `progress(stage, percent)` records how far the
    task is and stops it (JobCancelled) when its owner asked to cancel."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0
        self._stage = None

    def __call__(self, stage: str, percent: int) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < PROGRESS_EVERY:
            return
        self._last, self._stage = now, stage
        percent = max(0, min(int(percent), 99))
        # Outside any transaction of the task's own work, so the browser sees it at once.
        Job.objects.filter(pk=self.job.pk).update(
            stage=str(stage)[:200], percent=percent, heartbeat=timezone.now()
        )
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled


def job_finish(*, job: Job, status: Status, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def job_run(job_id: str, runners: dict[str, Callable]) -> None:
    """Run one task in a worker: its runner gets the job and a Progress and returns what the
    user gets (fields of Job); any failure becomes a French message, never a traceback."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        job_run_in_language(job, runners)


def job_run_in_language(job: Job, runners: dict[str, Callable]) -> None:
    if job.cancel_requested:
        job_finish(job=job, status=Status.CANCELLED, stage=_("Annulée avant de commencer"))
        return
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, started_at=now, heartbeat=now, stage=_("Démarrage"), percent=0
    )
    try:
        result = runners[job.kind](job, Progress(job))
    except JobCancelled:
        job_finish(job=job, status=Status.CANCELLED, stage=_("Annulée à votre demande"))
    except JobFailed as failure:
        job_finish(
            job=job, status=Status.FAILED, message=failure.message, problems=failure.problems
        )
    except Exception:
        logger.exception("task %s (%s) failed", job.pk, job.kind)
        job_finish(
            job=job,
            status=Status.FAILED,
            message=_(
                "La tâche s'est arrêtée sur une erreur inattendue ; rien n'a été modifié. "
                "Réessayez ; si l'erreur revient, prévenez l'administrateur (tâche {id})."
            ).format(id=job.pk),
        )
    else:
        job_finish(job=job, status=Status.DONE, percent=100, stage=_("Terminée"), **result)


SILENT_MINUTES = 30  # longer than any step of the largest report


def jobs_abandoned() -> int:
    """Running tasks whose worker stopped without finishing them (killed, machine restarted)
    are said failed, with what to do, rather than shown « en cours » for ever."""
    limit = timezone.now() - datetime.timedelta(minutes=SILENT_MINUTES)
    return Job.objects.filter(status=Status.RUNNING, heartbeat__lt=limit).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        message=_(
            "Le processus de travail s'est arrêté pendant la tâche ; rien n'a été modifié. "
            "Relancez-la."
        ),
    )


def jobs_prune(*, days: int = KEEP_DAYS) -> int:
    """Forget finished tasks older than `days` and delete their files."""
    limit = timezone.now() - datetime.timedelta(days=days)
    old = Job.objects.filter(status__in=FINISHED, finished_at__lt=limit)
    for name in old.exclude(result_file="").values_list("result_file", flat=True):
        (results_folder() / Path(name).name).unlink(missing_ok=True)
    count, _details = old.delete()
    return count


def report_start(*, user, scope, fmt: str, territory: str, hide_small: bool) -> Job:
    """Queue a report of the scope in the format (reports/services.generate_report)."""
    from ancrage.core.schoolyear import school_year_label

    years = scope.years
    period = (
        school_year_label(years[0])
        if len(years) == 1
        else _("{first} à {last}").format(
            first=school_year_label(years[0]), last=school_year_label(years[-1])
        )
        if years
        else ""
    )
    label = _("Rapport {format} — {programme}, {where}, {period}").format(
        format=fmt.upper(),
        programme=scope.programme.name,
        where=territory or _("tous les territoires"),
        period=period,
    )
    params = {
        "programme": scope.programme.pk,
        "territories": None if scope.territory_ids is None else list(scope.territory_ids),
        "years": None if scope.school_years is None else list(scope.school_years),
        "territory": territory,
        "format": fmt,
        "hide_small": hide_small,
    }
    return job_start(user=user, kind=Kind.REPORT, label=label, params=params)


def import_start(*, user, token: str, file_name: str, update: dict | None = None) -> Job:
    """Queue the import of a workbook kept by the browser's upload (workbook/services); with
    `update` ({"programme": pk, "delete_missing": bool}), the update of that programme."""
    if update:
        from ancrage.programmes.models import Programme

        return update_start(
            user=user,
            token=token,
            file_name=file_name,
            programme=Programme.objects.get(pk=update["programme"]),
            delete_missing=bool(update.get("delete_missing")),
        )
    label = _("Import du classeur « {name} »").format(name=file_name or token)
    params = {"token": token, "file_name": file_name}
    return job_start(user=user, kind=Kind.IMPORT, label=label, params=params)


def update_start(*, user, token: str, file_name: str, programme, delete_missing: bool) -> Job:
    """Queue the update of a programme from a workbook kept by the browser's upload."""
    label = _("Mise à jour de « {programme} » depuis « {name} »").format(
        programme=programme.name, name=file_name or token
    )
    params = {"token": token, "programme": programme.pk, "delete_missing": delete_missing}
    return job_start(user=user, kind=Kind.UPDATE, label=label, params=params)
