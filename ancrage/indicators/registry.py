"""Every figure Ancrage shows is declared here once: its key, French label and how it is computed.

The command line, the JSON output, and later the pages, the API and the reports read figures
through this registry, so they can never disagree.
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ancrage.programmes.vocabulary import Modality


@dataclass(frozen=True)
class Figure:
    key: str  # a path in the computed results: "reach.children_total"
    label: str
    explanation: str
    family: str  # which grouped query computes it (queries.py)


def _modality_figures() -> list[Figure]:
    figures = []
    for modality in Modality:
        figures.append(
            Figure(
                f"deliveries.{modality.value}",
                format_lazy(_("Réalisations : {m}"), m=modality.label),
                _("Nombre d'actions de cette modalité."),
                "actions",
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
                "participations",
            )
        )
    return figures


FIGURES: tuple[Figure, ...] = (
    *_modality_figures(),
    Figure(
        "reach.adult_participations",
        _("Participations d'adultes"),
        _("Somme des participant·es des formations, accompagnements, JEP et co-interventions."),
        "participations",
    ),
    Figure(
        "reach.professionals_unique",
        _("Professionnel·les touché·es (personnes uniques)"),
        _(
            "Exact : personnes distinctes sur les modalités professionnelles. Estimé quand une "
            "action ne liste pas ses participant·es : participations × (1 − part multimodalité)."
        ),
        "professionals",
    ),
    Figure(
        "reach.trained_adults",
        _("Adultes formé·es ou en co-animation"),
        _("Personnes distinctes des formations et co-interventions (ou leur nombre d'adultes)."),
        "trained",
    ),
    Figure(
        "reach.children_direct",
        _("Enfants touchés directement"),
        _("Somme des enfants des co-interventions."),
        "actions",
    ),
    Figure(
        "reach.children_indirect",
        _("Enfants touchés indirectement"),
        _("Adultes formé·es × taux de réplication × enfants par adulte, arrondi."),
        "trained",
    ),
    Figure(
        "reach.children_total",
        _("Enfants touchés"),
        _("Enfants touchés directement + indirectement."),
        "trained",
    ),
    Figure(
        "reach.parents",
        _("Parents touchés"),
        _("Somme des parents des actions parentalité."),
        "actions",
    ),
    Figure(
        "reach.structures",
        _("Structures touchées"),
        _("Structures distinctes citées par les actions hors COPIL et COTECH."),
        "structures",
    ),
    Figure(
        "governance.copil", _("COPIL tenus"), _("Nombre d'actions de modalité COPIL."), "actions"
    ),
    Figure(
        "governance.cotech",
        _("COTECH tenus"),
        _("Nombre d'actions de modalité COTECH."),
        "actions",
    ),
    Figure(
        "governance.elected_officials",
        _("Élu·es investi·es"),
        _(
            "Par territoire, le plus grand nombre d'élu·es d'un COPIL ; "
            "additionné sur les territoires."
        ),
        "actions",
    ),
    Figure(
        "satisfaction.synthesis.overall",
        _("Satisfaction moyenne des publics"),
        _(
            "Moyenne des taux de satisfaction par modalité et public ; chaque taux est la part "
            "de réponses favorables aux questions de satisfaction, moyennée sur les années."
        ),
        "satisfaction",
    ),
    Figure(
        "coordination.fte_per_year",
        _("Coordination (ETP moyen par année scolaire)"),
        _("Jours de coordination par année scolaire ÷ jours par ETP, moyenne sur les années."),
        "coordination",
    ),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}


def figure_value(results: dict, key: str):
    """Read a declared figure from a results dict (the programme's or one territory's)."""
    value = results
    for part in key.split("."):
        value = value[part]
    return value


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
