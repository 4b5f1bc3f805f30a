"""The cheap cell readers of the large sheets (workbook/fastcells.py)."""

from ancrage.workbook import fastcells


def test_texts_seen_last_stay_scrubbed_after_many_distinct_ones(monkeypatch):
    """A national workbook names 100,000 structures once each, then a million people with a few
    professions: each profession must be scrubbed once, not once a person (10 s of an import)."""
    fastcells.scrubbed.cache_clear()
    for number in range(fastcells.SCRUBBED_KEPT + 10):
        fastcells.scrubbed(f"Structure {number}")
    before = fastcells.scrubbed.cache_info().misses
    for _person in range(1000):
        for profession in ("éducatrice", "enseignant", "infirmière 06 12 34 56 78"):
            fastcells.scrubbed(profession)
    assert fastcells.scrubbed.cache_info().misses - before == 3
    assert "06 12" not in fastcells.scrubbed("infirmière 06 12 34 56 78")
