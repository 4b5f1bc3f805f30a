"""Writes to the journal that are not one object's save: an import, the participants and
structures of an action, a deletion kept whole so that it can be restored."""

import datetime as dt
import json
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ancrage.activities.models import Action
from ancrage.activities.services import action_save
from ancrage.activities.summaries import reach_batch
from ancrage.programmes.versions import figures_changed
from ancrage.surveys.models import Response

from .context import object_context
from .models import Event, Kind
from .signals import RESTORED, one_entry_for


def _user(user):
    return user if getattr(user, "pk", None) else None


def record_import(
    *, user, programme, file_name: str, counts: dict, changes: list[str] = ()
) -> Event:
    """An import or an update from a workbook: one entry, with its file and what it wrote (an
    update also lists its changes, « actions:A12: modifié (enfants : 20 → 24) »)."""
    return Event.objects.create(
        user=_user(user),
        programme_id=programme.pk,
        kind=Kind.IMPORT,
        model="programmes.programme",
        object_id=programme.pk,
        object_repr=str(file_name)[:300],
        details={
            "file_name": str(file_name),
            "counts": dict(counts),
            "changes": [str(line)[:300] for line in changes][:MAX_LISTED],
        },
    )


# An action's lists of links as a journal entry heads them (translated when shown), by the key
# action_links gives each list.
LINK_HEADINGS = {
    "participants": gettext_noop("participant·es"),
    "structures": gettext_noop("structures"),
}


def record_import_on_actions(
    *, user, programme, file_name: str, changes: dict[str, list[dict]]
) -> None:
    """An update from a workbook, told also in each action it changed (its fields, its
    participants added or removed), so that the action's history tab shows it: `changes` maps
    an action's code to its changes, in the journal's form."""
    actions = Action.objects.filter(programme=programme, code__in=list(changes))
    Event.objects.bulk_create(
        Event(
            user=_user(user),
            kind=Kind.IMPORT,
            model="activities.action",
            object_id=action.pk,
            object_repr=str(action)[:300],
            changes=changes[action.code],
            details={"file_name": str(file_name)},
            **object_context(action),
        )
        for action in actions
    )


def link_change(key: str, added: list[str], removed: list[str]) -> dict:
    """Participants or structures added and removed, as a journal entry says them."""
    return {
        "field": key,
        "label": _(LINK_HEADINGS[key]),
        "old": ", ".join(sorted(removed)) or "—",
        "new": ", ".join(sorted(added)) or "—",
        "added": sorted(added),
        "removed": sorted(removed),
    }


# Rows written from a workbook are recorded by the import's single entry, not one by one.
workbook_writes = one_entry_for
MAX_LISTED = 1000


def action_links(action) -> dict[str, list[str]]:
    """An action's participants (codes) and structures (names), as its journal shows them."""
    return {
        "participants": sorted(action.participations.values_list("person__code", flat=True)),
        "structures": sorted(action.structures.values_list("name", flat=True)),
    }


def record_links(action, before: dict[str, list[str]] | None, *, user=None) -> None:
    """Add the participants and structures that changed to the action's journal entry of this
    save (or to a new entry when only they changed): they are written in bulk, without signals."""
    after = action_links(action)
    before = before or {key: [] for key in after}
    changes = []
    for key in LINK_HEADINGS:
        added = sorted(set(after[key]) - set(before[key]))
        removed = sorted(set(before[key]) - set(after[key]))
        if added or removed:
            changes.append(link_change(key, added, removed))
    event = action.__dict__.pop("_audit_event", None)
    if not changes:
        return
    if event is not None and event.object_id == action.pk:
        event.changes = event.changes + changes
        event.save(update_fields=["changes"])
        return
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    Event.objects.create(
        user=_user(user) or _user(getattr(request, "user", None)),
        kind=Kind.UPDATE,
        model="activities.action",
        object_id=action.pk,
        object_repr=str(action)[:300],
        changes=changes,
        **object_context(action),
    )


def _collect(instance) -> list:
    """The object and everything its deletion takes with it, parents before children."""
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    collector.sort()
    objects = []
    for model in reversed(list(collector.data)):
        objects.extend(sorted(collector.data[model], key=lambda o: o.pk))
    for queryset in collector.fast_deletes:  # rows nothing depends on: restored last
        objects.extend(queryset)
    return objects


def counts_of(objects) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for obj in objects:
        counts[obj._meta.label_lower] += 1
    return dict(counts)


@transaction.atomic
def delete_with_snapshot(instance, *, user, details: dict | None = None) -> Event:
    """Delete an object with what depends on it, keeping all of it in the journal."""
    objects = _collect(instance)
    snapshot = json.loads(serializers.serialize("json", objects))
    instance._history_user = _user(user)
    context = object_context(instance)
    repr_ = str(instance)[:300]
    with one_entry_for(instance):
        instance.delete()
    entry = (
        Event.objects.filter(model=instance._meta.label_lower, object_id=snapshot[0]["pk"])
        .filter(kind=Kind.DELETE)
        .first()
    )
    if entry is None:  # an object without history tables
        entry = Event(kind=Kind.DELETE, model=instance._meta.label_lower, object_repr=repr_)
        entry.object_id = snapshot[0]["pk"]
        entry.user = _user(user)
        for name, value in context.items():
            setattr(entry, name, value)
    entry.snapshot = snapshot
    entry.details = {"counts": counts_of(objects), **(details or {})}
    entry.save()
    return entry


def expired_snapshots(*, days: int | None = None):
    """Deletions kept whole for longer than the retention (ANCRAGE_DELETION_RETENTION_DAYS,
    or `days`); none when it is 0 (kept for ever)."""
    days = settings.ANCRAGE_DELETION_RETENTION_DAYS if days is None else days
    if days <= 0:
        return Event.objects.none()
    limit = timezone.now() - dt.timedelta(days=days)
    return Event.objects.filter(snapshot__isnull=False, at__lt=limit)


@transaction.atomic
def snapshots_purge(*, days: int | None = None) -> tuple[int, int]:
    """Drop what expired deletions kept for restoring, and the versions the history tables
    keep of it (a deletion no longer restorable is gone for good); their entries stay (who
    deleted what, when, with what counts) and say when the rest was dropped. Returns the
    deletions purged and the versions dropped."""
    purged = dropped = 0
    now = timezone.now().isoformat(timespec="seconds")
    expired = expired_snapshots(days=days).only("pk", "details", "snapshot", "restored_at")
    for event in expired.iterator(chunk_size=200):
        # A restored deletion's objects live again, with their history.
        versions = _versions_drop(event.snapshot) if event.restored_at is None else 0
        event.snapshot = None
        event.details = {
            **(event.details or {}),
            "snapshot_purged_at": now,
            "versions_purged": versions,
        }
        event.save(update_fields=["snapshot", "details"])
        purged += 1
        dropped += versions
    return purged, dropped


def _versions_drop(snapshot: list[dict]) -> int:
    """Drop the versions the history tables keep of the rows a deletion took (the action, its
    participations, structure links, collections, report sheet…), not of a row alive again."""
    ids: dict[str, set] = defaultdict(set)
    for item in snapshot:
        ids[item["model"]].add(item["pk"])
    dropped = 0
    for label, pks in ids.items():
        model = apps.get_model(label)
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None:
            continue  # not versioned (answers: only the snapshot kept them)
        alive = set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        versions = getattr(model, manager).model.objects
        gone = {f"{model._meta.pk.attname}__in": sorted(pks - alive)}
        dropped += versions.filter(**gone).delete()[0]
    return dropped


def _missing_references(objects) -> list[str]:
    """What the deleted objects pointed to and no longer exists (a person, a structure…)."""
    present = defaultdict(set)
    for obj in objects:
        present[obj._meta.label_lower].add(obj.pk)
    wanted = defaultdict(set)
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if field.is_relation and value is not None:
                model = field.related_model
                if value not in present[model._meta.label_lower]:
                    wanted[model].add(value)
    missing = []
    for model, ids in wanted.items():
        found = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        missing += [f"{model._meta.verbose_name} n° {pk}" for pk in sorted(ids - found)]
    return missing


@transaction.atomic
def restore_snapshot(event: Event, *, user) -> list:
    """Put a deleted object back with what went with it, under the same numbers; refused in
    French when something it needs is gone or its code is taken meanwhile."""
    if event.snapshot is None or event.restored_at is not None:
        raise ValidationError(_("Cette suppression a déjà été restaurée ou ne peut pas l'être."))
    objects = [d.object for d in serializers.deserialize("json", json.dumps(event.snapshot))]
    missing = _missing_references(objects)
    if missing:
        raise ValidationError(
            _("Restauration impossible : n'existe plus : {items}.").format(
                items=", ".join(missing[:10])
            )
        )
    try:
        with transaction.atomic():
            for obj in objects:
                obj.save_base(raw=True, force_insert=True)
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Restauration impossible : un objet du même code ou du même identifiant a été "
                "créé depuis la suppression ({model})."
            ).format(model=obj._meta.verbose_name)
        ) from error
    with one_entry_for(objects[0]):
        for obj in objects:
            if hasattr(obj._meta, "simple_history_manager_attribute"):
                obj._change_reason = RESTORED
                obj._history_user = _user(user)
                obj.save()  # a history record of the restoration (one journal entry: the root)
    event.restored_at = timezone.now()
    event.save(update_fields=["restored_at"])
    return objects


def action_save_recorded(programme, action, **fields) -> Action:
    """`action_save`, with its participants and structures added to the action's journal entry:
    they are written in bulk, without signals, so the journal is told here."""
    before = action_links(action) if action is not None else None
    action = action_save(programme, action, **fields)
    record_links(action, before)
    return action


def action_deletion_summary(action: Action) -> dict:
    """What deleting an action takes with it, said on the confirmation page."""
    return {
        "participations": action.participations.count(),
        "structures": action.structures.count(),
        "collections": action.collections.count(),
        "responses": Response.objects.filter(collection__action=action).count(),
    }


@transaction.atomic
def action_delete(*, action: Action, user):
    """Delete an action with its participations, structure links, collections and their
    answers, report sheet and meeting record; all of it is kept in the journal and comes back
    with `action_restore`. The people and structures themselves stay."""
    details = {"code": action.code, "summary": action_deletion_summary(action)}
    figures_changed(action.programme_id, (action.territory_id,))
    with reach_batch():  # its people and structures refreshed once, after the deletion
        return delete_with_snapshot(action, user=user, details=details)


@transaction.atomic
def action_restore(*, event, user) -> Action:
    """Bring a deleted action back from the journal, with everything deleted with it."""
    with reach_batch():
        objects = restore_snapshot(event, user=user)
    action = next(o for o in objects if isinstance(o, Action))
    figures_changed(action.programme_id, (action.territory_id,))
    return action
