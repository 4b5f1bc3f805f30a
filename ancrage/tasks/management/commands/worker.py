"""`ancrage worker`: runs the background tasks (reports, imports) queued in the database."""

import logging
import os
import socket
import sys
from pathlib import Path

from django.db import connection
from django.db.backends.signals import connection_created
from django.utils.crypto import get_random_string
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker

from ancrage.core.commands import AncrageCommand
from ancrage.tasks.models import Job
from ancrage.tasks.services import jobs_abandoned, jobs_prune


def _is_local_postgres(pid: int) -> bool:
    """Whether this machine's process `pid` is a PostgreSQL server process (a server on
    another machine, or in a container, numbers its processes otherwise)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return False


def _lower_database_priority(niceness: int):
    """The report's queries run in the PostgreSQL server's process for this worker, not in
    the worker: left as they were, a national report's parallel queries took both cores from
    the pages. Each connection of the worker gives up parallel query (one core at most) and,
    when the server runs on this machine and the worker may (root, or CAP_SYS_NICE, which the
    service unit grants), lowers that server process's priority as its own."""

    def lower(sender, connection, **kwargs) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        if _is_local_postgres(pid):
            try:
                lowered = max(niceness, os.getpriority(os.PRIO_PROCESS, pid))
                os.setpriority(os.PRIO_PROCESS, pid, lowered)
            except OSError:  # not allowed: parallel query is off all the same
                pass

    return lower


class Command(AncrageCommand):
    help = (
        "Exécute les tâches en arrière-plan (rapports, imports) mises en file par "
        "l'application web. Lancez-en un ou plusieurs, sur cette machine ou d'autres qui "
        "partagent la base et MEDIA_ROOT ; arrêt propre par Ctrl-C ou SIGTERM (la tâche en "
        "cours se termine d'abord)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--intervalle",
            type=float,
            default=1.0,
            dest="interval",
            help="secondes d'attente quand la file est vide (défaut : 1)",
        )
        parser.add_argument(
            "--une-fois",
            action="store_true",
            dest="batch",
            help="exécute les tâches en attente puis s'arrête",
        )
        parser.add_argument(
            "--max-taches",
            type=int,
            default=None,
            dest="max_tasks",
            metavar="N",
            help="s'arrête après N tâches (un gestionnaire de services le relance)",
        )

        parser.add_argument(
            "--priorite-basse",
            type=int,
            default=10,
            dest="niceness",
            metavar="N",
            help="baisse la priorité du processus de N (nice, 0 à 19, défaut : 10) : sur une "
            "machine partagée avec le serveur web, les pages passent devant les rapports",
        )

    def handle(self, *args, interval: float, batch: bool, max_tasks: int | None, **options):
        # A report is seconds of CPU in this process; the web's requests are milliseconds:
        # lowered priority keeps the dashboard fast while reports are produced.
        if options["niceness"] > 0:
            niceness = min(options["niceness"], 19)
            os.nice(niceness)
            lower = _lower_database_priority(niceness)
            connection_created.connect(lower, weak=False, dispatch_uid="ancrage-worker-priority")
            if connection.connection is not None:  # opened already (checks, the command line)
                lower(sender=None, connection=connection)
        # The queue's own log lines are for debugging (in English): errors only, unless -v 2.
        log = logging.getLogger("django_tasks_db")
        if not log.handlers:
            log.addHandler(logging.StreamHandler(sys.stderr))
        log.setLevel(logging.INFO if options["verbosity"] > 1 else logging.ERROR)
        if options["verbosity"] > 0:
            task_started.connect(self._started, weak=False)
            task_finished.connect(self._finished, weak=False)
        jobs_abandoned()
        jobs_prune()
        worker_id = f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"Processus de travail {worker_id} prêt : il attend les tâches.")
        if not batch:
            worker.configure_signals()
        worker.run()

    def _job(self, task_result):
        return Job.objects.filter(pk=(task_result.args or [None])[0]).first()

    def _started(self, sender, task_result, **kwargs):
        job = self._job(task_result)
        self.stdout.write(f"Tâche commencée : {job.label if job else task_result.id}")

    def _finished(self, sender, task_result, **kwargs):
        job = self._job(task_result)
        if job is not None:
            self.stdout.write(f"Tâche {job.get_status_display().lower()} : {job.label}")
