"""Part 03, results: what was delivered and to whom, expected beside achieved; structures and
professions reached."""

from django.utils.translation import gettext as _

from ancrage.activities.selectors import professions, structures_by_kind
from ancrage.core import charts
from ancrage.core.numbers import fr_int, fr_percent
from ancrage.indicators.selectors import excluded_actions_text
from ancrage.programmes.vocabulary import Modality

from ..document import ChartBlock, KeyFigures, Section, Table, Tile
from .base import PUBLIC_MODALITIES, SOURCES_ACTIVITY, ReportFigures
from .derived import expected_rows
from .questionnaires import modalities_without_actions


def deliveries(f: ReportFigures) -> list[Section]:
    reach, params = f["reach"], f["programme"]["parameters"]
    expected = {o["cible"]: o for o in expected_rows(f.figures)}

    def tile(value: int, label: str, target: str | None = None) -> Tile:
        objective = expected.get(target) if target else None
        detail = ""
        if objective is not None:
            detail = _("attendu {expected}").format(expected=fr_int(objective["total_min"]))
        return Tile(fr_int(value), label, detail)

    delivered = [Tile(fr_int(f["deliveries"][m.value]), str(m.label)) for m in PUBLIC_MODALITIES]
    people = [
        Tile(fr_int(f["participants"][Modality.FORMATION]), _("personnes en formation")),
        Tile(fr_int(f["participants"][Modality.ACCOMPAGNEMENT]), _("personnes accompagnées")),
        Tile(fr_int(f["participants"][Modality.JEP]), _("personnes en JEP")),
        Tile(
            "{children} + {adults}".format(
                children=fr_int(reach["children_direct"]),
                adults=fr_int(f["participants"][Modality.CO_INTERVENTION]),
            ),
            _("enfants et adultes en co-intervention"),
        ),
        Tile(fr_int(reach["parents"]), _("parents")),
    ]
    headline = [
        tile(reach["children_total"], _("enfants*"), "enfants"),
        tile(reach["professionals_unique"], _("professionnel·les**"), "professionnels"),
        tile(reach["structures"], _("structures"), "structures"),
    ]
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
    sections = [
        Section(
            _("Nombre de prestations et publics concernés"),
            [KeyFigures(delivered), KeyFigures(people), KeyFigures(headline, large=True)],
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
                # Said where the counts are: the funder sees what was left out, and why.
                *filter(None, [excluded_actions_text(f.figures), modalities_without_actions(f)]),
            ],
            sources=[SOURCES_ACTIVITY, _("Objectifs du programme (feuille objectifs).")],
        ),
    ]
    sections += expected_and_achieved(f)
    return sections


def expected_and_achieved(f: ReportFigures) -> list[Section]:
    objectives = expected_rows(f.figures)
    if not objectives:
        return []
    table = Table(
        [_("Cible"), _("Attendu"), _("Résultat"), _("Statut")],
        [
            [o["label"], o["expected_range"], fr_int(o["achieved"]), o["status_label"]]
            for o in objectives
        ],
        widths=[3, 4, 2, 2],
    )
    chart = charts.expected_vs_achieved("expected-achieved", _("Attendu et résultat"), objectives)
    return [
        Section(
            _("Attendu et résultat"),
            [table, ChartBlock(chart)],
            sources=[_("Objectifs du programme (feuille objectifs) et figures calculées.")],
        )
    ]


def structures(f: ReportFigures) -> list[Section]:
    kinds = structures_by_kind(f.scope)
    jobs = professions(f.scope)
    blocks: list = [
        ChartBlock(
            charts.bar_chart(
                "structure-kinds",
                _("Type de structures"),
                sorted(((k["label"], k["n"]) for k in kinds), key=lambda p: -p[1]),
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
                widths=[5, 2],
            )
        )
    return [Section(_("Des CPS dans tous les milieux"), blocks, sources=[SOURCES_ACTIVITY])]
