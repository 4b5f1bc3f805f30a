"""Actions: the list with filters, the form (create, edit, duplicate) with participants typed
as codes, and the action's report sheet ("fiche bilan")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
from ancrage.indicators.views import territory_options
from ancrage.programmes.models import Programme
from ancrage.programmes.vocabulary import Modality

from .forms import ActionForm
from .listing import PAGE_SIZE, ActionFilters, action_page
from .selectors import next_action_code

# The links of each listed action, for editors: URL name, text, accessible name.
ROW_LINKS = (
    ("activities:edit", gettext_lazy("Modifier"), gettext_lazy("Modifier %(code)s")),
    ("activities:duplicate", gettext_lazy("Dupliquer"), gettext_lazy("Dupliquer %(code)s")),
    (
        "surveys:action_collections",
        gettext_lazy("Questionnaires"),
        gettext_lazy("Questionnaires de %(code)s"),
    ),
    (
        "evaluation:report_sheet",
        gettext_lazy("Fiche bilan"),
        gettext_lazy("Fiche bilan de %(code)s"),
    ),
    ("audit:action", gettext_lazy("Historique"), gettext_lazy("Historique de %(code)s")),
    ("activities:delete", gettext_lazy("Supprimer"), gettext_lazy("Supprimer %(code)s")),
)
ROW_PK = 987654321  # stands for each action's id in the links, reversed once per page


def _row_links(actions) -> None:
    """Each listed action's links (`links`), written at once: six {% url %} and
    {% blocktranslate %} per row took most of a page's time. The template's HTML exactly."""
    links = []
    for name, text, label in ROW_LINKS:
        before, after = escape(reverse(name, args=[ROW_PK])).split(str(ROW_PK))
        links.append((before, after, escape(str(text)), str(label)))
    for action in actions:
        code = {"code": escape(action.code)}
        action.links = mark_safe(  # the code and the addresses escaped above
            " · ".join(
                f'<a href="{before}{action.pk}{after}" aria-label="{label % code}">{text}</a>'
                for before, after, text, label in links
            )
        )


@login_required
def action_list(request):
    programme, programmes = programme_or_404(request)
    # Read as tuples: 1,250 territories made into models cost more than the rest of the page.
    territories = list(
        territories_for_user(request.user, programme).values_list("pk", "code", "name", named=True)
    )
    code = request.GET.get("territoire", "")
    modality = request.GET.get("modalite", "")
    year = request.GET.get("annee", "")
    text = request.GET.get("q", "").strip()
    # The territories listed are checked here, on the server: the reader's, or the one chosen
    # among them (none when the code is not one of theirs).
    chosen = [t.pk for t in territories if not code or t.code == code]
    filters = ActionFilters(
        territories=tuple(chosen),
        whole=not code and territory_scope(request.user, programme) is None,
        modality=modality if modality in Modality.values else "",
        year=int(year) if year.isdecimal() else None,  # "²" is a digit, not a number
        text=text,
    )
    page = action_page(programme, filters, request.GET.get("page"))
    editor = can_edit(request.user, programme)
    if editor:
        _row_links(page)
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
            "territory_options": territory_options(territories, code),
            "territory": code,
            "modalities": Modality.choices,
            "modality": modality,
            "years": [
                {"value": str(y), "label": school_year_label(y)} for y in programme.school_years
            ],
            "year": year,
            "q": text,
            "query": query.urlencode(),
            "can_edit": editor,
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
