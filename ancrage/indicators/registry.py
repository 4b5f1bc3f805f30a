"""Every figure Ancrage shows is declared here once: its key, French label, how it is computed
and where (docs/figures.md).

The command line, the JSON output, the dashboard, the evaluation and the reports read figures
through this registry, so they can never disagree.
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ancrage.programmes.vocabulary import Modality, ReachTarget


@dataclass(frozen=True)
class Figure:
    key: str  # a path in the computed results: "reach.children_total"
    label: str
    explanation: str
    # Where it comes from: the function that computes it ("module.function" under ancrage/);
    # a test checks that each exists, docs/figures.md lists them.
    source: str
    unit: str = "count"  # "count", "share" (0–1, shown as %), "decimal"
    per_territory: bool = True  # also computed for each territory

    @property
    def module(self) -> str:
        return "ancrage." + self.source.rpartition(".")[0]

    @property
    def function(self) -> str:
        return self.source.rpartition(".")[2]


def _modality_figures() -> list[Figure]:
    figures = []
    for modality in Modality:
        figures.append(
            Figure(
                f"deliveries.{modality.value}",
                format_lazy(_("Réalisations : {m}"), m=modality.label),
                _("Nombre d'actions de cette modalité."),
                "indicators.queries.action_family",
            )
        )
    for modality in (
        Modality.FORMATION,
        Modality.ACCOMPAGNEMENT,
        Modality.JEP,
        Modality.CO_INTERVENTION,
    ):
        figures.append(
            Figure(
                f"participants.{modality.value}",
                format_lazy(_("Participant·es adultes : {m}"), m=modality.label),
                _(
                    "Personnes distinctes listées pour chaque action, ou à défaut son nombre "
                    "d'adultes, additionnées sur les actions."
                ),
                "indicators.queries.participation_family",
            )
        )
    return figures


FIGURES: tuple[Figure, ...] = (
    *_modality_figures(),
    Figure(
        "reach.adult_participations",
        _("Participations d'adultes"),
        _("Somme des participant·es des formations, accompagnements, JEP et co-interventions."),
        "indicators.queries.participation_family",
    ),
    Figure(
        "reach.professionals_unique",
        _("Professionnel·les touché·es (personnes uniques)"),
        _(
            "Exact : personnes distinctes sur les modalités professionnelles. Estimé quand une "
            "action ne liste pas ses participant·es : participations × (1 − part multimodalité)."
        ),
        "indicators.queries.professionals_family",
    ),
    Figure(
        "reach.trained_adults",
        _("Adultes formé·es ou en co-animation"),
        _("Personnes distinctes des formations et co-interventions (ou leur nombre d'adultes)."),
        "indicators.queries.trained_family",
    ),
    Figure(
        "reach.children_direct",
        _("Enfants touchés directement"),
        _("Somme des enfants des co-interventions."),
        "indicators.queries.action_family",
    ),
    Figure(
        "reach.children_indirect",
        _("Enfants touchés indirectement"),
        _("Adultes formé·es × taux de réplication × enfants par adulte, arrondi."),
        "indicators.queries.trained_family",
    ),
    Figure(
        "reach.children_total",
        _("Enfants touchés"),
        _("Enfants touchés directement + indirectement."),
        "indicators.queries.trained_family",
    ),
    Figure(
        "reach.parents",
        _("Parents touchés"),
        _("Somme des parents des actions parentalité."),
        "indicators.queries.action_family",
    ),
    Figure(
        "reach.structures",
        _("Structures touchées"),
        _("Structures distinctes citées par les actions hors COPIL et COTECH."),
        "indicators.queries.structures_family",
    ),
    Figure(
        "governance.copil",
        _("COPIL tenus"),
        _("Nombre d'actions de modalité COPIL."),
        "indicators.queries.action_family",
    ),
    Figure(
        "governance.cotech",
        _("COTECH tenus"),
        _("Nombre d'actions de modalité COTECH."),
        "indicators.queries.action_family",
    ),
    Figure(
        "governance.elected_officials",
        _("Élu·es investi·es"),
        _(
            "Par territoire, le plus grand nombre d'élu·es d'un COPIL ; "
            "additionné sur les territoires."
        ),
        "indicators.queries.action_family",
    ),
    Figure(
        "satisfaction.synthesis.overall",
        _("Satisfaction moyenne des publics"),
        _(
            "Moyenne des taux de satisfaction par modalité et public (chaque public compte une "
            "fois) ; chaque taux est la part de réponses favorables aux questions de "
            "satisfaction sur toutes les années scolaires, chaque année pesant son nombre de "
            "réponses (une réponse tardive ne pèse qu'une réponse). Un public de moins de 5 "
            "répondant·es est montré à part, hors de la moyenne."
        ),
        "surveys.selectors.satisfaction_synthesis",
        unit="share",
    ),
    Figure(
        "satisfaction.respondents",
        _("Réponses aux questionnaires"),
        _("Somme des répondant·es de chaque questionnaire du périmètre."),
        "surveys.selectors.questionnaire_results",
        per_territory=False,
    ),
    Figure(
        "governance.meetings_held",
        _("Comptes rendus de COPIL et de COTECH"),
        _("Nombre de comptes rendus de réunion saisis, COPIL et COTECH ensemble."),
        "evaluation.selectors.deployment.anchoring",
        per_territory=False,
    ),
    Figure(
        "coordination.fte_per_year",
        _("Coordination (ETP moyen par année scolaire)"),
        _("Jours de coordination par année scolaire ÷ jours par ETP, moyenne sur les années."),
        "indicators.queries.coordination_family",
        unit="decimal",
    ),
    Figure(
        "coordination.days_per_year_mean",
        _("Jours de coordination par année scolaire (moyenne)"),
        _("Jours de coordination saisis par année scolaire, moyenne sur les années saisies."),
        "indicators.queries.coordination_family",
        unit="decimal",
    ),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}

# The dashboard's and the territory page's headline: the publics reached, then satisfaction.
HEADLINE_KEYS = (
    "reach.children_direct",
    "reach.children_indirect",
    "reach.professionals_unique",
    "reach.parents",
    "reach.structures",
    "satisfaction.synthesis.overall",
)


def figure_value(results: dict, key: str):
    """Read a declared figure from a results dict (the programme's or one territory's)."""
    value = results
    for part in key.split("."):
        value = value[part]
    return value


def declared_values(results: dict) -> dict[str, float]:
    """The registry's figures computed so far, by key (numbers only: a hidden figure is None)."""
    values = {}
    for figure in FIGURES:
        try:
            value = figure_value(results, figure.key)
        except KeyError:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[figure.key] = value
    return values


# The figure an objective's target (« cible ») is compared with: a modality's deliveries, or a
# public reached. Read by the objectives, the declared totals and the reports alike.
TARGET_FIGURES = {
    **{modality: f"deliveries.{modality}" for modality in Modality.values},
    ReachTarget.ENFANTS: "reach.children_total",
    ReachTarget.PROFESSIONNELS: "reach.professionals_unique",
    ReachTarget.STRUCTURES: "reach.structures",
    ReachTarget.PARENTS: "reach.parents",
}


def achieved_value(results: dict, target: str) -> int:
    """The figure an objective's target names, in a results dict."""
    return figure_value(results, TARGET_FIGURES[target])


TARGET_LABELS = {
    "enfants": _("Enfants"),
    "professionnels": _("Professionnel·les"),
    "structures": _("Structures"),
    "parents": _("Parents"),
}


def target_label(target: str) -> str:
    """An objective's target as people name it: a modality, or a public reached."""
    if target in Modality.values:
        return str(Modality(target).label)
    return str(TARGET_LABELS.get(target, target))


# An objective's status, as people say it.
STATUS_LABELS = {"below": _("en dessous"), "within": _("atteint"), "above": _("au-dessus")}
