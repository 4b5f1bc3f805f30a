"""The report's visual identity, shared by the deck, the PDF and the Word document: one palette
(the charts' own, ancrage/core/charts.py), one font, the sizes of each kind of text."""

from ancrage.core.charts import MAP_LIGHT, PALETTE

from .measure import DECK_FONT

ACCENT = PALETTE[0]  # titles, tiles' numbers, table headers, section numbers
ACCENT_DARK = "#1d3d5c"  # the cover and the dividers
HIGHLIGHT = PALETTE[1]  # the timeline's marks, « attendu »
TINT = MAP_LIGHT  # tiles' background, banded table rows
MUTED = "#55606b"  # footnotes, labels
TEXT = "#1f2328"
FONT = DECK_FONT

# Sizes in points.
TITLE = 26
SUBTITLE = 20
BODY = 16
BULLET = 14
TABLE = 11
TABLE_SMALL = 10
NOTE = 9
