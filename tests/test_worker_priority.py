"""The task worker gives way to the pages: its own process lowers its priority, and so does its
PostgreSQL server process, where a report's queries run (docs/performance.md)."""

import os

import pytest
from django.db import connection

from ancrage.tasks.management.commands.worker import _is_local_postgres, _lower_database_priority

from .test_concurrency import needs_postgres

pytestmark = pytest.mark.django_db


@needs_postgres
def test_the_worker_s_database_process_takes_one_core_at_a_lowered_priority():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    local = _is_local_postgres(pid)
    before = os.getpriority(os.PRIO_PROCESS, pid) if local else None
    try:
        _lower_database_priority(3)(sender=None, connection=connection)
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
        if local and os.geteuid() == 0:  # allowed to lower another user's process
            assert os.getpriority(os.PRIO_PROCESS, pid) == max(before, 3)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
        if local and os.geteuid() == 0:
            os.setpriority(os.PRIO_PROCESS, pid, before)


def test_a_process_of_another_program_is_never_taken_for_the_database_s():
    assert not _is_local_postgres(os.getpid())
    assert not _is_local_postgres(2**22 + 12345)  # no such process
