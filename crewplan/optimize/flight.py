"""Week-by-week flight plan (issue 12): the spend of every channel in each of N weeks.
Pure numpy and scipy: no Django. docs/optimize.md states the API and the formulas.

Channel i's carried-over spend in week t is a_it = Σ_l w_il s_i,t−l + h_it, with the
adstock weights w_il = d_i^l / Σ d_i^k (l = 0…max_lag, `curves.adstock_weights`) and h_it
the carry-over in from the weeks before the plan (`history`, by default the current spend
repeated). The week's outcome is f_i(a_it), f_i the steady-state curve. The plan
maximizes Σ_i Σ_t f_i(a_it) over the N weeks, and when `credit_carryover` the extra
outcome the plan's spend causes in the max_lag weeks after them, with the spend after the
plan going on at `after` (by default the single-period answer for a week's share of the
budget: the money does not stop when the quarter ends, so those weeks are as saturated as
the plan's own and the last week is worth what the others are), subject to weekly bounds
lo_i ≤ s_it ≤ hi_i and Σ_it s_it = B.

a is affine in s, so for concave curves the objective is concave over a polytope. It is
solved by SLSQP from the single-period answer spread over the weeks, then polished by
Newton steps on the KKT system of the channel-weeks not at a bound. The certificate: λ
(the common marginal return of the free channel-weeks), the largest KKT violation, and
the gap max_{y feasible} ∇F(s)·(y − s), which by concavity bounds F(optimum) − F(s)
(computed exactly: the linear program over the box and the budget is a fractional
knapsack). Work is in units of B/N and of the curves' total top.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from crewplan.optimize.allocate import AllocationError, Bounds, allocate, prepare
from crewplan.optimize.curves import ChannelCurve, adstock_weights, geometric_adstock
from crewplan.optimize.responses import Array, ResponseBank


@dataclass(frozen=True)
class FlightPlan:
    names: tuple[str, ...]
    weeks: int
    spend: tuple[tuple[float, ...], ...]  # [channel][week], currency
    expected: tuple[tuple[float, ...], ...]  # [channel][week]: f_i(a_it), outcome
    expected_after: tuple[float, ...]  # per channel, the weeks after the plan (if credited)
    # [channel][week]: ∂(total expected)/∂spend, outcome per currency unit
    marginal_return: tuple[tuple[float, ...], ...]
    total_expected: float  # the objective: the plan's weeks, plus after them if credited
    budget: float
    credit_carryover: bool
    multiplier: float | None
    gap: float  # outcome units: the plan is at most this far below the optimum
    kkt_violation: float  # largest violation of the KKT conditions, outcome per currency unit
    # The same weeks at every channel's current weekly spend (when every current is known),
    # and over the fit's draws (None without draws): the 90 % range of the plan's expected
    # outcome and of its gain over the current spends, the share of draws where it gains.
    current_expected: float | None = None
    draws: int = 0
    expected_low: float | None = None
    expected_high: float | None = None
    gain_low: float | None = None
    gain_high: float | None = None
    p_beats_current: float | None = None

    @property
    def gain(self) -> float | None:
        if self.current_expected is None:
            return None
        return self.total_expected - self.current_expected

    def channel_totals(self) -> dict[str, float]:
        return {name: math.fsum(row) for name, row in zip(self.names, self.spend, strict=True)}


def flight_plan(
    curves: Sequence[ChannelCurve],
    budget: float,
    weeks: int,
    *,
    history: Mapping[str, Sequence[float]] | None = None,
    bounds: Bounds | None = None,
    max_change: float | None = None,
    credit_carryover: bool = True,
    after: Mapping[str, float] | None = None,
    move_unjudged: bool = False,
    hold_s_shaped: bool = False,
) -> FlightPlan:
    """The plan spending `budget` (currency, over all `weeks`) with weekly `bounds`
    (per channel, the same each week, intersected with ±max_change around the current
    weekly spend). `after`: each channel's weekly spend after the plan (credited
    carry-over only; default the single-period answer). The plan is exact for concave
    curves: a movable S-shaped one is refused, or with `hold_s_shaped` kept at the
    single-period answer every week (`steady_channels`) while the others are planned
    around it. Infeasible input is refused too (AllocationError)."""
    if not (isinstance(weeks, int) and weeks >= 1):
        raise AllocationError("bad_weeks", f"the number of weeks must be ≥ 1 (got {weeks})")
    shaped = steady_channels(curves, move_unjudged) if hold_s_shaped else []
    if shaped:
        single = allocate(
            curves,
            budget / weeks if math.isfinite(budget) else budget,
            bounds=bounds,
            max_change=max_change,
            move_unjudged=move_unjudged,
        )
        held = {c.name: (c.spend, c.spend) for c in single.channels if c.name in shaped}
        bounds = dict(bounds or {}) | held
    problem = prepare(curves, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged)
    names = problem.names
    if problem.bank.s_shaped[problem.lo < problem.hi].any():
        shaped = [n for n, s in zip(names, problem.bank.s_shaped, strict=True) if s]
        raise AllocationError(
            "flight_needs_concave",
            "the week-by-week plan needs concave curves; S-shaped: " + ", ".join(shaped),
            channels=", ".join(shaped),
        )
    weekly = budget / weeks if math.isfinite(budget) else budget
    # The single-period answer for a week's share: the start, and the refusal (naming the
    # channel) of a bad budget or of bounds no week can meet.
    allocate_check = allocate(
        curves, weekly, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged
    )
    unit = weekly if weekly > 0 else 1.0
    outcome_unit = float(problem.bank.top.sum()) or 1.0
    bank = problem.bank.scaled(unit, outcome_unit)
    n = len(curves)
    steady = {c.name: c.spend for c in allocate_check.channels}
    maps, carried_in, offsets = [], [], []
    for i, curve in enumerate(curves):
        past = (history or {}).get(curve.name)
        if past is None:
            now = 0.0 if math.isnan(problem.current[i]) else float(problem.current[i])
            past = [now] * curve.max_lag
        past_units = np.asarray(past, dtype=np.float64) / unit
        if past_units.size and not (np.isfinite(past_units).all() and (past_units >= 0).all()):
            raise AllocationError(
                "bad_history",
                f"channel {curve.name!r}: the past spends must be numbers ≥ 0",
                channel=curve.name,
            )
        horizon = weeks + (curve.max_lag if credit_carryover else 0)
        weights = adstock_weights(curve.decay, curve.max_lag)
        matrix = np.zeros((horizon, weeks))
        for lag, w in enumerate(weights):
            rows = np.arange(weeks) + lag
            keep = rows < horizon
            matrix[rows[keep], np.arange(weeks)[keep]] = w
        maps.append(matrix)
        carried = geometric_adstock(np.zeros(horizon), curve.decay, curve.max_lag, past_units)
        if horizon > weeks:
            going_on = float((after or {}).get(curve.name, steady[curve.name]))
            if not (math.isfinite(going_on) and going_on >= 0):
                raise AllocationError(
                    "bad_after",
                    f"channel {curve.name!r}: the spend after the plan must be a number ≥ 0",
                    channel=curve.name,
                )
            # The spend after the plan carries into its weeks too: week N + k gets
            # w_0 + … + w_k of it.
            carried[weeks:] += going_on / unit * np.cumsum(weights)[: horizon - weeks]
        carried_in.append(carried)
        # Those weeks' outcome without the plan's spend: not the plan's doing.
        offsets.append(float(bank.take(np.array([i])).value(carried[weeks:]).sum()))
    model = _Model(bank, maps, carried_in, weeks, np.array(offsets))
    lo = np.repeat(problem.lo / unit, weeks)
    hi = np.repeat(np.minimum(problem.hi, budget) / unit, weeks)
    total = budget / unit
    start = np.repeat(np.array([c.spend for c in allocate_check.channels]) / unit, weeks)
    s = _solve(model, lo, hi, total, start)
    gradient = model.gradient(s)
    lam, violation = _kkt(gradient, s, lo, hi)
    gap = _knapsack_gap(gradient, s, lo, hi, total)
    spend = s.reshape(n, weeks) * unit
    per_week = [
        bank.take(np.array([i])).value(a) * outcome_unit for i, a in enumerate(model.adstock(s))
    ]
    after_plan = [
        (math.fsum(row[weeks:]) - offset * outcome_unit) if row.size > weeks else 0.0
        for row, offset in zip(per_week, model.offsets, strict=True)
    ]
    plan = FlightPlan(
        names=tuple(names),
        weeks=weeks,
        spend=tuple(tuple(float(v) for v in row) for row in spend),
        expected=tuple(tuple(float(v) for v in row[:weeks]) for row in per_week),
        expected_after=tuple(after_plan),
        marginal_return=tuple(
            tuple(float(v) for v in row)
            for row in gradient.reshape(n, weeks) * (outcome_unit / unit)
        ),
        total_expected=math.fsum(math.fsum(row[:weeks]) for row in per_week)
        + math.fsum(after_plan),
        budget=float(budget),
        credit_carryover=credit_carryover,
        multiplier=None if lam is None else lam * outcome_unit / unit,
        gap=gap * outcome_unit,
        kkt_violation=violation * outcome_unit / unit,
    )
    at_current: Array | None = None
    if np.isfinite(problem.current).all():
        at_current = np.repeat(problem.current / unit, weeks).astype(np.float64)
        plan = replace(plan, current_expected=model.value(at_current) * outcome_unit)
    return _with_draws(plan, curves, model, unit, s, at_current)


def steady_channels(curves: Sequence[ChannelCurve], move_unjudged: bool = False) -> list[str]:
    """The channels the allocator may move (judged, or every one with `move_unjudged`)
    whose curve is S-shaped: what `hold_s_shaped` keeps at the single-period answer."""
    return [
        c.name for c in curves if not c.response.concave and (c.status == "ok" or move_unjudged)
    ]


def _with_draws(
    plan: FlightPlan,
    curves: Sequence[ChannelCurve],
    model: _Model,
    unit: float,
    spend: Array,
    current: Array | None,
) -> FlightPlan:
    """The plan's expected outcome (and the current spends' one) under each of the fit's
    draws, draw j of every channel together; a channel without draws contributes its point
    curve to each (as `allocate` does). `spend`, `current`: in units of `unit`."""
    counts = {len(c.draws) for c in curves if c.draws}
    if not counts:
        return plan
    draws = min(counts)

    def totals(s: Array) -> Array:
        found = np.zeros(draws)
        parts = zip(curves, model.adstock(s), model.carried_in, strict=True)
        for curve, carried, without in parts:
            bank = ResponseBank.of(list(curve.draws[:draws]) or [curve.response] * draws)
            found += bank.value(np.repeat((carried * unit)[:, None], draws, axis=1)).sum(axis=0)
            # The weeks after the plan without its spend, as in the point figures.
            rest = (without[model.weeks :] * unit)[:, None]
            found -= bank.value(np.repeat(rest, draws, axis=1)).sum(axis=0)
        return found

    outcome = totals(spend)
    low, high = np.quantile(outcome, [0.05, 0.95])
    plan = replace(plan, draws=draws, expected_low=float(low), expected_high=float(high))
    if current is None:
        return plan
    gain = outcome - totals(current)
    gain_low, gain_high = np.quantile(gain, [0.05, 0.95])
    return replace(
        plan,
        gain_low=float(gain_low),
        gain_high=float(gain_high),
        p_beats_current=float((gain > 0).mean()),
    )


class _Model:
    """F(s) = Σ_i Σ_t f_i((A_i s_i + h_i)_t) − c_i over the flattened s (channel-major),
    c_i the weeks after the plan's outcome without its spend (`offsets`)."""

    def __init__(
        self,
        bank: ResponseBank,
        maps: list[Array],
        carried_in: list[Array],
        weeks: int,
        offsets: Array,
    ) -> None:
        self.banks = [bank.take(np.array([i])) for i in range(len(bank))]
        self.maps, self.carried_in, self.weeks = maps, carried_in, weeks
        self.offsets = offsets

    def adstock(self, s: Array) -> list[Array]:
        rows = s.reshape(len(self.maps), self.weeks)
        return [m @ row + h for m, row, h in zip(self.maps, rows, self.carried_in, strict=True)]

    def value(self, s: Array) -> float:
        return math.fsum(
            float(b.value(a).sum()) for b, a in zip(self.banks, self.adstock(s), strict=True)
        ) - math.fsum(float(c) for c in self.offsets)

    def gradient(self, s: Array) -> Array:
        # A floor on the carried-over spend keeps f′ finite for Hill slopes below 1 at 0.
        parts = [
            m.T @ b.marginal(np.maximum(a, 1e-12))
            for b, m, a in zip(self.banks, self.maps, self.adstock(s), strict=True)
        ]
        return np.concatenate(parts)

    def hessian_blocks(self, s: Array) -> list[Array]:
        return [
            (m.T * b.curvature(np.maximum(a, 1e-12))) @ m
            for b, m, a in zip(self.banks, self.maps, self.adstock(s), strict=True)
        ]


def _solve(model: _Model, lo: Array, hi: Array, total: float, start: Array) -> Array:
    """Primal active-set Newton method. On the face where the working set W (channel-weeks
    held at a bound) is fixed, the Newton step solves H_FF δ − λ·1 = −∇F_F, Σ δ = residual,
    block by block (H is block diagonal by channel): δ_i = λ v_i − u_i with H_i [u_i v_i] =
    [∇F_i 1], and λ from Σ δ = residual. A step that hits a bound adds it to W; at a
    stationary point of the face, the bound whose sign condition (∂F ≤ λ at lo, ≥ λ at hi)
    is violated most leaves W."""
    s = start.copy()
    weeks = model.weeks
    n = lo.size // weeks
    fixed = lo == hi
    held = fixed | (s <= lo) | (s >= hi)
    value = model.value(s)
    for _ in range(20 * lo.size + 50):
        gradient = model.gradient(s)
        blocks = model.hessian_blocks(s)
        free = ~held
        us, vs = [], []
        for i in range(n):
            part = slice(i * weeks, (i + 1) * weeks)
            f = free[part]
            if not f.any():
                us.append(np.zeros(0))
                vs.append(np.zeros(0))
                continue
            h = blocks[i][np.ix_(f, f)] - 1e-13 * np.eye(int(f.sum()))
            solved = np.linalg.solve(h, np.column_stack([gradient[part][f], np.ones(int(f.sum()))]))
            us.append(solved[:, 0])
            vs.append(solved[:, 1])
        residual = total - math.fsum(s)
        denominator = math.fsum(float(v.sum()) for v in vs)
        if denominator == 0.0:
            break
        lam = (residual + math.fsum(float(u.sum()) for u in us)) / denominator
        step = np.zeros_like(s)
        for i in range(n):
            part = slice(i * weeks, (i + 1) * weeks)
            step[part][free[part]] = lam * vs[i] - us[i]
        scale = max(1.0, float(np.abs(s).max()))
        if float(np.abs(step).max()) <= 1e-13 * scale:
            # Stationary on this face: release the worst-violated bound, or stop.
            wants_up = held & ~fixed & (s <= lo) & (gradient > lam)
            wants_down = held & ~fixed & (s >= hi) & (gradient < lam)
            violation = np.where(wants_up, gradient - lam, 0.0) + np.where(
                wants_down, lam - gradient, 0.0
            )
            if not (violation > 1e-13 * max(1.0, abs(lam))).any():
                break
            held[int(np.argmax(violation))] = False
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            up = np.where(step > 0, (hi - s) / step, np.inf)
            down = np.where(step < 0, (lo - s) / step, np.inf)
        limits = np.minimum(up, down)
        limit = float(limits.min())
        ratio = min(1.0, limit)
        slope = float(gradient @ step)
        while True:
            trial = np.minimum(np.maximum(s + ratio * step, lo), hi)
            trial_value = model.value(trial)
            if trial_value >= value + 1e-4 * ratio * slope - 1e-15 * abs(value) or ratio < 1e-12:
                break
            ratio *= 0.5
        if ratio < 1e-12:
            break
        if ratio == limit < 1.0:
            blocking = int(np.argmin(limits))
            trial[blocking] = hi[blocking] if step[blocking] > 0 else lo[blocking]
            held[blocking] = True
        s, value = trial, model.value(trial)
    return s


def _kkt(gradient: Array, s: Array, lo: Array, hi: Array) -> tuple[float | None, float]:
    """λ = the median marginal return of the free channel-weeks; the largest violation of
    ∂F/∂s = λ (free), ≤ λ (at lo), ≥ λ (at hi)."""
    tolerance = 1e-9 * max(1.0, float(np.abs(s).max()))
    at_lo, at_hi = s <= lo + tolerance, s >= hi - tolerance
    free = ~at_lo & ~at_hi
    if not free.any():
        return None, 0.0
    lam = float(np.median(gradient[free]))
    violation = max(
        float(np.abs(gradient[free] - lam).max()),
        float(np.max(gradient[at_lo & ~at_hi] - lam, initial=0.0)),
        float(np.max(lam - gradient[at_hi & ~at_lo], initial=0.0)),
    )
    return lam, violation


def _knapsack_gap(gradient: Array, s: Array, lo: Array, hi: Array, total: float) -> float:
    """max over the feasible set of ∇F(s)·(y − s): fill y from lo, highest gradient first."""
    y = lo.copy()
    rest = total - float(lo.sum())
    for index in np.argsort(-gradient):
        if rest <= 0:
            break
        take = min(hi[index] - lo[index], rest)
        y[index] += take
        rest -= take
    return max(float(gradient @ (y - s)), 0.0)
