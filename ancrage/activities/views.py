"""Actions: the list with filters, the form (create, edit, duplicate) with participants typed
as codes, and the action's report sheet ("fiche bilan")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.accounts.selectors import (
    can_coordinate,
    can_edit,
    check_territory,
    get_action_for_user,
    programme_or_404,
    territories_for_user,
    territory_scope,
)
from ancrage.audit.models import Event, Kind
from ancrage.audit.selectors import deleted_actions
from ancrage.audit.services import (
    action_delete,
    action_deletion_summary,
    action_restore,
    action_save_recorded,
)
from ancrage.core.numbers import fr_int
from ancrage.core.schoolyear import school_year_label
from ancrage.programmes.models import Programme
from ancrage.programmes.vocabulary import Modality

from .forms import ActionForm
from .models import Action
from .selectors import next_action_code

PAGE_SIZE = 50


@login_required
def action_list(request):
    programme, programmes = programme_or_404(request)
    territories = territories_for_user(request.user, programme)
    actions = Action.objects.filter(programme=programme)
    if territory_scope(request.user, programme) is not None:
        actions = actions.filter(territory__in=territories)
    actions = actions.select_related("territory", "commune").order_by("-start", "code")
    code = request.GET.get("territoire", "")
    modality = request.GET.get("modalite", "")
    year = request.GET.get("annee", "")
    text = request.GET.get("q", "").strip()
    if code:
        actions = actions.filter(territory__code=code)
    if modality in Modality.values:
        actions = actions.filter(modality=modality)
    if year.isdigit():
        actions = actions.filter(school_year=int(year))
    if text:
        actions = actions.filter(Q(code__icontains=text) | Q(title__icontains=text))
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    # Participants of the shown page only: one grouped query for 50 actions.
    listed = dict(
        Action.objects.filter(pk__in=[a.pk for a in page])
        .annotate(n=Count("participations"))
        .values_list("pk", "n")
    )
    for action in page:
        action.listed = listed.get(action.pk, 0)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/list.html",
        {
            "programme": programme,
            "programmes": programmes,
            "page": page,
            "total": page.paginator.count,
            "territories": territories,
            "territory": code,
            "modalities": Modality.choices,
            "modality": modality,
            "years": [
                {"value": str(y), "label": school_year_label(y)} for y in programme.school_years
            ],
            "year": year,
            "q": text,
            "query": query.urlencode(),
            "can_edit": can_edit(request.user, programme),
            "can_coordinate": can_coordinate(request.user, programme),
        },
    )


def _form_page(request, programme, *, action=None, initial=None, title=""):
    if not can_edit(request.user, programme):
        raise PermissionDenied
    territories = territories_for_user(request.user, programme)
    if request.method == "POST":
        form = ActionForm(programme, territories, request.POST, action=action)
        saved = None
        if form.is_valid():
            try:
                saved = action_save_recorded(
                    programme,
                    action,
                    fields=form.action_fields(),
                    structures=list(form.cleaned_data["structures"]),
                    participants=form.cleaned_data["participants"],
                )
            except ValidationError as error:  # a code taken meanwhile: nothing was saved
                form.add_error(None, error.messages)
        if saved is not None:
            listed = saved.participations.count()
            messages.success(
                request,
                ngettext(
                    "Action {code} enregistrée ({n} participant·e listé·e).",
                    "Action {code} enregistrée ({n} participant·es listé·es).",
                    listed,
                ).format(code=saved.code, n=fr_int(listed)),
            )
            return redirect(f"{reverse('activities:list')}?programme={programme.pk}")
    else:
        if request.GET.get("champs"):
            initial = _follow_choices(request.GET, programme, territories, initial or {})
        form = ActionForm(programme, territories, initial=initial, action=action)
    return render(
        request,
        "activities/form.html",
        {"programme": programme, "form": form, "action": action, "title": title},
    )


def _follow_choices(query, programme, territories, initial: dict) -> dict:
    """The form's fields as chosen so far in the page (htmx asks again when the modality or the
    territory changes): the code follows them unless the user typed their own."""
    chosen = dict(initial)
    modality = query.get("modality", "")
    if modality in Modality.values:
        chosen["modality"] = modality
    territory = (
        territories.filter(pk=query.get("territory", "")).first()
        if query.get("territory", "").isdigit()
        else None
    )
    chosen["territory"] = territory.pk if territory else None
    chosen["commune"] = query.get("commune") or None
    chosen["structures"] = [v for v in query.getlist("structures") if v.isdigit()]
    code, suggested = query.get("code", ""), query.get("code_suggested", "")
    chosen["code"], chosen["code_suggested"] = code, suggested
    if suggested and code == suggested and chosen.get("modality"):
        chosen["code"] = chosen["code_suggested"] = next_action_code(
            programme, chosen["modality"], territory, territories=territories
        )
    return chosen


@login_required
def action_create_view(request):
    programme, _programmes = programme_or_404(request)
    modality = request.GET.get("modalite", Modality.FORMATION)
    modality = modality if modality in Modality.values else Modality.FORMATION
    territories = territories_for_user(request.user, programme)
    # One territory of one's own: chosen already, so its communes and structures are offered.
    only = territories.first() if territories.count() == 1 else None
    code = next_action_code(programme, modality, only, territories=territories)
    initial = {
        "modality": modality,
        "code": code,
        "code_suggested": code,
        "territory": only.pk if only else None,
    }
    return _form_page(request, programme, initial=initial, title=_("Nouvelle action"))


@login_required
def action_edit(request, pk: int):
    action = get_action_for_user(request.user, pk, edit=True)
    return _form_page(
        request,
        action.programme,
        action=action,
        initial=ActionForm.initial_from(action),
        title=_("Modifier l'action {code}").format(code=action.code),
    )


@login_required
def action_duplicate(request, pk: int):
    """A new action prefilled from this one (same modality, place, structures and people)."""
    source = get_action_for_user(request.user, pk, edit=True)
    initial = ActionForm.initial_from(source)
    initial["code"] = initial["code_suggested"] = next_action_code(
        source.programme,
        source.modality,
        source.territory,
        territories=territories_for_user(request.user, source.programme),
    )
    return _form_page(
        request,
        source.programme,
        initial=initial,
        title=_("Dupliquer l'action {code}").format(code=source.code),
    )


@login_required
def action_delete_view(request, pk: int):
    """Confirm, then delete an action; the page says what goes with it and that the answers
    already collected are kept in the journal and come back with the action."""
    action = get_action_for_user(request.user, pk, edit=True)
    if request.method == "POST":
        code, programme = action.code, action.programme
        action_delete(action=action, user=request.user)
        messages.success(
            request,
            _(
                "Action {code} supprimée. Elle peut être restaurée depuis les actions "
                "supprimées, avec ses participations, ses collectes et leurs réponses."
            ).format(code=code),
        )
        return redirect(f"{reverse('activities:list')}?programme={programme.pk}")
    return render(
        request,
        "activities/delete.html",
        {
            "programme": action.programme,
            "action": action,
            "summary": action_deletion_summary(action),
        },
    )


@login_required
def deleted_actions_view(request):
    """The deleted actions the user may restore (their own territories)."""
    programme, programmes = programme_or_404(request)
    if not can_edit(request.user, programme):
        raise PermissionDenied
    events = deleted_actions(programme, territory_scope(request.user, programme))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/deleted.html",
        {
            "programme": programme,
            "programmes": programmes,
            "page": page,
            "retention_days": settings.ANCRAGE_DELETION_RETENTION_DAYS,
        },
    )


@login_required
def action_restore_view(request, event_id: int):
    event = get_object_or_404(
        Event, pk=event_id, model="activities.action", kind=Kind.DELETE, snapshot__isnull=False
    )
    programme = get_object_or_404(Programme, pk=event.programme_id)
    check_territory(request.user, programme, event.territory_id, edit=True)
    error = ""
    if request.method == "POST" and event.restored_at is None:
        try:
            action = action_restore(event=event, user=request.user)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, _("Action {code} restaurée.").format(code=action.code))
            return redirect(f"{reverse('activities:list')}?programme={programme.pk}")
    return render(
        request,
        "activities/restore.html",
        {"programme": programme, "event": event, "error": error},
    )
