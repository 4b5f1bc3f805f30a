"""The demo programme's rows, read once and copied into each test (tests/demo_rows.py)."""

from .demo_rows import Table, _fingerprint, _written


def test_a_binary_cell_read_twice_is_the_same_row():
    """PostgreSQL gives bytea as a memoryview: two reads of one row must fingerprint alike."""
    first = {"files": Table(["id", "content"], [(1, memoryview(b"%PDF"))])}
    again = {"files": Table(["id", "content"], [(1, memoryview(b"%PDF"))])}
    assert _fingerprint(first) == _fingerprint(again)
    assert _written(_fingerprint(first), again) == {}
