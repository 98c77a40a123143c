"""Fitting what was read onto plate formats (which registrations a country issues:
apps/core/plate_formats.py).

Each format is a string of character classes, L a letter, D a digit, A either. A line read by
the OCR is fitted onto every format of its length in the expected countries: each position
takes the most likely character of its class, where a character also earns part of the
probability of a look-alike that cannot stand there (a 0 read where a letter must be can be an
O); a look-alike that may stand there lends nothing, so a clear 1 stays a 1 beside a weak T.
The reading that fits best, weighed by how common its format is, wins; a reading that fits no
format can still win if it is read clearly enough, so unusual plates are not forced into shape.
"""

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from apps.core.plate_formats import PLATE_SHAPES

from .ocr import ALPHABET, PlateText

LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = frozenset("0123456789")


# Formats by country group (apps/core/plate_formats.py): (formats, how likely a plate of this
# group is to have one of them). Most US states issue no I, O or Q, but leaning those readings
# to 1 and 0 cost more than it gained on real plates (vanity plates and some states use them:
# 627WWI, 4PCI264 in the benchmark's photographs).
FORMATS: dict[str, tuple[tuple[str, ...], float]] = {
    country: (shapes, 1.0) for country, shapes in PLATE_SHAPES.items()
}
# How likely a plate fits none of the expected formats (foreign, vanity, trade plates).
UNLISTED_PRIOR = 0.02
# A character earns this share of the probability of a look-alike its position does not allow.
CONFUSION_SHARE = 0.5
CONFUSABLE = ("O0", "D0", "Q0", "U0", "I1", "L1", "T1", "Z2", "S5", "B8", "G6", "A4", "T7")
# Reading past a character at either end (a country band, a state emblem) costs this much.
DROP_END_PRIOR = 0.2


@dataclass(frozen=True)
class Fitted:
    """A registration as fitted: text, score (log-likelihood with prior) and confidence."""

    vrm: str
    score: float
    confidence: float
    shape: str  # the format it fits, or "" when it fits none


def fit(texts: list[PlateText], countries: tuple[str, ...]) -> list[Fitted]:
    """Every distinct reading of these lines, best first."""
    shapes = _shapes(tuple(countries))
    free = math.log(UNLISTED_PRIOR)
    best: dict[str, Fitted] = {}
    for text in texts:
        n = len(text.probs)
        for start in range(min(n, 2) + 1):
            for end in range(n, max(n - 2, start) - 1, -1):
                window = text.probs[start:end]
                if len(window) < 2:
                    continue
                dropped = math.log(DROP_END_PRIOR) * (start + n - end)
                for fitted in _fit_window(window, shapes.get(len(window), {}), free, dropped):
                    if fitted.vrm not in best or fitted.score > best[fitted.vrm].score:
                        best[fitted.vrm] = fitted
    return sorted(best.values(), key=lambda fitted: -fitted.score)


def _fit_window(probs: np.ndarray, shapes: dict[str, float], free: float, dropped: float) -> list[Fitted]:
    results = []
    raw = probs.argmax(axis=1)
    raw_log = np.log(np.maximum(probs.max(axis=1), 1e-6))
    results.append(_fitted(raw, raw_log, free + dropped, ""))
    for shape, prior in shapes.items():
        allowed = _allowed(shape)
        lent = (probs * ~allowed) @ _confusion()
        fitted = np.log(np.maximum((probs + lent) * allowed, 1e-6))
        choice = fitted.argmax(axis=1)
        log_probs = fitted[np.arange(len(shape)), choice]
        results.append(_fitted(choice, log_probs, math.log(prior) + dropped, shape))
    return results


def _fitted(choice: np.ndarray, log_probs: np.ndarray, prior: float, shape: str) -> Fitted:
    total = float(log_probs.sum())
    return Fitted(
        vrm="".join(ALPHABET[i] for i in choice),
        score=total + prior,
        confidence=float(math.exp(total / len(choice))),
        shape=shape,
    )


@cache
def _allowed(shape: str) -> np.ndarray:
    """(positions, characters): whether each character may stand at each position."""
    classes = {"L": LETTERS, "D": DIGITS, "A": LETTERS | DIGITS}
    return np.array([[c in classes[cls] for c in ALPHABET] for cls in shape])


@cache
def _shapes(countries: tuple[str, ...]) -> dict[int, dict[str, float]]:
    by_length: dict[int, dict[str, float]] = {}
    for country in countries:
        shapes, prior = FORMATS[country]
        share = prior / len(shapes) ** 0.5  # many formats: each a little less likely
        for shape in shapes:
            by_length.setdefault(len(shape), {})[shape] = max(
                share, by_length.get(len(shape), {}).get(shape, 0)
            )
    return by_length


@cache
def _confusion() -> np.ndarray:
    """probs @ this: a share of each character's probability lent to its look-alikes."""
    matrix = np.zeros((len(ALPHABET), len(ALPHABET)), np.float32)
    for a, b in map(tuple, CONFUSABLE):  # each a pair of characters
        matrix[ALPHABET.index(a), ALPHABET.index(b)] = CONFUSION_SHARE
        matrix[ALPHABET.index(b), ALPHABET.index(a)] = CONFUSION_SHARE
    return matrix
