"""French is the source language; every string has its English translation."""

import re
from pathlib import Path

from django.utils import translation

from ancrage.indicators.registry import FIGURES_BY_KEY

CATALOG = Path(__file__).parent.parent / "ancrage" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_english_catalog_is_translated():
    # An entry is untranslated when its msgstr is empty and no continuation line follows.
    entries = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"\n(?!")', CATALOG.read_text(), re.M)
    untranslated = [msgid for msgid, msgstr in entries if msgid and not msgstr]
    assert untranslated == []
    assert len(entries) > 500  # the whole interface, not a sample
    assert "#, fuzzy\nmsgid" not in CATALOG.read_text()


def test_figures_are_labelled_in_french_by_default_and_in_english_on_request():
    figure = FIGURES_BY_KEY["reach.children_indirect"]
    assert str(figure.label) == "Enfants touchés indirectement"
    with translation.override("en"):
        assert str(figure.label) == "Children reached indirectly"
        assert str(FIGURES_BY_KEY["deliveries.jep"].label) == "Deliveries: Practice-exchange day"
