"""Maps of the territories, and the part « Carte des actions menées » (one per territory, or a
ranked table beyond a dozen territories)."""

from django.utils.translation import gettext as _

from ancrage.activities.selectors import MAX_MAPS
from ancrage.core import charts
from ancrage.core.numbers import fr_int

from ..document import ChartBlock, Section, Table
from .base import SOURCES_ACTIVITY, ReportFigures
from .long_tables import Column, counted, out_of, territory_table


def map_blocks(f: ReportFigures, field: str, title: str, only: str | None = None) -> list:
    blocks = []
    for territory in f.maps.values():
        features = territory["features"]
        if not features or not features["features"]:
            continue
        if only is not None and territory["code"] != only:
            continue
        markers = [
            {
                "lon": feature["properties"]["lon"],
                "lat": feature["properties"]["lat"],
                "name": feature["properties"]["name"],
                "people": feature["properties"]["people"],
            }
            for feature in features["features"]
            if feature["properties"]["actions"]
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


def action_maps(f: ReportFigures) -> list[Section]:
    if any(t["features"] is None for t in f.maps.values()):
        return [_territories_summary(f)]
    sections = []
    for territory in f.maps.values():
        rows = []
        for commune in territory["communes"].values():
            if not commune["actions"]:
                continue
            detail = ", ".join(
                f"{m['label']} {m['actions']}" for m in commune["by_modality"] if m["actions"]
            )
            rows.append(
                [commune["name"], detail, fr_int(commune["structures"]), fr_int(commune["people"])]
            )
        blocks: list = map_blocks(f, "people", _("Personnes touchées"), only=territory["code"])
        blocks.append(
            Table(
                [_("Commune"), _("Actions par modalité"), _("Structures"), _("Personnes")],
                rows,
                widths=[3, 6, 2, 2],
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


def _territories_summary(f: ReportFigures) -> Section:
    """Too many territories for one map each: the territories ranked by people reached
    (each territory's own report carries its map)."""
    ranked = sorted(f.maps.values(), key=lambda t: (-t["people"], t["name"]))
    table = territory_table(
        [
            Column(_("Territoire"), lambda t: t["name"]),
            Column(
                _("Communes mobilisées"),
                lambda t: (len(t["mobilised"]), t["commune_count"] or len(t["communes"])),
                lambda v: out_of(*v),
                adds_up=True,
            ),
            counted(_("Actions"), lambda t: t["actions"]),
            counted(_("Personnes"), lambda t: t["people"]),
        ],
        ranked,
        main=3,
        widths=[6, 3, 2, 2],
    )
    return Section(
        _("Les actions par territoire"),
        [table],
        footnotes=[
            _(
                "Plus de {n} territoires : la carte des actions de chaque territoire figure "
                "dans son rapport (ancrage report --territory CODE)."
            ).format(n=MAX_MAPS)
        ],
        sources=[SOURCES_ACTIVITY],
    )
