"""Part 01, the programme: its history (a dated timeline), its objectives, its territories."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.core.numbers import fr_int

from ..document import Bullets, Section, Table, Text, Timeline
from .base import SOURCES_ACTIVITY, ReportFigures
from .maps import map_blocks


def history(f: ReportFigures) -> list[Section]:
    story = f.story
    programme = f["programme"]
    blocks: list = []
    if story["milestones"]:
        blocks.append(
            Timeline([(m["period"], m["title"], m["detail"]) for m in story["milestones"]])
        )
    description = story["description"]
    blocks += [Text(p) for p in description.split("\n") if p.strip()]
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
            _("Historique de la démarche CPS"),
            blocks,
            footnotes=[_("CPS : compétences psychosociales.")],
            sources=[_("Jalons et texte saisis par la coordination (paramètres d'évaluation).")],
        )
    ]


def objectives(f: ReportFigures) -> list[Section]:
    story = f.story
    sections = []
    if story["general_objectives"]:
        sections.append(
            Section(
                _("Objectif général"),
                [Text(text) for text in story["general_objectives"]],
                sources=[_("Objectifs saisis par la coordination.")],
            )
        )
    if story["operational_objectives"]:
        sections.append(
            Section(
                _("Objectifs opérationnels"),
                [Bullets(story["operational_objectives"])],
                sources=[_("Objectifs saisis par la coordination.")],
            )
        )
    return sections


def territories(f: ReportFigures) -> list[Section]:
    rows = []
    for territory in f.maps.values():
        rows.append(
            [
                territory["name"],
                fr_int(territory["population"]),
                _("{mobilised} sur {total}").format(
                    mobilised=len(territory["mobilised"]),
                    total=territory["commune_count"] or len(territory["communes"]),
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
        widths=[3, 2, 2, 2, 6],
    )
    return [
        Section(
            _("Les territoires"),
            [table, *map_blocks(f, "people", _("Personnes touchées"))],
            footnotes=[
                _(
                    "Commune mobilisée : au moins une action auprès des publics y a eu lieu. "
                    "Populations : INSEE, populations municipales."
                )
            ],
            sources=[SOURCES_ACTIVITY, _("Découpage administratif INSEE (2026)")],
        )
    ]
