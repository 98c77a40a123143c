"""Several readings of one plate, voted into one: per character, weighted by how sure each was.

A track's readings across video frames vote, and so do the readings of a still's plate taken
from slightly different cuts of it.
"""

from collections import Counter, defaultdict

from .formats import Fitted


def vote(readings: list[Fitted]) -> list[tuple[str, float]]:
    """Weighted per-character vote among the readings of the most supported length."""
    if not readings:
        return []
    by_length: dict[int, float] = defaultdict(float)
    totals: dict[str, float] = defaultdict(float)
    for reading in readings:
        by_length[len(reading.vrm)] += reading.confidence
        totals[reading.vrm] += reading.confidence
    length = max(by_length, key=lambda n: by_length[n])
    same = [r for r in readings if len(r.vrm) == length]
    voted, certainty = "", 1.0
    for position in range(length):
        # Confidences are floats; typeshed's Counter allows only int counts.
        weights: Counter[str] = Counter()
        for reading in same:
            weights[reading.vrm[position]] += reading.confidence  # type: ignore[assignment]
        character, weight = weights.most_common(1)[0]
        voted += character
        certainty = min(certainty, weight / sum(weights.values()))
    mean_confidence = sum(r.confidence for r in same) / len(same)
    ranked = [(voted, round(certainty * mean_confidence, 3))]
    total = sum(totals.values())
    ranked += [
        (vrm, round(w / total, 3)) for vrm, w in sorted(totals.items(), key=lambda kv: -kv[1]) if vrm != voted
    ]
    return ranked
