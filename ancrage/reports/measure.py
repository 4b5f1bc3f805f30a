"""Text measured as it will be drawn, so layouts are computed, not guessed.

The deck is written in Arial; LibreOffice draws it with Liberation Sans, whose letters have
Arial's widths (metric-compatible), so measuring with Liberation Sans gives the same lines in
PowerPoint and LibreOffice. Without the font file, an average letter width stands in.
"""

import subprocess
from functools import lru_cache

from PIL import ImageFont

DECK_FONT = "Arial"  # drawn as Liberation Sans by LibreOffice: same metrics
MEASURE_FONTS = {False: "Liberation Sans", True: "Liberation Sans:bold"}
LINE_SPACING = 1.2  # line height ÷ font size in PowerPoint and LibreOffice


@lru_cache(maxsize=2)
def _font_file(bold: bool) -> str | None:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", MEASURE_FONTS[bold]],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if "iberation" in found else None


@lru_cache(maxsize=64)
def _font(size: float, bold: bool):
    path = _font_file(bold)
    if path is None:
        return None
    # Sizes in hundredths of a point: widths come back in hundredths of a point.
    return ImageFont.truetype(path, int(size * 100))


@lru_cache(maxsize=20000)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text, in points."""
    font = _font(size, bold)
    if font is None:
        return len(text) * size * (0.6 if bold else 0.55)
    return font.getlength(text) / 100


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines a text box of `width` points breaks `text` into (at spaces; a word longer
    than the line is cut, as the office suites do)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """The height in points of `text` wrapped in `width` points."""
    return len(wrap(text, width, size, bold)) * size * LINE_SPACING
