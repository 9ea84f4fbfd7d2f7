"""Many channels' response curves as arrays, for the allocator's inner loops. Pure numpy.

`ResponseBank` holds Hill and logistic curves side by side (Hill: top·r^s/(1+r^s) with
r = x/K; logistic: top·tanh(x/(2c)) with c = 1/rate) and evaluates the value, the
marginal return f′, the curvature f″ and the inverse of the marginal for all of them in a
few vectorized operations. `scaled(spend_unit, outcome_unit)` re-expresses the curves in
other units (the allocator works in units of the budget), so results do not depend on the
size of the currency.

The inverse of the marginal, x(λ) = f′⁻¹(λ) clipped to [lo, hi], is closed-form for the
logistic and for Hill slope 1, and a safeguarded Newton iteration on u = ln(x/K) for other
Hill slopes (ln f′ is concave and decreasing in u). For S-shaped Hill curves (slope > 1)
the inverse is taken on the concave part, x ≥ the inflection point K((s−1)/(s+1))^(1/s).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from crewplan.optimize.curves import Hill, Response

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ResponseBank:
    """n curves. `hill[i]`: a Hill curve (else logistic); `scale[i]`: K for a Hill curve,
    1/rate for a logistic one (a spend); `slope[i]`: the Hill slope (1 for a logistic)."""

    hill: NDArray[np.bool_]
    top: Array
    scale: Array
    slope: Array

    @classmethod
    def of(cls, responses: Sequence[Response]) -> ResponseBank:
        hill = np.array([isinstance(r, Hill) for r in responses], dtype=np.bool_)
        top = np.array([r.top for r in responses], dtype=np.float64)
        scale = np.array(
            [r.half_saturation if isinstance(r, Hill) else 1.0 / r.rate for r in responses],
            dtype=np.float64,
        )
        slope = np.array([r.slope if isinstance(r, Hill) else 1.0 for r in responses])
        return cls(hill, top, scale, slope.astype(np.float64))

    def __len__(self) -> int:
        return int(self.top.size)

    def scaled(self, spend_unit: float, outcome_unit: float) -> ResponseBank:
        return ResponseBank(self.hill, self.top / outcome_unit, self.scale / spend_unit, self.slope)

    def take(self, index: NDArray[np.intp] | NDArray[np.bool_]) -> ResponseBank:
        return ResponseBank(self.hill[index], self.top[index], self.scale[index], self.slope[index])

    @property
    def s_shaped(self) -> NDArray[np.bool_]:
        return np.asarray(self.hill & (self.slope > 1.0), dtype=np.bool_)

    def inflection(self) -> Array:
        """Where an S-shaped curve turns concave (0 for the concave curves)."""
        s = np.where(self.s_shaped, self.slope, 2.0)
        point = self.scale * ((s - 1.0) / (s + 1.0)) ** (1.0 / s)
        return np.asarray(np.where(self.s_shaped, point, 0.0), dtype=np.float64)

    def saturation(self) -> Array:
        """The spend beyond which each curve's value is its top to the last bit of a double
        (1 − f/top < 2^−53): logistic 2c·½ln(2^54), Hill K·(2^53)^(1/s)."""
        with np.errstate(over="ignore"):
            hill = self.scale * (2.0**53) ** (1.0 / self.slope)
        logistic = self.scale * math.log(2.0**54)
        return np.asarray(np.where(self.hill, hill, logistic), dtype=np.float64)

    def value(self, x: Array) -> Array:
        ratio = np.maximum(x, 0.0) / self.scale
        with np.errstate(over="ignore", invalid="ignore"):
            powered = ratio**self.slope
            hill = self.top * np.where(np.isinf(powered), 1.0, powered / (1.0 + powered))
        logistic = self.top * np.tanh(0.5 * ratio)
        return np.asarray(np.where(self.hill, hill, logistic), dtype=np.float64)

    def marginal(self, x: Array) -> Array:
        """f′(x); infinite at x = 0 for Hill slopes below 1."""
        ratio = np.maximum(x, 0.0) / self.scale
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            powered = ratio**self.slope
            hill = (self.top * self.slope / self.scale) * (
                ratio ** (self.slope - 1.0) / (1.0 + powered) ** 2
            )
            hill = np.where(np.isfinite(powered), hill, 0.0)
            hill = np.where((ratio == 0.0) & (self.slope == 1.0), self.top / self.scale, hill)
        logistic = (0.5 * self.top / self.scale) / np.cosh(np.minimum(0.5 * ratio, 350.0)) ** 2
        return np.asarray(np.where(self.hill, hill, logistic), dtype=np.float64)

    def curvature(self, x: Array) -> Array:
        """f″(x) (negative where the curve is concave)."""
        ratio = np.maximum(x, 0.0) / self.scale
        s = self.slope
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            powered = ratio**s
            hill = (self.top * s / self.scale**2) * (
                ratio ** (s - 2.0) * ((s - 1.0) - (s + 1.0) * powered) / (1.0 + powered) ** 3
            )
            hill = np.where(np.isfinite(powered), hill, 0.0)
        half = np.minimum(0.5 * ratio, 350.0)
        logistic = -(0.5 * self.top / self.scale**2) * np.tanh(half) / np.cosh(half) ** 2
        return np.asarray(np.where(self.hill, hill, logistic), dtype=np.float64)

    def inverse_marginal(self, lam: float, lo: Array, hi: Array) -> Array:
        """x in [lo, hi] with f′(x) = lam where that exists; hi where f′(hi) ≥ lam, lo where
        f′(lo) ≤ lam. For S-shaped curves the caller raises lo to the inflection point."""
        return Inverse(self, lo, hi)(math.log(lam))[0]


class Inverse:
    """x(λ) = clip(f′⁻¹(λ), lo, hi) and dx/d ln λ for one bank and fixed bounds, at a
    sequence of λ: the Newton iteration of each Hill curve starts from the last root
    moved by the first-order prediction, so a few steps suffice."""

    def __init__(self, bank: ResponseBank, lo: Array, hi: Array) -> None:
        self.n = len(bank)
        self.lo, self.hi = lo, hi
        top, scale, slope = bank.top, bank.scale, bank.slope
        self.logistic = np.flatnonzero(~bank.hill)
        self.c = scale[self.logistic]
        self.half_top = 0.5 * top[self.logistic] / self.c  # f′(0) = top/(2c)
        self.linear = np.flatnonzero(bank.hill & (slope == 1.0))
        self.k1 = scale[self.linear]
        self.tk = top[self.linear] * self.k1
        general = np.flatnonzero(bank.hill & (slope != 1.0))
        self.general = general
        k, s = scale[general], slope[general]
        self.k, self.s, self.s_less, self.s_twice = k, s, s - 1.0, 2.0 * s
        with np.errstate(divide="ignore"):
            self.log_c = np.log(top[general] * s / k)
            self.u_lo = np.maximum(np.log(lo[general] / k), -700.0)
            self.u_hi = np.minimum(np.log(hi[general] / k), 700.0 / s)
        self.lm_lo = self._log_marginal(self.u_lo)
        self.lm_hi = self._log_marginal(self.u_hi)
        self.u: Array | None = None
        self.du: Array | None = None
        self.mu: float | None = None

    def _log_marginal(self, u: Array) -> Array:
        return np.asarray(self.log_c + self.s_less * u - 2.0 * np.logaddexp(0.0, self.s * u))

    def __call__(self, mu: float) -> tuple[Array, Array]:
        lam = math.exp(mu)
        x = np.empty(self.n)
        dx = np.zeros(self.n)
        # A multiplier far below every channel's return (λ = e^−700 while the search
        # brackets it) puts x beyond any bound: inf there is clipped to hi below.
        if self.logistic.size:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                q = np.sqrt(np.maximum(self.half_top / lam, 1.0))
                x[self.logistic] = 2.0 * self.c * np.arccosh(q)
                dx[self.logistic] = np.where(q > 1.0, -self.c * q / np.sqrt(q * q - 1.0), 0.0)
        if self.linear.size:
            with np.errstate(over="ignore"):
                root = np.sqrt(self.tk / lam)
            x[self.linear] = root - self.k1
            dx[self.linear] = -0.5 * root
        if self.general.size:
            x[self.general], dx[self.general] = self._general(mu)
        inside = (x > self.lo) & (x < self.hi)
        return np.minimum(np.maximum(x, self.lo), self.hi), np.where(inside, dx, 0.0)

    def _general(self, mu: float) -> tuple[Array, Array]:
        s, s_less, s_twice = self.s, self.s_less, self.s_twice
        concave = s < 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            # The root lies in [left, right] when it lies in [lo, hi] (from 1 ≤ 1 + r^s ≤ 2
            # below r = 1 and r^s ≤ 1 + r^s above).
            below = np.minimum(0.0, (mu - self.log_c + math.log(4.0)) / s_less)
            left = np.maximum(self.u_lo, np.where(concave, below, self.u_lo))
            right = np.minimum(self.u_hi, np.maximum(0.0, (self.log_c - mu) / (s + 1.0)))
        right = np.maximum(right, left)
        if self.u is None or self.du is None or self.mu is None:
            u = 0.5 * (left + right)
        else:
            u = self.u + (mu - self.mu) * self.du
        u = np.minimum(np.maximum(u, left), right)
        slope = np.full_like(u, -1.0)
        offset = self.log_c - mu
        for _ in range(60):
            grow = np.exp(s * u)
            phi = offset + s_less * u - 2.0 * np.log1p(grow)
            slope = s_less - s_twice * grow / (1.0 + grow)
            with np.errstate(divide="ignore", invalid="ignore"):
                step = np.minimum(np.maximum(u - phi / slope, left), right)
            new = np.where(slope < 0.0, step, right)
            moved = np.abs(new - u).max()
            u = new
            if moved <= 1e-14 * (1.0 + np.abs(u).max()):
                break
        with np.errstate(divide="ignore"):
            du = np.where(slope < 0.0, 1.0 / slope, 0.0)
        self.u, self.du, self.mu = u, du, mu
        x = self.k * np.exp(u)
        at_hi = self.lm_hi >= mu
        at_lo = self.lm_lo <= mu
        x = np.where(at_hi, self.hi[self.general], np.where(at_lo, self.lo[self.general], x))
        return x, x * du
