"""Allocation rules under the fit's uncertainty (issue 12; figures go to docs/benchmarks.md,
*Fitting response curves*): can a rule that uses the fit's draws lift the worst seed's
captured uplift without losing the median?

Same set-up as bench/fit.py (one fit per seed, budget = Σ current weekly spend, each
channel 0.5–2× its current spend, channels not judged held, the suite's flat channels
held in the true optimum, scored on the TRUE curves, seeds with ≥ 1 % room). Every rule
is solved by the same dense-grid dynamic program (2,000 budget steps) over a per-channel
objective v_i(x) (draw j of channel i: f_ij; its gain g_ij(x) = f_ij(x) − f_ij(current)):

- point: f_i (the product's allocation; the grid gives ~0.4 points less than the exact
  allocator on the default family);
- mean: mean_j f_ij (Bayes: the expected outcome over the draws);
- mean, draws capped beyond the observed spend: each draw beyond observed_max (below
  observed_min) replaced by min(f_ij, its tangent there);
- mean, every judged channel within its observed spend (widened to current);
- mean − κ·sd: mean_j g_ij − κ·sd_j g_ij (κ = 1.645: the 5 % lower bound under
  normality; κ = 0.25 the mildest tried);
- quantile α: the α-quantile over j of g_ij (α = 5 %: the 90 % interval's lower end);
- marginal band α (a move limit from the data): v_i(x) = ∫_current^x q_α(f′_ij) above
  current and −∫_x^current q_(1−α)(f′_ij) below: a channel gains money only while the
  lower end of its marginal return's interval is above the multiplier and gives money
  only while the upper end is below it;
- shrink (James–Stein / empirical Bayes): each judged channel's average marginal return
  over its observed spend m_i, with sd s_i over the draws, is replaced by the posterior
  mean μ + τ²/(τ² + s_i²)·(m_i − μ), μ the current-spend-weighted mean, τ² = max(0,
  mean (m_i − μ)² − mean s_i²) (or τ = 0.5 μ), by scaling the curve's top by the ratio;
- joint line search: along current → the point allocation, the step t ∈ {0.05, …, 1}
  maximizing the 5th percentile over j of the total gain Σ_i g_ij (the draws taken
  jointly, across channels);
- gate α: the point allocation when the α-quantile of its total gain over the draws is
  above 0 (α = 5 %: the product's gain_low > 0), else the current spends;
- largest safe step α: the largest t ∈ {1, 0.95, …} along current → the point allocation
  whose total gain's α-quantile is above 0.

With `--bootstrap N` every channel's draws are replaced by N block-bootstrap refits
(the fitted outcome plus the residuals resampled in circular blocks of 8 weeks, refitted
by `fit` without holdout): a posterior that is not the Laplace one, to see whether the
rules fail for want of better draws.

Run: PYTHONPATH=$PWD python bench/allocation_rules.py [--seeds 20] [--first-seed 0] [--hard]
     [--bootstrap 30]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit import HIGH, LOW, MIN_ROOM, grid_optimum  # type: ignore[import-not-found]

from crewplan.optimize.curves import ChannelCurve, Hill, geometric_adstock
from crewplan.optimize.fit import SEASON_WEEKS, FitResult, baseline_matrix, fit
from crewplan.optimize.synthetic import Dataset, generate

Array = np.ndarray
CAP = 1e6  # marginal returns above this (Hill slope < 1 at 0) are capped for the integral


class Objective:
    """A per-channel objective on arrays of spend, for the grid program."""

    def __init__(self, fn: Callable[[Array], Array]) -> None:
        self.fn = fn

    def value(self, x: float | Array) -> Array:
        return self.fn(np.atleast_1d(np.asarray(x, dtype=float)))


def _draws(curve: ChannelCurve, x: Array) -> Array:
    return np.array([d.value(x) for d in curve.draws])


def _gains(curve: ChannelCurve, x: Array) -> Array:
    assert curve.current is not None
    return _draws(curve, x) - _draws(curve, np.array([curve.current]))


def mean(curve: ChannelCurve) -> Objective:
    return Objective(lambda x: _draws(curve, x).mean(axis=0))


def capped_mean(curve: ChannelCurve) -> Objective:
    low, high = curve.observed_min or 0.0, curve.observed_max or np.inf

    def value(x: Array) -> Array:
        out = []
        for d in curve.draws:
            v = d.value(x)
            if np.isfinite(high):
                v = np.where(
                    x > high, np.minimum(v, d.value(high) + d.marginal(high) * (x - high)), v
                )
            if low > 0:
                v = np.where(x < low, np.minimum(v, d.value(low) + d.marginal(low) * (x - low)), v)
            out.append(v)
        return np.mean(out, axis=0)

    return Objective(value)


def mean_sd(kappa: float) -> Callable[[ChannelCurve], Objective]:
    def make(curve: ChannelCurve) -> Objective:
        def value(x: Array) -> Array:
            g = _gains(curve, x)
            return g.mean(axis=0) - kappa * g.std(axis=0)

        return Objective(value)

    return make


def quantile(alpha: float) -> Callable[[ChannelCurve], Objective]:
    return lambda curve: Objective(lambda x: np.quantile(_gains(curve, x), alpha, axis=0))


def band(alpha: float) -> Callable[[ChannelCurve], Objective]:
    def make(curve: ChannelCurve) -> Objective:
        assert curve.current is not None
        now = curve.current

        def value(x: Array) -> Array:
            t = np.linspace(0.0, max(float(x.max()), now), 4001)
            with np.errstate(invalid="ignore", divide="ignore"):
                m = np.array([d.marginal(t) for d in curve.draws])
            m = np.nan_to_num(np.minimum(m, CAP), nan=0.0)
            use = np.where(
                t >= now, np.quantile(m, alpha, axis=0), np.quantile(m, 1 - alpha, axis=0)
            )
            area = np.concatenate([[0.0], np.cumsum(0.5 * (use[1:] + use[:-1]) * np.diff(t))])
            return np.interp(x, t, area) - np.interp(now, t, area)

        return Objective(value)

    return make


def shrunk(curves: Sequence[ChannelCurve], moved: Sequence[bool], tau_share: float | None) -> list:
    """The curves with each moved channel's top scaled so that its average marginal return
    over the observed spend becomes the empirical-Bayes posterior mean."""
    index = [i for i, c in enumerate(curves) if moved[i] and c.draws and c.observed_min is not None]
    out = [c.response for c in curves]
    if len(index) < 2:
        return out
    estimates, sds, weights = [], [], []
    for i in index:
        c = curves[i]
        lo, hi = float(c.observed_min or 0.0), float(c.observed_max or 0.0)
        values = np.array([(d.value(hi) - d.value(lo)) / (hi - lo) for d in c.draws])
        estimates.append(float((c.response.value(hi) - c.response.value(lo)) / (hi - lo)))
        sds.append(float(values.std()))
        weights.append(float(c.current or 0.0))
    m, s, w = np.array(estimates), np.array(sds), np.array(weights)
    mu = float((w * m).sum() / w.sum())
    tau2 = (
        (tau_share * mu) ** 2
        if tau_share
        else max(0.0, float(((m - mu) ** 2).mean() - (s**2).mean()))
    )
    posterior = mu + tau2 / (tau2 + s**2) * (m - mu)
    for k, i in enumerate(index):
        r = curves[i].response
        ratio = max(float(posterior[k]), 0.0) / m[k] if m[k] > 0 else 1.0
        assert isinstance(r, Hill)
        out[i] = replace(r, top=r.top * ratio)
    return out


def _joint_gain(curves: Sequence[ChannelCurve], spend: Array, current: Array) -> Array:
    draws = min(len(c.draws) for c in curves if c.draws)
    total = np.zeros(draws)
    for c, x, now in zip(curves, spend, current, strict=True):
        if c.draws:
            total += np.array([c.draws[j].value(x) - c.draws[j].value(now) for j in range(draws)])
    return total


def along_line(kind: str, alpha: float) -> Callable[[Sequence[ChannelCurve], Array, Array], Array]:
    def pick(curves: Sequence[ChannelCurve], point: Array, current: Array) -> Array:
        def at(t: float) -> Array:
            return current + t * (point - current)

        if kind == "gate":
            steps = [1.0]
        elif kind == "safe":
            steps = list(np.linspace(1.0, 0.0, 21)[:-1])
        else:  # "best": maximize the α-quantile of the joint gain
            steps = list(np.linspace(0.0, 1.0, 21)[1:])
            scores = [np.quantile(_joint_gain(curves, at(t), current), alpha) for t in steps]
            best = int(np.argmax(scores))
            return at(steps[best]) if scores[best] > 0 else current
        for t in steps:
            if np.quantile(_joint_gain(curves, at(t), current), alpha) > 0:
                return at(t)
        return current

    return pick


PER_CHANNEL: dict[str, Callable[[ChannelCurve], Objective] | None] = {
    "point curves": None,
    "mean over draws": mean,
    "mean, draws capped beyond the observed spend": capped_mean,
    "mean, every judged channel within its observed spend": mean,
    "mean − 0.25·sd": mean_sd(0.25),
    "mean − 1.645·sd": mean_sd(1.645),
    "quantile 5 %": quantile(0.05),
    "quantile 25 %": quantile(0.25),
    "marginal band 5 % (90 % interval)": band(0.05),
    "marginal band 25 % (50 % interval)": band(0.25),
    "marginal band 40 % (20 % interval)": band(0.40),
}
SHRINK = {"shrink, τ² by moments": None, "shrink, τ = 0.5 μ": 0.5}
LINE = {
    "joint line search, 5th pct of the gain": along_line("best", 0.05),
    "gate: gain's 5th pct > 0 (gain_low)": along_line("gate", 0.05),
    "largest safe step, 10th pct > 0": along_line("safe", 0.10),
}


BLOCK = 8  # weeks per bootstrap block


def bootstrapped(data: Dataset, result: FitResult, replicates: int, seed: int) -> FitResult:
    """The fit with each modelled channel's draws replaced by `replicates` block-bootstrap
    refits of its curve."""
    y = np.asarray(data.outcome, dtype=float)
    media = np.zeros_like(y)
    for c in result.curves:
        if c.draws:
            media += c.response.value(geometric_adstock(data.spend[c.name], c.decay, c.max_lag))
    controls = {k: np.asarray(v, dtype=float) for k, v in data.controls.items()}
    design = baseline_matrix(y.size, controls, season=y.size >= SEASON_WEEKS)
    beta, *_ = np.linalg.lstsq(design, y - media, rcond=None)
    fitted = design @ beta + media
    residual = y - fitted
    rng = np.random.default_rng(seed)
    refits = []
    for b in range(replicates):
        starts = rng.integers(0, y.size, size=y.size // BLOCK + 1)
        index = (starts[:, None] + np.arange(BLOCK)).ravel()[: y.size] % y.size
        again = fit(data.spend, fitted + residual[index], controls=data.controls,
                    holdout_weeks=0, draws=2, seed=b)  # fmt: skip
        refits.append({c.name: c.response for c in again.curves})
    curves = tuple(
        replace(c, draws=tuple(r[c.name] for r in refits)) if c.draws else c for c in result.curves
    )
    return replace(result, curves=curves)


def scores(data: Dataset, result: FitResult) -> tuple[float, dict[str, float]]:
    curves = list(result.curves)
    current = np.array([c.current for c in curves], dtype=float)
    budget = float(current.sum())
    flat = [data.truth[c.name].pattern == "flat" for c in curves]
    lower = [x if d else LOW * x for x, d in zip(current, flat, strict=True)]
    upper = [x if d else HIGH * x for x, d in zip(current, flat, strict=True)]
    truth = [data.truth[c.name].curve.response for c in curves]

    def value(spend: Array) -> float:
        return float(sum(f.value(x) for f, x in zip(truth, spend, strict=True)))

    now = value(current)
    room = value(grid_optimum(truth, lower, upper, budget)) - now
    moved = [c.status == "ok" for c in curves]
    lo = [lo if m else c.current for c, m, lo in zip(curves, moved, lower, strict=True)]
    hi = [hi if m else c.current for c, m, hi in zip(curves, moved, upper, strict=True)]
    seen_lo = [
        max(a, min(c.observed_min or 0.0, c.current or 0.0)) if m else a
        for c, m, a in zip(curves, moved, lo, strict=True)
    ]
    seen_hi = [
        min(b, max(c.observed_max or np.inf, c.current or 0.0)) if m else b
        for c, m, b in zip(curves, moved, hi, strict=True)
    ]
    got: dict[str, float] = {}
    point = grid_optimum([c.response for c in curves], lo, hi, budget)
    for label, make in PER_CHANNEL.items():
        objectives = [make(c) if make and c.draws else c.response for c in curves]
        inside = "within its observed" in label
        spend = grid_optimum(
            objectives, seen_lo if inside else lo, seen_hi if inside else hi, budget
        )
        got[label] = (value(spend) - now) / room
    for label, share in SHRINK.items():
        got[label] = (
            value(grid_optimum(shrunk(curves, moved, share), lo, hi, budget)) - now
        ) / room
    for label, pick in LINE.items():
        got[label] = (value(pick(curves, point, current)) - now) / room
    return room / now, got


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--hard", action="store_true", help="the second family of seeds")
    parser.add_argument("--bootstrap", type=int, default=0, help="bootstrap refits as draws")
    args = parser.parse_args()
    family = "hard" if args.hard else "default"
    draws = f"{args.bootstrap} bootstrap refits" if args.bootstrap else "Laplace"
    last = args.first_seed + args.seeds - 1
    table: dict[str, list[tuple[float, int]]] = {}
    started, cpu = time.perf_counter(), time.process_time()
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        data = generate(seed, family=family)
        result = fit(data.spend, data.outcome, controls=data.controls)
        if args.bootstrap:
            result = bootstrapped(data, result, args.bootstrap, seed)
        room, got = scores(data, result)
        if room < MIN_ROOM:
            continue
        for label, score in got.items():
            table.setdefault(label, []).append((score, seed))
    print(
        f"family {family}, draws {draws}, seeds {args.first_seed}–{last} "
        f"({len(next(iter(table.values())))} with ≥ {MIN_ROOM:.0%} room); "
        f"{time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU"
    )
    for label, values in table.items():
        v = np.array([s for s, _ in values])
        worst = min(values)
        below = sum(1 for s in v if s < 0.85)
        print(
            f"{label:55s} median {np.median(v):6.1%}  worst {worst[0]:7.1%} (seed {worst[1]:>2})  "
            f"below 85 %: {below:>2}  below 0: {int((v < 0).sum()):>2}"
        )


if __name__ == "__main__":
    main()
