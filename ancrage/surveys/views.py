"""Collection pages: paper entry (staff), the anonymous online form and its QR code.
Views parse input, check access, call a service and render."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.accounts.selectors import (
    can_coordinate,
    can_edit,
    check_territory,
    get_action_for_user,
    is_read_only,
    membership_of,
    scope_for_user,
)
from ancrage.core import charts
from ancrage.core.cells import CellError
from ancrage.core.middleware import client_address
from ancrage.core.numbers import fr_int

from .forms import CollectionEndForm, QuestionnaireForm
from .models import Collection, Questionnaire, Source
from .selectors import free_text, questionnaire_results
from .services import (
    CheckedResponse,
    CollectionDateInvalid,
    answer_rows,
    collection_for,
    collection_reopen,
    collection_set_end,
    moment_value,
    pairing_value,
    question_choices,
    responses_write,
)
from .text import TextSummary, word_cloud_png

PAPER_ROWS = 10


def get_collection_for_user(request, pk: int, *, edit: bool) -> Collection:
    collection = get_object_or_404(
        Collection.objects.select_related("questionnaire", "action__programme"), pk=pk
    )
    check_territory(
        request.user, collection.action.programme, collection.action.territory_id, edit=edit
    )
    return collection


def _check_row(collection, questions, choices, values: dict) -> tuple[CheckedResponse, dict]:
    """One questionnaire's answers from raw values; errors by question name."""
    checked = CheckedResponse(action=collection.action, answers=[])
    errors = {}
    for question in questions:
        raw = values.get(question.key, "")
        try:
            rows = answer_rows(question, raw, choices[question.pk])
        except CellError as exc:
            errors[question.key] = str(exc)
            continue
        if question.required and not rows:
            errors[question.key] = _("réponse obligatoire")
        checked.answers += [{"question": question, **row} for row in rows]
    for name, read in (("code_anonyme", pairing_value), ("moment", moment_value)):
        try:
            setattr(
                checked,
                "pairing_code" if name == "code_anonyme" else name,
                read(values.get(name, "")),
            )
        except CellError as exc:
            errors[name] = str(exc)
    return checked, errors


@login_required
def paper_entry(request, pk: int):
    """Keyboard-only entry of paper questionnaires: one row per questionnaire, codes typed."""
    collection = get_collection_for_user(request, pk, edit=True)
    questionnaire = collection.questionnaire
    questions, choices = question_choices(questionnaire)
    extra = ["code_anonyme", "moment"] if questionnaire.pairing else []
    rows, errors, checked = [], {}, []
    if request.method == "POST":
        for i in range(PAPER_ROWS):
            values = {
                name: request.POST.get(f"r{i}-{name}", "").strip()
                for name in [q.key for q in questions] + extra
            }
            rows.append(values)
            if not any(values.values()):
                continue
            response, row_errors = _check_row(collection, questions, choices, values)
            errors.update({(i, name): message for name, message in row_errors.items()})
            checked.append(response)
        if not errors and checked:
            responses_write(questionnaire=questionnaire, responses=checked, source=Source.PAPER)
            messages.success(
                request,
                ngettext(
                    "{n} questionnaire enregistré.", "{n} questionnaires enregistrés.", len(checked)
                ).format(n=fr_int(len(checked))),
            )
            return redirect("surveys:paper_entry", pk=collection.pk)
        if not checked:
            messages.error(request, _("Aucune ligne remplie."))
    else:
        rows = [{} for _ in range(PAPER_ROWS)]
    grid = [
        {
            "index": i,
            "cells": [
                {
                    "name": name,
                    "value": row.get(name, ""),
                    "error": errors.get((i, name)),
                    "input": f"r{i}-{name}",
                }
                for name in [q.key for q in questions] + extra
            ],
        }
        for i, row in enumerate(rows)
    ]
    legend = [{"question": q, "choices": list(choices[q.pk].values())} for q in questions]
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "collection": collection,
            "questions": questions,
            "extra": extra,
            "grid": grid,
            "legend": legend,
            "has_errors": bool(errors),
            "count": collection.responses.count(),
        },
    )


@login_required
def collection_qr(request, pk: int):
    """A printable page with the anonymous link and its QR code: the link accepts answers, so
    only those who may edit the action see it (not the read-only roles)."""
    collection = get_collection_for_user(request, pk, edit=True)
    url = request.build_absolute_uri(reverse("surveys:public_form", args=[collection.token]))
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, title=_("QR code du questionnaire"))
    action = collection.action
    return render(
        request,
        "surveys/collection_qr.html",
        {
            "collection": collection,
            "url": url,
            "qr_svg": qr_svg,
            "open": collection.is_open(timezone.localdate()),
            "can_edit": can_edit(request.user, action.programme),
        },
    )


def _throttled(request, collection: Collection) -> bool:
    """At most ANCRAGE_FORM_LIMIT answers per hour from one address to one collection."""
    key = f"ancrage-form:{collection.pk}:{client_address(request)}"
    count = cache.get_or_set(key, 0, timeout=3600)
    if count >= settings.ANCRAGE_FORM_LIMIT:
        return True
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=3600)
    return False


def public_form(request, token: str):
    """The anonymous online questionnaire: no login, no personal data."""
    collection = get_object_or_404(
        Collection.objects.select_related("questionnaire", "action"), token=token
    )
    questionnaire = collection.questionnaire
    today = timezone.localdate()
    if not collection.is_open(today):
        not_yet = collection.opens_on is not None and today < collection.opens_on
        return render(
            request,
            "surveys/public_closed.html",
            {"collection": collection, "not_yet": not_yet},
            status=410,
        )
    questions, choices = question_choices(questionnaire)
    form = QuestionnaireForm(questionnaire, questions, choices, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request, collection):
            return render(
                request, "surveys/public_throttled.html", {"collection": collection}, status=429
            )
        values = form.raw_values()
        values["code_anonyme"] = form.cleaned_data.get("code_anonyme", "")
        values["moment"] = form.cleaned_data.get("moment", "")
        checked, errors = _check_row(collection, questions, choices, values)
        if not errors:
            responses_write(questionnaire=questionnaire, responses=[checked], source=Source.ONLINE)
            return redirect("surveys:public_thanks", token=token)
        for name, message in errors.items():
            form.add_error(name if name in form.fields else None, message)
    return render(
        request,
        "surveys/public_form.html",
        {
            "collection": collection,
            "questionnaire": questionnaire,
            "form": form,
        },
    )


def public_thanks(request, token: str):
    collection = get_object_or_404(Collection.objects.select_related("questionnaire"), token=token)
    return render(request, "surveys/public_thanks.html", {"collection": collection})


def _questionnaire_for_user(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("programme"), pk=pk)
    programme = questionnaire.programme
    if not request.user.is_superuser and membership_of(request.user, programme) is None:
        raise Http404
    return questionnaire


@login_required
def results(request, pk: int):
    """A questionnaire's results: items with N, favourable rate and its interval, distribution;
    response rate; free text for the roles allowed to read it."""
    questionnaire = _questionnaire_for_user(request, pk)
    programme = questionnaire.programme
    code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
    scope, territories = scope_for_user(request.user, programme, code, year)
    read_only = is_read_only(request.user, programme)
    entry = next(
        (q for q in questionnaire_results(scope, hide_small=read_only) if q["id"] == pk), None
    )
    texts = {} if read_only else free_text(scope, questionnaire.pk, top=10)
    item_charts = (
        charts.item_charts(
            f"chart-q{questionnaire.pk}", _("Répartition des réponses"), entry["items"]
        )
        if entry
        else []
    )
    return render(
        request,
        "surveys/results.html",
        {
            "questionnaire": questionnaire,
            "entry": entry,
            "texts": texts,
            "charts": item_charts,
            "read_only": read_only,
            "can_import_responses": can_coordinate(request.user, programme),
            "territories": territories,
            "territory": code,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def cloud(request, pk: int, question: str):
    """The sentiment cloud of one free-text question, as a PNG (not for read-only roles)."""
    questionnaire = _questionnaire_for_user(request, pk)
    if is_read_only(request.user, questionnaire.programme):
        raise PermissionDenied
    scope, _ = scope_for_user(
        request.user,
        questionnaire.programme,
        request.GET.get("territoire", ""),
        request.GET.get("annee", ""),
    )
    summary = free_text(scope, questionnaire.pk).get(question)
    if summary is None:
        raise Http404
    image = word_cloud_png(TextSummary(terms=summary["terms"], bigrams=summary["bigrams"]))
    return HttpResponse(image, content_type="image/png")


def _collection_rows(action, questionnaires, today):
    opened = {c.questionnaire_id: c for c in Collection.objects.filter(action=action)}
    rows = []
    for questionnaire in questionnaires:
        collection = opened.get(questionnaire.pk)
        rows.append(
            {
                "questionnaire": questionnaire,
                "collection": collection,
                "open": collection is not None and collection.is_open(today),
                "end_form": CollectionEndForm(
                    prefix=f"q{questionnaire.pk}",
                    initial={"closes_on": collection.closes_on} if collection else None,
                ),
            }
        )
    return rows


def _collection_change(request, action, questionnaire):
    """Opens, reopens or moves the end of the questionnaire's collection at the action; the
    next page to show."""
    operation = request.POST.get("operation", "open")
    collection = Collection.objects.filter(questionnaire=questionnaire, action=action).first()
    if operation == "open" or collection is None:
        collection = collection_for(questionnaire, action)
        return redirect("surveys:collection_qr", pk=collection.pk)
    if operation == "reopen":
        collection_reopen(collection=collection)
        messages.success(
            request,
            _("Collecte rouverte jusqu'au {day}.").format(
                day=date_format(collection.closes_on, "j F Y")
            ),
        )
        if request.POST.get("next") == "qr":
            return redirect("surveys:collection_qr", pk=collection.pk)
        return redirect("surveys:action_collections", pk=action.pk)
    form = CollectionEndForm(request.POST, prefix=f"q{questionnaire.pk}")
    if form.is_valid():
        try:
            collection_set_end(collection=collection, closes_on=form.cleaned_data["closes_on"])
        except CollectionDateInvalid as invalid:
            messages.error(request, str(invalid))
        else:
            messages.success(
                request,
                _("Fin de collecte fixée au {day}.").format(
                    day=date_format(collection.closes_on, "j F Y")
                ),
            )
    else:
        messages.error(request, _("Date de fin invalide : choisissez un jour dans le calendrier."))
    return redirect("surveys:action_collections", pk=action.pk)


@login_required
def action_collections(request, pk: int):
    """An action's questionnaires: open a collection (from today), move its end date or reopen
    it, then print its QR code or type the paper answers."""
    action = get_action_for_user(request.user, pk, edit=True)
    questionnaires = Questionnaire.objects.filter(
        programme=action.programme, modality=action.modality
    ).order_by("title")
    if request.method == "POST":
        questionnaire = get_object_or_404(questionnaires, pk=request.POST.get("questionnaire"))
        return _collection_change(request, action, questionnaire)
    today = timezone.localdate()
    return render(
        request,
        "surveys/action_collections.html",
        {
            "action": action,
            "rows": _collection_rows(action, questionnaires, today),
            "collection_days": action.programme.collection_days,
            "today": today,
        },
    )
