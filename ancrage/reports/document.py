"""The report as plain data: sections of blocks, in the seed's order.

`content.py` fills it from the computed figures; each format (`pptx.py`, `html.py`, `docx.py`)
only lays these blocks out, so the four formats always carry the same figures.
"""

from dataclasses import dataclass, field, replace

from ancrage.core.charts import Chart


@dataclass
class Text:
    text: str


@dataclass
class Bullets:
    items: list[str]
    heading: str = ""  # kept with its list: never at the foot of a slide or page alone


@dataclass
class Tile:
    """A key figure: a big number, its label, and what was expected (« attendu 3 620 »)."""

    value: str
    label: str
    detail: str = ""


@dataclass
class KeyFigures:
    """Key-figure tiles, as on the seed's "Nb de prestations" slide."""

    items: list[Tile]
    large: bool = False  # the headline row: bigger tiles


@dataclass
class DeckRows:
    """A long table as the deck shows it: its leading rows, the others' totals in a last row,
    and the footnote that says so (`sections/long_tables.py`)."""

    rows: list[list[str]]
    note: str
    summed: bool = True  # the last row totals the rows left out (else a row like the others)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    # Relative column widths (long text gets room); equal when empty.
    widths: list[int] = field(default_factory=list)
    # The deck's shorter form of a table with a row per territory; the written report keeps
    # every row.
    deck: DeckRows | None = None
    summed: bool = False  # the last row totals the rows left out (set in bold on the deck)


@dataclass
class Timeline:
    """Dated milestones drawn on a line, as the seed's history (1998 – 2000 …)."""

    events: list[tuple[str, str, str]]  # (period, title, detail)


@dataclass
class ChartBlock:
    chart: Chart


@dataclass
class Image:
    png: bytes
    alt: str
    caption: str = ""


Block = Text | Bullets | KeyFigures | Table | ChartBlock | Image | Timeline


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # How derived figures were computed, printed under the section ("*350 directement…").
    footnotes: list[str] = field(default_factory=list)
    # Where the figures come from: the deck's speaker notes, the PDF's small print.
    sources: list[str] = field(default_factory=list)
    part: bool = False  # a part title ("Résultats et analyse"), not a content slide
    number: str = ""  # a part's number, « 01 » … « 06 »
    closing: bool = False  # the closing slide
    subtitle: str = ""
    anchor: str = ""  # the page's fragment, when a link points to it


@dataclass
class Report:
    title: str
    subtitle: str
    scope_label: str
    generated_on: str
    territories: list[str] = field(default_factory=list)
    period: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # Reference lists after the closing words, in smaller type: the written report's (PDF,
    # Word, HTML); the deck, which is shown, leaves them out and says where they are.
    annexes: list[Section] = field(default_factory=list)


def deck_section(section: Section) -> Section:
    """The section as the deck shows it: its long tables in their deck form, their footnotes
    added to the section's."""
    shortened = [b for b in section.blocks if isinstance(b, Table) and b.deck is not None]
    if not shortened:
        return section
    blocks = [
        replace(b, rows=b.deck.rows, deck=None, summed=b.deck.summed)
        if isinstance(b, Table) and b.deck
        else b
        for b in section.blocks
    ]
    notes = [b.deck.note for b in shortened]
    return replace(section, blocks=blocks, footnotes=[*section.footnotes, *notes])
