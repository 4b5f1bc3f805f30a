"""The evaluation report's content, in the seed deck's order, read from the computed figures.

Nothing here counts rows: every number comes from `compute_indicators` (the registry's figures)
or from the grouped selectors of the apps; this module only words and arranges them.
"""

from collections.abc import Callable
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.activities.selectors import MAX_MAPS, action_map, professions, structures_by_kind
from ancrage.core import charts
from ancrage.core.numbers import fr_decimal, fr_int, fr_percent
from ancrage.evaluation.models import EvaluationSettings, FrameworkItem, Partner, Verdict
from ancrage.indicators.registry import FIGURES_BY_KEY, STATUS_LABELS, target_label
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES, Modality
from ancrage.surveys.models import Public
from ancrage.surveys.selectors import free_text
from ancrage.surveys.text import TextSummary, word_cloud_png

from .document import Bullets, ChartBlock, Image, KeyFigures, Report, Section, Table, Text

PUBLIC_MODALITIES = [m for m in Modality if m.value not in GOVERNANCE_MODALITIES]
MODALITY_PARTS = {
    Modality.FORMATION: gettext_lazy("Les formations"),
    Modality.CO_INTERVENTION: gettext_lazy("Les co-interventions"),
    Modality.ACCOMPAGNEMENT: gettext_lazy("Les accompagnements"),
    Modality.JEP: gettext_lazy("Les journées d'échange de pratiques"),
    Modality.PARENTALITE: gettext_lazy("La parentalité"),
}
SOURCES_ACTIVITY = gettext_lazy("Tableau de répartition de l'activité (classeur Ancrage)")


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int | float):
        return fr_int(value)
    return "—" if value is None else str(value)


class ReportBuilder:
    """Builds the report section by section (so the command line can show progress)."""

    def __init__(self, scope: Scope, *, hide_small: bool = False):
        self.scope = scope
        self.hide_small = hide_small
        self.figures = compute_indicators(scope, hide_small=hide_small)
        self.maps = action_map(scope)
        self.settings = EvaluationSettings.objects.filter(programme=scope.programme).first()
        self.items = dict(
            FrameworkItem.objects.filter(framework__code__in=["OTTAWA", "EFFICACITE"]).values_list(
                "code", "label"
            )
        )

    # The sections, in the seed's order.
    def steps(self) -> list[tuple[str, Callable[[], list[Section]]]]:
        return [
            (_("Historique et objectifs"), self.history),
            (_("Territoires"), self.territories),
            (_("Méthode d'évaluation"), self.method),
            (_("Indicateurs par thème"), self.indicators_by_theme),
            (_("Modèle de déploiement"), self.deployment_model),
            (_("Outils d'évaluation"), self.tools),
            (_("Prestations et publics"), self.deliveries),
            *((str(MODALITY_PARTS[m]), lambda m=m: self.modality_part(m)) for m in MODALITY_PARTS),
            (_("Synthèse de la satisfaction"), self.satisfaction_synthesis),
            (_("Structures et professions"), self.structures),
            (_("Cartes des actions"), self.action_maps),
            (_("Ancrage territorial"), self.anchoring),
            (_("Modèle respecté ?"), self.model_respected),
            (_("Contexte"), self.context),
            (_("Partenaires"), self.partners),
            (_("Indicateurs validés ?"), self.indicators_validated),
            (_("Transférabilité"), self.transferability),
        ]

    def report(self, progress: Callable[[str, int], None] | None = None) -> Report:
        """The report; `progress(name, total)` is called after each of the `total` steps."""
        programme = self.figures["programme"]
        report = Report(
            title=_("Évaluation du programme"),
            subtitle=programme["name"],
            scope_label=self.scope_label(),
            generated_on=date_format(date.today(), "j F Y"),
        )
        steps = self.steps()
        for name, step in steps:
            report.sections.extend(step())
            if progress:
                progress(name, len(steps) + 1)  # the last step is writing the file
        return report

    def scope_label(self) -> str:
        names = [t["name"] for t in self.maps.values()]
        years = self.figures["programme"]["school_years"]
        period = years[0] if len(years) == 1 else f"{years[0]} à {years[-1]}" if years else ""
        return _("{territories} · années scolaires {period}").format(
            territories=", ".join(names), period=period
        )

    # -- Context ---------------------------------------------------------------------------
    def history(self) -> list[Section]:
        description = self.settings.description if self.settings else ""
        blocks = [Text(paragraph) for paragraph in description.split("\n") if paragraph.strip()]
        programme = self.figures["programme"]
        blocks.append(
            Text(
                _("Programme mené du {start} au {end}.").format(
                    start=date_format(date.fromisoformat(programme["start"]), "j F Y"),
                    end=date_format(date.fromisoformat(programme["end"]), "j F Y"),
                )
            )
        )
        return [
            Section(
                _("Historique et objectifs"),
                blocks,
                sources=[_("Texte saisi avec le programme (paramètres d'évaluation).")],
            )
        ]

    def territories(self) -> list[Section]:
        rows = []
        for territory in self.maps.values():
            communes = territory["communes"]
            rows.append(
                [
                    territory["name"],
                    fr_int(territory["population"]),
                    _("{mobilised} sur {total}").format(
                        mobilised=len(territory["mobilised"]),
                        total=territory["commune_count"] or len(communes),
                    ),
                    fr_int(territory["mobilised_population"]),
                    ", ".join(territory["mobilised"]),
                ]
            )
        table = Table(
            [
                _("Territoire"),
                _("Habitant·es"),
                _("Communes mobilisées"),
                _("Habitant·es des communes mobilisées"),
                _("Communes"),
            ],
            rows,
        )
        return [
            Section(
                _("Les territoires"),
                [table, *self._map_blocks("people", _("Personnes touchées"))],
                footnotes=[
                    _(
                        "Commune mobilisée : au moins une action auprès des publics y a eu lieu. "
                        "Populations : INSEE, populations municipales."
                    )
                ],
                sources=[SOURCES_ACTIVITY, _("Découpage administratif INSEE (2026)")],
            )
        ]

    def _map_blocks(self, field: str, title: str) -> list:
        blocks = []
        for territory in self.maps.values():
            features = territory["features"]
            if not features or not features["features"]:
                continue
            markers = [
                {
                    "lon": f["properties"]["lon"],
                    "lat": f["properties"]["lat"],
                    "name": f["properties"]["name"],
                    "people": f["properties"]["people"],
                }
                for f in features["features"]
                if f["properties"]["actions"]
            ]
            chart = charts.commune_map(
                f"map-{territory['code']}",
                f"{territory['name']} : {title.lower()}",
                features,
                field,
                title,
                markers,
            )
            blocks.append(ChartBlock(chart))
        return blocks

    def method(self) -> list[Section]:
        questionnaires = self.figures["satisfaction"]["questionnaires"]
        meetings = self.figures["governance"]["meetings"]
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
                                n=len(questionnaires),
                                r=fr_int(sum(q["respondents"] for q in questionnaires)),
                            ),
                            _(
                                "L'expérience des professionnel·les : {n} fiches bilan d'action."
                            ).format(n=fr_int(self.figures["efficacy"]["reports"])),
                            _("Les instances : {n} comptes rendus de COPIL et de COTECH.").format(
                                n=fr_int(sum(m["held"] for m in meetings.values()))
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

    def indicators_by_theme(self) -> list[Section]:
        rows = []
        for theme in self.figures["framework"]["themes"]:
            for indicator in theme["indicators"]:
                rows.append(
                    [
                        f"{theme['number']:02d}. {theme['label']}",
                        indicator["label"],
                        ", ".join(self.items.get(code, code) for code in indicator["ottawa"]),
                        indicator["sources"],
                    ]
                )
        return [
            Section(
                _("Indicateurs par thème"),
                [Table([_("Thème"), _("Indicateur"), _("Domaine d'Ottawa"), _("Sources")], rows)],
                sources=[_("Cadre d'évaluation saisi dans Ancrage.")],
            )
        ]

    def deployment_model(self) -> list[Section]:
        rows = [
            [
                row["territoire"],
                target_label(row["cible"]),
                self._expected(row),
                _("par an") if row["periode"] == "an" else _("sur le programme"),
            ]
            for row in self.figures["governance"]["deployment_model"]["pack"]
        ]
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
                    Table(
                        [_("Territoire"), _("Modalité"), _("Attendu"), _("Période")],
                        rows,
                        _("Pack de déploiement par territoire"),
                    ),
                ],
                sources=[_("Objectifs saisis dans le classeur (feuille objectifs).")],
            )
        ]

    @staticmethod
    def _expected(row: dict) -> str:
        low, high = row["min"], row["max"]
        if high is None:
            return _("au moins {n}").format(n=fr_int(low or 0))
        if low == high:
            return fr_int(low)
        return f"{fr_int(low or 0)} – {fr_int(high)}"

    def tools(self) -> list[Section]:
        rows = [
            [
                q["title"],
                str(Public(q["public"]).label),
                fr_int(q["respondents"]),
                fr_int(q["beneficiaries"]) if q["beneficiaries"] else "—",
                fr_percent(q["response_rate"]),
            ]
            for q in self.figures["satisfaction"]["questionnaires"]
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
                    ),
                    Bullets(
                        [
                            _("Fiches bilan des chargé·es de projet : {n}.").format(
                                n=fr_int(self.figures["efficacy"]["reports"])
                            ),
                            _("Comptes rendus de réunions institutionnelles et techniques."),
                            _("Littérature de projet."),
                        ]
                    ),
                ],
                sources=[_("Questionnaires XLSForm et réponses importées dans Ancrage.")],
            )
        ]

    # -- Results ---------------------------------------------------------------------------
    def deliveries(self) -> list[Section]:
        f = self.figures
        reach, params = f["reach"], f["programme"]["parameters"]
        deliveries = [(fr_int(f["deliveries"][m.value]), str(m.label)) for m in PUBLIC_MODALITIES]
        people = [
            (fr_int(f["participants"][Modality.FORMATION]), _("personnes en formation")),
            (fr_int(f["participants"][Modality.ACCOMPAGNEMENT]), _("personnes accompagnées")),
            (fr_int(f["participants"][Modality.JEP]), _("personnes en JEP")),
            (
                "{children} + {adults}".format(
                    children=fr_int(reach["children_direct"]),
                    adults=fr_int(f["participants"][Modality.CO_INTERVENTION]),
                ),
                _("enfants et adultes en co-intervention"),
            ),
            (fr_int(reach["parents"]), _("parents")),
        ]
        headline = [
            (fr_int(reach["children_total"]), _("enfants*")),
            (fr_int(reach["professionals_unique"]), _("professionnel·les**")),
            (fr_int(reach["structures"]), _("structures")),
        ]
        objectives = [o for o in f["objectives"] if o["territoire"] == "*"]
        comparison = [
            {
                "label": target_label(o["cible"]),
                "expected": o["min"] or 0,
                "achieved": o["achieved"],
            }
            for o in objectives
        ]
        blocks = [
            KeyFigures(deliveries),
            KeyFigures(people),
            KeyFigures(headline),
        ]
        if comparison:
            blocks.append(
                Table(
                    [_("Cible"), _("Attendu"), _("Résultat"), _("Statut")],
                    [
                        [
                            target_label(o["cible"]),
                            self._expected(o),
                            fr_int(o["achieved"]),
                            str(STATUS_LABELS[o["status"]]),
                        ]
                        for o in objectives
                    ],
                    _("Attendu et résultat"),
                )
            )
            blocks.append(
                ChartBlock(
                    charts.expected_vs_achieved(
                        "expected-achieved", _("Attendu et résultat"), comparison
                    )
                )
            )
        counts = {
            "participations": fr_int(reach["adult_participations"]),
            "unique": fr_int(reach["professionals_unique"]),
            "share": fr_percent(params["multimodal_share"]),
        }
        if reach["professionals_method"] == "exact":
            professionals_note = _(
                "**Adultes et professionnel·les : {participations} participations au total, "
                "{unique} personnes distinctes (comptage exact des codes pseudonymes)."
            ).format(**counts)
        else:
            professionals_note = _(
                "**Adultes et professionnel·les : {participations} participations au total ; "
                "une part de {share} ayant suivi au moins deux modalités, {participations} × "
                "(1 − {share}) = {unique} personnes (estimation)."
            ).format(**counts)
        return [
            Section(_("Résultats et analyse : le déploiement et ses effets"), part=True),
            Section(
                _("Nombre de prestations et publics concernés"),
                blocks,
                footnotes=[
                    _(
                        "*{direct} enfants directement et {indirect} indirectement concernés : "
                        "{trained} adultes formé·es ou en co-animation × {rate} qui répliquent × "
                        "{per_adult} enfants = {indirect}."
                    ).format(
                        direct=fr_int(reach["children_direct"]),
                        indirect=fr_int(reach["children_indirect"]),
                        trained=fr_int(reach["trained_adults"]),
                        rate=fr_percent(params["replication_rate"]),
                        per_adult=fr_int(params["children_per_adult"]),
                    ),
                    professionals_note,
                ],
                sources=[SOURCES_ACTIVITY, _("Objectifs du programme (feuille objectifs).")],
            ),
        ]

    def modality_part(self, modality: Modality) -> list[Section]:
        f = self.figures
        questionnaires = [
            q for q in f["satisfaction"]["questionnaires"] if q["modality"] == modality.value
        ]
        if modality.value in f["participants"]:
            reached = _("{n} personnes").format(n=fr_int(f["participants"][modality.value]))
        elif modality == Modality.PARENTALITE:
            reached = _("{n} parents").format(n=fr_int(f["reach"]["parents"]))
        else:
            reached = ""
        blocks: list = [
            KeyFigures(
                [
                    (fr_int(f["deliveries"][modality.value]), _("actions")),
                    *([(reached, _("touchées"))] if reached else []),
                ]
            )
        ]
        sections = [Section(str(MODALITY_PARTS[modality]), blocks, sources=[SOURCES_ACTIVITY])]
        for questionnaire in questionnaires:
            sections.extend(self._questionnaire_sections(questionnaire))
        return sections

    def _questionnaire_sections(self, questionnaire: dict) -> list[Section]:
        respondents = _("{n} répondant·es").format(n=fr_int(questionnaire["respondents"]))
        if questionnaire["beneficiaries"]:
            respondents += " · " + _("{n} bénéficiaires · taux de réponse {rate}").format(
                n=fr_int(questionnaire["beneficiaries"]),
                rate=fr_percent(questionnaire["response_rate"]),
            )
        closed = [
            item
            for item in questionnaire["items"]
            if item.get("distribution") and not item["hidden"]
        ]
        hidden = [item for item in questionnaire["items"] if item["hidden"]]
        blocks: list = [Text(respondents)]
        blocks += [
            ChartBlock(chart)
            for chart in charts.item_charts(
                f"items-{questionnaire['form_id']}",
                _("Degré de satisfaction et effets sur les publics"),
                closed,
            )
        ]
        if hidden:
            blocks.append(
                Text(
                    _(
                        "{n} question(s) masquée(s) : moins de 5 réponses dans au moins un "
                        "territoire ou une année scolaire."
                    ).format(n=len(hidden))
                )
            )
        sections = [
            Section(
                questionnaire["title"],
                blocks,
                footnotes=[
                    _(
                        "N : nombre de réponses à chaque question. Taux de réponse : "
                        "répondant·es ÷ bénéficiaires des actions évaluées."
                    )
                ],
                sources=[
                    _("Questionnaire « {form} », réponses importées.").format(
                        form=questionnaire["form_id"]
                    )
                ],
            )
        ]
        texts = [
            item for item in questionnaire["items"] if item["kind"] == "text" and not item["hidden"]
        ]
        if texts:
            sections.append(self._clouds(questionnaire, texts))
        return sections

    def _clouds(self, questionnaire: dict, items: list[dict]) -> Section:
        summaries = free_text(self.scope, questionnaire["id"])
        blocks: list = []
        for item in items:
            summary = summaries.get(item["name"])
            if not summary or not summary["answers"]:
                continue
            text_summary = TextSummary(
                answers=summary["answers"], terms=summary["terms"], bigrams=summary["bigrams"]
            )
            tones = summary["sentiment"]
            caption = _(
                "{label} (N = {n}) : {pos} positives, {neu} neutres, {neg} négatives."
            ).format(
                label=item["label"],
                n=summary["answers"],
                pos=tones.get("positive", 0),
                neu=tones.get("neutral", 0),
                neg=tones.get("negative", 0),
            )
            blocks.append(
                Image(
                    word_cloud_png(text_summary, width=900, height=380),
                    _("Nuage de mots : {label}").format(label=item["label"]),
                    caption,
                )
            )
            if not self.hide_small:
                quotes = [
                    verbatim for term in summary["terms"][:2] for verbatim in term["verbatims"][:1]
                ]
                if quotes:
                    blocks.append(Bullets([f"« {quote} »" for quote in dict.fromkeys(quotes)]))
        return Section(
            _("Nuages de sentiments : {title}").format(title=questionnaire["title"]),
            blocks,
            footnotes=[
                _(
                    "Taille : nombre de personnes ayant employé le mot ; couleur : tonalité des "
                    "réponses (vert positive, gris neutre, rouge négative). Textes expurgés des "
                    "adresses électroniques et numéros de téléphone."
                )
            ],
            sources=[
                _("Réponses libres du questionnaire « {form} ».").format(
                    form=questionnaire["form_id"]
                )
            ],
        )

    def satisfaction_synthesis(self) -> list[Section]:
        synthesis = self.figures["satisfaction"]["synthesis"]
        rows, pairs = [], []
        for group in synthesis["by_modality"]:
            label = f"{Modality(group['modality']).label} · {Public(group['public']).label}"
            rate = None if group["hidden"] else group["rate"]
            rows.append([label, fr_int(group["respondents"]), fr_percent(rate)])
            if rate is not None:
                pairs.append((label, round(rate * 100)))
        blocks: list = [
            KeyFigures([(fr_percent(synthesis["overall"]), _("de satisfaction des publics"))]),
            Table([_("Modalité et public"), _("Réponses"), _("Satisfaction")], rows),
        ]
        if pairs:
            blocks.append(
                ChartBlock(
                    charts.bar_chart(
                        "satisfaction",
                        _("Satisfaction par modalité et public"),
                        pairs,
                        "%",
                        maximum=100,
                    )
                )
            )
        return [
            Section(
                _("Synthèse des résultats de satisfaction"),
                blocks,
                footnotes=[str(FIGURES_BY_KEY["satisfaction.synthesis.overall"].explanation)],
                sources=[_("Questionnaires des publics, moyennes des années scolaires.")],
            )
        ]

    def structures(self) -> list[Section]:
        kinds = structures_by_kind(self.scope)
        jobs = professions(self.scope)
        blocks: list = [
            ChartBlock(
                charts.bar_chart(
                    "structure-kinds",
                    _("Type de structures"),
                    [(k["label"], k["n"]) for k in kinds],
                    _("Structures"),
                )
            )
        ]
        if jobs:
            blocks.append(
                Table(
                    [_("Profession"), _("Personnes")],
                    [[j["profession"], fr_int(j["n"])] for j in jobs],
                    _("Type de professions"),
                )
            )
        return [
            Section(
                _("Des CPS dans tous les milieux"),
                blocks,
                sources=[SOURCES_ACTIVITY],
            )
        ]

    def action_maps(self) -> list[Section]:
        if any(t["features"] is None for t in self.maps.values()):
            return [self._territories_summary()]
        sections = []
        for territory in self.maps.values():
            rows = []
            for commune in territory["communes"].values():
                if not commune["actions"]:
                    continue
                detail = ", ".join(
                    f"{m['label']} {m['actions']}" for m in commune["by_modality"] if m["actions"]
                )
                rows.append(
                    [
                        commune["name"],
                        detail,
                        fr_int(commune["structures"]),
                        fr_int(commune["people"]),
                    ]
                )
            blocks: list = []
            chart = [
                b
                for b in self._map_blocks("people", _("Personnes touchées"))
                if b.chart.key == f"map-{territory['code']}"
            ]
            blocks.extend(chart)
            blocks.append(
                Table(
                    [_("Commune"), _("Actions par modalité"), _("Structures"), _("Personnes")],
                    rows,
                )
            )
            sections.append(
                Section(
                    _("Carte des actions menées : {name}").format(name=territory["name"]),
                    blocks,
                    footnotes=[
                        _(
                            "Personnes : participant·es listé·es (personnes distinctes par "
                            "modalité) ou adultes comptés, plus enfants et parents."
                        )
                    ],
                    sources=[SOURCES_ACTIVITY],
                )
            )
        return sections

    def _territories_summary(self) -> Section:
        """Too many territories for one map each: the territories ranked by people reached
        (each territory's own report carries its map)."""
        ranked = sorted(self.maps.values(), key=lambda t: (-t["people"], t["name"]))
        rows = [
            [
                t["name"],
                _("{mobilised} sur {total}").format(
                    mobilised=len(t["mobilised"]), total=t["commune_count"] or len(t["communes"])
                ),
                fr_int(t["actions"]),
                fr_int(t["people"]),
            ]
            for t in ranked
        ]
        return Section(
            _("Les actions par territoire"),
            [
                Table(
                    [_("Territoire"), _("Communes mobilisées"), _("Actions"), _("Personnes")],
                    rows,
                )
            ],
            footnotes=[
                _(
                    "Plus de {n} territoires : la carte des actions de chaque territoire figure "
                    "dans son rapport (ancrage report --territory CODE)."
                ).format(n=MAX_MAPS)
            ],
            sources=[SOURCES_ACTIVITY],
        )

    def anchoring(self) -> list[Section]:
        g = self.figures["governance"]
        coordination = self.figures["coordination"]
        territory_count = max(len(self.figures["by_territory"]), 1)
        referents = g["referents"]
        rows = [
            [
                code,
                fr_int(self.figures["by_territory"][code]["governance"]["copil"]),
                fr_int(self.figures["by_territory"][code]["governance"]["cotech"]),
                fr_int(self.figures["by_territory"][code]["governance"]["elected_officials"]),
                fr_int(referents.get(code, {}).get("total", 0)),
            ]
            for code in self.figures["by_territory"]
        ]
        days = coordination["days_per_year"]
        mean_days = sum(days.values()) / len(days) if days else 0
        return [
            Section(_("Ancrage territorial : comment ça marche ?"), part=True),
            Section(
                _("Ancrage territorial"),
                [
                    KeyFigures(
                        [
                            (fr_int(g["copil"]), _("COPIL")),
                            (fr_int(g["cotech"]), _("COTECH")),
                            (fr_int(g["elected_officials"]), _("élu·es investi·es")),
                            (
                                fr_decimal(coordination["fte_per_year"], 2),
                                _("ETP de coordination par an"),
                            ),
                        ]
                    ),
                    Table(
                        [_("Territoire"), _("COPIL"), _("COTECH"), _("Élu·es"), _("Référent·es")],
                        rows,
                    ),
                    Bullets(
                        [
                            f"{c['name']} ({c['kind']})"
                            + (_(" : démarche inscrite") if c["written_in"] else "")
                            for c in g["health_contracts"]
                        ]
                    ),
                ],
                footnotes=[
                    _(
                        "Coordination : {days} jours par année scolaire en moyenne pour "
                        "{n} territoire(s) ÷ {fte_days} jours par ETP = {fte} ETP."
                    ).format(
                        days=fr_decimal(mean_days, 0),
                        n=territory_count,
                        fte_days=self.figures["programme"]["parameters"]["days_per_fte"],
                        fte=fr_decimal(coordination["fte_per_year"], 2),
                    ),
                    str(FIGURES_BY_KEY["governance.elected_officials"].explanation),
                ],
                sources=[_("Comptes rendus de COPIL et COTECH ; registre des référent·es.")],
            ),
        ]

    def model_respected(self) -> list[Section]:
        model = self.figures["governance"]["deployment_model"]
        g = self.figures["governance"]
        rows = [
            [
                row["territoire"],
                target_label(row["cible"]),
                self._expected(row),
                fr_int(row["achieved"]),
                str(STATUS_LABELS[row["status"]]),
            ]
            for row in model["pack"]
        ]
        summary = _(
            "Déploiement de {formation} formations, {accompagnement} accompagnements, "
            "{co} co-interventions, {jep} JEP et {parents} actions parentalité ; "
            "{copil} COPIL et {elected} élu·es investi·es."
        ).format(
            formation=self.figures["deliveries"]["formation"],
            accompagnement=self.figures["deliveries"]["accompagnement"],
            co=self.figures["deliveries"]["co_intervention"],
            jep=self.figures["deliveries"]["jep"],
            parents=self.figures["deliveries"]["action_parentalite"],
            copil=g["copil"],
            elected=g["elected_officials"],
        )
        return [
            Section(
                _("Notre modèle de déploiement est-il respecté ?"),
                [
                    KeyFigures(
                        [
                            (
                                f"{model['respected']} / {model['total']}",
                                _("engagements du pack tenus"),
                            )
                        ]
                    ),
                    Text(summary),
                    Table(
                        [_("Territoire"), _("Modalité"), _("Attendu"), _("Réalisé"), _("Statut")],
                        rows,
                    ),
                ],
                sources=[_("Objectifs du pack et actions du classeur.")],
            )
        ]

    def context(self) -> list[Section]:
        register = self.figures["context"]

        def lines(notes):
            return [n["text"] + (f" ({n['territory']})" if n["territory"] else "") for n in notes]

        blocks: list = []
        if register["strengths"]:
            blocks += [Text(_("Forces")), Bullets(lines(register["strengths"]))]
        if register["limits"]:
            blocks += [Text(_("Limites")), Bullets(lines(register["limits"]))]
        return [
            Section(
                _("Contexte et environnement : forces et limites à l'ancrage"),
                blocks or [Text(_("Aucune note de contexte saisie."))],
                sources=[_("Registre du contexte saisi par l'équipe d'évaluation.")],
            )
        ]

    def partners(self) -> list[Section]:
        kinds = dict(Partner.Kind.choices)
        rows = [
            [p["name"], str(kinds.get(p["kind"], p["kind"])), p["role"]]
            for p in self.figures["governance"]["partners"]
        ]
        return [
            Section(
                _("Zoom sur les partenaires"),
                [Table([_("Partenaire"), _("Type"), _("Rôle")], rows)],
                sources=[_("Registre des partenaires.")],
            )
        ]

    def indicators_validated(self) -> list[Section]:
        framework = self.figures["framework"]
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
                        _("calculé")
                        if indicator["verdict_source"] == "computed"
                        else _("évaluateur"),
                    ]
                )
        area_rows = [
            [
                self.items.get(code, code),
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
                    ),
                    Table([_("Indicateur"), _("Valeur"), _("Verdict"), _("Source")], rows),
                ],
                footnotes=[
                    _(
                        "Verdict calculé : la valeur mesurée est comparée à la cible de "
                        "l'indicateur ; sinon, verdict argumenté de l'évaluateur."
                    )
                ],
                sources=[_("Cadre d'évaluation et figures calculées par Ancrage.")],
            )
        ]

    def transferability(self) -> list[Section]:
        t = self.figures["transferability"]
        c = t["characteristics"]
        reached = c["population_reached"]
        characteristics = [
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
        conditions = {
            "political_anchoring": _("Ancrage politique : élu·es investi·es, COPIL"),
            "institutions_partnership": _("Institutions et partenariat mobilisés"),
            "transfer_of_skills": _("Transfert de compétences : formation, accompagnement"),
            "other_context": _("Contexte favorable : politiques et antécédents"),
        }
        condition_rows = [
            [str(label), _("réunie") if t["conditions"].get(key) else _("à réunir")]
            for key, label in conditions.items()
        ]
        recommendations = [
            f"{row['label']} : {row['adaptation']}" for row in t["astaire"] if row["adaptation"]
        ]
        blocks: list = [
            Table([_("Caractéristique"), _("Constat")], characteristics),
            Table([_("Condition de transfert"), _("État")], condition_rows),
        ]
        if recommendations:
            blocks += [Text(_("Recommandations")), Bullets(recommendations)]
        influence = {
            "favourable": _("favorable"),
            "neutral": _("neutre"),
            "unfavourable": _("défavorable"),
        }
        for candidate in t["candidates"]:
            blocks.append(
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
                            _yes_no(row["primary"]),
                            _yes_no(row["candidate"]),
                            str(influence.get(row["influence"], row["influence"])),
                            row["adaptation"],
                        ]
                        for row in candidate["assessment"]
                    ],
                    _("Territoire candidat : {name}").format(name=candidate["name"]),
                )
            )
        return [
            Section(_("Transférabilité du programme"), part=True),
            Section(
                _("Transférabilité : comment ça peut marcher ailleurs ?"),
                blocks,
                footnotes=[
                    _("Satisfaction : moyenne des degrés de satisfaction des publics."),
                    _("QPV : quartier prioritaire de la politique de la ville."),
                ],
                sources=[_("Grille ASTAIRE et figures du programme.")],
            ),
        ]
