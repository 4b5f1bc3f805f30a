"""Who may see and change what: every view asks here, on the server. What the user may not
know of is NotFound (core.errors), which the web answers with a 404."""

import dataclasses

from django.core.exceptions import PermissionDenied

from ancrage.activities.models import Action
from ancrage.core.errors import NotFound
from ancrage.programmes.models import Programme
from ancrage.programmes.scope import Scope, ScopeError, build_scope

from .models import Membership, Role


def membership_of(user, programme: Programme) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, programme=programme, accepted=True).first()


def territory_scope(user, programme: Programme) -> set[int] | None:
    """The territory ids a user may see: None for all, an empty set for none."""
    if user.is_authenticated and user.is_superuser:
        return None
    membership = membership_of(user, programme)
    if membership is None:
        return set()
    territories = set(membership.territories.values_list("pk", flat=True))
    if membership.role == Role.PROJECT_MANAGER:
        return territories
    if membership.role == Role.VIEWER and territories:
        return territories  # a funder or partner limited to some territories
    return None


def territories_for_user(user, programme: Programme):
    """The programme's territories the user may see, by code (a queryset)."""
    allowed = territory_scope(user, programme)
    territories = programme.territories.order_by("code")
    return territories if allowed is None else territories.filter(pk__in=allowed)


def can_edit(user, programme: Programme) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    membership = membership_of(user, programme)
    return membership is not None and membership.role != Role.VIEWER


def check_territory(user, programme: Programme, territory_id: int, *, edit: bool) -> None:
    """404 outside the user's territories (the object is not theirs to know of); 403 when a
    read-only role asks to change something."""
    scope = territory_scope(user, programme)
    if scope is not None and territory_id not in scope:
        raise NotFound
    if edit and not can_edit(user, programme):
        raise PermissionDenied


def get_action_for_user(user, pk: int, *, edit: bool):
    """The action a page is about, with its programme and territory: 404 when it does not
    exist or lies outside the user's territories, 403 when a read-only role would change it."""
    action = Action.objects.select_related("programme", "territory").filter(pk=pk).first()
    if action is None:
        raise NotFound
    check_territory(user, action.programme, action.territory_id, edit=edit)
    return action


def programmes_for_user(user):
    """The programmes a user has a role in (all of them for an administrator)."""
    queryset = Programme.objects.order_by("-created_at", "-pk")
    if user.is_superuser:
        return queryset
    return queryset.filter(memberships__user=user, memberships__accepted=True)


def is_read_only(user, programme: Programme) -> bool:
    return not can_edit(user, programme)


def scope_for_user(user, programme: Programme, territory_code: str = "", year: str = ""):
    """The Scope a page shows: the user's territories, narrowed by the page's filters (a
    territory code, a school year's start year; an unknown year shows them all).
    Returns (scope, the territories the user may choose from); 404 for another's territory."""
    restricted = territory_scope(user, programme) is not None
    territories = list(territories_for_user(user, programme))
    years = programme.school_years
    span = (int(year), int(year)) if year.isdigit() and int(year) in years else None
    # A chosen territory is looked for among those the user sees (no query); without one, an
    # unrestricted user's scope is the whole programme, its programme-wide rows included.
    visible = territories if restricted or territory_code else None
    try:
        scope = build_scope(programme, territory_code=territory_code, visible=visible, years=span)
    except ScopeError:
        raise NotFound from None
    return scope, territories


def programme_for_request(request) -> tuple[Programme | None, list[Programme]]:
    """The programme a page shows (?programme=pk among the user's, else the most recent) and
    the list the user may switch between."""
    programmes = list(programmes_for_user(request.user))
    wanted = request.GET.get("programme")
    programme = next((p for p in programmes if str(p.pk) == wanted), None)
    return programme or (programmes[0] if programmes else None), programmes


def scope_for_years(scope: Scope, first: str, last: str) -> Scope:
    """Narrow a Scope to the school years first..last (start years as given by the filters);
    unknown years fall back to the programme's first or last, reversed years leave it as is."""
    years = scope.programme.school_years
    if not years:
        return scope
    start = int(first) if first.isdigit() and int(first) in years else years[0]
    end = int(last) if last.isdigit() and int(last) in years else years[-1]
    if end < start or (start, end) == (years[0], years[-1]):
        return scope
    return dataclasses.replace(scope, school_years=tuple(range(start, end + 1)))


def can_coordinate(user, programme: Programme) -> bool:
    """Programme-wide changes (creating a territory, importing a workbook): the coordination
    and administrators only."""
    if user.is_authenticated and user.is_superuser:
        return True
    membership = membership_of(user, programme)
    return membership is not None and membership.role == Role.COORDINATOR


def can_import(user) -> bool:
    """Importing a workbook creates a programme: administrators and coordinators only."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Role.COORDINATOR, accepted=True).exists()
    )


def programme_or_404(request) -> tuple[Programme, list[Programme]]:
    """`programme_for_request`, for pages that make no sense without a programme."""
    programme, programmes = programme_for_request(request)
    if programme is None:
        raise NotFound
    return programme, programmes
