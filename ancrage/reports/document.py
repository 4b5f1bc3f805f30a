"""The report as plain data: sections of blocks, in the seed's order.

`content.py` fills it from the computed figures; each format (`pptx.py`, `html.py`, `docx.py`)
only lays these blocks out, so the four formats always carry the same figures.
"""

from dataclasses import dataclass, field

from ancrage.core.charts import Chart


@dataclass
class Text:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class KeyFigures:
    """Large figures with a label, as on the seed's "Nb de prestations" slide."""

    items: list[tuple[str, str]]  # (value, label)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class ChartBlock:
    chart: Chart


@dataclass
class Image:
    png: bytes
    alt: str
    caption: str = ""


Block = Text | Bullets | KeyFigures | Table | ChartBlock | Image


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # How derived figures were computed, printed under the section ("*350 directement…").
    footnotes: list[str] = field(default_factory=list)
    # Where the figures come from: the deck's speaker notes, the PDF's small print.
    sources: list[str] = field(default_factory=list)
    part: bool = False  # a part title ("Résultats et analyse"), not a content slide


@dataclass
class Report:
    title: str
    subtitle: str
    scope_label: str
    generated_on: str
    sections: list[Section] = field(default_factory=list)
