"""Plate text: the one normalisation every caller uses, and search patterns over it."""

import re

VRM_MAX_LENGTH = 16
_NOT_PLATE = re.compile(r"[^A-Z0-9]")
_NOT_PATTERN = re.compile(r"[^A-Z0-9*?]")


def normalise_vrm(text: str) -> str:
    """Upper case, letters and digits only: 'ab12 cde' and 'AB-12-CDE' are both 'AB12CDE'."""
    return _NOT_PLATE.sub("", text.upper())


def normalise_pattern(text: str) -> str:
    """A search pattern: normalised like a plate, keeping * (any run) and ? (one character)."""
    return re.sub(r"\*+", "*", _NOT_PATTERN.sub("", text.upper()))


def is_pattern(text: str) -> bool:
    return "*" in text or "?" in text


def pattern_to_like(pattern: str) -> str:
    """'AB1*' -> 'AB1%', 'A?12' -> 'A_12'. Plates hold no % or _, so nothing needs escaping."""
    return pattern.replace("*", "%").replace("?", "_")
