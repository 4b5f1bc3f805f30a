"""Every history record of a tracked object becomes one journal entry, with its changed fields
said in words (the historical tables keep the full versions)."""

import threading
from contextlib import contextmanager

from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from ancrage.activities.signals import links_created

from .context import object_context, readable
from .models import LINKS, Event, Kind

KINDS = {"+": Kind.CREATE, "~": Kind.UPDATE, "-": Kind.DELETE}
# The models of an action's links (its participations, its structure links), by Django label:
# their versions are kept, their journal entry is their action's (services.record_links).
LINK_MODEL_LABELS = {model._meta.label_lower for model in LINKS}
RESTORED = "restauration"
# While an object is deleted or restored with what depends on it, only the object itself gets
# an entry (it carries the rest); the dependants keep their versions in the history tables.
operation = threading.local()


@contextmanager
def one_entry_for(instance=None):
    """Only `instance` gets journal entries meanwhile (none at all without one: an import or an
    update from a workbook, which records its own single entry)."""
    previous = getattr(operation, "root", None)
    operation.root = (instance._meta.label_lower, instance.pk) if instance else ("", None)
    try:
        yield
    finally:
        operation.root = previous


def _changes(history_instance, instance) -> list[dict]:
    """The fields that changed since the previous version (all filled ones on creation);
    fields the user never edits (copies kept for the figures) are left out."""
    fields = {f.attname: f for f in instance._meta.concrete_fields if f.editable}
    fields.pop(instance._meta.pk.attname, None)
    if history_instance.history_type == "~":
        # Compared with the row as it was read before the save: objects written in bulk (an
        # import) have no earlier version in the history tables.
        before = instance.__dict__.pop("_audit_before", None) or {}
        pairs = [
            (name, before.get(name), getattr(instance, name))
            for name in fields
            if name in before and before[name] != getattr(instance, name)
        ]
    elif history_instance.history_type == "+":
        pairs = [(name, None, getattr(instance, name)) for name in fields]
    else:
        return []
    result = []
    for name, old, new in pairs:
        field = fields.get(name) or next((f for f in fields.values() if f.name == name), None)
        if field is None or (new in (None, "") and old in (None, "")):
            continue
        result.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "old": readable(field, old),
                "new": readable(field, new),
            }
        )
    return result


def remember_before(sender, instance, raw=False, **kwargs) -> None:
    """The stored row before an update, to name the fields that change."""
    if raw or instance.pk is None or instance._state.adding:
        return
    fields = [f.attname for f in instance._meta.concrete_fields]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()


def connect(models_) -> None:
    for model in models_:
        pre_save.connect(remember_before, sender=model, dispatch_uid=f"audit-{model._meta.label}")


@receiver(links_created)
def links_history(sender, rows, **kwargs) -> None:
    """Participations and structure links written in bulk by the services: one version each,
    by the user of the request (none on the command line)."""
    if rows:
        sender.history.bulk_history_create(rows)


@receiver(post_create_historical_record)
def journal_entry(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    if instance._meta.label_lower in LINK_MODEL_LABELS:
        return  # told by their action's entry (services.record_links)
    root = getattr(operation, "root", None)
    if root is not None and root != (instance._meta.label_lower, instance.pk):
        return
    kind = KINDS[history_instance.history_type]
    if history_instance.history_change_reason == RESTORED:
        kind = Kind.RESTORE
    changes = _changes(history_instance, instance)
    if kind == Kind.UPDATE and not changes:
        return  # only copies kept for the figures moved (the historical row keeps them)
    context = object_context(instance)
    instance._audit_event = Event.objects.create(
        user=history_user if getattr(history_user, "pk", None) else None,
        kind=kind,
        model=instance._meta.label_lower,
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        changes=changes,
        **context,
    )
