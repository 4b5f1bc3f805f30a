"""One page per register: the list (searchable, paginated, scoped to the user's territories)
and, for those who may, the form that adds to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.accounts.selectors import (
    can_coordinate,
    can_edit,
    is_read_only,
    programme_for_request,
    territories_for_user,
    territory_scope,
)
from ancrage.activities.selectors import people_in_scope

from .registers import REGISTERS

PAGE_SIZE = 50
HISTORY = {"structures": "audit:structure", "personnes": "audit:person"}


@login_required
def register(request, slug: str):
    entry = REGISTERS.get(slug)
    programme, programmes = programme_for_request(request)
    if entry is None or programme is None:
        raise Http404
    if slug == "personnes" and is_read_only(request.user, programme):
        raise PermissionDenied  # read-only roles see aggregates, never per-person rows
    allowed = territory_scope(request.user, programme)
    territories = territories_for_user(request.user, programme)
    may_add = entry.form is not None and (
        can_coordinate(request.user, programme)
        if entry.adds == "coordinate"
        else can_edit(request.user, programme)
    )
    form = None
    if may_add:
        form = entry.form(request.POST or None, territories=territories, programme=programme)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            item = form.save(commit=False)
            item.programme = programme
            try:
                with transaction.atomic():
                    item.save()
                    form.save_m2m()
            except IntegrityError:
                # Someone else saved the same code between the check and the write.
                form.add_error(None, _("Ce code vient d'être utilisé : choisissez-en un autre."))
            else:
                messages.success(request, _("« {item} » ajouté.").format(item=item))
                return redirect(f"{request.path}?programme={programme.pk}")
    queryset, cells = entry.rows(programme, territories, allowed is None)
    text = request.GET.get("q", "").strip()
    if text and entry.search:
        condition = Q()
        for name in entry.search:
            condition |= Q(**{f"{name}__icontains": text})
        queryset = queryset.filter(condition)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [cells(item) for item in page]
    if entry.free_text and is_read_only(request.user, programme):
        rows = [["—" if i in entry.free_text else c for i, c in enumerate(row)] for row in rows]
    return render(
        request,
        "registers/register.html",
        {
            "programme": programme,
            "programmes": programmes,
            "register": entry,
            "registers": REGISTERS.values(),
            "page": page,
            "rows": rows,
            # Structures and people have a history tab (the journal) for those who edit them.
            "history": _history_rows(slug, programme, allowed, page, rows)
            if slug in HISTORY and can_edit(request.user, programme)
            else None,
            "history_url": HISTORY.get(slug, ""),
            "form": form,
            "q": text,
        },
    )


def _history_rows(slug: str, programme, allowed: set[int] | None, page, rows) -> list[tuple]:
    """(pk, row, whether its history opens) for each row of the page. The history view's own
    rule decides: another territory's person listed on one of her actions is in her register,
    but their history is not hers (it would answer 404). Structures are listed within her
    territories only, where their history is hers."""
    pks = [item.pk for item in page]
    linked = set(pks)
    if slug == "personnes":
        readable = people_in_scope(programme, allowed).filter(pk__in=pks)
        linked = set(readable.values_list("pk", flat=True))
    return [(pk, row, pk in linked) for pk, row in zip(pks, rows, strict=True)]
