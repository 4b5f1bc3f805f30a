"""Privacy rules shared by every part of the app: the one scrubber of free text (e-mail
addresses and phone numbers, however they are written), the pseudonymous-code rule, and the
small-cell rule for read-only roles."""

import re
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

# "@" and "." as people disguise them: jean.dupont(at)gmail.com, jean [at] gmail [dot] com,
# jean arobase gmail point com.
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|arobase|@)\s*[)\]}>]\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|point|\.)\s*[)\]}>]\s*|\s+(?:dot|point)\s+)"
EMAIL_RE = re.compile(
    rf"[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}\b",
    re.IGNORECASE,
)
# Phone numbers. One separator (space, dot, dash) at most between digits, any grouping
# (06 12 34 56 78, 06 123 456 78, 0612345678), found only where no digit touches the number.
_SEP = r"[ \t.\-]?"
PHONE_RES = [
    # International: +33 (0)6 12 34 56 78, 0033 6 12 34 56 78, +32 470 12 34 56…
    re.compile(rf"(?<![\w+])(?:\+|00)\s?[1-9]\d?\d?\s?(?:\(0\)\s?)?\d(?:{_SEP}\d){{6,11}}(?!\d)"),
    # French, with its leading 0: 0X XX XX XX XX in any grouping.
    re.compile(rf"(?<![\w+])0{_SEP}[1-9](?:{_SEP}\d){{8}}(?!\d)"),
    # French without its 0: a mobile (6 12 34 56 78, 612345678) or any number in pairs.
    re.compile(rf"(?<![\w+])[67](?:{_SEP}\d){{8}}(?!\d)"),
    re.compile(r"(?<![\w+])[1-9](?:[ .\-]\d\d){4}(?!\d)"),
]

EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"
# What the scrubber writes in place of what it removes: text analysis leaves these out.
PLACEHOLDERS = (EMAIL_MASK, PHONE_MASK)
PLACEHOLDER_WORDS = frozenset(
    word for mask in PLACEHOLDERS for word in re.findall(r"\w+", mask.lower())
)


# What every address, and every phone number, holds somewhere: a text without it is returned
# as it is, without running the patterns above (a tenth of the time, on a national import's
# hundreds of thousands of names and titles). An address has an "@" or an "at"/"arobase"
# after a bracket or between spaces (_AT); a phone number, eight digits at least.
MAYBE_EMAIL_RE = re.compile(r"@|[(\[{<]\s*(?:at|arobase)|\s(?:at|arobase)\s", re.IGNORECASE)
MAYBE_PHONE_RE = re.compile(r"\d(?:\D*\d){7}")


def scrub(text: str) -> str:
    """The one scrubber of free text: e-mail addresses and phone numbers are masked."""
    if not text:
        return text
    if MAYBE_EMAIL_RE.search(text):
        text = EMAIL_RE.sub(EMAIL_MASK, text)
    if MAYBE_PHONE_RE.search(text):
        for pattern in PHONE_RES:
            text = pattern.sub(PHONE_MASK, text)
    return text


def without_placeholders(text: str) -> str:
    """The text with the scrubber's own placeholders removed (for counting words)."""
    for mask in PLACEHOLDERS:
        text = text.replace(mask, " ")
    return text


class ScrubbedCharField(models.CharField):
    """A free-text column: whatever writes it (forms, admin, imports, API, bulk writes), the
    stored value is scrubbed. Migrations see a plain CharField (nothing to migrate)."""

    def pre_save(self, model_instance, add):
        value = scrub(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(
            scrub(value) if isinstance(value, str) else value, connection
        )

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class ScrubbedTextField(models.TextField):
    """ScrubbedCharField for long text."""

    pre_save = ScrubbedCharField.pre_save

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(
            scrub(value) if isinstance(value, str) else value, connection
        )

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


# A pseudonymous code: letters, digits, dot, dash, underscore; never a name (no space) nor an
# address (no @). The action form, the people register and the workbook share it.
PSEUDONYM_RE = re.compile(r"^[\w.-]{1,64}$")
PSEUDONYM_ERROR = _("« {code} » n'est pas un code pseudonyme (lettres, chiffres, . - _).")


def is_pseudonym(code: str) -> bool:
    return bool(PSEUDONYM_RE.match(code))


# Results from fewer answers than this are hidden from read-only roles.
SMALL_CELL = 5


def small_cells_hidden(cell_counts: Iterable[int]) -> bool:
    """The small-cell rule, with complementary suppression built in: a result that adds up
    elementary cells (one territory, one school year) is hidden from read-only roles when any
    of those cells has between 1 and SMALL_CELL - 1 answers. A small cell therefore never
    enters any figure a read-only role sees, so no subtraction between two shown figures
    (all territories minus one, all years minus one, a period minus a year) can bring it
    back: when one territory's cell is hidden, so is every total that contains it."""
    return any(0 < n < SMALL_CELL for n in cell_counts)
