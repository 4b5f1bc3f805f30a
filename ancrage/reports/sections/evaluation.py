"""Part 05 « Nos indicateurs sont-ils validés ? » and part 06, transferability with its
recommendations and conditions of success."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.core.numbers import fr_int, fr_percent

from ..document import Bullets, Section, Table
from .base import ReportFigures, yes_no


def indicators_validated(f: ReportFigures) -> list[Section]:
    from ancrage.evaluation.models import Verdict

    framework = f["framework"]
    labels = dict(Verdict.choices)
    rows = []
    for theme in framework["themes"]:
        for indicator in theme["indicators"]:
            value = indicator["value"]
            if isinstance(value, float) and value <= 1:
                shown = fr_percent(value)
            else:
                shown = fr_int(value) if value is not None else "—"
            rows.append(
                [
                    indicator["label"],
                    shown,
                    str(labels.get(indicator["verdict"], _("non renseigné"))),
                    _("calculé") if indicator["verdict_source"] == "computed" else _("évaluateur"),
                ]
            )
    area_rows = [
        [
            f.items.get(code, code),
            fr_int(counts["valide"]),
            fr_int(counts["partiel"]),
            fr_int(counts["non_valide"]),
        ]
        for code, counts in framework["by_ottawa_area"].items()
    ]
    return [
        Section(
            _("Nos indicateurs sont-ils validés ?"),
            [
                Table(
                    [_("Domaine d'Ottawa"), _("Validés"), _("Partiels"), _("Non validés")],
                    area_rows,
                    widths=[6, 2, 2, 2],
                )
            ],
            sources=[_("Cadre d'évaluation et figures calculées par Ancrage.")],
        ),
        Section(
            _("Indicateurs et verdicts"),
            [
                Table(
                    [_("Indicateur"), _("Valeur"), _("Verdict"), _("Source")],
                    rows,
                    widths=[7, 2, 2, 2],
                )
            ],
            footnotes=[
                _(
                    "Verdict calculé : la valeur mesurée est comparée à la cible de "
                    "l'indicateur ; sinon, verdict argumenté de l'évaluateur."
                )
            ],
            sources=[_("Cadre d'évaluation et figures calculées par Ancrage.")],
        ),
    ]


# Lazy: read in the language of each report, not the one active when the module was imported.
CONDITIONS = {
    "political_anchoring": gettext_lazy("Ancrage politique : élu·es investi·es, COPIL"),
    "institutions_partnership": gettext_lazy("Institutions et partenariat mobilisés"),
    "transfer_of_skills": gettext_lazy("Transfert de compétences : formation, accompagnement"),
    "other_context": gettext_lazy("Contexte favorable : politiques et antécédents"),
}
INFLUENCE = {
    "favourable": gettext_lazy("favorable"),
    "neutral": gettext_lazy("neutre"),
    "unfavourable": gettext_lazy("défavorable"),
}


def _characteristics(t: dict) -> list[list[str]]:
    c = t["characteristics"]
    reached = c["population_reached"]
    return [
        [_("Objectifs du programme"), c["objectives"]],
        [
            _("Accessibilité"),
            _("Actions gratuites : {free} ; structures en QPV : {qpv}.").format(
                free=_("oui") if c["accessibility"]["free_actions"] else _("non"),
                qpv=fr_percent(c["accessibility"]["qpv_structures_share"]),
            ),
        ],
        [
            _("Population bénéficiaire"),
            _(
                "{children} enfants, {pros} professionnel·les, {structures} structures et "
                "{parents} parents concernés par le programme."
            ).format(
                children=fr_int(reached["children_total"]),
                pros=fr_int(reached["professionals_unique"]),
                structures=fr_int(reached["structures"]),
                parents=fr_int(reached["parents"]),
            ),
        ],
        [
            _("Engagement et motivation"),
            _("{rate} de satisfaction des publics.").format(
                rate=fr_percent(c["engagement"]["satisfaction"])
            ),
        ],
    ]


def _candidate(candidate: dict) -> Section:
    return Section(
        _("Territoire candidat : {name}").format(name=candidate["name"]),
        [
            Table(
                [
                    _("Critère"),
                    _("Territoires d'origine"),
                    _("Candidat"),
                    _("Influence"),
                    _("Adaptation"),
                ],
                [
                    [
                        row["label"],
                        yes_no(row["primary"]),
                        yes_no(row["candidate"]),
                        str(INFLUENCE.get(row["influence"], row["influence"])),
                        row["adaptation"],
                    ]
                    for row in candidate["assessment"]
                ],
                widths=[3, 3, 2, 2, 5],
            )
        ],
        sources=[_("Grille ASTAIRE et figures du programme.")],
    )


def transferability(f: ReportFigures) -> list[Section]:
    t = f["transferability"]
    condition_rows = [
        [str(label), _("réunie") if t["conditions"].get(key) else _("à réunir")]
        for key, label in CONDITIONS.items()
    ]
    return [
        Section(
            _("Transférabilité : comment ça peut marcher ailleurs ?"),
            [Table([_("Caractéristique"), _("Constat")], _characteristics(t), widths=[3, 9])],
            footnotes=[
                _("Satisfaction : synthèse des degrés de satisfaction des publics."),
                _("QPV : quartier prioritaire de la politique de la ville."),
            ],
            sources=[_("Grille ASTAIRE et figures du programme.")],
            anchor="transferabilite",
        ),
        Section(
            _("Conditions de transfert"),
            [Table([_("Condition de transfert"), _("État")], condition_rows, widths=[8, 3])],
            sources=[_("Figures du programme et paramètres d'évaluation.")],
        ),
        *(_candidate(candidate) for candidate in t["candidates"]),
    ]


def observed_conditions(transfer: dict) -> list[str]:
    """The conditions of success the programme's own figures show (the seed's « taille de
    territoire proche de 37 000 habitants »)."""
    territories = [t for t in transfer["primary"]["territories"] if t["population"]]
    found = []
    if territories:
        smallest = min(territories, key=lambda t: t["population"])
        found.append(
            _("Une taille de territoire proche de {n} habitant·es ({name}).").format(
                n=fr_int(smallest["population"]), name=smallest["name"]
            )
        )
    if transfer["conditions"].get("political_anchoring"):
        elected = sum(t["elected_officials"] for t in transfer["primary"]["territories"])
        found.append(_("Un portage politique : {n} élu·es investi·es en COPIL.").format(n=elected))
    if transfer["conditions"].get("institutions_partnership"):
        found.append(_("Une personne référente en poste sur chaque territoire."))
    return found


def lessons(f: ReportFigures) -> list[Section]:
    """Recommendations and conditions of success: written by the evaluation team, with the
    adaptations the ASTAIRE grid records."""
    story = f.story
    recommendations = list(story["recommendations"])
    recommendations += [
        f"{row['label']} : {row['adaptation']}"
        for row in f["transferability"]["astaire"]
        if row["adaptation"]
    ]
    conditions = [*observed_conditions(f["transferability"]), *story["success_conditions"]]
    blocks: list = []
    if recommendations:
        blocks.append(Bullets(recommendations, heading=_("Recommandations")))
    if conditions:
        blocks.append(Bullets(conditions, heading=_("Conditions de réussite")))
    if not blocks:
        return []
    return [
        Section(
            _("Recommandations et conditions de réussite"),
            blocks,
            sources=[_("Étude de transférabilité (grille ASTAIRE) et équipe d'évaluation.")],
        )
    ]


def closing(f: ReportFigures) -> list[Section]:
    story = f.story
    sections = []
    thanked = story["thanks"]
    if thanked:
        sections.append(
            Section(
                _("Merci à nos partenaires"),
                [Bullets(thanked)],
                sources=[_("Registre des partenaires.")],
            )
        )
    sections.append(
        Section(
            story["closing_title"] or _("Merci de votre attention"),
            [],
            closing=True,
            subtitle=story["closing_text"],
        )
    )
    return sections
