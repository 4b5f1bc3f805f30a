"""Part 02, the evaluation's method: its sources, its evaluative questions, the indicators by
theme, the two-level deployment model and the evaluation tools."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.core.numbers import fr_int, fr_percent
from ancrage.indicators.registry import target_label
from ancrage.programmes.objectives import per_period_text, territory_label, total_text
from ancrage.surveys.models import Public

from ..document import Bullets, DeckRows, Section, Table, Text
from .base import ReportFigures
from .derived import method_counts
from .long_tables import DECK_TABLE_ROWS, NOT_ADDED


def method(f: ReportFigures) -> list[Section]:
    counts = method_counts(f.figures)
    return [
        Section(
            _("Méthode d'évaluation"),
            [
                Text(
                    _(
                        "Évaluation des résultats et des processus, complétée d'une étude "
                        "de transférabilité."
                    )
                ),
                Bullets(
                    [
                        _("Les retours des publics : {n} questionnaires, {r} réponses.").format(
                            n=counts["questionnaires"], r=fr_int(counts["respondents"])
                        ),
                        _("L'expérience des professionnel·les : {n} fiches bilan d'action.").format(
                            n=fr_int(f["efficacy"]["reports"])
                        ),
                        _("Les instances : {n} comptes rendus de COPIL et de COTECH.").format(
                            n=fr_int(counts["meetings"])
                        ),
                        _(
                            "Les données scientifiques : facteurs d'efficacité des "
                            "interventions CPS (Santé publique France)."
                        ),
                    ]
                ),
                Text(
                    _(
                        "Les résultats sont classés selon les domaines de la charte d'Ottawa "
                        "et le modèle suisse de catégorisation des résultats."
                    )
                ),
            ],
            sources=[_("Référentiels : charte d'Ottawa, modèle suisse (SMOC), SPF 2022.")],
        )
    ]


def questions(f: ReportFigures) -> list[Section]:
    asked = f.story["evaluative_questions"]
    if not asked:
        return []
    return [
        Section(
            _("Les questions évaluatives"),
            [Bullets(asked)],
            sources=[_("Questions évaluatives saisies par l'équipe d'évaluation.")],
        )
    ]


def indicators_by_theme(f: ReportFigures) -> list[Section]:
    rows = []
    for theme in f["framework"]["themes"]:
        for indicator in theme["indicators"]:
            rows.append(
                [
                    f"{theme['number']:02d}. {theme['label']}",
                    indicator["label"],
                    ", ".join(f.items.get(code, code) for code in indicator["ottawa"]),
                    indicator["sources"],
                ]
            )
    return [
        Section(
            _("Indicateurs par thème"),
            [
                Table(
                    [_("Thème"), _("Indicateur"), _("Domaine d'Ottawa"), _("Sources")],
                    rows,
                    widths=[3, 5, 3, 3],
                )
            ],
            sources=[_("Cadre d'évaluation saisi dans Ancrage.")],
        )
    ]


def pack_rows(objectives: list[dict]) -> list[dict]:
    """The deployment pack: the objectives of each territory set on a modality."""
    from ancrage.programmes.vocabulary import Modality

    return [o for o in objectives if o["territoire"] != "*" and o["cible"] in Modality.values]


def deployment_model(f: ReportFigures) -> list[Section]:
    """The pack as written (« 2 par an ») with its programme total; one row per target when
    every territory has the same pack, else one row per territory and target."""
    pack = pack_rows(f["objectives"])
    by_target: dict[str, dict] = {}
    for row in pack:
        key = (row["cible"], row["periode"], row["min"], row["max"])
        by_target.setdefault(row["cible"], {}).setdefault(key, []).append(row)
    same_everywhere = all(len(variants) == 1 for variants in by_target.values())
    if same_everywhere:
        rows = [
            [target_label(target), per_period_text(rows[0]), total_text(rows[0]) or "—"]
            for target, variants in by_target.items()
            for rows in variants.values()
        ]
        header = [_("Modalité"), _("Attendu par territoire"), _("Sur le programme")]
        widths = [3, 4, 5]
    else:
        rows = [
            [
                territory_label(row["territoire"]),
                target_label(row["cible"]),
                per_period_text(row),
                total_text(row) or "—",
            ]
            for row in pack
        ]
        header = [_("Territoire"), _("Modalité"), _("Attendu"), _("Sur le programme")]
        widths = [2, 3, 3, 4]
    table = Table(header, rows, _("Pack de déploiement par territoire"), widths=widths)
    if not same_everywhere and len(rows) > DECK_TABLE_ROWS:
        table.deck = _packs_alike(rows)
    return [
        Section(
            _("Modèle de déploiement à deux niveaux"),
            [
                Text(
                    _(
                        "Décideurs : pilotage institutionnel (COPIL) et coordination de "
                        "territoire (COTECH, personne référente). Acteurs : le pack de "
                        "déploiement ci-dessous."
                    )
                ),
                table,
            ],
            sources=[_("Objectifs saisis dans le classeur (feuille objectifs).")],
        )
    ]


def _territories(n: int) -> str:
    return ngettext("{n} territoire", "{n} territoires", n).format(n=fr_int(n))


def _packs_alike(rows: list[list[str]]) -> DeckRows:
    """The deck's form of a pack written territory by territory (a row per territory and
    modality): the territories with the same target on a modality in one row, « 1 100
    territoires », the most shared first; past DECK_TABLE_ROWS rows the rarer ones together."""
    alike: dict[tuple[str, ...], int] = {}
    for _territory, *pack in rows:
        alike[tuple(pack)] = alike.get(tuple(pack), 0) + 1
    modalities = list(dict.fromkeys(pack[0] for pack in alike))
    ordered = sorted(alike, key=lambda pack: (modalities.index(pack[0]), -alike[pack]))
    summed = len(ordered) > DECK_TABLE_ROWS
    if summed:
        shown = set(sorted(ordered, key=lambda pack: -alike[pack])[: DECK_TABLE_ROWS - 1])
        rest = sum(alike[pack] for pack in ordered if pack not in shown)
        ordered = [pack for pack in ordered if pack in shown]
    deck = [[_territories(alike[pack]), *pack] for pack in ordered]
    if summed:
        deck.append([_("Autres packs : {n}").format(n=_territories(rest)), *[NOT_ADDED] * 3])
    note = _(
        "Diaporama : les territoires qui ont le même pack réunis en une ligne (leur nombre en "
        "première colonne) ; le tableau complet des {total} territoires est dans le rapport "
        "écrit (PDF, Word, HTML)."
    ).format(total=fr_int(len({row[0] for row in rows})))
    return DeckRows(deck, note, summed=summed)


def tools(f: ReportFigures) -> list[Section]:
    rows = [
        [
            q["title"],
            str(Public(q["public"]).label),
            fr_int(q["respondents"]),
            fr_int(q["beneficiaries"]) if q["beneficiaries"] else "—",
            fr_percent(q["response_rate"]),
        ]
        for q in f["satisfaction"]["questionnaires"]
    ]
    return [
        Section(
            _("Les outils d'évaluation"),
            [
                Table(
                    [
                        _("Questionnaire"),
                        _("Public"),
                        _("Répondant·es"),
                        _("Bénéficiaires"),
                        _("Taux de réponse"),
                    ],
                    rows,
                    widths=[6, 3, 2, 2, 2],
                ),
                Bullets(
                    [
                        _("Fiches bilan des chargé·es de projet : {n}.").format(
                            n=fr_int(f["efficacy"]["reports"])
                        ),
                        _("Comptes rendus de réunions institutionnelles et techniques."),
                        _("Littérature de projet."),
                    ]
                ),
            ],
            sources=[_("Questionnaires XLSForm et réponses importées dans Ancrage.")],
        )
    ]
