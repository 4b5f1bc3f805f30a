"""Part 04, territorial anchoring: governance, « is our model respected? », context and
partners."""

from django.utils.translation import gettext as _

from ancrage.core.numbers import fr_decimal, fr_int
from ancrage.indicators.registry import FIGURES_BY_KEY, STATUS_LABELS, target_label
from ancrage.programmes.objectives import per_period_text, territory_label, total_text
from ancrage.programmes.vocabulary import Modality

from ..document import Bullets, KeyFigures, Section, Table, Text, Tile
from .base import ReportFigures
from .derived import mean_coordination_days
from .long_tables import Column, counted, territory_table


def anchoring(f: ReportFigures) -> list[Section]:
    g = f["governance"]
    coordination = f["coordination"]
    by_territory = f["by_territory"]
    referents = g["referents"]
    table = territory_table(
        [
            Column(_("Territoire"), lambda code: code),
            counted(_("COPIL"), lambda code: by_territory[code]["governance"]["copil"]),
            counted(_("COTECH"), lambda code: by_territory[code]["governance"]["cotech"]),
            counted(
                _("Élu·es"), lambda code: by_territory[code]["governance"]["elected_officials"]
            ),
            counted(_("Référent·es"), lambda code: referents.get(code, {}).get("total", 0)),
        ],
        list(by_territory),
        main=1,  # the steering committees held
        widths=[4, 2, 2, 2, 2],
    )
    blocks: list = [
        KeyFigures(
            [
                Tile(fr_int(g["copil"]), _("COPIL")),
                Tile(fr_int(g["cotech"]), _("COTECH")),
                Tile(fr_int(g["elected_officials"]), _("élu·es investi·es")),
                Tile(fr_decimal(coordination["fte_per_year"], 2), _("ETP de coordination par an")),
            ]
        ),
        table,
    ]
    contracts = [
        f"{c['name']} ({c['kind']})" + (_(" : démarche inscrite") if c["written_in"] else "")
        for c in g["health_contracts"]
    ]
    if contracts:
        blocks.append(Bullets(contracts, heading=_("Contrats locaux de santé")))
    return [
        Section(
            _("Ancrage territorial"),
            blocks,
            footnotes=[
                _(
                    "Coordination : {days} jours par année scolaire en moyenne pour "
                    "{n} territoire(s) ÷ {fte_days} jours par ETP = {fte} ETP."
                ).format(
                    days=fr_decimal(mean_coordination_days(f.figures), 0),
                    n=max(len(by_territory), 1),
                    fte_days=f["programme"]["parameters"]["days_per_fte"],
                    fte=fr_decimal(coordination["fte_per_year"], 2),
                ),
                str(FIGURES_BY_KEY["governance.elected_officials"].explanation),
            ],
            sources=[_("Comptes rendus de COPIL et COTECH ; registre des référent·es.")],
        ),
    ]


def model_respected(f: ReportFigures) -> list[Section]:
    model = f["governance"]["deployment_model"]
    g = f["governance"]
    # A territory's rows stay together; territories ranked by what they delivered of the pack.
    table = territory_table(
        [
            Column(_("Territoire"), lambda row: territory_label(row["territoire"])),
            Column(_("Modalité"), lambda row: target_label(row["cible"])),
            Column(_("Attendu"), per_period_text),
            Column(_("Sur la période"), lambda row: total_text(row) or "—"),
            counted(_("Réalisé"), lambda row: row["achieved"]),
            Column(_("Statut"), lambda row: str(STATUS_LABELS[row["status"]])),
        ],
        model["pack"],
        main=4,
        territory=lambda row: row["territoire"],
        widths=[2, 3, 3, 4, 2, 2],
    )
    d = f["deliveries"]
    summary = _(
        "Déploiement de {formation} formations, {accompagnement} accompagnements, "
        "{co} co-interventions, {jep} JEP et {parents} actions parentalité ; "
        "{copil} COPIL et {elected} élu·es investi·es."
    ).format(
        formation=d[Modality.FORMATION],
        accompagnement=d[Modality.ACCOMPAGNEMENT],
        co=d[Modality.CO_INTERVENTION],
        jep=d[Modality.JEP],
        parents=d[Modality.PARENTALITE],
        copil=g["copil"],
        elected=g["elected_officials"],
    )
    return [
        Section(
            _("Notre modèle de déploiement est-il respecté ?"),
            [
                KeyFigures(
                    [
                        Tile(
                            f"{model['respected']} / {model['total']}",
                            _("engagements du pack tenus"),
                        )
                    ]
                ),
                Text(summary),
                table,
            ],
            footnotes=[
                _(
                    "Attendu : l'objectif tel qu'écrit pour sa période ; il est comparé au "
                    "total qu'il implique sur les années scolaires couvertes."
                )
            ],
            sources=[_("Objectifs du pack et actions du classeur.")],
        )
    ]


def context(f: ReportFigures) -> list[Section]:
    register = f["context"]

    def lines(notes):
        return [n["text"] + (f" ({n['territory']})" if n["territory"] else "") for n in notes]

    blocks: list = []
    if register["strengths"]:
        blocks.append(Bullets(lines(register["strengths"]), heading=_("Forces")))
    if register["limits"]:
        blocks.append(Bullets(lines(register["limits"]), heading=_("Limites")))
    return [
        Section(
            _("Contexte et environnement : forces et limites à l'ancrage"),
            blocks or [Text(_("Aucune note de contexte saisie."))],
            sources=[_("Registre du contexte saisi par l'équipe d'évaluation.")],
        )
    ]


def partners(f: ReportFigures) -> list[Section]:
    from ancrage.evaluation.models import Partner

    kinds = dict(Partner.Kind.choices)
    rows = [
        [p["name"], str(kinds.get(p["kind"], p["kind"])), p["role"]]
        for p in f["governance"]["partners"]
    ]
    if not rows:
        return []
    return [
        Section(
            _("Zoom sur les partenaires"),
            [Table([_("Partenaire"), _("Type"), _("Rôle")], rows, widths=[4, 2, 6])],
            sources=[_("Registre des partenaires.")],
        )
    ]
