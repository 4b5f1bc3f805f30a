"""One part per modality: what it delivered, then each questionnaire's results drawn by the
kind of question (agreement scales, preferences, before/after pairs, numbers) and its clouds."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.core import charts
from ancrage.core.numbers import fr_int, fr_percent
from ancrage.programmes.vocabulary import Modality
from ancrage.surveys.selectors import free_text, paired_change
from ancrage.surveys.text import TextSummary, word_cloud_png

from ..document import Bullets, ChartBlock, Image, KeyFigures, Section, Text, Tile
from .base import SOURCES_ACTIVITY, ReportFigures

MODALITY_PARTS = {
    Modality.FORMATION: gettext_lazy("Les formations"),
    Modality.CO_INTERVENTION: gettext_lazy("Les co-interventions"),
    Modality.ACCOMPAGNEMENT: gettext_lazy("Les accompagnements"),
    Modality.JEP: gettext_lazy("Les journées d'échange de pratiques"),
    Modality.PARENTALITE: gettext_lazy("La parentalité"),
}


def _is_empty(f: ReportFigures, modality: Modality) -> bool:
    """A modality with no action in the scope and no answer to its questionnaires."""
    answered = any(
        q["respondents"]
        for q in f["satisfaction"]["questionnaires"]
        if q["modality"] == modality.value
    )
    return not f["deliveries"][modality.value] and not answered


def modalities_without_actions(f: ReportFigures) -> str:
    """One line naming the modalities left without a part (no action in the scope): said
    where the deliveries are counted, rather than a slide saying « 0 action »."""
    empty = [str(title) for modality, title in MODALITY_PARTS.items() if _is_empty(f, modality)]
    if not empty:
        return ""
    names = ", ".join(name[0].lower() + name[1:] for name in empty)
    return _(
        "Aucune action sur la période pour ces modalités, sans page dans ce rapport : {names}."
    ).format(names=names)


def modality_part(f: ReportFigures, modality: Modality) -> list[Section]:
    if _is_empty(f, modality):
        return []
    questionnaires = [
        q for q in f["satisfaction"]["questionnaires"] if q["modality"] == modality.value
    ]
    tiles = [Tile(fr_int(f["deliveries"][modality.value]), _("actions"))]
    if modality.value in f["participants"]:
        tiles.append(Tile(fr_int(f["participants"][modality.value]), _("personnes touchées")))
    elif modality == Modality.PARENTALITE:
        tiles.append(Tile(fr_int(f["reach"]["parents"]), _("parents touchés")))
    sections = [
        Section(str(MODALITY_PARTS[modality]), [KeyFigures(tiles)], sources=[SOURCES_ACTIVITY])
    ]
    for questionnaire in questionnaires:
        sections.extend(questionnaire_sections(f, questionnaire))
    return sections


def questionnaire_sections(f: ReportFigures, questionnaire: dict) -> list[Section]:
    respondents = _("{n} répondant·es").format(n=fr_int(questionnaire["respondents"]))
    if questionnaire["beneficiaries"]:
        respondents += " · " + _("{n} bénéficiaires · taux de réponse {rate}").format(
            n=fr_int(questionnaire["beneficiaries"]),
            rate=fr_percent(questionnaire["response_rate"]),
        )
    shown = [item for item in questionnaire["items"] if not item["hidden"]]
    hidden = [item for item in questionnaire["items"] if item["hidden"]]
    blocks: list = [Text(respondents)]
    blocks += [
        ChartBlock(chart)
        for chart in charts.item_charts(
            f"items-{questionnaire['form_id']}",
            _("Degré de satisfaction et effets sur les publics"),
            shown,
            preferences_title=_("Préférences et choix"),
            numbers_title=_("Réponses chiffrées"),
        )
    ]
    paired = paired_change(f.scope, questionnaire["id"]) if questionnaire.get("pairing") else None
    if paired and paired["items"]:
        blocks.append(
            ChartBlock(
                charts.before_after(
                    f"pairs-{questionnaire['form_id']}",
                    _("Avant et après, réponses appariées ({n} paires)").format(
                        n=fr_int(paired["pairs"])
                    ),
                    # In the questionnaire's order, as its other charts.
                    [
                        {"label": item["label"], **paired["items"][item["name"]]}
                        for item in questionnaire["items"]
                        if item["name"] in paired["items"]
                    ],
                )
            )
        )
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
                    "répondant·es ÷ bénéficiaires des actions évaluées. Échelles d'accord : "
                    "réponses défavorables à gauche, favorables à droite."
                )
            ],
            sources=[
                _("Questionnaire « {form} », réponses importées.").format(
                    form=questionnaire["form_id"]
                )
            ],
        )
    ]
    texts = [item for item in shown if item["kind"] == "text" and item["n"]]
    if texts:
        sections.append(clouds(f, questionnaire, texts))
    return sections


def clouds(f: ReportFigures, questionnaire: dict, items: list[dict]) -> Section:
    summaries = free_text(f.scope, questionnaire["id"])
    blocks: list = []
    for item in items:
        summary = summaries.get(item["name"])
        if not summary or not summary["answers"]:
            continue
        text_summary = TextSummary(
            answers=summary["answers"], terms=summary["terms"], bigrams=summary["bigrams"]
        )
        tones = summary["sentiment"]
        caption = _("{label} (N = {n}) : {pos} positives, {neu} neutres, {neg} négatives.").format(
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
        if not f.hide_small:
            quotes = [v for term in summary["terms"][:2] for v in term["verbatims"][:1]]
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
            _("Réponses libres du questionnaire « {form} ».").format(form=questionnaire["form_id"])
        ],
    )


def satisfaction_synthesis(f: ReportFigures) -> list[Section]:
    from ancrage.indicators.registry import FIGURES_BY_KEY
    from ancrage.surveys.models import Public

    synthesis = f["satisfaction"]["synthesis"]
    rows, pairs = [], []
    for group in synthesis["by_modality"]:
        label = f"{Modality(group['modality']).label} · {Public(group['public']).label}"
        rate = None if group["hidden"] else group["rate"]
        years = " · ".join(
            f"{year} : {fr_percent(y['rate'])} ({fr_int(y['n'])})"
            for year, y in group["by_school_year"].items()
        )
        shown = fr_percent(rate) + (_(" (à part)") if group["apart"] else "")
        rows.append([label, fr_int(group["respondents"]), years or "—", shown])
        if rate is not None and not group["apart"]:
            pairs.append((label, round(rate * 100)))
    from ..document import Table

    blocks: list = [
        KeyFigures([Tile(fr_percent(synthesis["overall"]), _("de satisfaction des publics"))]),
        Table(
            [
                _("Modalité et public"),
                _("Répondant·es"),
                _("Par année scolaire (répondant·es)"),
                _("Satisfaction"),
            ],
            rows,
            widths=[4, 2, 6, 2],
        ),
    ]
    if pairs:
        blocks.append(
            ChartBlock(
                charts.bar_chart(
                    "satisfaction",
                    _("Satisfaction par modalité et public"),
                    sorted(pairs, key=lambda p: -p[1]),
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
            sources=[
                _("Questionnaires des publics, années scolaires pondérées par leurs réponses.")
            ],
        )
    ]
