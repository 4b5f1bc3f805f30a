"""A user's background task as the user sees it: what it does, how far it is, its result.

The queue itself is django-tasks' database backend (django_tasks_db): it stores what to run and
hands it to one worker. A `Job` adds what the user needs and the queue does not keep: the owner,
a French label, the stage and percentage reached, a cancellation request, the file or page to
open at the end and a French message when it fails."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT = "report", _("Rapport")
    IMPORT = "import", _("Import d'un classeur")
    UPDATE = "update", _("Mise à jour depuis un classeur")
    RESPONSES = "responses", _("Import de réponses")


class Status(models.TextChoices):
    WAITING = "waiting", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    FAILED = "failed", _("Échouée")
    CANCELLED = "cancelled", _("Annulée")


FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("intitulé"), max_length=300)
    params = models.JSONField(_("paramètres"), default=dict)
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    stage = models.CharField(_("étape"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    cancel_requested = models.BooleanField(_("annulation demandée"), default=False)
    # What the user gets at the end: a file kept under MEDIA_ROOT, or a page of the app.
    result_file = models.CharField(_("fichier produit"), max_length=300, blank=True)
    result_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    result_type = models.CharField(_("type du fichier"), max_length=120, blank=True)
    result_url = models.CharField(_("page du résultat"), max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    problems = models.JSONField(_("problèmes"), default=list, blank=True)
    task_id = models.CharField(_("tâche de la file"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finie le"), null=True, blank=True)
    # Written at each step: a running task silent for long lost its worker (killed, restarted).
    heartbeat = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tasks:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def can_cancel(self) -> bool:
        return not self.finished and not self.cancel_requested
