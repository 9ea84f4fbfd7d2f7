"""Allocator benchmark (issue 12; figures go to docs/benchmarks.md).

Concave curves (Hill slopes 0.5–1 and logistic) at 10, 50 and 200 channels, spend in
currency (tens of thousands of TWD a week), bounds that bind for some channels:
- crewplan's `allocate()` against scipy `minimize(method="SLSQP")` (what PyMC-Marketing's
  BudgetOptimizer and Robyn's allocator call) in the same run: median wall and CPU time;
  SLSQP twice, as the anchors call it (raw currency units, analytic gradient, default
  tolerance) and in the budget's units (scaled, tight tolerance);
- the objective against an independent KKT reference: every channel's f′(x) = λ solved by
  scipy.optimize.brentq on the curves' own `marginal` (curves.py, not the allocator's
  vectorized code), λ by brentq on Σ x(λ) = B, the objective summed with math.fsum;
- the spread of the marginal returns of the channels not at a bound, relative to λ;
- every currency amount × 10⁶: the largest relative change of any channel's spend.
S-shaped curves (Hill slopes 1.5–3), 20 channels: crewplan against a dense-grid dynamic
program (an independent loop at 4× the allocator's resolution) and SLSQP from the equal
split.

Run: PYTHONPATH=$PWD .venv/bin/python bench/allocate.py [--quick]
"""

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crewplan.optimize.allocate import allocate
from crewplan.optimize.curves import ChannelCurve, Hill, Logistic
from crewplan.optimize.flight import flight_plan


def concave_curves(seed: int, n: int, scale: float = 1.0) -> tuple[list[ChannelCurve], float]:
    rng = np.random.default_rng(seed)
    curves = []
    for i in range(n):
        half = float(rng.uniform(10_000, 100_000)) * scale
        top = half * float(rng.uniform(1.0, 4.0))  # revenue: a ROAS of about 1–4 at first
        current = half * float(rng.uniform(0.3, 1.5))
        response = (
            Logistic(top, 1.0 / half) if i % 4 == 0 else Hill(top, half, float(rng.uniform(0.5, 1)))
        )
        curves.append(
            ChannelCurve(f"c{i}", response, current=current, min=0.2 * current, max=2.0 * current)
        )
    budget = sum(c.current or 0.0 for c in curves) * 1.1
    return curves, budget


def s_curves(seed: int, n: int) -> tuple[list[ChannelCurve], float]:
    rng = np.random.default_rng(seed)
    curves = []
    for i in range(n):
        half = float(rng.uniform(10_000, 100_000))
        top = half * float(rng.uniform(1.0, 4.0))
        curves.append(ChannelCurve(f"s{i}", Hill(top, half, float(rng.uniform(1.5, 3.0)))))
    budget = float(sum(c.response.half_saturation for c in curves)) * 0.6  # type: ignore[union-attr]
    return curves, budget


def timed(repeats: int, function: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """(result, median wall seconds, median CPU seconds) of function(*args)."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def objective(curves: list[ChannelCurve], x: np.ndarray) -> float:
    return math.fsum(float(c.response.value(v)) for c, v in zip(curves, x, strict=True))


class Vectorized:
    """Σ f_i and ∇ in numpy over arrays, written here for SLSQP (as the anchors do: one
    vectorized objective, an analytic gradient)."""

    def __init__(self, curves: list[ChannelCurve]) -> None:
        self.hill = np.array([isinstance(c.response, Hill) for c in curves])
        self.top = np.array([c.response.top for c in curves])
        self.k = np.array([getattr(c.response, "half_saturation", 1.0) for c in curves])
        self.s = np.array([getattr(c.response, "slope", 1.0) for c in curves])
        self.rate = np.array([getattr(c.response, "rate", 1.0) for c in curves])

    def value(self, x: np.ndarray) -> float:
        p = (np.maximum(x, 0.0) / self.k) ** self.s
        hill = self.top * p / (1 + p)
        logistic = self.top * np.tanh(0.5 * self.rate * np.maximum(x, 0.0))
        return float(np.where(self.hill, hill, logistic).sum())

    def gradient(self, x: np.ndarray) -> np.ndarray:
        r = np.maximum(x, 1e-9) / self.k
        p = r**self.s
        hill = self.top * self.s / self.k * r ** (self.s - 1) / (1 + p) ** 2
        with np.errstate(over="ignore"):
            logistic = 0.5 * self.top * self.rate / np.cosh(0.5 * self.rate * x) ** 2
        return np.asarray(np.where(self.hill, hill, logistic))


def slsqp(curves: list[ChannelCurve], budget: float, unit: float, tight: bool) -> np.ndarray:
    """SLSQP as the anchors call it: from the current spends scaled to the budget,
    analytic gradient; `unit` divides the spends (1: raw currency)."""
    lo = np.array([c.min or 0.0 for c in curves]) / unit
    hi = np.array([c.max if c.max is not None else budget for c in curves]) / unit
    start = np.array([c.current or (budget / len(curves)) for c in curves]) / unit
    start *= budget / unit / start.sum()
    start = np.clip(start, lo, hi)
    model = Vectorized(curves)
    options = {"ftol": 1e-12, "maxiter": 1000} if tight else {}
    result = minimize(
        lambda x: -model.value(x * unit),
        start,
        jac=lambda x: -model.gradient(x * unit) * unit,
        bounds=list(zip(lo, hi, strict=True)),
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget / unit}],
        method="SLSQP",
        options=options,
    )
    x = np.clip(result.x, lo, hi) * unit
    return np.asarray(x * (budget / x.sum()))  # SLSQP's equality holds to its tolerance only


def kkt_reference(curves: list[ChannelCurve], budget: float) -> tuple[np.ndarray, float]:
    """Independent: scalar brentq per channel inside brentq on λ."""
    lo = [c.min or 0.0 for c in curves]
    hi = [c.max if c.max is not None else budget for c in curves]

    def spend(lam: float) -> list[float]:
        out = []
        for c, low, high in zip(curves, lo, hi, strict=True):
            m = c.response.marginal
            if float(m(high)) >= lam:
                out.append(high)
            elif float(m(low)) <= lam:
                out.append(low)
            else:
                root = brentq(lambda x, m=m: float(m(x)) - lam, low, high, xtol=1e-14, rtol=8.9e-16)
                out.append(root)
        return out

    margins = [float(c.response.marginal(h)) for c, h in zip(curves, hi, strict=True)]
    top = max(float(c.response.marginal(max(low, 1e-9))) for c, low in zip(curves, lo, strict=True))
    lam = brentq(
        lambda v: math.fsum(spend(v)) - budget,
        min(margins) * 0.5,
        top * 2,
        xtol=1e-300,
        rtol=8.9e-16,
        maxiter=500,
    )
    return np.array(spend(lam)), lam


def dense_dp(curves: list[ChannelCurve], budget: float, steps: int) -> float:
    """Reference grid program, written independently of the allocator's: a plain loop
    over channels with a (steps+1)² maximum taken in row blocks."""
    grid = np.arange(steps + 1) * (budget / steps)
    best = np.full(steps + 1, -np.inf)
    best[0] = 0.0
    for curve in curves:
        gains = curve.response.value(grid)
        new = np.full(steps + 1, -np.inf)
        for start in range(0, steps + 1, 512):
            k = np.arange(start, min(steps + 1, start + 512))[:, None]
            j = np.arange(steps + 1)[None, :]
            previous = np.where(j <= k, best[np.clip(k - j, 0, steps)], -np.inf)
            new[k[:, 0]] = np.max(previous + gains[None, :], axis=1)
        best = new
    return float(best[steps])


def concave_rows(repeats: int) -> None:
    print("concave curves: ms are medians (wall / CPU); machine shared with other jobs")
    print(
        "channels | crewplan ms | SLSQP raw ms | SLSQP raw loss | SLSQP scaled ms "
        "| SLSQP scaled loss | speed-up (wall) vs raw / scaled | obj vs KKT ref (rel) "
        "| marginal spread | 1e6 rescale | gap (rel)"
    )
    for n in (10, 50, 200):
        curves, budget = concave_curves(n, n)
        ours, wall, cpu = timed(repeats, allocate, curves, budget)
        x = np.array([c.spend for c in ours.channels])
        few = max(3, repeats // 10)
        raw, raw_wall, raw_cpu = timed(few, slsqp, curves, budget, 1.0, False)
        scaled, scaled_wall, scaled_cpu = timed(few, slsqp, curves, budget, budget / n, True)
        reference, lam = kkt_reference(curves, budget)
        best = objective(curves, reference)
        ours_value = objective(curves, x)
        free = [c.marginal_return for c in ours.channels if c.lower < c.spend < c.upper]
        spread = (max(free) - min(free)) / ours.multiplier if free else 0.0
        big_curves, big_budget = concave_curves(n, n, scale=1e6)
        big = allocate(big_curves, big_budget * 1e6 / 1e6)
        big_x = np.array([c.spend for c in big.channels]) / 1e6
        rescale = float(np.max(np.abs(big_x - x) / np.maximum(x, 1e-300)))
        print(
            f"{n} | {wall * 1e3:.2f} / {cpu * 1e3:.2f} "
            f"| {raw_wall * 1e3:.1f} / {raw_cpu * 1e3:.1f} "
            f"| {100 * (1 - objective(curves, raw) / best):.2f} % "
            f"| {scaled_wall * 1e3:.0f} / {scaled_cpu * 1e3:.0f} "
            f"| {100 * (1 - objective(curves, scaled) / best):.2e} % "
            f"| {raw_wall / wall:.0f}× / {scaled_wall / wall:.0f}× "
            f"| {abs(ours_value - best) / best:.1e} | {spread:.1e} ({len(free)} free) "
            f"| {rescale:.1e} | {ours.gap / ours.expected:.1e}"
        )
        assert abs(ours.multiplier - lam) <= 1e-9 * lam, (ours.multiplier, lam)


def s_rows(repeats: int) -> None:
    print("S-shaped curves (Hill slopes 1.5–3), 20 channels, budget = 0.6 Σ K, 5 seeds")
    print(
        "seed | crewplan ms (wall / CPU) | vs dense DP (×4 finer) | in resolutions "
        "| SLSQP loss | gap (rel)"
    )
    for seed in range(5):
        curves, budget = s_curves(100 + seed, 20)
        ours, wall, cpu = timed(repeats, allocate, curves, budget)
        x = np.array([c.spend for c in ours.channels])
        reference = dense_dp(curves, budget, 8000)
        value = objective(curves, x)
        slsqp_x = slsqp(curves, budget, budget / len(curves), True)
        # One resolution step of budget, valued at the largest marginal return seen.
        resolution = ours.resolution or 0.0
        per_step = resolution * max(c.marginal_return for c in ours.channels)
        print(
            f"{100 + seed} | {wall * 1e3:.0f} / {cpu * 1e3:.0f} "
            f"| {(value - reference) / reference:+.2e} | {(value - reference) / per_step:+.2f} "
            f"| {100 * (1 - objective(curves, slsqp_x) / value):.2f} % "
            f"| {ours.gap / value:.1e}"
        )


def flight_rows(repeats: int) -> None:
    print("flight plan: concave curves, decay 0.5, max lag 8, carry-over credited")
    print(
        "channels × weeks | wall / CPU ms | KKT violation (rel λ) | gap (rel) "
        "| decay 0 vs single period"
    )
    for n, weeks in ((10, 13), (20, 13), (20, 52)):
        curves, budget = concave_curves(n, n)
        carried = [replace(c, decay=0.5) for c in curves]
        plan, wall, cpu = timed(repeats, flight_plan, carried, budget * weeks, weeks)
        flat = flight_plan([replace(c, decay=0.0) for c in curves], budget * weeks, weeks)
        single = np.array([c.spend for c in allocate(curves, budget).channels])
        differs = float(np.max(np.abs(np.array(flat.spend) - single[:, None]) / single[:, None]))
        print(
            f"{n} × {weeks} | {wall * 1e3:.0f} / {cpu * 1e3:.0f} "
            f"| {plan.kkt_violation / plan.multiplier:.1e} | {plan.gap / plan.total_expected:.1e} "
            f"| {differs:.1e}"
        )


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    concave_rows(15 if quick else 51)
    s_rows(1 if quick else 3)
    flight_rows(1 if quick else 5)
