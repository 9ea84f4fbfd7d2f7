"""The weighted evaluation matrix for comparing AI tools side by side (pure, no Django).

Each tool gets a score from 1 (poor) to 5 (excellent) on each criterion; a higher score is
always better (for `cost`, 5 means cheap for what it does). The workspace gives each
criterion a relative weight from 0 to 100. The weighted score is

    Σ weight(c) × score(c) / Σ weight(c)      over the criteria with weight > 0,

so it stays on the 1–5 scale whatever the weights add up to. It is None while a criterion
that counts (weight > 0) has no score yet, or when every weight is 0: a total over some of
the criteria would favour the tools nobody has finished rating. Exact Decimal arithmetic;
rounding is for display.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

CRITERIA: tuple[str, ...] = ("features", "cost", "ease", "support", "integration", "value")
DEFAULT_WEIGHTS: Mapping[str, int] = {
    "features": 25,
    "cost": 20,
    "ease": 15,
    "support": 10,
    "integration": 15,
    "value": 15,
}
MIN_SCORE, MAX_SCORE = 1, 5
MAX_WEIGHT = 100


@dataclass(frozen=True, slots=True)
class Rated:
    key: str
    name: str
    scores: Mapping[str, int | None]  # criterion → 1..5, None when not rated yet


@dataclass(frozen=True, slots=True)
class Result:
    key: str
    name: str
    score: Decimal | None  # weighted, 1..5; None while incomplete
    missing: tuple[str, ...]  # criteria that count but have no score
    rank: int | None  # 1 = best among the complete ones; ties share a rank


def check_weights(weights: Mapping[str, int]) -> None:
    """Raise ValueError unless every criterion has an integer weight in 0..MAX_WEIGHT."""
    for criterion in CRITERIA:
        weight = weights.get(criterion)
        if not isinstance(weight, int) or isinstance(weight, bool):
            raise ValueError(f"weight of {criterion} must be an int, not {weight!r}")
        if not 0 <= weight <= MAX_WEIGHT:
            raise ValueError(f"weight of {criterion} must be between 0 and {MAX_WEIGHT}")


def weighted_score(
    scores: Mapping[str, int | None], weights: Mapping[str, int]
) -> tuple[Decimal | None, tuple[str, ...]]:
    """(weighted score or None, criteria that count but are not rated)."""
    check_weights(weights)
    counting = [c for c in CRITERIA if weights[c] > 0]
    missing = tuple(c for c in counting if scores.get(c) is None)
    for criterion in counting:
        score = scores.get(criterion)
        if score is not None and not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"score of {criterion} must be between 1 and 5, not {score}")
    if missing or not counting:
        return None, missing
    total_weight = Decimal(sum(weights[c] for c in counting))
    weighted = sum((Decimal(weights[c]) * Decimal(scores[c] or 0) for c in counting), Decimal(0))
    return weighted / total_weight, ()


def compare(tools: Sequence[Rated], weights: Mapping[str, int]) -> list[Result]:
    """Results in the order given, each with its rank among the fully rated tools
    (competition ranking: 1, 1, 3)."""
    scored = [(tool, *weighted_score(tool.scores, weights)) for tool in tools]
    complete = sorted((score for _, score, _ in scored if score is not None), reverse=True)
    return [
        Result(
            key=tool.key,
            name=tool.name,
            score=score,
            missing=missing,
            rank=complete.index(score) + 1 if score is not None else None,
        )
        for tool, score, missing in scored
    ]
