"""Read a vocabulary value as people type it: the code or the label the interface shows, whatever
the case, accents, hyphens, apostrophes and spaces (`Co-intervention`, `co intervention`,
`JEP`, `Journée d'échange de pratiques`, `École publique`, `ALSH`).

One function for every vocabulary, so that what is accepted in one sheet is accepted everywhere.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Choices
from django.utils import translation

PARENTHESIS_RE = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")

Pairs = list[tuple[str, str]]


def normalise(text: str) -> str:
    """Lower case, without accents, keeping only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in kept.casefold() if ch.isalnum())


def pairs(*vocabularies: type[Choices] | Iterable, language: str = "fr") -> Pairs:
    """(code, French label) pairs of Django choices, or of (code, label) iterables, or of codes
    (with `language`, the labels in that language)."""
    result: Pairs = []
    with translation.override(language):
        for vocabulary in vocabularies:
            entries = vocabulary.choices if isinstance(vocabulary, type) else vocabulary
            for entry in entries:
                code, label = entry if isinstance(entry, tuple) else (entry, entry)
                result.append((str(code), str(label)))
    return result


def bilingual_pairs(*vocabularies: type[Choices] | Iterable) -> Pairs:
    """The French pairs, then the English labels: forms written in English (Kobo, ODK) say
    `Children` or `Training` where a French one says `Enfants` or `Formation`."""
    french = pairs(*vocabularies)
    return french + [p for p in pairs(*vocabularies, language="en") if p not in french]


def _spellings(code: str, label: str) -> set[str]:
    spellings = {normalise(code), normalise(label)}
    # « Accueil de loisirs (ALSH) »: its short and long forms alone are accepted too.
    match = PARENTHESIS_RE.match(label)
    if match:
        spellings |= {normalise(match.group(1)), normalise(match.group(2))}
    return spellings - {""}


def match_choice(value: str, choices: Pairs) -> str | None:
    """The code `value` stands for (a code or a label, loosely written), or None."""
    wanted = normalise(value)
    if not wanted:
        return None
    for code, label in choices:
        if wanted in _spellings(code, label):
            return code
    return None


def allowed_labels(choices: Pairs) -> str:
    """The values to suggest in an error message, as the interface shows them: in the reader's
    language (the French labels are the catalog's own strings)."""
    quoted = translation.gettext("« {value} »")
    return ", ".join(quoted.format(value=translation.gettext(label)) for _code, label in choices)
