"""The evaluation pages: indicators and their verdicts, the deployment model, transferability
and candidate territories, data quality, and the action report sheet ("fiche bilan")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.accounts.selectors import (
    can_coordinate,
    get_action_for_user,
    is_read_only,
    programme_or_404,
    scope_for_user,
)
from ancrage.indicators.selectors import visible_quality_warnings
from ancrage.reports.html import page_sections
from ancrage.reports.sections import evaluation_sections

from .forms import (
    CRITERION_HELP,
    ActionReportForm,
    CandidateForm,
    CriterionForm,
    SettingsForm,
)
from .models import ActionReport, FrameworkItem
from .services import candidate_create, report_sheet_save, settings_for, settings_save


@login_required
def overview(request):
    programme, programmes = programme_or_404(request)
    code = request.GET.get("territoire", "")
    scope, territories = scope_for_user(request.user, programme, code)
    coordinator = can_coordinate(request.user, programme)
    settings = settings_for(programme)
    posted = request.POST.get("form")
    candidate_form = CandidateForm(request.POST if posted == "candidate" else None)
    settings_form = SettingsForm(
        request.POST if posted == "settings" else None, instance=settings, prefix="settings"
    )
    if request.method == "POST":
        if not coordinator:
            raise PermissionDenied
        if posted == "candidate" and candidate_form.is_valid():
            candidate_create(programme=programme, candidate=candidate_form.save(commit=False))
            messages.success(request, _("Territoire candidat ajouté et évalué."))
            return redirect(f"{request.path}?programme={programme.pk}#transferabilite")
        if posted == "settings" and settings_form.is_valid():
            settings_save(settings=settings_form.save(commit=False))
            messages.success(request, _("Historique et paramètres d'évaluation enregistrés."))
            return redirect(f"{request.path}?programme={programme.pk}")
    sections = evaluation_sections(scope, hide_small=is_read_only(request.user, programme))
    return render(
        request,
        "evaluation/overview.html",
        {
            "programme": programme,
            "programmes": programmes,
            "territories": territories,
            "territory": code,
            "sections": page_sections(sections, browser_charts=True),
            "candidate_form": candidate_form if coordinator else None,
            "settings_form": settings_form if coordinator else None,
        },
    )


@login_required
def quality(request):
    """Data-quality warnings, each linked to the action concerned when there is one."""
    programme, programmes = programme_or_404(request)
    if is_read_only(request.user, programme):
        raise PermissionDenied
    _scope, territories = scope_for_user(request.user, programme)
    visible = visible_quality_warnings(programme, territories)
    return render(
        request,
        "evaluation/quality.html",
        {"programme": programme, "programmes": programmes, "warnings": visible},
    )


@login_required
def report_sheet(request, pk: int):
    """The action's report sheet: planned vs done, SAFE criteria, the efficacy criteria with
    evidence, what worked and what was adapted."""
    # The sheet holds free text and per-action detail: not for read-only roles.
    action = get_action_for_user(request.user, pk, edit=True)
    read_only = False
    report = ActionReport.objects.filter(action=action).first()
    criteria = list(
        FrameworkItem.objects.filter(framework__code="EFFICACITE", parent__isnull=True).order_by(
            "position"
        )
    )
    for item in criteria:
        item.help = CRITERION_HELP.get(item.code, "")
    existing = {}
    if report is not None:
        existing = {c.criterion_id: c for c in report.criteria.all()}
    data = request.POST if request.method == "POST" else None
    form = ActionReportForm(data, instance=report)
    rows = [
        (
            item,
            CriterionForm(
                data,
                prefix=f"c{item.pk}",
                initial={
                    "rating": existing[item.pk].rating if item.pk in existing else "",
                    "evidence": existing[item.pk].evidence if item.pk in existing else "",
                },
            ),
        )
        for item in criteria
    ]
    if data is not None and form.is_valid() and all(f.is_valid() for _i, f in rows):
        report_sheet_save(
            action=action,
            report=form.save(commit=False),
            criteria=[
                (item, f.cleaned_data["rating"], f.cleaned_data["evidence"]) for item, f in rows
            ],
        )
        messages.success(
            request, _("Fiche bilan de l'action {code} enregistrée.").format(code=action.code)
        )
        return redirect("evaluation:report_sheet", pk=action.pk)
    return render(
        request,
        "evaluation/report_sheet.html",
        {"action": action, "form": form, "rows": rows, "read_only": read_only},
    )
