"""Where a tracked object belongs (programme, territory, parent action) and its values in
words, read when its journal entry is written."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext as _


def _action_context(action_id) -> dict:
    from ancrage.activities.models import Action

    row = Action.objects.filter(pk=action_id).values("programme_id", "territory_id").first()
    return {
        "programme_id": row["programme_id"] if row else None,
        "territory_id": row["territory_id"] if row else None,
        "parent_model": "activities.action",
        "parent_id": action_id,
    }


def _territory_of(instance) -> int | None:
    if getattr(instance, "territory_id", None):
        return instance.territory_id
    label = instance._meta.label_lower
    if label == "activities.structure":
        return instance.commune.territory_id if instance.commune_id else None
    if label == "activities.person" and instance.structure_id:
        structure = type(instance).structure.field.related_model.objects.filter(
            pk=instance.structure_id
        )
        return structure.values_list("commune__territory_id", flat=True).first()
    return None


def object_context(instance) -> dict:
    label = instance._meta.label_lower
    if label == "programmes.programme":
        return {"programme_id": instance.pk}
    if getattr(instance, "action_id", None) and label != "activities.action":
        return _action_context(instance.action_id)
    if label == "evaluation.reportcriterion":
        from ancrage.evaluation.models import ActionReport

        action_id = ActionReport.objects.filter(pk=instance.report_id).values_list(
            "action_id", flat=True
        )
        return _action_context(action_id.first())
    programme_id = getattr(instance, "programme_id", None)
    if programme_id is None and getattr(instance, "theme_id", None):
        programme_id = (
            type(instance)
            .theme.field.related_model.objects.filter(pk=instance.theme_id)
            .values_list("programme_id", flat=True)
            .first()
        )
    return {"programme_id": programme_id, "territory_id": _territory_of(instance)}


def readable(field: models.Field, value) -> str:
    """A stored value as the user reads it: a choice's label, a related object's name, a
    French date, oui/non."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)[:300]
