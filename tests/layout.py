"""Layout checks on a PDF, read with `pdftotext -bbox`: every word inside its page, no word
drawn over another. Shared by the deck, Word and WeasyPrint tests."""

import re
import subprocess
from dataclasses import dataclass

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)
TOLERANCE = 1.0  # points: glyph boxes of neighbours on a line may touch


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def core(self) -> tuple[float, float]:
        """The box's vertical middle half: pdftotext's boxes span the font's whole ascent
        and descent, so the boxes of two tight but clean lines touch; their letters don't."""
        quarter = (self.y1 - self.y0) / 4
        return self.y0 + quarter, self.y1 - quarter

    def overlaps(self, other: "Word") -> bool:
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        (top, bottom), (other_top, other_bottom) = self.core, other.core
        dy = min(bottom, other_bottom) - max(top, other_top)
        return dx > TOLERANCE and dy > 0


def words(pdf) -> tuple[list[Word], list[tuple[float, float]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found, sizes = [], []
    for number, chunk in enumerate(html.split("<page ")[1:], start=1):
        width, height = PAGE.match("<page " + chunk).groups()
        sizes.append((float(width), float(height)))
        for x0, y0, x1, y1, text in WORD.findall(chunk):
            found.append(Word(number, text, float(x0), float(y0), float(x1), float(y1)))
    return found, sizes


def defects(pdf) -> list[str]:
    """Each word that leaves its page or covers another, as « page 12: « a » over « b » »."""
    found, sizes = words(pdf)
    problems = []
    by_page: dict[int, list[Word]] = {}
    for word in found:
        width, height = sizes[word.page - 1]
        if word.x0 < -TOLERANCE or word.y0 < -TOLERANCE:
            problems.append(f"page {word.page}: « {word.text} » sort de la page")
        elif word.x1 > width + TOLERANCE or word.y1 > height + TOLERANCE:
            problems.append(f"page {word.page}: « {word.text} » sort de la page")
        by_page.setdefault(word.page, []).append(word)
    for page, page_words in by_page.items():
        page_words.sort(key=lambda w: w.y0)
        for index, word in enumerate(page_words):
            for other in page_words[index + 1 :]:
                if other.y0 > word.y1:
                    break
                if word.overlaps(other):
                    problems.append(f"page {page}: « {word.text} » sur « {other.text} »")
    return problems
