"""Cheap readers for the cells of the large sheets (workbook.fastload).

Each reader accepts a cell only in its plain, certainly valid form (`A12`, `18`, `2023-09-01`, a
vocabulary code) and returns what rows.RowCells would have read from it; anything else, and any
problem, returns SLOW: the row is then read again by RowCells, which says what is wrong in the
same words as the streaming path. A reader never reports a problem itself, so that the problems
and the values are the streaming path's whatever path reads a row.
"""

import datetime as dt
import functools
import re
from decimal import Decimal

from ancrage.core.choices import match_choice
from ancrage.core.limits import Limit
from ancrage.core.privacy import scrub

from .rows import Registry, vocabularies
from .schema import limit_of

SLOW = object()
CODE_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SCRUBBED_KEPT = 50_000  # free texts repeat (professions): the texts seen last kept scrubbed


@functools.lru_cache(maxsize=4096)
def _choice(vocabulary: str, value: str) -> str | None:
    return match_choice(value, vocabularies()[vocabulary])


# core.privacy.scrub, remembered for the texts seen last: the names of 100,000 structures, each
# seen once, must not fill it for good before the professions of a million people (a dict kept
# until full did: 10 s of a national import scrubbing the same few professions again).
scrubbed = functools.lru_cache(maxsize=SCRUBBED_KEPT)(scrub)


def _plain(value, max_length: int) -> bool:
    return type(value) is str and len(value) <= max_length and value == value.strip()


def key(registry: Registry):
    """The row's own identifier: a code not seen before in its sheet."""

    def read(value):
        if type(value) is str and CODE_RE.fullmatch(value) and value not in registry.seq:
            return value
        return SLOW

    return read


def ref(registry: Registry, required: bool):
    """A code of another sheet, kept as the code: the ids are joined in SQL."""

    def read(value):
        if value is None or value == "":
            return SLOW if required else None
        if type(value) is str and CODE_RE.fullmatch(value):
            if value in registry.seq or registry.unchecked:
                return value
        return SLOW

    return read


def text(required: bool, max_length: int, scrubs: bool = False):
    def read(value):
        if value is None or value == "":
            return SLOW if required else ""
        if _plain(value, max_length):
            return scrubbed(value) if scrubs else value
        return SLOW

    return read


@functools.cache
def _number_re(limit: Limit) -> re.Pattern:
    """The plain numbers the column certainly keeps as written: as many whole digits as any
    number of them fits, and no more decimals than it keeps (others: read by RowCells, which
    rounds or says what is wrong)."""
    whole = 12 if limit.whole_digits is None else limit.whole_digits
    if limit.places == 0 or (limit.places is None and limit.maximum is not None):
        return re.compile(rf"[0-9]{{1,{whole}}}")
    return re.compile(rf"[0-9]{{1,{whole}}}(?:\.[0-9]{{1,{limit.places or 6}}})?")


def count(required: bool, limit: Limit):
    pattern, maximum = _number_re(limit), limit.maximum

    def read(value):
        if value is None or value == "":
            return SLOW if required else None
        if type(value) is str and pattern.fullmatch(value):
            return int(value)
        if type(value) is int and 0 <= value <= maximum:
            return value
        return SLOW

    return read


def number(required: bool, limit: Limit):
    pattern, maximum = _number_re(limit), limit.maximum

    def read(value):
        if value is None or value == "":
            return SLOW if required else None
        if type(value) is str and pattern.fullmatch(value):
            return Decimal(value)
        if type(value) is int and value >= 0 and (maximum is None or value <= maximum):
            return Decimal(value)
        return SLOW

    return read


def date(required: bool):
    def read(value):
        if value is None or value == "":
            return SLOW if required else None
        if type(value) is str and DATE_RE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return SLOW
        if type(value) is dt.datetime:
            return value.date()
        if type(value) is dt.date:
            return value
        return SLOW

    return read


def choice(vocabulary: str, required: bool):
    def read(value):
        if value is None or value == "":
            return SLOW if required else ""
        if _plain(value, 200):
            return _choice(vocabulary, value) or SLOW
        return SLOW

    return read


def yes_no(required: bool):
    read_choice = choice("yes_no", required)

    def read(value):
        code = read_choice(value)
        return code if code is SLOW else code == "oui"

    return read


def declared(imp, sheet: str, column):
    """The reader of a column declared in schema.COLUMNS (parsers as in rows.declared_values)."""
    parser, _sep, argument = column.parser.partition(":")
    required = column.required
    if parser == "key":
        return key(getattr(imp, argument))
    if parser in ("ref", "all_or_ref"):  # `*` (the whole programme) is read by RowCells
        return ref(getattr(imp, argument), required)
    if parser == "choice":
        return choice(argument, required)
    if parser == "yes_no":
        return yes_no(required)
    if parser == "count":
        return count(required, limit_of(sheet, column))
    if parser == "number":
        return number(required, limit_of(sheet, column))
    if parser == "date":
        return date(required)
    if parser in ("text", "scrubbed"):
        return text(required, column.max_length, scrubs=parser == "scrubbed")
    return lambda value: SLOW  # a parser without a cheap form: every row read by RowCells
