"""Read the text files people really save: UTF-8 (with or without BOM), UTF-16 « Texte Unicode »,
and Windows-1252 / Latin-1, which French Excel writes for « CSV (séparateur : point-virgule) ».

One function for every CSV the application reads (workbook sheets, response exports), so a file
accepted in one place is accepted everywhere; and the pair `neutralise` / `restore` that keeps
exported CSV cells from running as formulas while an export still imports back exactly.
"""

import codecs
import re

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

# The single-byte encodings a French office suite writes; anything else is refused rather than
# guessed, because a wrong guess silently changes names and codes.
WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
DELIMITERS = (";", ",", "\t")
# A cell starting with one of these may run as a formula in a spreadsheet (CSV injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"


def is_formula_like(value: str) -> bool:
    """A text a spreadsheet could run as a formula, once any leading apostrophes are set aside."""
    return value.lstrip(APOSTROPHE).startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The CSV cell for `value`: an apostrophe before a formula-like text (see `restore`)."""
    if isinstance(value, str) and is_formula_like(value):
        return APOSTROPHE + value
    return value


def restore(value):
    """What `neutralise` wrote, read back: one leading apostrophe before a formula-like text off."""
    if isinstance(value, str) and value.startswith(APOSTROPHE) and is_formula_like(value[1:]):
        return value[1:]
    return value


class TextFileError(ValueError):
    """The bytes are not text in an encoding we accept; the message names the file, in French."""


def _refused(name: str) -> TextFileError:
    return TextFileError(
        _(
            "{name} : encodage du fichier non reconnu ; enregistrez-le en « CSV UTF-8 » "
            "(Excel : Fichier › Enregistrer sous › CSV UTF-8) ou en UTF-8 (LibreOffice)"
        ).format(name=name)
    )


# NUL and other C0 controls (other than tab, newlines, form feed) mean a binary file; one
# regular expression scans a national file in C, not character by character.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _has_control_bytes(text: str) -> bool:
    return CONTROL_RE.search(text) is not None


def decode_text(data: bytes, *, name: str) -> str:
    """The text of `data`: strict UTF-8 first, then detection among the western encodings."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise _refused(name) from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refused(name) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect_western(data, name)
    if _has_control_bytes(text):
        raise _refused(name)
    return text


def _detect_western(data: bytes, name: str) -> str:
    best = from_bytes(data, cp_isolation=list(WESTERN_ENCODINGS)).best()
    if best is None:
        raise _refused(name)
    return str(best)


def _outside_quotes(line: str) -> str:
    kept, quoted = [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            kept.append(ch)
    return "".join(kept)


def sniff_delimiter(text: str) -> str:
    """`;`, `,` or tab: the one the header line uses most (outside quotes); `,` if none."""
    header = _outside_quotes(text.split("\n", 1)[0])
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
