"""The report's parts, in the seed deck's order, listed once.

Each entry is a function `build(figures) -> list[Section]` from the computed figures (see
`base.ReportFigures`); the six numbered parts (01 … 06) open with a divider. The deck, the PDF,
the Word document, the HTML file and the evaluation page all read this list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.programmes.scope import Scope

from ..document import Report, Section
from . import evaluation, governance, maps, method, programme, questionnaires, results
from .base import ReportFigures, gather

Build = Callable[[ReportFigures], list[Section]]


@dataclass(frozen=True)
class Part:
    title: str
    steps: tuple[tuple[str, Build], ...]


def _modalities() -> tuple[tuple[str, Build], ...]:
    return tuple(
        (title, lambda f, m=modality: questionnaires.modality_part(f, m))
        for modality, title in questionnaires.MODALITY_PARTS.items()
    )


PARTS: tuple[Part, ...] = (
    Part(
        gettext_lazy("Le programme"),
        (
            (gettext_lazy("Historique"), programme.history),
            (gettext_lazy("Objectifs"), programme.objectives),
            (gettext_lazy("Territoires"), programme.territories),
        ),
    ),
    Part(
        gettext_lazy("La méthode d'évaluation"),
        (
            (gettext_lazy("Méthode d'évaluation"), method.method),
            (gettext_lazy("Questions évaluatives"), method.questions),
            (gettext_lazy("Indicateurs par thème"), method.indicators_by_theme),
            (gettext_lazy("Modèle de déploiement"), method.deployment_model),
            (gettext_lazy("Outils d'évaluation"), method.tools),
        ),
    ),
    Part(
        gettext_lazy("Résultats et analyse : le déploiement et ses effets"),
        (
            (gettext_lazy("Prestations et publics"), results.deliveries),
            *_modalities(),
            (gettext_lazy("Synthèse de la satisfaction"), questionnaires.satisfaction_synthesis),
            (gettext_lazy("Structures et professions"), results.structures),
            (gettext_lazy("Cartes des actions"), maps.action_maps),
        ),
    ),
    Part(
        gettext_lazy("Ancrage territorial : comment ça marche ?"),
        (
            (gettext_lazy("Ancrage territorial"), governance.anchoring),
            (gettext_lazy("Modèle respecté ?"), governance.model_respected),
            (gettext_lazy("Contexte"), governance.context),
            (gettext_lazy("Partenaires"), governance.partners),
        ),
    ),
    Part(
        gettext_lazy("Nos indicateurs sont-ils validés ?"),
        ((gettext_lazy("Indicateurs validés ?"), evaluation.indicators_validated),),
    ),
    Part(
        gettext_lazy("Transférabilité du programme"),
        (
            (gettext_lazy("Transférabilité"), evaluation.transferability),
            (gettext_lazy("Recommandations"), evaluation.lessons),
        ),
    ),
)
CLOSING: tuple[tuple[str, Build], ...] = ((gettext_lazy("Remerciements"), evaluation.closing),)
# After the closing words; a build returns no section when the body already says it all.
ANNEXES: tuple[tuple[str, Build], ...] = ((gettext_lazy("Annexes"), programme.communes_annex),)

# The evaluation page: the same parts, from the same cached figures.
EVALUATION_PAGE: tuple[Build, ...] = (
    evaluation.indicators_validated,
    method.indicators_by_theme,
    method.deployment_model,
    governance.model_respected,
    governance.anchoring,
    governance.context,
    evaluation.transferability,
    evaluation.lessons,
)


def step_count() -> int:
    """How many times `build_report` reports progress, plus one for writing the file."""
    return sum(len(part.steps) for part in PARTS) + len(CLOSING) + len(ANNEXES) + 1


def scope_label(f: ReportFigures) -> str:
    names = [t["name"] for t in f.maps.values()]
    years = f["programme"]["school_years"]
    period = (
        years[0]
        if len(years) == 1
        else _("{first} à {last}").format(first=years[0], last=years[-1])
        if years
        else ""
    )
    return _("{territories} · années scolaires {period}").format(
        territories=", ".join(names), period=period
    )


def build_report(
    scope: Scope,
    *,
    hide_small: bool = False,
    progress: Callable[[str, int], None] | None = None,
    figures: dict | None = None,
) -> Report:
    """The report of a scope; `progress(name, total)` is called after each of `total` steps
    (the last step, writing the file, is the caller's)."""
    f = gather(scope, hide_small=hide_small, figures=figures)
    report = Report(
        title=_("Évaluation du programme"),
        subtitle=f["programme"]["name"],
        scope_label=scope_label(f),
        generated_on=date_format(date.today(), "j F Y"),
        territories=[t["name"] for t in f.maps.values()],
        period=f["programme"]["school_years"],
    )
    total = step_count()
    for number, part in enumerate(PARTS, start=1):
        report.sections.append(Section(str(part.title), part=True, number=f"{number:02d}"))
        for name, build in part.steps:
            report.sections.extend(build(f))
            if progress:
                progress(str(name), total)
    for name, build in CLOSING:
        report.sections.extend(build(f))
        if progress:
            progress(str(name), total)
    for name, build in ANNEXES:
        report.annexes.extend(build(f))
        if progress:
            progress(str(name), total)
    return report


def evaluation_sections(scope: Scope, *, hide_small: bool = False) -> list[Section]:
    """The evaluation page's parts, from the cached figures."""
    f = gather(scope, hide_small=hide_small)
    return [section for build in EVALUATION_PAGE for section in build(f) if not section.part]
