"""The national factors a camera deployment is justified against, and how each is weighed.

An assessment (and every later review) argues the need for the camera against each factor,
with evidence and a weight. Stored as {factor: {"argument", "evidence", "weight"}}.
"""

from typing import TypedDict


class FactorCase(TypedDict, total=False):
    """The need argued against one factor: the case, its evidence, and the weight given it."""

    argument: str
    evidence: str
    weight: str


# A statement of need: {factor key (FACTORS): its case}; complete when factor_problems finds nothing.
type Factors = dict[str, FactorCase]

FACTORS = {
    "national_security": "National security and counter terrorism",
    "serious_crime": "Serious, organised and major crime",
    "local_crime": "Local crime",
    "community": "Community confidence and reassurance, crime prevention and reduction",
}
WEIGHTS = {"none": "Not relevant", "low": "Low", "medium": "Medium", "high": "High"}
# A clear need: at least one factor weighs this much or more.
CLEAR_NEED = ("medium", "high")


def factor_problems(factors: Factors) -> list[str]:
    """What is missing or wrong in a statement of need; empty when it is complete."""
    problems = []
    for key, label in FACTORS.items():
        case = factors.get(key) or {}
        weight = case.get("weight", "")
        if weight not in WEIGHTS:
            problems.append(f"{label}: choose a weight.")
        elif weight != "none" and not (case.get("argument", "").strip() and case.get("evidence", "").strip()):
            problems.append(f"{label}: a weighed factor needs an argument and its evidence.")
    return problems


def shows_clear_need(factors: Factors) -> bool:
    return any((factors.get(key) or {}).get("weight") in CLEAR_NEED for key in FACTORS)


NO_CLEAR_NEED = "No factor weighs medium or high: the need for the camera is not shown."
