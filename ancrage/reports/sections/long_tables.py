"""Tables with a row per territory, and the shorter form the deck shows at national scale.

A table's columns are declared once (`Column`): each reads a row's figure and says how it
reads. The written report (PDF, Word, HTML) prints every row; past `DECK_TABLE_ROWS` rows the
table also carries its deck form (`Table.deck`): the leading territories by the table's main
figure, then one row « Autres territoires (N) » whose figures are the sums of the same
figures for the others where the column adds up (counts), « — » where it does not (rates,
lists, labels), and a footnote saying so and where the full table is. Nobody reads 125 slides
of one table projected to a committee; the figures stay the written report's.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ancrage.core.numbers import fr_int

from ..document import DeckRows, Table

# About three slides of the deck's tables (10 to 20 rows a slide by their cells' lengths): a
# longer table shows that many rows on the deck, its last one the others' totals.
DECK_TABLE_ROWS = 30
NOT_ADDED = "—"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]  # the row's figure (a number, a tuple of numbers, a text)
    text: Callable[[Any], str] = str  # how the figure reads in a cell
    adds_up: bool = False  # a count: the others' row carries the sum of theirs


def counted(title: str, value: Callable[[Any], Any]) -> Column:
    """A count: read in French, summed for the others."""
    return Column(title, value, fr_int, adds_up=True)


def out_of(mobilised: int, total: int) -> str:
    """« 21 sur 35 »: communes mobilised out of the territory's communes."""
    return _("{mobilised} sur {total}").format(mobilised=fr_int(mobilised), total=fr_int(total))


def _sum(values: list) -> Any:
    """The sum of counts, or of pairs of counts term by term (« 21 sur 35 »); unknown (None,
    read « — ») when one of them is: a partial sum would pass for the whole."""
    if values and isinstance(values[0], tuple):
        return tuple(_sum(list(parts)) for parts in zip(*values, strict=True))
    return None if any(v is None for v in values) else sum(values)


def territory_table(
    columns: Sequence[Column],
    items: Sequence,
    *,
    main: int,
    territory: Callable[[Any], Any] | None = None,
    caption: str = "",
    widths: Sequence[int] = (),
) -> Table:
    """The table of `items` (a row each, in their order) and, when long, its deck form:
    territories ranked by column `main` (summed over a territory's rows when it has several,
    `territory` telling whose a row is), the others in one row."""
    rows = [[column.text(column.value(item)) for column in columns] for item in items]
    table = Table([c.title for c in columns], rows, caption, widths=list(widths))
    if len(rows) <= DECK_TABLE_ROWS:
        return table
    groups: dict[Any, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(territory(item) if territory else index, []).append(index)
    figure = columns[main].value

    def weight(key) -> Any:
        return _sum([figure(items[i]) for i in groups[key]])

    def rank(key) -> tuple:
        figure = weight(key)
        return figure is not None, figure or 0  # an unknown figure ranks last

    # Stable: equal figures keep the table's order.
    ranked = sorted(groups, key=rank, reverse=True)
    leading: list = []
    for key in ranked:
        if leading and sum(len(groups[k]) for k in [*leading, key]) >= DECK_TABLE_ROWS:
            break
        leading.append(key)
    others = [i for key in ranked[len(leading) :] for i in groups[key]]
    if not others:
        return table
    rest_count = len(ranked) - len(leading)
    rest = [
        _("Autres territoires ({n})").format(n=fr_int(rest_count)),
        *(
            column.text(_sum([column.value(items[i]) for i in others]))
            if column.adds_up
            else NOT_ADDED
            for column in columns[1:]
        ),
    ]
    note = _(
        "Diaporama : les {shown} premiers territoires par « {figure} » (du plus grand au plus "
        "petit), puis les {rest} autres réunis en une ligne (total des colonnes qui "
        "s'additionnent, « — » sinon) ; le tableau complet des {total} territoires est dans "
        "le rapport écrit (PDF, Word, HTML)."
    ).format(
        shown=fr_int(len(leading)),
        figure=columns[main].title,
        rest=fr_int(rest_count),
        total=fr_int(len(ranked)),
    )
    table.deck = DeckRows([rows[i] for key in leading for i in groups[key]] + [rest], note)
    return table
