"""History tabs (an action, a structure, a person), the programme's log for the coordination."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ancrage.accounts.selectors import (
    can_coordinate,
    check_territory,
    is_read_only,
    programme_or_404,
    territory_scope,
)
from ancrage.activities.models import Action, Person, Structure
from ancrage.activities.selectors import people_in_scope
from ancrage.programmes.models import Programme

from .context import object_context
from .models import Kind
from .selectors import last_territory, object_history, programme_log

PAGE_SIZE = 50
MODELS = {
    "activities.action": Action,
    "activities.structure": Structure,
    "activities.person": Person,
}


def _history_page(request, model: str, pk: int, *, back: str = ""):
    """One object's history: visible to those who may change it in its territory (a deleted
    action keeps the territory it was last seen in)."""
    obj = MODELS[model]._base_manager.filter(pk=pk).first()
    events = object_history(model, pk)
    first = events.first()
    if obj is None and first is None:
        raise Http404
    programme_id = obj.programme_id if obj is not None else first.programme_id
    programme = get_object_or_404(Programme, pk=programme_id)
    if is_read_only(request.user, programme):
        raise PermissionDenied  # the journal names people and per-person changes
    territory = object_context(obj)["territory_id"] if obj else last_territory(model, pk)
    scope = territory_scope(request.user, programme)
    if scope is not None and model == "activities.person":
        # Her territories' people and the programme's: another territory's person listed on
        # one of her actions shows in her register without structure or territory, and their
        # history (structure, territory, profession changes) is not hers to read either.
        if not people_in_scope(programme, scope).filter(pk=pk).exists():
            raise Http404
    elif scope is not None:
        check_territory(request.user, programme, territory, edit=True)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.html",
        {
            "programme": programme,
            "object": obj,
            "label": str(obj) if obj is not None else first.object_repr,
            "page": page,
            "back": back,
        },
    )


@login_required
def action_history(request, pk: int):
    return _history_page(request, "activities.action", pk)


@login_required
def structure_history(request, pk: int):
    return _history_page(request, "activities.structure", pk)


@login_required
def person_history(request, pk: int):
    return _history_page(request, "activities.person", pk)


@login_required
def log(request):
    """Everything that changed in the programme, newest first (the coordination only)."""
    programme, programmes = programme_or_404(request)
    if not can_coordinate(request.user, programme):
        raise PermissionDenied
    kind = request.GET.get("type", "")
    events = programme_log(programme, kind=kind)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "programme": programme,
            "programmes": programmes,
            "page": page,
            "kinds": Kind.choices,
            "kind": kind,
            "title": _("Journal des modifications"),
        },
    )
