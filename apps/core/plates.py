"""Plate text: the one normalisation every caller uses, and search patterns over it."""

import re
from typing import TypedDict

VRM_MAX_LENGTH = 16
_NOT_PLATE = re.compile(r"[^A-Z0-9]")
_NOT_PATTERN = re.compile(r"[^A-Z0-9*?]")


class Candidate(TypedDict):
    """Another reading of a plate the recogniser considered, and how sure it was of it: kept with
    the read it did not win, as the recognition pipeline gives it and ingest stores it."""

    vrm: str
    confidence: float


def normalise_vrm(text: str) -> str:
    """Upper case, letters and digits only: 'ab12 cde' and 'AB-12-CDE' are both 'AB12CDE'."""
    return _NOT_PLATE.sub("", text.upper())


def normalise_pattern(text: str) -> str:
    """A search pattern: normalised like a plate, keeping * (any run) and ? (one character)."""
    return re.sub(r"\*+", "*", _NOT_PATTERN.sub("", text.upper()))


def is_pattern(text: str) -> bool:
    return "*" in text or "?" in text


def known_characters(text: str) -> int:
    """How many letters and digits a plate or pattern pins down ('AB?*' pins 2)."""
    return len(normalise_vrm(text))


def normalise_search(text: str) -> str:
    """What a plate search is for, in one form whatever was typed: 'ab12 cde' and 'AB-12-CDE' are
    'AB12CDE'; patterns keep their * and ?."""
    return normalise_pattern(text) if is_pattern(text) else normalise_vrm(text)


def shortest_match(text: str) -> int:
    """How many characters the shortest plate a plate or pattern matches has ('AB?*' has 3)."""
    return len(normalise_search(text).replace("*", ""))


def pattern_matches(pattern: str, vrm: str) -> bool:
    """Whether a normalised plate matches a normalised pattern, as the database's LIKE would."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), vrm) is not None


def pattern_to_like(pattern: str) -> str:
    """'AB1*' -> 'AB1%', 'A?12' -> 'A_12'. Plates hold no % or _, so nothing needs escaping."""
    return pattern.replace("*", "%").replace("?", "_")


# Characters plate readers confuse, each mapped to one representative of its group.
LOOKALIKES = str.maketrans(
    {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
)


def lookalike_key(vrm: str) -> str:
    """Plates that differ only by confusable characters share a key: 'AB12CDE' ~ 'A812C0E'."""
    return vrm.translate(LOOKALIKES)
