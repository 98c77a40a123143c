"""Plate formats: which registrations each country group issues, and what counts as a plate a
person may put on a list.

A format is a string of character classes, L a letter, D a digit, A either: 'AB12CDE' has the
shape 'LLDDLLL'. Recognition fits what it reads onto these (apps/recognition/formats.py); a
hotlist entry must be a British registration in one of them, or be marked as a foreign or
diplomatic plate (`checked_plate`).
"""

import re

from .plates import normalise_vrm


def expand(*specs: str) -> tuple[str, ...]:
    """'L{1,3}D{1,4}' -> every concrete class string it allows."""
    shapes: list[str] = []
    for spec in specs:
        parts = re.findall(r"([LDA])(?:\{(\d),(\d)\}|\{(\d)\})?", spec)
        options = [""]
        for cls, low, high, exact in parts:
            counts = range(int(low), int(high) + 1) if low else [int(exact or 1)]
            options = [prefix + cls * n for prefix in options for n in counts]
        shapes.extend(options)
    return tuple(dict.fromkeys(shapes))


PLATE_SHAPES: dict[str, tuple[str, ...]] = {
    # Great Britain: current (AB12 CDE), prefix (A123 BCD), suffix (ABC 123D), dateless and
    # Northern Ireland (ABC 1234, 1234 AB).
    "GB": expand("LLDDLLL", "LD{1,3}LLL", "LLLD{1,3}L", "L{1,3}D{1,4}", "D{1,4}L{1,3}"),
    # Common continental formats: FR/IT/HR/SK/RS (AB-123-CD), ES (1234 ABC), PL (AB 12345,
    # ABC 1234), CZ (1AB 2345), DE (B-AB 1234), NL sidecodes, BE (1-ABC-234), SI (LJ A1-234).
    "EU": expand(
        "LLDDDLL",
        "LLD{3,4}L{1,2}",
        "DDDDLLL",
        "LLD{5}",
        "LLLD{4,5}",
        "LLLDDLL",
        "DLADDDD",
        "L{1,3}L{1,2}D{1,4}",
        "DLLLDDD",
        "LLDDLL",
        "DDLLLD",
        "LDDDLL",
        "LDDDDLL",
    ),
    # The United States: each state has its own formats and vanity plates are common, so any
    # run of two to eight characters.
    "US": expand("A{2,8}"),
}
# Plates issued here: what an entry is checked against unless marked foreign or diplomatic.
HOME_COUNTRY = "GB"
# A foreign or diplomatic plate: any letters and digits, this many (the longest issued in
# Europe, a region code and all, has ten).
OTHER_PLATE_LENGTH = (2, 10)
# Letters and digits, and what people write between them: spaces and hyphens.
_WRITTEN = re.compile(r"[A-Za-z0-9 \-]")
HOME_EXAMPLES = "AB12 CDE, A123 BCD, ABC 123D, ABC 1234 or 1234 AB"
_SHAPE_SETS = {country: frozenset(shapes) for country, shapes in PLATE_SHAPES.items()}


class NotAPlate(ValueError):
    """The text is not a plate of the kind stated; the message says why, in words."""


def shape_of(vrm: str) -> str:
    """'AB12CDE' -> 'LLDDLLL'."""
    return "".join("D" if c.isdigit() else "L" for c in vrm)


def fits(vrm: str, country: str) -> bool:
    """Whether a normalised plate has one of the country group's formats."""
    return shape_of(vrm) in _SHAPE_SETS[country]


def checked_plate(text: str, *, foreign: bool = False) -> str:
    """The plate `text` names, normalised ('ab12 cde' -> 'AB12CDE'), or NotAPlate saying why
    it names none: only letters and digits (spaces and hyphens between them are ignored), and a
    British registration in one of its formats, or, for a foreign or diplomatic plate, 2 to 10
    letters and digits."""
    stray = sorted({c for c in text.strip() if not _WRITTEN.fullmatch(c)})
    if stray:
        shown = " ".join(f"“{c}”" for c in stray)
        raise NotAPlate(
            f"A plate holds only the letters A to Z and digits (spaces and hyphens are ignored), not {shown}."
        )
    plate = normalise_vrm(text)
    if not plate:
        raise NotAPlate("Give the plate: its letters and digits.")
    if foreign:
        shortest, longest = OTHER_PLATE_LENGTH
        if not shortest <= len(plate) <= longest:
            raise NotAPlate(
                f"A foreign or diplomatic plate has {shortest} to {longest} letters and digits; "
                f"{plate} has {len(plate)}."
            )
    elif not fits(plate, HOME_COUNTRY):
        raise NotAPlate(
            f"{plate} is not a British registration (such as {HOME_EXAMPLES}). "
            "If it is a foreign or diplomatic plate, mark it as one."
        )
    return plate
