"""Plate normalisation and search patterns."""

import pytest

from apps.core.plates import is_pattern, normalise_pattern, normalise_vrm, pattern_to_like


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
