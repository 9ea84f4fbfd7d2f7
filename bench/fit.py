"""Fitting benchmark (issue 12; figures go to docs/benchmarks.md): `optimize/fit.py` on the
seeded synthetic suite of `optimize/synthetic.py`, where the truth is known.

Per seed: wall and CPU time of one fit (the holdout fit and the refit on all weeks, the
Laplace draws); over the channels the fit judges (status ok): the relative ROI error, the
90 % interval's coverage of the true ROI and its width / true ROI; the channels it flags,
and whether every flat channel is among them. Then the reallocation: the budget is the
current weekly spend (mean of the last 13 weeks) summed over the channels, each channel
between 0.5× and 2× its current spend; the allocation computed on the fitted steady-state
curves (flagged channels held at current, as the allocator does) is scored on the TRUE
curves against the true curves' optimum (all channels free, and with the flagged ones held
too): captured = (true value of the fitted allocation − true value of current) /
(true optimum − true value of current). Optima come from a dense-grid dynamic program
(2,000 budget steps) on the steady-state curves; the fitted allocation uses
`optimize/allocate.py` when it is there, else the same program.

Run: PYTHONPATH=$PWD python bench/fit.py [--seeds 20] [--hard] [--pymc 3]
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


def fitted_allocation(
    curves: Sequence[ChannelCurve], lower: list[float], upper: list[float], budget: float
) -> np.ndarray:
    held = [c.status != "ok" for c in curves]
    lo = [c.current if h else lo for c, h, lo in zip(curves, held, lower, strict=True)]
    hi = [c.current if h else hi for c, h, hi in zip(curves, held, upper, strict=True)]
    if HAVE_ALLOCATOR:
        from crewplan.optimize.allocate import allocate  # the allocator of helper E1

        bounds = {c.name: (lo[i], hi[i]) for i, c in enumerate(curves)}
        result = allocate(list(curves), budget, bounds=bounds)
        return np.array([ch.spend for ch in result.channels])
    return grid_optimum([c.response for c in curves], lo, hi, budget)  # type: ignore[arg-type]


def uplift(data: Dataset, result: FitResult) -> tuple[float, float, float]:
    """(captured, true room, loss or gain vs current) — captured against the true curves'
    optimum with the degenerate channels (the suite's flat ones, which no data can judge)
    held at current; room and gain as shares of the current weekly outcome."""
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
    got = value(fitted_allocation(curves, lower, upper, budget))
    return (got - now) / (best - now), (best - now) / now, (got - now) / now


def _too_wide(result: FitResult) -> list[str]:
    return [n for n, r in result.reasons.items() if r.code == "interval_too_wide"]


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


def run(
    seeds: int, noise: tuple[float, float], every_channel: bool = False, lift_tests: bool = False
) -> None:
    """every_channel: no interval check (fitting.MAX_RELATIVE_WIDTH off), to see how much
    of the uplift the honest flags cost and how far off the unflagged curves are.
    lift_tests: each channel flagged interval_too_wide gets a simulated lift test and the
    fit is run again with them (the time is both fits')."""
    if every_channel:
        fitting.MAX_RELATIVE_WIDTH = float("inf")
    print(
        f"noise sd {noise[0]:.1%}–{noise[1]:.1%} of the mean outcome, {seeds} seeds, "
        f"interval check {'off' if every_channel else 'on'}, "
        f"{'lift tests on the flagged channels, ' if lift_tests else ''}allocator "
        f"{'optimize/allocate.py' if HAVE_ALLOCATOR else 'the grid program'}"
    )
    rows, errors, covered, widths, walls, cpus = [], [], [], [], [], []
    captures, flagged, total, flat_missed = [], 0, 0, 0
    for seed in range(seeds):
        data = generate(seed, noise=noise)
        started, cpu = time.perf_counter(), time.process_time()
        result = fit(data.spend, data.outcome, controls=data.controls)
        if lift_tests:
            tests = [t for n in _too_wide(result) if (t := lift_test(data, n, seed)) is not None]
            result = fit(data.spend, data.outcome, controls=data.controls, lift_tests=tests)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        walls.append(wall)
        cpus.append(cpu)
        judged = [c for c in result.curves if c.status == "ok"]
        for c in judged:
            truth = data.truth[c.name].roi
            errors.append(abs(c.roi - truth) / truth)  # type: ignore[operator]
            covered.append(c.roi_low <= truth <= c.roi_high)  # type: ignore[operator]
            widths.append((c.roi_high - c.roi_low) / truth)  # type: ignore[operator]
        total += len(result.curves)
        flagged += len(result.curves) - len(judged)
        flat_missed += sum(
            1 for c in result.curves if data.truth[c.name].pattern == "flat" and c.status == "ok"
        )
        captured, room, gain = uplift(data, result)
        if room >= MIN_ROOM:
            captures.append(captured)
        rows.append(
            f"seed {seed:>2}: {len(result.curves)} channels, {len(judged)} judged, "
            f"{wall:5.2f} s wall {cpu:5.2f} s CPU, R² {result.summary.r2:.3f}, holdout MAPE "
            f"{result.summary.holdout_mape:.1%}, true room {room:.1%}, fitted allocation "
            f"{gain:+.1%}, captured {captured:.1%}"
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
    print(
        f"judged channels: mean |ROI error| {np.mean(errors):.1%}, 90 % coverage "
        f"{np.mean(covered):.1%}, median width / true ROI {np.median(widths):.2f}"
    )
    print(
        f"uplift captured (seeds with at least {MIN_ROOM:.0%} room: {len(captures)}): median "
        f"{np.median(captures):.1%}, worst {min(captures):.1%}"
    )


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (PyMC samples the chains
    in child processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pymc_anchor(seeds: int, noise: tuple[float, float]) -> None:
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
        data = generate(seed, noise=noise)
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
    parser.add_argument("--hard", action="store_true", help=f"noise {HARD_NOISE} instead")
    parser.add_argument("--every-channel", action="store_true", help="no interval check")
    parser.add_argument("--lift-tests", action="store_true", help="lift tests on flagged")
    parser.add_argument("--pymc", type=int, default=0, help="seeds for the optional anchor")
    args = parser.parse_args()
    noise = HARD_NOISE if args.hard else NOISE
    run(args.seeds, noise, args.every_channel, args.lift_tests)
    if args.pymc:
        pymc_anchor(args.pymc, noise)


if __name__ == "__main__":
    main()
