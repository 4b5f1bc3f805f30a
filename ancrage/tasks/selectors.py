"""Reads of a user's background tasks."""

from django.http import Http404

from .models import Job
from .services import jobs_abandoned

LISTED = 50


def jobs_for_user(user):
    jobs_abandoned()
    return Job.objects.filter(user=user)[:LISTED]


def job_for_user(user, pk) -> Job:
    """One of the user's own tasks: another's answers 404, as if it did not exist."""
    job = Job.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise Http404
    return job
