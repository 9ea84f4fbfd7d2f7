"""Fitting benchmark (issue 12; figures go to docs/benchmarks.md): `optimize/fit.py` on the
seeded synthetic suites of `optimize/synthetic.py`, where the truth is known: the default
family (seeds 0–19) and, with --hard, the second family (other ranges, pulsed channels,
more noise).

Per seed: wall and CPU time of one fit (the holdout fit and the refit on all weeks, the
Laplace draws). ROI accuracy (relative error, 90 % coverage, width / true ROI) three ways:
over the channels whose ROI the fit reports as known (status ok and roi_known: the
targets are measured there), over every judged channel, over every fitted channel. The
flags, and whether every flat channel is among them. Then the reallocation: the budget is
the current weekly spend (mean of the last 13 weeks) summed over the channels, each
channel between 0.5× and 2× its current spend (the benchmark's bounds, given explicitly:
the allocator marks spends outside the observed range as extrapolated, counted), flagged
channels held at current; scored on the TRUE curves against the true curves' optimum with
only the suite's flat channels held: captured = (true value of the fitted allocation −
true value of current) / (true optimum − true value of current). Four allocations: point
curves (`optimize/allocate.py`), the mean over draws (robust: the grid program on
f̄_i(x) = mean_j f_ij(x)), and each with the ROI-unknown channels kept within the spend
the data saw. Optima come from a dense-grid dynamic program (2,000 budget steps).

Run: PYTHONPATH=$PWD python bench/fit.py [--seeds 20] [--first-seed 0] [--weeks 104]
     [--noise-scale 1] [--hard] [--every-channel]
     [--lift-tests] [--pymc 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crewplan.optimize import fit as fitting
from crewplan.optimize.curves import ChannelCurve, Response, geometric_adstock
from crewplan.optimize.fit import FitResult, LiftTest, fit
from crewplan.optimize.synthetic import HARD_NOISE, NOISE, Dataset, generate

STEPS = 2000
LOW, HIGH = 0.5, 2.0  # each channel's bounds, × its current spend
HAVE_ALLOCATOR = importlib.util.find_spec("crewplan.optimize.allocate") is not None
MIN_ROOM = 0.01  # seeds whose true optimum gains less than 1 % are left out of the ratio


def grid_optimum(
    responses: Sequence[Response], lower: Sequence[float], upper: Sequence[float], budget: float
) -> np.ndarray:
    """max Σ f_i(x_i), Σ x_i = budget, lower ≤ x ≤ upper, over a grid of STEPS steps of the
    budget left above fixed channels (lower == upper): exact to one step."""
    lo, hi = np.asarray(lower, float), np.asarray(upper, float)
    spend = lo.copy()
    free = np.flatnonzero(hi > lo)
    if free.size == 0:
        return spend
    left = budget - lo[~np.isin(np.arange(lo.size), free)].sum()
    step = left / STEPS
    best = np.full(STEPS + 1, -np.inf)
    best[0] = 0.0
    choices = []
    for i in free:
        ks = np.arange(int(np.ceil(lo[i] / step - 1e-9)), int(np.floor(hi[i] / step + 1e-9)) + 1)
        values = responses[i].value(ks * step)
        table = np.full((STEPS + 1, ks.size), -np.inf)
        for column, k in enumerate(ks):
            if k <= STEPS:
                table[k:, column] = best[: STEPS + 1 - k] + values[column]
        pick = table.argmax(axis=1)
        best = table[np.arange(STEPS + 1), pick]
        choices.append((i, ks, pick))
    j = STEPS
    for i, ks, pick in reversed(choices):
        k = ks[pick[j]]
        spend[i] = k * step
        j -= k
    assert j == 0, "the bounds cannot hold the budget"
    return spend


class MeanResponse:
    """The average of a channel's draws, f̄(x) = mean_j f_j(x): allocating on it maximizes
    the expected outcome over the fit's uncertainty (the grid program takes any curve)."""

    def __init__(self, draws: Sequence[Response]) -> None:
        self.draws = draws

    def value(self, x: float | np.ndarray) -> np.ndarray:
        return np.mean([d.value(x) for d in self.draws], axis=0)


def fitted_allocation(
    curves: Sequence[ChannelCurve],
    lower: Sequence[float],
    upper: Sequence[float],
    budget: float,
    robust: bool = False,
) -> np.ndarray:
    """The allocation on the fitted curves, flagged channels held at current. Point curves:
    `optimize/allocate.py`; robust: the grid program on each channel's mean over draws."""
    held = [c.status != "ok" for c in curves]
    lo = [c.current if h else lo for c, h, lo in zip(curves, held, lower, strict=True)]
    hi = [c.current if h else hi for c, h, hi in zip(curves, held, upper, strict=True)]
    if robust:
        means = [MeanResponse(c.draws) if c.draws else c.response for c in curves]
        return grid_optimum(means, lo, hi, budget)  # type: ignore[arg-type]
    if HAVE_ALLOCATOR:
        from crewplan.optimize.allocate import allocate

        bounds = {c.name: (lo[i], hi[i]) for i, c in enumerate(curves)}
        result = allocate(list(curves), budget, bounds=bounds)
        return np.array([ch.spend for ch in result.channels])
    return grid_optimum([c.response for c in curves], lo, hi, budget)  # type: ignore[arg-type]


def uplift(data: Dataset, result: FitResult) -> dict[str, float]:
    """Captured uplift against the true curves' optimum (each channel 0.5–2× its current
    spend, the suite's flat channels held at current: no data can judge them): `point`
    (allocator on the point curves), `robust` (on the mean over draws), `observed` (point
    curves, the channels whose ROI is not known kept within the spend the data saw, as
    the fit's min/max say), `robust_observed` (both); `room` and `gain` as shares of the
    current weekly outcome;
    `extrapolated`: channels the point allocation moves outside their observed range."""
    from crewplan.optimize.allocate import extrapolated

    curves = list(result.curves)
    current = np.array([c.current for c in curves], dtype=float)
    budget = float(current.sum())
    degenerate = [data.truth[c.name].pattern == "flat" for c in curves]
    lower = [x if d else LOW * x for x, d in zip(current, degenerate, strict=True)]
    upper = [x if d else HIGH * x for x, d in zip(current, degenerate, strict=True)]
    truth = [data.truth[c.name].curve.response for c in curves]

    def value(spend: np.ndarray) -> float:
        return float(sum(f.value(x) for f, x in zip(truth, spend, strict=True)))

    now = value(current)
    best = value(grid_optimum(truth, lower, upper, budget))
    point = fitted_allocation(curves, lower, upper, budget)
    clipped_lo = [
        max(lo, c.min) if c.min is not None else lo for c, lo in zip(curves, lower, strict=True)
    ]
    clipped_hi = [
        min(hi, c.max) if c.max is not None else hi for c, hi in zip(curves, upper, strict=True)
    ]
    room = best - now
    return {
        "point": (value(point) - now) / room,
        "robust": (value(fitted_allocation(curves, lower, upper, budget, True)) - now) / room,
        "observed": (value(fitted_allocation(curves, clipped_lo, clipped_hi, budget)) - now) / room,
        "robust_observed": (
            value(fitted_allocation(curves, clipped_lo, clipped_hi, budget, True)) - now
        )
        / room,
        "room": room / now,
        "gain": (value(point) - now) / now,
        "extrapolated": sum(
            1
            for c, x in zip(curves, point, strict=True)
            if c.status == "ok" and abs(x - c.current) > 1e-9 * budget and extrapolated(c, x)  # type: ignore[operator]
        ),
    }


def oracle(data: Dataset, result: FitResult) -> FitResult:
    """What the data allow at best: the product's fit with every modelled channel's curve
    replaced by its TRUE shape (decay, half-saturation, slope) and only the tops estimated
    from the data, by least squares with tops ≥ 0 on the same baseline (level, trend,
    season, controls). A reference for what these data allow: with the shapes given, only
    the noise in the tops is left (not a strict bound — an estimator can be lucky on one
    seed — but no fit of the shapes is expected to beat it over a suite)."""
    from dataclasses import replace

    from scipy.optimize import lsq_linear

    from crewplan.optimize.curves import Hill

    modelled = [c for c in result.curves if c.roi is not None]
    weeks = data.weeks
    design = fitting.baseline_matrix(weeks, data.controls, season=weeks >= fitting.SEASON_WEEKS)
    shapes = []
    for c in modelled:
        truth = data.truth[c.name].curve
        unit = Hill(1.0, truth.response.half_saturation, truth.response.slope)  # type: ignore[attr-defined]
        shapes.append(unit.value(geometric_adstock(data.spend[c.name], truth.decay, c.max_lag)))
    columns = np.column_stack([design, *shapes]) if shapes else design
    lower = [-np.inf] * design.shape[1] + [0.0] * len(shapes)
    tops = lsq_linear(columns, data.outcome, bounds=(lower, np.inf)).x[design.shape[1] :]
    by_name = {c.name: float(top) for c, top in zip(modelled, tops, strict=True)}
    curves = tuple(
        replace(
            c,
            response=Hill(
                by_name[c.name],
                data.truth[c.name].curve.response.half_saturation,  # type: ignore[attr-defined]
                data.truth[c.name].curve.response.slope,  # type: ignore[attr-defined]
            ),
            draws=(),
        )
        if c.name in by_name
        else c
        for c in result.curves
    )
    return replace(result, curves=curves)


def _too_wide(result: FitResult) -> list[str]:
    return [n for n, r in result.reasons.items() if r.code == "interval_too_wide"] + list(
        result.roi_unknown
    )


def lift_test(data: Dataset, name: str, seed: int) -> LiftTest | None:
    """The fix the reason proposes, simulated: a go-dark test cutting the channel's weekly
    spend by its lowest amount of weeks 40–47 (as near a pause as one weekly change
    gets), its measured incremental outcome the true curve's (carry-over included) with a
    10 % standard error and that much noise. None when the channel already had a week
    without spend there."""
    truth = data.truth[name]
    change = -float(data.spend[name][40:48].min())
    if change == 0:
        return None
    raised = data.spend[name].copy()
    raised[40:48] += change
    carried = geometric_adstock(raised, truth.curve.decay, truth.curve.max_lag)
    incremental = float((truth.curve.response.value(carried) - truth.contribution)[40:56].sum())
    error = max(0.1 * abs(incremental), 1e-3 * float(data.outcome.mean()))
    measured = incremental + float(np.random.default_rng(seed).normal(0, error))
    return LiftTest(name, 40, 47, change, measured, error)


def _roi_figures(pairs: list[tuple[ChannelCurve, float]]) -> str:
    if not pairs:
        return "none"
    errors = [abs(c.roi - t) / t for c, t in pairs]  # type: ignore[operator]
    covered = [c.roi_low <= t <= c.roi_high for c, t in pairs]  # type: ignore[operator]
    widths = [(c.roi_high - c.roi_low) / t for c, t in pairs]  # type: ignore[operator]
    return (
        f"{len(pairs)} channels, mean |ROI error| {np.mean(errors):.1%}, 90 % coverage "
        f"{np.mean(covered):.1%}, median width / true ROI {np.median(widths):.2f}"
    )


def run(
    seeds: int,
    family: str,
    every_channel: bool = False,
    lift_tests: bool = False,
    first_seed: int = 0,
    weeks: int = 104,
    noise_scale: float = 1.0,
) -> None:
    """Seeds first_seed … first_seed + seeds − 1. every_channel: no local check
    (fitting.MAX_LOCAL_WIDTH off): every channel the checks before the fit pass is moved.
    lift_tests: each channel whose ROI is not known gets a simulated lift test and the fit
    is run again with them (the time is both's). weeks, noise_scale: other lengths and
    noise of the default family (its noise range × noise_scale)."""
    if every_channel:
        fitting.MAX_LOCAL_WIDTH = float("inf")
    print(
        f"family {family} (noise sd {(HARD_NOISE if family == 'hard' else NOISE)[0]:.0%}–"
        f"{(HARD_NOISE if family == 'hard' else NOISE)[1]:.1%} of the mean outcome), "
        f"× {noise_scale:g}, {weeks} weeks, {seeds} seeds from {first_seed}, "
        f"local check {'off' if every_channel else 'on'}, "
        f"{'lift tests on the ROI-unknown channels, ' if lift_tests else ''}allocator "
        f"{'optimize/allocate.py' if HAVE_ALLOCATOR else 'the grid program'}"
    )
    rows, walls, cpus = [], [], []
    known: list[tuple[ChannelCurve, float]] = []
    judged_all: list[tuple[ChannelCurve, float]] = []
    every: list[tuple[ChannelCurve, float]] = []
    scores: dict[str, list[float]] = {
        "oracle": [],
        "point": [],
        "robust": [],
        "observed": [],
        "robust_observed": [],
    }
    flagged, total, flat_missed, moved_out = 0, 0, 0, 0
    noise = (NOISE[0] * noise_scale, NOISE[1] * noise_scale)
    for seed in range(first_seed, first_seed + seeds):
        data = generate(seed, weeks=weeks, noise=noise, family=family)
        started, cpu = time.perf_counter(), time.process_time()
        result = fit(data.spend, data.outcome, controls=data.controls)
        if lift_tests:
            tests = [t for n in _too_wide(result) if (t := lift_test(data, n, seed)) is not None]
            result = fit(data.spend, data.outcome, controls=data.controls, lift_tests=tests)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        walls.append(wall)
        cpus.append(cpu)
        judged = [c for c in result.curves if c.status == "ok"]
        for c in result.curves:
            if c.roi is None or c.roi_low is None:
                continue
            pair = (c, data.truth[c.name].roi)
            every.append(pair)
            if c.status == "ok":
                judged_all.append(pair)
                if c.roi_known:
                    known.append(pair)
        total += len(result.curves)
        flagged += len(result.curves) - len(judged)
        flat_missed += sum(
            1 for c in result.curves if data.truth[c.name].pattern == "flat" and c.status == "ok"
        )
        got = uplift(data, result)
        got["oracle"] = uplift(data, oracle(data, result))["point"]
        if got["room"] >= MIN_ROOM:
            for key in scores:
                scores[key].append(got[key])
        moved_out += int(got["extrapolated"])
        rows.append(
            f"seed {seed:>2}: {len(result.curves)} channels, {len(judged)} judged "
            f"({sum(1 for c in judged if c.roi_known)} ROI known), {wall:5.2f} s wall "
            f"{cpu:5.2f} s CPU, R² {result.summary.r2:.3f}, holdout MAPE "
            f"{result.summary.holdout_mape:.1%}, true room {got['room']:.1%}, fitted "
            f"allocation {got['gain']:+.1%}, captured point {got['point']:.1%} robust "
            f"{got['robust']:.1%} observed-range {got['observed']:.1%} oracle {got['oracle']:.1%}"
        )
    print("\n".join(rows))
    print(
        f"time per fit: median {statistics.median(walls):.2f} s wall, max {max(walls):.2f} s; "
        f"median {statistics.median(cpus):.2f} s CPU, max {max(cpus):.2f} s"
    )
    print(
        f"channels: {total}, judged {total - flagged} ({(total - flagged) / total:.0%}), "
        f"flagged {flagged}; flat channels judged ok (should be 0): {flat_missed}"
    )
    print(f"ROI known (judged, roi_known): {_roi_figures(known)}")
    print(f"judged channels (status ok): {_roi_figures(judged_all)}")
    print(f"every fitted channel: {_roi_figures(every)}")
    for key, label in (
        ("oracle", "oracle: true shapes, tops from the data (what the data allow)"),
        ("point", "point curves, 0.5–2× current"),
        ("robust", "mean over draws, 0.5–2× current"),
        ("observed", "point curves, ROI-unknown channels within the observed spend"),
        ("robust_observed", "mean over draws, ROI-unknown channels within the observed spend"),
    ):
        values = scores[key]
        print(
            f"uplift captured, {label} (seeds with at least {MIN_ROOM:.0%} room: "
            f"{len(values)}): median {np.median(values):.1%}, worst {min(values):.1%}"
        )
    print(f"judged channels the point allocation moves outside their observed range: {moved_out}")


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (PyMC samples the chains
    in child processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pymc_anchor(seeds: int, family: str) -> None:
    """OPTIONAL ANCHOR — PyMC-Marketing on the same seeds, only if it is importable (it is
    not installed in the shared venv and not a dependency: `pip install pymc-marketing`
    into a separate venv). Written against PyMC-Marketing 0.19's documented MMM (geometric
    adstock + logistic saturation, NUTS 2 × 1000 after 1000 tuning steps); its figures
    are in docs/benchmarks.md."""
    if importlib.util.find_spec("pymc_marketing") is None:
        print("PyMC-Marketing anchor skipped: pymc_marketing is not installed")
        return
    import pandas as pd
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    errors, covered = [], []
    for seed in range(seeds):
        data = generate(seed, family=family)
        names = list(data.spend)
        frame = pd.DataFrame(data.spend | {"promotion": data.controls["promotion"]})
        frame["week"] = pd.date_range("2025-01-06", periods=data.weeks, freq="W-MON")
        model = MMM(
            date_column="week",
            channel_columns=names,
            control_columns=["promotion"],
            adstock=GeometricAdstock(l_max=8),
            saturation=LogisticSaturation(),
            yearly_seasonality=2,
        )
        started, cpu = time.perf_counter(), _cpu_with_children()
        model.fit(frame, data.outcome, chains=2, draws=1000, tune=1000, random_seed=seed)
        seconds, cpu = time.perf_counter() - started, _cpu_with_children() - cpu
        contribution = model.compute_channel_contribution_original_scale().sum("date")
        for name in names:
            rois = contribution.sel(channel=name).values.ravel() / data.spend[name].sum()
            truth = data.truth[name].roi
            low, high = np.quantile(rois, [0.05, 0.95])
            errors.append(abs(np.mean(rois) - truth) / truth)
            covered.append(low <= truth <= high)
        print(
            f"PyMC-Marketing seed {seed} ({len(names)} channels): {seconds:.0f} s wall, "
            f"{cpu:.0f} s CPU (with the chains' processes)"
        )
    print(
        f"PyMC-Marketing: mean |ROI error| {np.mean(errors):.1%}, coverage {np.mean(covered):.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds from this one on")
    parser.add_argument("--weeks", type=int, default=104, help="weeks per data set")
    parser.add_argument("--noise-scale", type=float, default=1.0, help="default family's noise ×")
    parser.add_argument("--hard", action="store_true", help="the second family of seeds")
    parser.add_argument("--every-channel", action="store_true", help="no local check")
    parser.add_argument("--lift-tests", action="store_true", help="lift tests, ROI unknown")
    parser.add_argument("--pymc", type=int, default=0, help="seeds for the optional anchor")
    args = parser.parse_args()
    family = "hard" if args.hard else "default"
    run(
        args.seeds,
        family,
        args.every_channel,
        args.lift_tests,
        args.first_seed,
        args.weeks,
        args.noise_scale,
    )
    if args.pymc:
        pymc_anchor(args.pymc, family)


if __name__ == "__main__":
    main()
