"""The audit trail: django-simple-history keeps every version of the domain objects (its
historical tables all live in this app, so that no other app's migrations change), and
`Event` is the readable journal built from them: who, when, what, which fields changed, plus
the events that are not one object's save (an import, a deletion kept for restoring)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history import register

from ancrage.accounts.models import Membership
from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.evaluation import models as evaluation
from ancrage.programmes.models import CoordinationDays, DeclaredTotal, Objective, Programme
from ancrage.surveys.models import Collection, Questionnaire
from ancrage.territories.models import Territory

# Domain objects whose every create, update and delete is kept (a version in the history
# tables and an entry in the journal). Anonymous responses are never edited: their imports and
# collections are events.
TRACKED = [
    Programme,
    Objective,
    CoordinationDays,
    DeclaredTotal,
    Territory,
    Structure,
    Person,
    Action,
    Questionnaire,
    Collection,
    Membership,
    evaluation.Theme,
    evaluation.EvaluationIndicator,
    evaluation.EvaluationSettings,
    evaluation.MeetingRecord,
    evaluation.Referent,
    evaluation.Partner,
    evaluation.HealthContract,
    evaluation.ContextNote,
    evaluation.ActionReport,
    evaluation.ReportCriterion,
    evaluation.AstaireRating,
    evaluation.CandidateTerritory,
]

# Participations and an action's structure links keep their own versions too (who added or
# removed them, when: the services tell it, activities/signals.py); in the journal they are the
# « participant·es » and « structures » of their action's entry (audit/services.py).
LINKS = [Participation, ActionStructure]

for _model in TRACKED + LINKS:
    register(
        _model,
        app="ancrage.audit",
        verbose_name=format_lazy(_("historique : {}"), _model._meta.verbose_name),
        verbose_name_plural=format_lazy(_("historique : {}"), _model._meta.verbose_name_plural),
    )


class Kind(models.TextChoices):
    CREATE = "creation", _("Création")
    UPDATE = "modification", _("Modification")
    DELETE = "suppression", _("Suppression")
    RESTORE = "restauration", _("Restauration")
    IMPORT = "import", _("Import")


class Event(models.Model):
    """One line of the journal."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Kept as plain numbers so that the journal outlives what it describes.
    programme_id = models.BigIntegerField(_("programme"), null=True, db_index=True)
    territory_id = models.BigIntegerField(_("territoire"), null=True)
    kind = models.CharField(_("événement"), max_length=16, choices=Kind.choices)
    model = models.CharField(_("objet"), max_length=64)
    object_id = models.BigIntegerField(null=True)
    object_repr = models.CharField(_("libellé"), max_length=300)
    # The object this one belongs to (an action's collection, report sheet…), for its tab.
    parent_model = models.CharField(max_length=64, blank=True)
    parent_id = models.BigIntegerField(null=True)
    changes = models.JSONField(_("champs modifiés"), default=list)
    details = models.JSONField(_("détails"), default=dict)
    # A deleted action with everything that went with it, for restoring it.
    snapshot = models.JSONField(null=True, editable=False)
    restored_at = models.DateTimeField(_("restaurée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des modifications")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["model", "object_id"]),
            models.Index(fields=["parent_model", "parent_id"]),
            models.Index(fields=["programme_id", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_repr}"

    @property
    def restorable_until(self) -> dt.datetime | None:
        """The last day a deletion can be restored (`ancrage purge_journal` then drops what
        it kept); None when deletions are kept for ever."""
        days = settings.ANCRAGE_DELETION_RETENTION_DAYS
        return self.at + dt.timedelta(days=days) if days > 0 and self.at else None
