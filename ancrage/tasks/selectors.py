"""Reads of a user's background tasks."""

from ancrage.core.errors import NotFound

from .models import Job
from .services import jobs_abandoned

LISTED = 50


def jobs_for_user(user):
    jobs_abandoned()
    return Job.objects.filter(user=user)[:LISTED]


def job_for_user(user, pk) -> Job:
    """One of the user's own tasks: another's is NotFound (a 404), as if it did not exist."""
    job = Job.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise NotFound
    return job
