"""Transferability: the primary territories as the ASTAIRE grid compares them, each candidate
territory criterion by criterion, the conditions of success."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import Modality
from ancrage.territories.models import Territory

from ..models import AstaireRating, CandidateTerritory, Partner, Referent
from .deployment import evaluation_settings, share


def primary_context(scope: Scope, figures: dict) -> dict:
    """The primary territories as the transferability grid compares them."""
    territories = Territory.objects.filter(programme=scope.programme)
    referents = set(
        Referent.objects.filter(programme=scope.programme, end__isnull=True).values_list(
            "territory_id", flat=True
        )
    )
    settings = evaluation_settings(scope.programme)
    partners = Partner.objects.filter(programme=scope.programme).count()
    return {
        "territories": [
            {
                "code": t.code,
                "name": t.name,
                "population": t.population,
                "communes": t.commune_count,
                "referent": t.pk in referents,
                "elected_officials": figures["by_territory"]
                .get(t.code, {})
                .get("governance", {})
                .get("elected_officials", 0),
            }
            for t in territories
        ],
        "earlier_cps_actions": settings.earlier_cps_actions,
        "free_actions": settings.free_actions,
        "partners": partners,
    }


def _reference_population(primary: dict) -> int | None:
    # The recommendation names the smaller primary territory (PCSG, 37,000) as the model size.
    populations = [t["population"] for t in primary["territories"] if t["population"]]
    return min(populations) if populations else None


# The conditions of success the seed recommends: criterion, label, whether a candidate meets
# it, the primary territories' value, and what to adapt when it does not (lazy: written in the
# reader's language when a row is built).
CONDITIONS = [
    (
        "elus",
        gettext_lazy("Élu·es motivé·es et impliqué·es"),
        lambda candidate: candidate.elected_commitment,
        lambda primary: sum(t["elected_officials"] for t in primary["territories"]),
        gettext_lazy(
            "Rencontrer les élu·es et inscrire la démarche au projet politique avant de "
            "lancer les actions (COPIL)."
        ),
    ),
    (
        "referent",
        gettext_lazy("Référent·e CPS dédié·e"),
        lambda candidate: candidate.has_referent,
        lambda primary: any(t["referent"] for t in primary["territories"]),
        gettext_lazy("Obtenir un temps de référent·e technique dédié avant le déploiement."),
    ),
    (
        "anterieur",
        gettext_lazy("Actions CPS antérieures (plaidoyer)"),
        lambda candidate: candidate.earlier_cps_actions,
        lambda primary: bool(primary["earlier_cps_actions"]),
        gettext_lazy("Prévoir une phase de sensibilisation et de plaidoyer (temps plus long)."),
    ),
    (
        "partenaires",
        gettext_lazy("Partenaires enfance investis"),
        lambda candidate: candidate.partners >= 2,
        lambda primary: primary["partners"],
        gettext_lazy("Mobiliser au moins deux partenaires enfance (Éducation nationale, CAF…)."),
    ),
]


def _size_row(candidate: CandidateTerritory, reference: int | None) -> dict:
    ratio = candidate.population / reference if reference else None
    if ratio is None:
        size = ("unknown", "neutral")
    elif 0.5 <= ratio <= 2:
        size = ("similar", "favourable")
    elif 0.25 <= ratio <= 4:
        size = ("partly", "neutral")
    else:
        size = ("different", "unfavourable")
    return {
        "criterion": "taille",
        "label": _("Taille du territoire (proche de 37 000 habitants)"),
        "primary": reference,
        "candidate": candidate.population,
        "comparability": size[0],
        "influence": size[1],
        "adaptation": ""
        if size[1] != "unfavourable"
        else _("Déployer par bassins de vie d'environ 37 000 habitants, un référent par bassin."),
    }


def _condition_row(code, label, present, primary_value, adaptation) -> dict:
    return {
        "criterion": code,
        "label": str(label),
        "primary": primary_value,
        "candidate": present,
        "comparability": "similar" if present else "different",
        "influence": "favourable" if present else "unfavourable",
        "adaptation": "" if present else str(adaptation),
    }


def assess_candidate(candidate: CandidateTerritory, primary: dict) -> list[dict]:
    """Criterion by criterion: how a candidate territory compares with the primary ones, and
    what to adapt. `influence` is unfavourable where a condition of success is missing."""
    neighbourhoods = candidate.priority_neighbourhoods
    return [
        _size_row(candidate, _reference_population(primary)),
        *(
            _condition_row(code, label, meets(candidate), value(primary), adaptation)
            for code, label, meets, value, adaptation in CONDITIONS
        ),
        {
            "criterion": "accessibilite",
            "label": _("Accessibilité géographique et gratuité"),
            "primary": primary["free_actions"],
            "candidate": neighbourhoods,
            "comparability": "similar",
            "influence": "neutral",
            "adaptation": _(
                "Garder les actions gratuites et en programmer dans les {count} QPV."
            ).format(count=neighbourhoods)
            if neighbourhoods
            else _("Garder les actions gratuites et proches."),
        },
        {
            "criterion": "communes",
            "label": _("Nombre de communes"),
            "primary": [t["communes"] for t in primary["territories"]],
            "candidate": candidate.communes,
            "comparability": "unknown",
            "influence": "neutral",
            "adaptation": "",
        },
    ]


def transferability(scope: Scope, figures: dict, mesh_figures: dict) -> dict:
    settings = evaluation_settings(scope.programme)
    primary = primary_context(scope, figures)
    qpv = {"qpv": mesh_figures["structures"]["qpv"], "all": mesh_figures["structures"]["reached"]}
    overall = figures.get("satisfaction", {}).get("synthesis", {}).get("overall")
    governance = figures["governance"]
    characteristics = {
        "objectives": settings.description,
        "accessibility": {
            "free_actions": settings.free_actions,
            "qpv_structures_share": share(qpv["qpv"], qpv["all"]),
        },
        "population_reached": {
            k: figures["reach"][k]
            for k in ("children_total", "professionals_unique", "structures", "parents")
        },
        "engagement": {"satisfaction": overall},
    }
    conditions = {
        "political_anchoring": governance["elected_officials"] > 0 and governance["copil"] > 0,
        "institutions_partnership": primary["partners"] > 0
        and all(t["referent"] for t in primary["territories"]),
        "transfer_of_skills": figures["deliveries"][Modality.ACCOMPAGNEMENT] > 0,
        "other_context": bool(settings.earlier_cps_actions),
    }
    grid = [
        {
            "criterion": r.criterion.code,
            "label": r.criterion.label,
            "primary": r.primary_value,
            "key_function": r.key_function,
            "adaptation": r.adaptation,
        }
        for r in AstaireRating.objects.filter(programme=scope.programme)
        .select_related("criterion")
        .order_by("criterion__position")
    ]
    candidates = [
        {"name": c.name, "assessment": assess_candidate(c, primary)}
        for c in CandidateTerritory.objects.filter(programme=scope.programme)
    ]
    return {
        "characteristics": characteristics,
        "conditions": conditions,
        "astaire": grid,
        "primary": primary,
        "candidates": candidates,
    }
