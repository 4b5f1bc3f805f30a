"""Reading the journal: an object's history tab, the programme's log, the deleted actions a
user may restore; always within the user's territories."""

from django.db.models import Q

from .models import Event, Kind


def _in_scope(events, allowed: set[int] | None):
    if allowed is None:
        return events
    return events.filter(territory_id__in=allowed)


def object_history(model: str, object_id: int):
    """An object's entries, with those of what belongs to it (an action's collections…)."""
    return Event.objects.filter(
        Q(model=model, object_id=object_id) | Q(parent_model=model, parent_id=object_id)
    ).select_related("user")


def last_territory(model: str, object_id: int) -> int | None:
    """Where an object was last seen, even after its deletion (for the scope check)."""
    return (
        Event.objects.filter(model=model, object_id=object_id)
        .values_list("territory_id", flat=True)
        .first()
    )


def programme_log(programme, *, kind: str = "", model: str = ""):
    events = Event.objects.filter(programme_id=programme.pk).select_related("user")
    if kind in Kind.values:
        events = events.filter(kind=kind)
    if model:
        events = events.filter(model=model)
    return events


def deleted_actions(programme, allowed: set[int] | None):
    """Deleted actions not yet restored, within the user's territories."""
    events = Event.objects.filter(
        programme_id=programme.pk,
        model="activities.action",
        kind=Kind.DELETE,
        snapshot__isnull=False,
        restored_at__isnull=True,
    ).select_related("user")
    return _in_scope(events, allowed)
