"""The evaluation's figures beyond counts: efficacy criteria, fidelity, the deployment model,
governance and anchoring, RE-AIM. Grouped queries; Python only shapes them."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from ancrage.activities.models import Action, ActionStructure, Structure
from ancrage.core.numbers import round_half_up
from ancrage.core.schoolyear import school_year_label
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES, Modality
from ancrage.territories.models import Commune

from ..models import (
    ActionReport,
    ContextNote,
    EvaluationSettings,
    HealthContract,
    MeetingRecord,
    Partner,
    Rating,
    Referent,
    ReportCriterion,
)

SAFE = {"S": "safe_sequenced", "A": "safe_active", "F": "safe_focused", "E": "safe_explicit"}
# Published replication shares after CPS-type trainings (docs/frameworks.md): the low and
# high ends of the indirect-reach range; the central value is the programme's own assumption.
REPLICATION_LOW, REPLICATION_HIGH = 0.54, 0.92


def mesh(scope: Scope) -> dict:
    """The territorial mesh in two aggregates: structures reached (their kinds, those in a QPV,
    those still active the last school year) and communes reached (and their population)."""
    links = ActionStructure.objects.filter(scope.filters(action="action_id")).exclude(
        modality__in=GOVERNANCE_MODALITIES
    )
    last_year = max(scope.years)
    structures = Structure.objects.filter(pk__in=links.values("structure_id")).aggregate(
        reached=Count("id"),
        kinds=Count("kind", distinct=True),
        qpv=Count("id", filter=Q(qpv=True)),
        active_last_year=Count(
            "id", filter=Q(pk__in=links.filter(school_year=last_year).values("structure_id"))
        ),
    )
    actions = Action.objects.filter(scope.filters(action="id"), commune__isnull=False).exclude(
        modality__in=GOVERNANCE_MODALITIES
    )
    communes = Commune.objects.filter(scope.territory_filter(), programme=scope.programme)
    reached = Q(pk__in=actions.values("commune_id"))
    communes = communes.aggregate(
        total=Count("id"),
        reached=Count("id", filter=reached),
        population=Sum("population", filter=reached),
    )
    return {"structures": structures, "communes": communes, "last_year": last_year}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def scoped(queryset, scope: Scope, action: str = "action"):
    """Objects hanging off actions, restricted to the scope's programme, territories, years."""
    return queryset.filter(
        scope.filters(
            action=f"{action}_id",
            programme_field=f"{action}__programme_id",
            territory_field=f"{action}__territory_id",
            year_field=f"{action}__school_year",
        )
    )


def efficacy(scope: Scope) -> dict:
    """Share of reported actions meeting each efficacy criterion (EF1 = all four SAFE letters),
    by modality and territory; fidelity = delivered ÷ planned sessions (RE-AIM implementation)."""
    reports = scoped(ActionReport.objects.all(), scope)
    all_safe = Q(**{field: True for field in SAFE.values()})
    rows = (
        reports.values_list("action__territory__code", "action__modality")
        .annotate(
            n=Count("id"),
            safe=Count("id", filter=all_safe),
            **{letter: Count("id", filter=Q(**{field: True})) for letter, field in SAFE.items()},
            planned=Sum("planned_sessions"),
            delivered=Sum("action__sessions", filter=Q(planned_sessions__isnull=False)),
        )
        .order_by()
    )
    criteria = (
        ReportCriterion.objects.filter(report__in=reports)
        .values_list(
            "criterion__code", "report__action__territory__code", "report__action__modality"
        )
        .annotate(
            n=Count("id"),
            present=Count("id", filter=Q(rating=Rating.PRESENT)),
            partial=Count("id", filter=Q(rating=Rating.PARTIAL)),
        )
        .order_by()
    )

    totals: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for territory, modality, n, safe, s, a, f, e, planned, delivered in rows:
        for scope_key in ("all", f"modality:{modality}", f"territory:{territory}"):
            bucket = totals[scope_key]
            bucket["reports"]["n"] += n
            bucket["EF1"]["n"] += n
            bucket["EF1"]["present"] += safe
            for letter, count in zip("SAFE", (s, a, f, e), strict=True):
                bucket[f"EF1{letter}"]["n"] += n
                bucket[f"EF1{letter}"]["present"] += count
            bucket["fidelity"]["planned"] += planned or 0
            bucket["fidelity"]["delivered"] += delivered or 0
    for code, territory, modality, n, present, partial in criteria:
        for scope_key in ("all", f"modality:{modality}", f"territory:{territory}"):
            bucket = totals[scope_key][code]
            bucket["n"] += n
            bucket["present"] += present
            bucket["partial"] += partial

    def shape(bucket: dict) -> dict:
        out = {"reports": bucket["reports"]["n"]}
        out["criteria"] = {
            code: {
                "n": v["n"],
                "present": share(v["present"], v["n"]),
                "partial": share(v.get("partial", 0), v["n"]),
            }
            for code, v in sorted(bucket.items())
            if code.startswith("EF")
        }
        fidelity = bucket["fidelity"]
        out["fidelity"] = share(fidelity["delivered"], fidelity["planned"])
        return out

    result = shape(totals["all"])
    result["by_modality"] = {
        k.split(":", 1)[1]: shape(v) for k, v in totals.items() if k.startswith("modality:")
    }
    result["by_territory"] = {
        k.split(":", 1)[1]: shape(v) for k, v in totals.items() if k.startswith("territory:")
    }
    return result


def deployment_model(scope: Scope, figures: dict) -> dict:
    """ "Is our deployment model respected?": the pack's expected range over the programme's
    years vs delivered, per territory and modality; and the governance rhythm per school year."""
    pack = [
        o for o in figures["objectives"] if o["territoire"] != "*" and o["cible"] in Modality.values
    ]
    rhythm_rows = (
        Action.objects.filter(scope.filters(action="id"), modality__in=GOVERNANCE_MODALITIES)
        .values_list("territory__code", "modality", "school_year")
        .annotate(n=Count("id"))
        .order_by()
    )
    rhythm: dict = defaultdict(lambda: defaultdict(dict))
    for territory, modality, year, n in rhythm_rows:
        rhythm[territory][modality][school_year_label(year)] = n
    years = [school_year_label(y) for y in scope.years]
    governance_rhythm = {
        territory: {
            modality: {year: by_modality.get(modality, {}).get(year, 0) for year in years}
            for modality in GOVERNANCE_MODALITIES
        }
        for territory, by_modality in rhythm.items()
    }
    respected = sum(1 for row in pack if row["status"] == "within")
    return {
        "pack": pack,
        "respected": respected,
        "total": len(pack),
        "governance_rhythm": governance_rhythm,
        "governance_expected_per_year": 2,
    }


def anchoring(scope: Scope) -> dict:
    """Meetings' attendance, referents and their turnover, partners, local health contracts."""
    programme = scope.programme
    meetings = (
        scoped(MeetingRecord.objects.all(), scope)
        .values_list("action__modality")
        .annotate(
            meetings=Count("id"),
            elected=Sum("action__elected"),
            technicians=Sum("technicians"),
            partners=Sum("institutional_partners"),
            structures=Sum("structures"),
            with_minutes=Count("id", filter=~Q(minutes="")),
        )
        .order_by()
    )
    referents = Referent.objects.filter(scope.filters(action=None, year_field=None))
    contracts = HealthContract.objects.filter(scope.filters(action=None, year_field=None))
    referent_rows = (
        referents.values_list("territory__code")
        .annotate(
            total=Count("id"),
            current=Count("id", filter=Q(end__isnull=True)),
            ended=Count("id", filter=Q(end__isnull=False)),
        )
        .order_by()
    )
    by_modality = {
        modality: {
            "held": n,
            "elected": e or 0,
            "technicians": t or 0,
            "institutional_partners": p or 0,
            "structures": s or 0,
            "with_minutes": m,
        }
        for modality, n, e, t, p, s, m in meetings
    }
    return {
        "meetings": by_modality,
        "meetings_held": sum(m["held"] for m in by_modality.values()),
        "referents": {
            code: {"total": total, "current": current, "turnover": ended}
            for code, total, current, ended in referent_rows
        },
        "partners": list(
            Partner.objects.filter(programme=programme).values("name", "kind", "role")
        ),
        "health_contracts": list(contracts.values("territory__code", "kind", "name", "written_in")),
    }


def context_register(scope: Scope) -> dict:
    notes = ContextNote.objects.filter(
        scope.territory_filter(or_unassigned=True), programme=scope.programme
    ).select_related("territory", "theme")
    register: dict[str, list] = {ContextNote.Kind.STRENGTH: [], ContextNote.Kind.LIMIT: []}
    for note in notes:
        register[note.kind].append(
            {
                "text": note.text,
                "territory": note.territory.code if note.territory else None,
                "theme": note.theme.number if note.theme else None,
                "evidence": note.evidence,
            }
        )
    return {
        "strengths": register[ContextNote.Kind.STRENGTH],
        "limits": register[ContextNote.Kind.LIMIT],
    }


def evaluation_settings(programme) -> EvaluationSettings:
    return EvaluationSettings.objects.filter(programme=programme).first() or EvaluationSettings(
        programme=programme
    )


def reaim(scope: Scope, figures: dict, fidelity: float | None, mesh_figures: dict) -> dict:
    programme = scope.programme
    settings = evaluation_settings(programme)
    population = mesh_figures["communes"]["population"] or 0
    eligible = settings.eligible_children or round(population * settings.eligible_share)
    reach = figures["reach"]
    trained = reach["trained_adults"]
    last_year = mesh_figures["last_year"]
    active_last_year = mesh_figures["structures"]["active_last_year"]
    return {
        "reach": {
            "population_mobilised_communes": population,
            "eligible_children": eligible,
            "eligible_method": "entered" if settings.eligible_children else "share",
            "eligible_share": settings.eligible_share,
            "direct": reach["children_direct"],
            "direct_rate": share(reach["children_direct"], eligible),
            "indirect": {
                "low": round_half_up(trained * REPLICATION_LOW * programme.children_per_adult),
                "central": reach["children_indirect"],
                "high": round_half_up(trained * REPLICATION_HIGH * programme.children_per_adult),
            },
            "total_rate": share(reach["children_total"], eligible),
        },
        "adoption": {
            "structures_started": reach["structures"],
            "structures_approached": settings.structures_approached,
            "rate": share(reach["structures"], settings.structures_approached or 0),
        },
        "implementation": {"fidelity": fidelity},
        "maintenance": {
            "last_school_year": school_year_label(last_year),
            "structures_active": active_last_year,
            "rate": share(active_last_year, reach["structures"]),
        },
    }
