"""Budget allocation over the channels' steady-state response curves (DESIGN.md F,
issue 12). Pure numpy: no Django. docs/optimize.md states the API and the formulas.

The problem, in one period (a week): maximize Σ f_i(x_i) subject to Σ x_i = B and
lo_i ≤ x_i ≤ hi_i, where f_i is channel i's steady-state curve (`ChannelCurve.response`),
x_i its spend, B the budget. The bounds are the channel's `min`/`max` (or the caller's),
intersected with ±max_change around the current spend; a channel with status
`not_enough_data` is held at its current spend unless `move_unjudged`.

Concave curves (Hill slope ≤ 1, logistic) are solved exactly by equalizing marginal
returns: x_i(λ) = clip(f_i′⁻¹(λ), lo_i, hi_i), and λ is found by a safeguarded Newton
iteration on ln λ for Σ x_i(λ) = B (bisection whenever Newton would leave the bracket).
The certificate is λ (the marginal return at the optimum, outcome per currency unit) and
the duality gap D(λ) − Σ f_i(x_i), where D(λ) = Σ max_{lo_i ≤ x ≤ hi_i} (f_i(x) − λx) + λB
bounds every feasible allocation's outcome from above (weak duality).

S-shaped curves (any Hill slope > 1) are solved globally by a dynamic program over a grid
of `steps` equal budget steps (resolution (B − Σ lo_i)/steps, stated in the result), then
polished exactly: the channels the grid put on the concave part of their curve are
re-solved by marginal equalization with the others fixed. The gap is then the same dual
bound minimized over λ, so it bounds the distance to the global optimum.

Everything is computed in units of the budget (spend/B) and of the curves' total top
(outcome/Σ top_i), so multiplying every currency amount by 10⁶ gives the same allocation
to rounding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from crewplan.optimize.curves import ChannelCurve
from crewplan.optimize.responses import Array, Inverse, ResponseBank

DEFAULT_STEPS = 2000
Bounds = Mapping[str, tuple[float | None, float | None]]

_TOLERANCE = 1e-14  # relative: of the budget for Σ x_i = B, of ln λ for the bracket


class AllocationError(ValueError):
    """Input the allocator refuses. `code` and `params` (with `channel` when one channel
    is at fault) let a caller word the message in the reader's language."""

    def __init__(self, code: str, message: str, **params: str | float) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ChannelSpend:
    name: str
    spend: float
    expected: float  # f_i(spend): outcome per period
    marginal_return: float  # f_i′(spend): outcome per extra currency unit
    extrapolated: bool  # spend above the channel's observed_max or below its observed_min
    fixed: bool  # held at its current spend (not_enough_data) or lo = hi
    current: float | None
    lower: float  # the bounds that applied, after max_change
    upper: float


@dataclass(frozen=True)
class Allocation:
    channels: tuple[ChannelSpend, ...]
    budget: float
    expected: float  # Σ f_i(spend_i)
    multiplier: float | None  # λ: the common marginal return of the channels not at a bound
    gap: float  # dual bound − expected (outcome units): how far below the optimum at most
    method: Literal["marginal", "grid"]
    resolution: float | None  # the grid's budget step (currency) for S-shaped curves
    current_expected: float | None = None  # Σ f_i(current_i) when every current is known
    # Over the fit's draws (None without draws): 90 % range of the expected outcome, of the
    # gain over the current allocation, and the share of draws where the gain is > 0.
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
        return self.expected - self.current_expected

    def spend(self) -> dict[str, float]:
        return {c.name: c.spend for c in self.channels}


@dataclass(frozen=True)
class Problem:
    """The checked input: curves in currency units, the bounds that apply, who is fixed."""

    curves: tuple[ChannelCurve, ...]
    bank: ResponseBank
    lo: Array
    hi: Array
    fixed: NDArray[np.bool_]
    current: Array  # nan where unknown

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.curves]


def allocate(
    curves: Sequence[ChannelCurve],
    budget: float,
    *,
    bounds: Bounds | None = None,
    max_change: float | None = None,
    move_unjudged: bool = False,
    steps: int = DEFAULT_STEPS,
) -> Allocation:
    """The allocation of `budget` (currency per period) maximizing the total expected
    outcome. `bounds` maps a channel name to (min, max) spend, either None for the curve's
    own (`ChannelCurve.min`/`max`, else 0 and the budget); `max_change` c keeps every
    channel within current·(1 ± c). Raises AllocationError on infeasible or invalid input."""
    budget = _budget(budget)
    problem = prepare(curves, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged)
    _check_feasible(problem, budget)
    return solve(problem, budget, steps=steps)


def prepare(
    curves: Sequence[ChannelCurve],
    *,
    bounds: Bounds | None = None,
    max_change: float | None = None,
    move_unjudged: bool = False,
) -> Problem:
    if not curves:
        raise AllocationError("no_channels", "there are no channels to allocate to")
    names = [c.name for c in curves]
    for name, count in Counter(names).items():
        if count > 1:
            raise AllocationError(
                "duplicate_channel", f"channel {name!r} appears twice", channel=name
            )
    known = set(names)
    for name in bounds or {}:
        if name not in known:
            raise AllocationError(
                "unknown_channel",
                f"the bounds name channel {name!r}, which has no curve",
                channel=name,
            )
    if max_change is not None and not (math.isfinite(max_change) and max_change >= 0):
        raise AllocationError(
            "bad_max_change",
            f"max_change must be a number ≥ 0 (got {max_change})",
            value=max_change,
        )
    lo, hi, current, fixed = [], [], [], []
    for curve in curves:
        _check_curve(curve)
        low, high = (bounds or {}).get(curve.name, (None, None))
        low = curve.min if low is None else low
        high = curve.max if high is None else high
        now = curve.current
        for label, amount in (("minimum", low), ("maximum", high), ("current spend", now)):
            if amount is not None and not (math.isfinite(amount) and amount >= 0):
                raise AllocationError(
                    "bad_amount",
                    f"channel {curve.name!r}: the {label} must be a number ≥ 0 (got {amount})",
                    channel=curve.name,
                    what=label,
                    value=float(amount),
                )
        low = 0.0 if low is None else float(low)
        high = math.inf if high is None else float(high)
        if low > high:
            raise AllocationError(
                "min_above_max",
                f"channel {curve.name!r}: the minimum {low:g} is above the maximum {high:g}",
                channel=curve.name,
                min=low,
                max=high,
            )
        held = curve.status == "not_enough_data" and not move_unjudged
        if held:
            if now is None:
                raise AllocationError(
                    "unjudged_without_current",
                    f"channel {curve.name!r}: the data cannot judge it and its current spend "
                    "is unknown, so it cannot be held there",
                    channel=curve.name,
                )
            low = high = float(now)
        elif max_change is not None:
            if now is None:
                raise AllocationError(
                    "max_change_without_current",
                    f"channel {curve.name!r}: max_change needs its current spend, which is unknown",
                    channel=curve.name,
                )
            low, high = max(low, now * (1 - max_change)), min(high, now * (1 + max_change))
            if low > high:
                raise AllocationError(
                    "max_change_outside_bounds",
                    f"channel {curve.name!r}: ±{max_change:.0%} around the current spend {now:g} "
                    "leaves nothing within its bounds",
                    channel=curve.name,
                    current=float(now),
                    max_change=max_change,
                )
        lo.append(low)
        hi.append(high)
        current.append(math.nan if now is None else float(now))
        fixed.append(held or low == high)
    return Problem(
        curves=tuple(curves),
        bank=ResponseBank.of([c.response for c in curves]),
        lo=np.array(lo),
        hi=np.array(hi),
        fixed=np.array(fixed, dtype=np.bool_),
        current=np.array(current),
    )


def solve(problem: Problem, budget: float, *, steps: int = DEFAULT_STEPS) -> Allocation:
    """The allocation for a prepared, feasible problem."""
    unit = budget if budget > 0 else 1.0
    outcome_unit = float(problem.bank.top.sum()) or 1.0
    bank = problem.bank.scaled(unit, outcome_unit)
    lo, hi = problem.lo / unit, np.minimum(problem.hi, budget) / unit
    total = budget / unit
    if bank.s_shaped[lo < hi].any():
        x, lam, gap, step = _solve_grid(bank, lo, hi, total, steps)
        method: Literal["marginal", "grid"] = "grid"
        resolution: float | None = step * unit
    else:
        x, lam, gap = _solve_concave(bank, lo, hi, total)
        method, resolution = "marginal", None
    # A channel at a bound gets the bound itself, not the bound rescaled and back.
    spend = np.where(
        x >= hi, np.minimum(problem.hi, budget), np.where(x <= lo, problem.lo, x * unit)
    )
    return _result(
        problem,
        budget,
        spend,
        None if lam is None else lam * outcome_unit / unit,
        gap * outcome_unit,
        method,
        resolution,
    )


def least_spend(
    curves: Sequence[ChannelCurve],
    target: float,
    *,
    bounds: Bounds | None = None,
    max_change: float | None = None,
    move_unjudged: bool = False,
    steps: int = DEFAULT_STEPS,
) -> Allocation:
    """The smallest budget whose optimal allocation reaches `target` expected outcome per
    period (bisection on the budget over the allocator; the best outcome is increasing in
    the budget), to 1e-12 of the budget for concave curves, to the grid's resolution
    otherwise. Raises AllocationError when even the largest allowed spend falls short."""
    problem = prepare(curves, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged)
    if not (math.isfinite(target) and target >= 0):
        raise AllocationError("bad_target", f"the target must be a number ≥ 0 (got {target})")
    low, high = float(problem.lo.sum()), float(problem.hi.sum())
    floor = solve(problem, low, steps=steps)
    if floor.expected >= target:
        return floor
    if not math.isfinite(high):
        # Some channel has no maximum: the outcome approaches, never reaches, its curve's top.
        bounded = np.isfinite(problem.hi)
        reached = problem.bank.value(np.where(bounded, problem.hi, 0.0))
        ceiling = math.fsum(np.where(bounded, reached, problem.bank.top))
        if target >= ceiling:
            raise AllocationError(
                "target_out_of_reach",
                f"the target {target:g} is at or above {ceiling:g}, what no spend reaches",
                target=target,
                most=ceiling,
            )
        high = max(low, 1.0)
        while solve(problem, high, steps=steps).expected < target:
            if high > 1e300:
                raise AllocationError(
                    "target_out_of_reach", f"no budget reaches the target {target:g}", target=target
                )
            high *= 2.0
    best = solve(problem, high, steps=steps)
    if best.expected < target:
        raise AllocationError(
            "target_out_of_reach",
            f"the target {target:g} is above {best.expected:g}, the most the allowed spends reach",
            target=target,
            most=best.expected,
        )
    concave = not problem.bank.s_shaped[problem.lo < problem.hi].any()
    tolerance = 1e-12 if concave else 0.5 / steps
    while high - low > tolerance * high:
        middle = 0.5 * (low + high)
        trial = solve(problem, middle, steps=steps)
        if trial.expected >= target:
            high, best = middle, trial
        else:
            low = middle
    return best


def target_efficiency(
    curves: Sequence[ChannelCurve],
    target_roas: float,
    *,
    budget: float | None = None,
    bounds: Bounds | None = None,
    max_change: float | None = None,
    move_unjudged: bool = False,
) -> Allocation:
    """Every channel spends up to where its marginal return falls to `target_roas`
    (x_i = clip(f_i′⁻¹(target)), on the concave part of an S-shaped curve; a curve whose
    marginal never reaches the target stays at its minimum). With `budget`, a total above
    it is cut back by the allocator (whose multiplier is then ≥ the target); a total below
    it is left unspent."""
    if not (math.isfinite(target_roas) and target_roas > 0):
        raise AllocationError(
            "bad_target_roas", f"the target return must be a number > 0 (got {target_roas})"
        )
    problem = prepare(curves, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged)
    bank, lo, hi = problem.bank, problem.lo, problem.hi
    if budget is not None:
        budget = _budget(budget)
        hi = np.minimum(hi, budget)
        if problem.lo.sum() > budget:
            _check_feasible(problem, budget)
    x = _best_against_price(bank, lo, hi, target_roas)
    if budget is not None and x.sum() > budget:
        return allocate(
            curves, budget, bounds=bounds, max_change=max_change, move_unjudged=move_unjudged
        )
    spent = float(x.sum())
    gap = _dual_value(bank, lo, hi, target_roas, spent) - float(bank.value(x).sum())
    return _result(problem, spent, x, target_roas, max(gap, 0.0), "marginal", None)


def check_feasible(problem: Problem, budget: float) -> None:
    _check_feasible(problem, _budget(budget))


# --- the concave solver ------------------------------------------------------------------


def _solve_concave(
    bank: ResponseBank, lo: Array, hi: Array, total: float
) -> tuple[Array, float | None, float]:
    """Exact allocation for concave curves: (x, λ or None when no channel is free, gap)."""
    free = lo < hi
    x = lo.copy()
    rest = total - float(lo[~free].sum())
    if not free.any():
        return x, None, 0.0
    sub = bank.take(free)
    x_free, lam, lam_x = _equalize(sub, lo[free], hi[free], rest)
    x[free] = x_free
    primal = math.fsum(bank.value(x))
    if lam is None:
        return x, None, 0.0
    dual = math.fsum(sub.value(lam_x)) - lam * math.fsum(lam_x) + lam * rest
    dual += math.fsum(bank.take(~free).value(lo[~free]))
    return x, lam, max(dual - primal, 0.0)


def _equalize(
    bank: ResponseBank, lo: Array, hi: Array, total: float
) -> tuple[Array, float | None, Array]:
    """Σ x(λ) = total over free channels: (x with the budget spent exactly, λ, x(λ))."""
    if total <= lo.sum():
        m = bank.marginal(lo)
        return lo.copy(), _finite_or_none(float(m.max())), lo.copy()
    if total >= hi.sum():
        m = bank.marginal(hi)
        return hi.copy(), float(m.min()), hi.copy()
    positive = bank.top > 0
    if not positive.any():
        share = (total - lo.sum()) / (hi - lo).sum()
        x = lo + share * (hi - lo)
        return x, 0.0, x

    full = np.clip(bank.saturation(), lo, hi)
    if float(full.sum()) <= total:
        # The budget brings every channel to its top (in floating point): that is optimal,
        # and the marginal returns there are too small to search (about e^−700): the rest
        # goes where there is room, in proportion.
        room = hi - full
        x = full + (total - float(full.sum())) * room / float(room.sum())
        return x, float(bank.marginal(x).max()), x
    inverse = Inverse(bank, lo, hi)
    marginal_hi = bank.marginal(hi)
    lam_low = float(marginal_hi[positive].min())
    if float(np.where(positive, hi, lo).sum()) < total:
        # Every channel with a return is at its maximum: the zero-return ones take the rest.
        x = np.where(positive, hi, lo)
        idle = ~positive
        share = (total - x.sum()) / (hi[idle] - lo[idle]).sum()
        x[idle] = lo[idle] + share * (hi[idle] - lo[idle])
        return x, 0.0, x
    # At λ = f′_i(lo_i + d) for every i, with d the spread-out budget, no channel spends
    # more than lo_i + d: Σ x(λ) ≤ total there.
    spread = lo + (total - float(lo.sum())) / lo.size
    lam_high = float(bank.marginal(spread)[positive].max())
    left, right = math.log(lam_low), math.log(lam_high)  # Σx − total ≥ 0 at left, ≤ 0 at right
    guess = np.minimum(hi, spread)
    mu = float(np.clip(np.log(bank.marginal(guess)[positive]).mean(), left, right))
    x = hi
    for _ in range(200):
        x, slope_each = inverse(mu)
        excess = float(x.sum()) - total
        if excess > 0:
            left = mu
        else:
            right = mu
        if abs(excess) <= _TOLERANCE * total or right - left <= _TOLERANCE * max(1.0, abs(mu)):
            break
        slope = float(slope_each.sum())
        new = mu - excess / slope if slope < 0 else math.nan
        mu = new if left < new < right else 0.5 * (left + right)
    lam = math.exp(mu)
    lam_x = x.copy()
    return _spend_exactly(bank, x, lo, hi, total), lam, lam_x


def _spend_exactly(bank: ResponseBank, x: Array, lo: Array, hi: Array, total: float) -> Array:
    """Move the rounding residual of Σ x = total onto the channels not at a bound, along
    the Newton direction (−1/f″), so the budget is spent to the last bit."""
    x = x.copy()
    for _ in range(3):
        residual = total - math.fsum(x)
        if residual == 0.0:
            break
        room = (x < hi) if residual > 0 else (x > lo)
        inside = room & (x > lo) & (x < hi)
        chosen = inside if inside.any() else room
        if not chosen.any():
            break
        weight = np.zeros_like(x)
        curvature = bank.curvature(x)[chosen]
        with np.errstate(divide="ignore"):
            w = np.where(curvature < 0, -1.0 / curvature, 1.0)
        weight[chosen] = w / w.sum()
        x = np.clip(x + residual * weight, lo, hi)
    return x


# --- S-shaped curves: grid dynamic program, polish, dual bound ---------------------------


def _solve_grid(
    bank: ResponseBank, lo: Array, hi: Array, total: float, steps: int
) -> tuple[Array, float | None, float, float]:
    """Global allocation on a grid of `steps` budget steps, polished: (x, λ, gap, step)."""
    free_budget = total - float(lo.sum())
    step = free_budget / steps
    x_grid = _grid_program(bank, lo, hi, steps, step)
    x_grid = _fill(x_grid, lo, hi, total)
    x, lam = x_grid, None
    best = math.fsum(bank.value(x_grid))
    inflection = bank.inflection()
    s_shaped = bank.s_shaped
    concave_part = (~s_shaped | (x_grid >= inflection)) & (lo < hi)
    if concave_part.any():
        low = np.where(s_shaped, np.maximum(lo, inflection), lo)
        rest = total - float(x_grid[~concave_part].sum())
        sub_lo, sub_hi = low[concave_part], hi[concave_part]
        if sub_lo.sum() <= rest <= sub_hi.sum():
            polished = x_grid.copy()
            x_sub, lam_sub, _ = _equalize(bank.take(concave_part), sub_lo, sub_hi, rest)
            polished[concave_part] = x_sub
            value = math.fsum(bank.value(polished))
            if value >= best:
                x, lam, best = polished, lam_sub, value
    bound = _dual_bound(bank, lo, hi, total, lam)
    return x, lam, max(bound - best, 0.0), step


def _grid_program(bank: ResponseBank, lo: Array, hi: Array, steps: int, step: float) -> Array:
    """Best allocation of lo + multiples of `step`, at most `steps` of them (max-plus
    convolution channel by channel, argmax kept for the way back)."""
    if step <= 0:
        return lo.copy()
    value = np.full(steps + 1, -np.inf)
    value[0] = 0.0
    choices = []
    for i in range(len(bank)):
        count = int(min(steps, math.floor((hi[i] - lo[i]) / step * (1 + 1e-12))))
        grid = lo[i] + step * np.arange(count + 1)
        gains = bank.take(np.array([i])).value(grid)
        padded = np.concatenate([np.full(steps, -np.inf), value])
        window = sliding_window_view(padded, steps + 1)[:, ::-1][:, : count + 1]
        candidates = window + gains
        choice = np.argmax(candidates, axis=1)
        value = candidates[np.arange(steps + 1), choice]
        choices.append(choice)
    reached = np.flatnonzero(np.isfinite(value))
    k = steps if np.isfinite(value[steps]) else int(reached.max())
    x = lo.copy()
    for i in reversed(range(len(bank))):
        j = int(choices[i][k])
        x[i] = lo[i] + j * step
        k -= j
    return x


def _fill(x: Array, lo: Array, hi: Array, total: float) -> Array:
    """Spread what the grid could not place (caps off the grid) over the channels with room."""
    residual = total - math.fsum(x)
    if residual <= 0:
        return x
    room = hi - x
    return np.asarray(np.minimum(hi, x + residual * room / room.sum()), dtype=np.float64)


def _best_against_price(bank: ResponseBank, lo: Array, hi: Array, lam: float) -> Array:
    """argmax over [lo, hi] of f(x) − λx per channel (S-shaped: the best of lo, hi and the
    stationary point on the concave part)."""
    x = bank.inverse_marginal(lam, lo, hi)
    s_shaped = bank.s_shaped
    if not s_shaped.any():
        return x
    start = np.minimum(np.maximum(lo, bank.inflection()), hi)
    stationary = bank.inverse_marginal(lam, start, hi)
    candidates = np.stack([lo, hi, stationary])
    scores = np.stack([bank.value(c) - lam * c for c in candidates])
    best = candidates[np.argmax(scores, axis=0), np.arange(lo.size)]
    return np.asarray(np.where(s_shaped, best, x), dtype=np.float64)


def _dual_value(bank: ResponseBank, lo: Array, hi: Array, lam: float, total: float) -> float:
    x = _best_against_price(bank, lo, hi, lam)
    return math.fsum(bank.value(x)) - lam * math.fsum(x) + lam * total


def _dual_bound(
    bank: ResponseBank, lo: Array, hi: Array, total: float, lam_hint: float | None
) -> float:
    """min over λ > 0 of the dual function (convex in λ): an upper bound on the outcome of
    every feasible allocation, S-shaped curves included."""
    m = np.concatenate([bank.marginal(lo), bank.marginal(hi)])
    m = m[np.isfinite(m) & (m > 0)]
    if m.size == 0:
        return math.fsum(bank.value(hi))
    left, right = math.log(float(m.min())) - 1.0, math.log(float(m.max())) + 1.0
    for _ in range(100):
        mu = 0.5 * (left + right)
        if _best_against_price(bank, lo, hi, math.exp(mu)).sum() > total:
            left = mu
        else:
            right = mu
        if right - left < 1e-13:
            break
    candidates = [math.exp(left), math.exp(right)] + ([lam_hint] if lam_hint else [])
    return min(_dual_value(bank, lo, hi, lam, total) for lam in candidates)


# --- checks and the result ---------------------------------------------------------------


def _budget(budget: float) -> float:
    if not (isinstance(budget, int | float) and math.isfinite(budget) and budget >= 0):
        raise AllocationError("bad_budget", f"the budget must be a number ≥ 0 (got {budget})")
    return float(budget)


def _check_curve(curve: ChannelCurve) -> None:
    response = curve.response
    if not math.isfinite(sum(vars(response).values())):
        raise AllocationError(
            "bad_curve",
            f"channel {curve.name!r}: its response curve has a parameter that is not a number",
            channel=curve.name,
        )


def _check_feasible(problem: Problem, budget: float) -> None:
    low, high = float(problem.lo.sum()), float(problem.hi.sum())
    names = problem.names
    if low > budget * (1 + 1e-12):
        held = [n for n, lo in zip(names, problem.lo, strict=True) if lo > 0]
        raise AllocationError(
            "minimums_above_budget",
            f"the minimum spends add up to {low:g}, more than the budget {budget:g} "
            f"(channels with a minimum: {', '.join(held)})",
            total=low,
            budget=budget,
            channels=", ".join(held),
        )
    if high < budget * (1 - 1e-12):
        raise AllocationError(
            "maximums_below_budget",
            f"the maximum spends add up to {high:g}, less than the budget {budget:g} "
            f"(channels: {', '.join(names)})",
            total=high,
            budget=budget,
            channels=", ".join(names),
        )


def extrapolated(curve: ChannelCurve, *spends: float) -> bool:
    """Whether any of `spends` lies outside the range the channel was observed at
    ([observed_min, observed_max], either end open when unknown)."""
    high, low = curve.observed_max, curve.observed_min
    return any(
        (high is not None and x > high * (1 + 1e-9)) or (low is not None and x < low * (1 - 1e-9))
        for x in spends
    )


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _result(
    problem: Problem,
    budget: float,
    spend: Array,
    multiplier: float | None,
    gap: float,
    method: Literal["marginal", "grid"],
    resolution: float | None,
) -> Allocation:
    bank = problem.bank
    expected = bank.value(spend)
    marginal = bank.marginal(spend)
    channels = []
    for i, curve in enumerate(problem.curves):
        channels.append(
            ChannelSpend(
                name=curve.name,
                spend=float(spend[i]),
                expected=float(expected[i]),
                marginal_return=float(marginal[i]),
                extrapolated=extrapolated(curve, float(spend[i])),
                fixed=bool(problem.fixed[i]),
                current=curve.current,
                lower=float(problem.lo[i]),
                upper=float(problem.hi[i]),
            )
        )
    known = bool(np.isfinite(problem.current).all())
    current_expected = math.fsum(bank.value(problem.current)) if known else None
    result = Allocation(
        channels=tuple(channels),
        budget=budget,
        expected=math.fsum(expected),
        multiplier=multiplier,
        gap=gap,
        method=method,
        resolution=resolution,
        current_expected=current_expected,
    )
    return _with_draws(result, problem, spend)


def _with_draws(result: Allocation, problem: Problem, spend: Array) -> Allocation:
    """Expected outcome and gain over the current allocation, draw by draw. Draw j of
    every channel is taken together (the fit's joint uncertainty); a channel without
    draws contributes its point curve to each."""
    counts = {len(c.draws) for c in problem.curves if c.draws}
    if not counts:
        return result
    draws = min(counts)
    responses = [
        c.draws[j] if c.draws else c.response for c in problem.curves for j in range(draws)
    ]
    bank = ResponseBank.of(responses)
    n = len(problem.curves)
    totals = bank.value(np.repeat(spend, draws)).reshape(n, draws).sum(axis=0)
    low, high = np.quantile(totals, [0.05, 0.95])
    result = replace(result, draws=draws, expected_low=float(low), expected_high=float(high))
    if result.current_expected is None:
        return result
    now = bank.value(np.repeat(problem.current, draws)).reshape(n, draws).sum(axis=0)
    gain = totals - now
    gain_low, gain_high = np.quantile(gain, [0.05, 0.95])
    return replace(
        result,
        gain_low=float(gain_low),
        gain_high=float(gain_high),
        p_beats_current=float((gain > 0).mean()),
    )
