"""Channel response curves, in weekly units (DESIGN.md F). Pure numpy: no Django.

A channel turns spend into outcome in two steps. Geometric carry-over (adstock) spreads a
week's spend over that week and the next `max_lag` weeks with weights decay**lag,
*normalized to sum to 1*; a saturating response turns the carried-over spend into the
week's outcome. Because the weights sum to 1, a constant weekly spend x carries over to
exactly x, so the response itself is the channel's steady-state curve: the weekly outcome
of spending x every week.

Responses:
- `Hill`: top·x^s / (K^s + x^s); concave for s ≤ 1, S-shaped for s > 1.
- `Logistic`: top·(1 − e^(−rate·x)) / (1 + e^(−rate·x)) = top·tanh(rate·x / 2); concave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Status = Literal["ok", "not_enough_data"]

DEFAULT_MAX_LAG = 8


@dataclass(frozen=True)
class Hill:
    top: float
    half_saturation: float
    slope: float
    form: ClassVar[str] = "hill"

    def __post_init__(self) -> None:
        if not (self.top >= 0 and self.half_saturation > 0 and self.slope > 0):
            raise ValueError(
                "a Hill curve needs top ≥ 0, half_saturation > 0 and slope > 0 "
                f"(got {self.top}, {self.half_saturation}, {self.slope})"
            )

    @property
    def concave(self) -> bool:
        return self.slope <= 1

    def value(self, x: ArrayLike) -> Array:
        ratio = np.asarray(x, dtype=np.float64) / self.half_saturation
        powered = np.power(np.maximum(ratio, 0.0), self.slope)
        return np.asarray(self.top * powered / (1.0 + powered), dtype=np.float64)

    def marginal(self, x: ArrayLike) -> Array:
        """d value / d x. At x = 0 it is top/K for slope 1, 0 above 1 and infinite below."""
        ratio = np.maximum(np.asarray(x, dtype=np.float64) / self.half_saturation, 0.0)
        with np.errstate(divide="ignore"):
            powered = np.power(ratio, self.slope)
            rising = np.power(ratio, self.slope - 1.0)
        return np.asarray(
            self.top * self.slope * rising / (self.half_saturation * (1.0 + powered) ** 2),
            dtype=np.float64,
        )


@dataclass(frozen=True)
class Logistic:
    top: float
    rate: float
    form: ClassVar[str] = "logistic"

    def __post_init__(self) -> None:
        if not (self.top >= 0 and self.rate > 0):
            raise ValueError(
                f"a logistic curve needs top ≥ 0 and rate > 0 (got {self.top}, {self.rate})"
            )

    @property
    def concave(self) -> bool:
        return True

    def value(self, x: ArrayLike) -> Array:
        half = 0.5 * self.rate * np.maximum(np.asarray(x, dtype=np.float64), 0.0)
        return np.asarray(self.top * np.tanh(half), dtype=np.float64)

    def marginal(self, x: ArrayLike) -> Array:
        half = 0.5 * self.rate * np.maximum(np.asarray(x, dtype=np.float64), 0.0)
        return np.asarray(0.5 * self.top * self.rate / np.cosh(half) ** 2, dtype=np.float64)


Response = Hill | Logistic


def adstock_weights(decay: float, max_lag: int = DEFAULT_MAX_LAG) -> Array:
    """Weights of this week and the next max_lag weeks, decay**lag, summing to 1."""
    if not 0.0 <= decay < 1.0:
        raise ValueError(f"decay must be in [0, 1) (got {decay})")
    if max_lag < 0:
        raise ValueError(f"max_lag must be ≥ 0 (got {max_lag})")
    weights = np.power(decay, np.arange(max_lag + 1, dtype=np.float64))
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def geometric_adstock(
    spend: ArrayLike,
    decay: float,
    max_lag: int = DEFAULT_MAX_LAG,
    history: ArrayLike | None = None,
) -> Array:
    """Carried-over spend of each week of `spend`. `history` is the spend of the weeks
    just before (oldest first): its carry-over flows into the first weeks."""
    weights = adstock_weights(decay, max_lag)
    current = np.asarray(spend, dtype=np.float64)
    before = np.zeros(max_lag) if history is None else np.asarray(history, dtype=np.float64)
    padded = np.concatenate([np.zeros(max(0, max_lag - before.size)), before[-max_lag:], current])
    full = np.convolve(padded, weights)[: padded.size]
    return np.asarray(full[padded.size - current.size :], dtype=np.float64)


@dataclass(frozen=True)
class ChannelCurve:
    """One channel of a CURVES document (docs/optimize.md)."""

    name: str
    response: Response
    decay: float = 0.0
    max_lag: int = DEFAULT_MAX_LAG
    status: Status = "ok"
    reason: str = ""
    roi: float | None = None
    roi_low: float | None = None
    roi_high: float | None = None
    current: float | None = None
    min: float | None = None
    max: float | None = None
    observed_max: float | None = None
    # The lowest carried-over spend the data saw (below it the curve is extrapolated too).
    observed_min: float | None = None
    # Whether the fit calls the ROI (the average return from zero spend) known: its 90 %
    # interval is narrow enough to act on. None when unknown (curves from other tools).
    # A channel can be "ok" (its curve over the observed spend is identified, so the
    # allocator may move it) with an ROI that is not known (never observed near zero).
    roi_known: bool | None = None
    # Draws of the steady-state response from the fit's uncertainty (empty when unknown).
    draws: tuple[Response, ...] = field(default_factory=tuple)


def observed_low(spend: ArrayLike, decay: float, max_lag: int) -> float | None:
    """The lowest carried-over weekly spend in the data from week `max_lag` on (the weeks
    before carry over from spend the data does not show); None without such weeks."""
    carried = geometric_adstock(spend, decay, max_lag)[max_lag:]
    return float(carried.min()) if carried.size else None
