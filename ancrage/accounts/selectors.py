"""Who may see and change what: every view asks here, on the server."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ancrage.programmes.models import Programme

from .models import Membership, Role


def membership_of(user, programme: Programme) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, programme=programme).first()


def territory_scope(user, programme: Programme) -> set[int] | None:
    """The territory ids a user may see: None for all, an empty set for none."""
    if user.is_authenticated and user.is_superuser:
        return None
    membership = membership_of(user, programme)
    if membership is None:
        return set()
    if membership.role == Role.PROJECT_MANAGER:
        return set(membership.territories.values_list("pk", flat=True))
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
        raise Http404
    if edit and not can_edit(user, programme):
        raise PermissionDenied


def programmes_for_user(user):
    """The programmes a user has a role in (all of them for an administrator)."""
    queryset = Programme.objects.order_by("-created_at", "-pk")
    if user.is_superuser:
        return queryset
    return queryset.filter(memberships__user=user)


def is_read_only(user, programme: Programme) -> bool:
    return not can_edit(user, programme)


def scope_for_user(user, programme: Programme, territory_code: str = "", year: str = ""):
    """The Scope a page shows: the user's territories, narrowed by the page's filters.
    Returns (scope, the territories the user may choose from); 404 for another's territory."""
    from ancrage.programmes.scope import Scope

    allowed = territory_scope(user, programme)
    territories = list(territories_for_user(user, programme))
    if territory_code:
        chosen = tuple(t.pk for t in territories if t.code == territory_code)
        if not chosen:
            raise Http404
        territory_ids = chosen
    else:
        territory_ids = tuple(t.pk for t in territories) if allowed is not None else None
    years = programme.school_years
    school_years = (int(year),) if year.isdigit() and int(year) in years else None
    return Scope(programme, territory_ids=territory_ids, school_years=school_years), territories


def programme_for_request(request) -> tuple[Programme | None, list[Programme]]:
    """The programme a page shows (?programme=pk among the user's, else the most recent) and
    the list the user may switch between."""
    programmes = list(programmes_for_user(request.user))
    wanted = request.GET.get("programme")
    programme = next((p for p in programmes if str(p.pk) == wanted), None)
    return programme or (programmes[0] if programmes else None), programmes


def scope_for_years(scope, first: str, last: str):
    """Narrow a Scope to the school years first..last (start years as given by the filters);
    unknown or reversed years leave it as it is."""
    import dataclasses

    years = scope.programme.school_years
    if not (first.isdigit() and int(first) in years):
        first = str(years[0]) if years else ""
    if not (last.isdigit() and int(last) in years):
        last = str(years[-1]) if years else ""
    if not years or int(last) < int(first):
        return scope
    chosen = tuple(y for y in years if int(first) <= y <= int(last))
    if len(chosen) == len(years):
        return scope
    return dataclasses.replace(scope, school_years=chosen)


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
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()


def programme_or_404(request) -> tuple[Programme, list[Programme]]:
    """`programme_for_request`, for pages that make no sense without a programme."""
    programme, programmes = programme_for_request(request)
    if programme is None:
        raise Http404
    return programme, programmes
