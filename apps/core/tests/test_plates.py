"""Plate normalisation and search patterns."""

import pytest

from apps.core.plates import (
    is_pattern,
    normalise_pattern,
    normalise_vrm,
    pattern_matches,
    pattern_to_like,
    shortest_match,
)


@pytest.mark.parametrize(
    ("text", "vrm"),
    [("ab12 cde", "AB12CDE"), ("AB-12-CDE", "AB12CDE"), (" a b 1 2 ", "AB12"), ("ÄB12", "B12"), ("", "")],
)
def test_normalise_vrm(text, vrm):
    assert normalise_vrm(text) == vrm


def test_patterns_keep_wildcards_and_collapse_runs():
    assert normalise_pattern("ab1**") == "AB1*"
    assert normalise_pattern("a?1 2-c") == "A?12C"
    assert is_pattern("AB1*") and is_pattern("A?1") and not is_pattern("AB12CDE")
    assert pattern_to_like("A?1*") == "A_1%"


@pytest.mark.parametrize(
    ("pattern", "vrm", "matches"),
    [
        ("AB12CDE", "AB12CDE", True),
        ("AB1*", "AB12CDE", True),
        ("*CDE", "AB12CDE", True),
        ("A?12CDE", "AB12CDE", True),
        ("AB12??", "AB12CDE", False),  # ? is exactly one character, as in LIKE's _
        ("AB1*", "XAB12", False),  # anchored at both ends, as LIKE is
        ("*", "AB12CDE", True),
    ],
)
def test_a_pattern_matches_as_the_database_would(pattern, vrm, matches):
    assert pattern_matches(pattern, vrm) is matches


def test_the_shortest_plate_a_search_could_match():
    assert (shortest_match("ab 12 cde"), shortest_match("AB?*"), shortest_match("*")) == (7, 3, 0)
