"""Part 01, the programme: its history (a dated timeline), its objectives, its territories; and
the annex that lists every territory's communes when the body only summarises them."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.core.numbers import fr_int

from ..document import Bullets, Section, Table, Text, Timeline
from .base import SOURCES_ACTIVITY, ReportFigures
from .long_tables import Column, counted, out_of, territory_table
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


# A territory's mobilised communes are named in full in the body while they fit in this many
# characters (a few lines of its column, as for the demo's two territories); a longer list is
# cut to the communes that reached the most people, within COMMUNES_SHORT characters (about two
# lines), and every list goes to the annex: 1,250 full lists made the national PDF 438 pages,
# nearly all of them this one table, and the deck a slide for every three territories.
COMMUNES_IN_FULL = 200
COMMUNES_SHORT = 60


def commune_summary(territory: dict) -> tuple[str, bool]:
    """The body's cell for a territory's mobilised communes, and whether it was shortened."""
    names = territory["mobilised"]
    full = ", ".join(names)
    if len(full) <= COMMUNES_IN_FULL:
        return full, False
    ranked = sorted(
        (c for c in territory["communes"].values() if c["actions"]),
        key=lambda c: (-c["people"], c["name"]),
    )
    shown = [ranked[0]["name"]]
    for commune in ranked[1:]:
        if len(", ".join([*shown, commune["name"]])) > COMMUNES_SHORT:
            break
        shown.append(commune["name"])
    others = len(names) - len(shown)
    return (
        ngettext("{communes} et {n} autre", "{communes} et {n} autres", others).format(
            communes=", ".join(shown), n=fr_int(others)
        ),
        True,
    )


def _mobilised(territory: dict) -> tuple[int, int]:
    """Communes mobilised, out of the territory's."""
    return len(territory["mobilised"]), territory["commune_count"] or len(territory["communes"])


def territories(f: ReportFigures) -> list[Section]:
    items = [(t, *commune_summary(t)) for t in f.maps.values()]
    shortened = any(cut for _t, _summary, cut in items)
    table = territory_table(
        [
            Column(_("Territoire"), lambda i: i[0]["name"]),
            counted(_("Habitant·es"), lambda i: i[0]["population"]),
            Column(
                _("Communes mobilisées"),
                lambda i: _mobilised(i[0]),
                lambda v: out_of(*v),
                adds_up=True,
            ),
            counted(
                _("Habitant·es des communes mobilisées"), lambda i: i[0]["mobilised_population"]
            ),
            Column(_("Communes"), lambda i: i[1]),
        ],
        items,
        main=1,  # the territory's size
        widths=[3, 2, 2, 2, 6],
    )
    footnotes = [
        _(
            "Commune mobilisée : au moins une action auprès des publics y a eu lieu. "
            "Populations : INSEE, populations municipales."
        )
    ]
    if shortened:
        footnotes.append(
            _(
                "Colonne « Communes » : une liste longue donne les communes où le plus de "
                "personnes ont été touchées, puis le nombre des autres ; toutes les communes "
                "mobilisées de chaque territoire sont dans l'annexe « {annex} » du rapport "
                "écrit (PDF, Word, HTML)."
            ).format(annex=annex_title())
        )
    return [
        Section(
            _("Les territoires"),
            [table, *map_blocks(f, "people", _("Personnes touchées"))],
            footnotes=footnotes,
            sources=[SOURCES_ACTIVITY, _("Découpage administratif INSEE (2026)")],
        )
    ]


def annex_title() -> str:
    return _("Annexe — Communes par territoire")


def communes_annex(f: ReportFigures) -> list[Section]:
    """Every territory's mobilised communes, when the body had to shorten a list; none when
    the body names them all (the annex would repeat it)."""
    if not any(commune_summary(t)[1] for t in f.maps.values()):
        return []
    rows = [
        [t["name"], out_of(*_mobilised(t)), ", ".join(t["mobilised"]) or "—"]
        for t in f.maps.values()
    ]
    table = Table(
        [_("Territoire"), _("Communes mobilisées"), _("Liste des communes mobilisées")],
        rows,
        widths=[3, 2, 10],
    )
    return [
        Section(
            annex_title(),
            [
                Text(
                    _(
                        "Pour chaque territoire, les communes où au moins une action auprès "
                        "des publics a eu lieu, par ordre alphabétique."
                    )
                ),
                table,
            ],
            sources=[SOURCES_ACTIVITY, _("Découpage administratif INSEE (2026)")],
            anchor="annexe-communes",
        )
    ]
