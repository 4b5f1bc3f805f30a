"""Run the queued background tasks as `ancrage worker` does, in the test's own thread (the
test database, in memory on SQLite, is only reachable from here and the live server)."""

from unittest import mock

from django.core.management import call_command


def run_queued_tasks() -> None:
    # The worker drops connections between tasks as a long-running process should; inside a
    # test that would close the test's own transaction (PostgreSQL), so it keeps it here.
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        # The test's process is not a worker's: its priority and its database's stay as they
        # are (tests/test_worker_priority.py checks the lowering).
        call_command("worker", batch=True, interval=0, verbosity=0, niceness=0)
