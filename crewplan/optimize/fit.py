"""Fitting response curves from weekly spend and one weekly outcome (issue 12, DESIGN.md F).
Pure numpy + scipy: no Django. Formulas and thresholds: docs/optimize.md.

Model, week t, channel c (spend x_c in currency per week, outcome y in revenue or
conversions per week):

    y_t = X_t·β + Σ_c top_c · H(a_c,t; K_c, s_c) + ε_t
    a_c = geometric_adstock(x_c, decay_c, max_lag)      (weights sum to 1, curves.py)
    H(a; K, s) = a^s / (K^s + a^s)

X is the baseline — level, linear trend, yearly Fourier terms (two harmonics, from 52
weeks of data) — plus the control columns. The fit is nonlinear least squares
(scipy.optimize.least_squares, trust region with bounds) over each channel's
(decay, log K, slope, top) with β profiled out (variable projection: the residual is the
part of y − media orthogonal to X, so β never enters the search). Weak ridge priors keep
the search where weekly data can speak: log K around the channel's median active spend
(sd 1), slope around 1.2 (sd 0.8), decay around 0.4 (sd 0.35); bounds decay ∈ [0, 0.9],
slope ∈ [0.5, 3], K ∈ [0.05, 20] × the mean active spend, top ≥ 0. Three deterministic
starts; the best wins.

Uncertainty: Laplace — θ ~ N(θ̂, σ̂²·(JᵀJ)⁻¹·inflation), J the Jacobian at the optimum
(priors included), σ̂² the residual variance, inflation (1 + ρ)/(1 − ρ) for the residuals'
lag-1 autocorrelation ρ > 0; the draws give each channel's ROI interval (5th–95th
percentile) and its curve draws.

ROI of a channel = its fitted contribution summed over the data window / its spend there.
The last `holdout_weeks` are held out first (fit on the weeks before, forecast them,
report the MAPE), then the curves are fitted on all weeks.

Honest answers: `channel_checks` runs before the fit (too few active weeks, too little
variation, collinear with another channel or the baseline) and the ROI interval is
checked after; a failing channel gets status "not_enough_data" with a `Reason` (code and
parameters; the sentences are in crewplan/measure/optimize_messages.py). Below
`MIN_WEEKS` the whole fit is refused (`TooFewWeeks`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import least_squares

from crewplan.optimize.curves import (
    DEFAULT_MAX_LAG,
    Array,
    ChannelCurve,
    Hill,
    Response,
    geometric_adstock,
    observed_low,
)

Outcome = Literal["revenue", "conversions"]
Params = Mapping[str, str | int | float]

MIN_WEEKS = 26  # below this the whole fit is refused
SEASON_WEEKS = 52  # yearly Fourier terms only from a full year of data
MIN_ACTIVE_WEEKS = 8  # a channel needs spend in at least this many weeks
MIN_VARIATION = 0.15  # coefficient of variation of the weekly spend
MAX_CORRELATION = 0.95  # |corr| of two channels' spend above this: cannot be told apart
MAX_BASELINE_R2 = 0.9  # spend explained by trend + season + controls (VIF 10)
# The ROI is known when its 90 % interval spans at most this factor (roi_high ≤ 4 × roi_low,
# roi_low > 0): within a factor of two either side of the interval's geometric middle. A
# rule on the width relative to the estimate passed inflated estimates with wide intervals
# (docs/benchmarks.md: ROI 15.7 in 3.8–24.6 against a true 1.5).
MAX_ROI_RATIO = 4.0
# The curve over the observed spend: (high − low) / estimate of the 90 % interval of the
# average marginal return between observed_min and observed_max above this: not judged.
MAX_LOCAL_WIDTH = 3.0
CURRENT_WEEKS = 13  # "current" spend: the mean of the last quarter
YEAR = 52.1775
FOURIER_ORDER = 2
DRAWS = 200
DRAWS_KEPT = 100  # curve draws written per channel
DECAY_MAX = 0.9
SLOPE_BOUNDS = (0.5, 3.0)
K_BOUNDS = (0.05, 20.0)  # × the channel's mean active spend
PRIORS = {"log_k_sd": 1.0, "slope": 1.2, "slope_sd": 0.8, "decay": 0.4, "decay_sd": 0.35}
STARTS = ((0.3, 1.0), (0.6, 1.6), (0.1, 2.2))  # (decay, slope)


@dataclass(frozen=True)
class Reason:
    """Why a channel (or the whole fit) cannot be judged: a code and its parameters."""

    code: str
    params: Params = field(default_factory=dict)


class UnusableData(ValueError):
    """Data no fit can use; `code` and `params` say why (worded at the edge)."""

    def __init__(self, code: str, **params: str | int | float) -> None:
        self.code = code
        self.params: dict[str, str | int | float] = params
        super().__init__(f"{code}: {params}")


class TooFewWeeks(UnusableData):
    def __init__(self, weeks: int, minimum: int = MIN_WEEKS) -> None:
        super().__init__("too_few_weeks", weeks=weeks, minimum=minimum)
        self.weeks = weeks
        self.minimum = minimum


@dataclass(frozen=True)
class LiftTest:
    """An experiment on one channel: weekly spend changed by `spend_change` (currency per
    week, may be negative) in weeks start..end (indices into the data, inclusive), which
    caused `incremental` outcome (± `standard_error`) over those weeks and the carry-over
    after them within the data window."""

    channel: str
    start: int
    end: int
    spend_change: float
    incremental: float
    standard_error: float


@dataclass(frozen=True)
class FitSummary:
    weeks: int
    outcome: Outcome
    r2: float
    holdout_weeks: int
    holdout_mape: float | None
    noise_sd: float
    seconds: float
    draws: int
    season: bool
    controls: tuple[str, ...]
    lift_tests: int
    # Controls the same every week (e.g. an event column of zeros): nothing to explain
    # with, left out of the baseline.
    constant_controls: tuple[str, ...] = ()

    def as_document(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "outcome": self.outcome,
            "r2": round(self.r2, 6),
            "holdout_weeks": self.holdout_weeks,
            "holdout_mape": None if self.holdout_mape is None else round(self.holdout_mape, 6),
            "noise_sd": self.noise_sd,
            "seconds": round(self.seconds, 3),
            "draws": self.draws,
            "season": self.season,
            "controls": list(self.controls),
            "constant_controls": list(self.constant_controls),
            "lift_tests": self.lift_tests,
            "method": "nonlinear least squares, baseline profiled out; Laplace draws",
        }


@dataclass(frozen=True)
class FitResult:
    curves: tuple[ChannelCurve, ...]
    summary: FitSummary
    reasons: Mapping[str, Reason]  # channel → why it is not_enough_data
    # Judged channels whose ROI (the return from zero spend) is not known: channel → the
    # interval_too_wide reason with the ROI and its interval. They are moved within the
    # spend the data saw; their roi / roi_low / roi_high are reported as they are.
    roi_unknown: Mapping[str, Reason] = field(default_factory=dict)

    def curve(self, name: str) -> ChannelCurve:
        return next(c for c in self.curves if c.name == name)


# ---------------------------------------------------------------------------- inputs


def _column(values: ArrayLike, name: str) -> Array:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise UnusableData("not_a_column", column=name)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise UnusableData("missing_value", column=name, week=int(bad[0]) + 1)
    return array


def _inputs(
    spend: Mapping[str, ArrayLike], outcome: ArrayLike, controls: Mapping[str, ArrayLike]
) -> tuple[dict[str, Array], Array, dict[str, Array]]:
    if not spend:
        raise UnusableData("no_channels")
    y = _column(outcome, "outcome")
    columns = {name: _column(values, name) for name, values in spend.items()}
    extra = {name: _column(values, name) for name, values in controls.items()}
    for name, column in (columns | extra).items():
        if column.size != y.size:
            raise UnusableData("lengths_differ", column=name, weeks=y.size, rows=column.size)
    for name, column in columns.items():
        negative = np.flatnonzero(column < 0)
        if negative.size:
            raise UnusableData("negative_spend", column=name, week=int(negative[0]) + 1)
    if y.size < MIN_WEEKS:
        raise TooFewWeeks(int(y.size))
    if np.ptp(y) == 0:
        raise UnusableData("constant_outcome")
    return columns, y, extra


def baseline_matrix(weeks: int, controls: Mapping[str, Array], season: bool) -> Array:
    """Columns: level, trend (t / 104), yearly sin/cos pairs, the non-constant controls."""
    t = np.arange(weeks, dtype=np.float64)
    columns = [np.ones(weeks), t / 104.0]
    if season:
        for k in range(1, FOURIER_ORDER + 1):
            columns += [np.sin(2 * np.pi * k * t / YEAR), np.cos(2 * np.pi * k * t / YEAR)]
    for values in controls.values():
        column = values[:weeks]
        if np.ptp(column) > 0:
            columns.append((column - column.mean()) / column.std())
    return np.column_stack(columns)


def _r2_on(target: Array, design: Array) -> float:
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    resid = target - design @ coef
    total = float(((target - target.mean()) ** 2).sum())
    return 1.0 - float((resid**2).sum()) / total if total > 0 else 1.0


def channel_checks(spend: Mapping[str, Array], baseline: Array) -> dict[str, Reason]:
    """The channels the data cannot judge, before any fit, with the reason."""
    reasons: dict[str, Reason] = {}
    for name, x in spend.items():
        active = int((x > 0).sum())
        if active == 0:
            reasons[name] = Reason("no_spend")
        elif active < MIN_ACTIVE_WEEKS:
            reasons[name] = Reason(
                "too_few_active_weeks", {"weeks": active, "minimum": MIN_ACTIVE_WEEKS}
            )
        elif x.std() / x.mean() < MIN_VARIATION:
            reasons[name] = Reason(
                "too_little_variation",
                {"variation": round(100 * x.std() / x.mean(), 1), "needed": 30},
            )
    varied = [name for name in spend if name not in reasons]
    for name in varied:
        r2 = _r2_on(spend[name], baseline)
        if r2 > MAX_BASELINE_R2:
            reasons[name] = Reason("collinear_with_baseline", {"share": round(100 * r2, 1)})
    for i, first in enumerate(varied):
        for second in varied[i + 1 :]:
            corr = float(np.corrcoef(spend[first], spend[second])[0, 1])
            if abs(corr) > MAX_CORRELATION:
                for one, other in ((first, second), (second, first)):
                    reasons.setdefault(
                        one, Reason("collinear_with_channel", {"other": other, "corr": corr})
                    )
    return reasons


# ---------------------------------------------------------------------------- the model


@dataclass
class _Problem:
    """The fit in scaled units: y / sd(y), each spend / its mean active spend."""

    y: Array  # scaled outcome, training weeks
    lags: list[Array]  # per channel, T_all × (max_lag+1): x[t − l] (scaled)
    weeks: int  # training weeks (the first `weeks` rows of lags)
    projector_q: Array  # orthonormal basis of the baseline columns (training weeks)
    log_k0: Array  # prior centre of log K per channel
    prior_scale: float  # the noise σ̂ (first rough, then the fit's own): the prior rows' weight
    lifts: list[tuple[int, int, int, float, float, float]]  # ch, start, end, dx, inc, se

    @property
    def channels(self) -> int:
        return len(self.lags)

    def lower_upper(self) -> tuple[Array, Array]:
        lo = [0.0, np.log(K_BOUNDS[0]), SLOPE_BOUNDS[0], 0.0] * self.channels
        hi = [DECAY_MAX, np.log(K_BOUNDS[1]), SLOPE_BOUNDS[1], 1e4] * self.channels
        return np.array(lo), np.array(hi)

    def project(self, values: Array) -> Array:
        q = self.projector_q
        return np.asarray(values - q @ (q.T @ values), dtype=np.float64)


def _weights(decay: float, max_lag: int) -> tuple[Array, Array]:
    """Adstock weights w_l = d^l / Σ d^j and their derivative in d."""
    lags = np.arange(max_lag + 1, dtype=np.float64)
    power = decay**lags
    d_power = np.where(lags > 0, lags * decay ** np.maximum(lags - 1, 0), 0.0)
    total, d_total = power.sum(), d_power.sum()
    return power / total, (d_power * total - power * d_total) / total**2


def _shape(theta: Array, lag: Array, rows: int) -> tuple[Array, Array]:
    """H over the first `rows` weeks and its derivative in (decay, log K, slope)."""
    decay, log_k, slope = theta[:3]
    w, dw = _weights(float(decay), lag.shape[1] - 1)
    carried = np.maximum(lag[:rows] @ w, 1e-12)
    d_carried = lag[:rows] @ dw
    log_ratio = np.log(carried) - log_k
    u = np.exp(np.clip(slope * log_ratio, -700, 700))
    g = u / (1.0 + u) ** 2
    grads = np.column_stack([slope * g / carried * d_carried, -slope * g, g * log_ratio])
    return u / (1.0 + u), grads


def _channel_terms(theta: Array, lag: Array, rows: int, train: int) -> tuple[Array, Array]:
    """Contribution over the first `rows` weeks and its derivative in θ = (decay, log K,
    slope, b). b is the mean contribution over the `train` weeks, so top = b / mean(H):
    the ROI is proportional to b, which keeps it well conditioned."""
    h, dh = _shape(theta, lag, rows)
    b = theta[3]
    m = max(float(h[:train].mean()), 1e-12)
    dm = dh[:train].mean(axis=0)
    grads = np.column_stack([b * (dh * m - np.outer(h, dm)) / m**2, h / m])
    return b * h / m, grads


def _top(theta: Array, lag: Array, train: int) -> float:
    h, _ = _shape(theta, lag, train)
    return float(theta[3] / max(float(h.mean()), 1e-12))


def _lift_value(theta: Array, lag: Array, start: int, end: int, dx: float, train: int) -> float:
    decay, log_k, slope = theta[:3]
    top = _top(theta, lag, train)
    w, _ = _weights(float(decay), lag.shape[1] - 1)
    max_lag = lag.shape[1] - 1
    stop = min(lag.shape[0], end + max_lag + 1)
    base = lag[start:stop] @ w
    changed = np.zeros(stop - start)
    changed[: end - start + 1] = dx
    hill = Hill(top=1.0, half_saturation=float(np.exp(log_k)), slope=float(slope))
    after = np.maximum(base + _convolved(changed, w), 0.0)
    return float(top * (hill.value(after) - hill.value(base)).sum())


def _convolved(values: Array, weights: Array) -> Array:
    """Carry-over of `values` with these weights, from zero before the first week."""
    return np.asarray(np.convolve(values, weights)[: values.size], dtype=np.float64)


def _residuals(theta: Array, problem: _Problem) -> tuple[Array, Array]:
    n, c = problem.weeks, problem.channels
    media = np.zeros(n)
    jac_media = np.zeros((n, 4 * c))
    for index in range(c):
        part = theta[4 * index : 4 * index + 4]
        contribution, grads = _channel_terms(part, problem.lags[index], n, n)
        media += contribution
        jac_media[:, 4 * index : 4 * index + 4] = grads
    data = problem.project(problem.y - media)
    jac_data = -problem.project(jac_media)
    # Priors as extra residuals, weighted like the data's noise.
    s = problem.prior_scale
    decay, log_k, slope = theta[0::4], theta[1::4], theta[2::4]
    prior = s * np.concatenate(
        [
            (log_k - problem.log_k0) / PRIORS["log_k_sd"],
            (slope - PRIORS["slope"]) / PRIORS["slope_sd"],
            (decay - PRIORS["decay"]) / PRIORS["decay_sd"],
        ]
    )
    jac_prior = np.zeros((3 * c, 4 * c))
    for index in range(c):
        jac_prior[index, 4 * index + 1] = s / PRIORS["log_k_sd"]
        jac_prior[c + index, 4 * index + 2] = s / PRIORS["slope_sd"]
        jac_prior[2 * c + index, 4 * index] = s / PRIORS["decay_sd"]
    rows, jac_rows = [data, prior], [jac_data, jac_prior]
    for channel, start, end, dx, inc, se in problem.lifts:
        part = theta[4 * channel : 4 * channel + 4]
        lag = problem.lags[channel]
        value = _lift_value(part, lag, start, end, dx, problem.weeks)
        jac = np.zeros(4 * c)
        for k in range(4):
            step = 1e-6 * max(1.0, abs(part[k]))
            moved = part.copy()
            moved[k] += step
            jac[4 * channel + k] = (
                _lift_value(moved, lag, start, end, dx, problem.weeks) - value
            ) / step
        rows.append(np.array([s * (value - inc) / se]))
        jac_rows.append((s / se * jac)[None, :])
    return np.concatenate(rows), np.vstack(jac_rows)


def _start(problem: _Problem, decay: float, slope: float, design: Array) -> Array:
    """Initial θ: the priors' K, the given decay and slope, tops by least squares."""
    n, c = problem.weeks, problem.channels
    shapes = np.zeros((n, c))
    theta = np.zeros(4 * c)
    for index in range(c):
        part = np.array([decay, problem.log_k0[index], slope, 1.0])
        shapes[:, index], _ = _channel_terms(part, problem.lags[index], n, n)
        theta[4 * index : 4 * index + 3] = part[:3]
    coef, *_ = np.linalg.lstsq(np.column_stack([design, shapes]), problem.y, rcond=None)
    theta[3::4] = np.clip(coef[design.shape[1] :], 0.01, 1e3)
    return theta


class _Cached:
    """Residuals and Jacobian come from one evaluation; least_squares asks for them apart."""

    def __init__(self, problem: _Problem) -> None:
        self.problem = problem
        self.key = b""
        self.value: tuple[Array, Array] = (np.zeros(0), np.zeros((0, 0)))

    def _both(self, theta: Array) -> tuple[Array, Array]:
        key = theta.tobytes()
        if key != self.key:
            self.key, self.value = key, _residuals(theta, self.problem)
        return self.value

    def residuals(self, theta: Array) -> Array:
        return self._both(theta)[0]

    def jacobian(self, theta: Array) -> Array:
        return self._both(theta)[1]


def _least_squares(problem: _Problem, start: Array) -> Any:
    lower, upper = problem.lower_upper()
    cached = _Cached(problem)
    return least_squares(
        cached.residuals,
        np.clip(start, lower, upper),
        jac=cached.jacobian,
        bounds=(lower, upper),
        method="trf",
        x_scale="jac",
        max_nfev=200,
    )


def _solve(problem: _Problem, design: Array) -> tuple[Array, Array, Array]:
    """The best of the starts, then refitted with the priors weighted by the noise the
    fit found (the rough first σ would make weak priors strong on quiet data)."""
    best = None
    for decay, slope in STARTS:
        result = _least_squares(problem, _start(problem, decay, slope, design))
        if best is None or result.cost < best.cost:
            best = result
    assert best is not None
    theta = np.asarray(best.x)
    dof = max(1, problem.weeks - design.shape[1] - theta.size)
    for _ in range(2):
        data = _residuals(theta, problem)[0][: problem.weeks]
        problem.prior_scale = max(float(np.sqrt((data**2).sum() / dof)), 1e-6)
        theta = np.asarray(_least_squares(problem, theta).x)
    residual, jac = _residuals(theta, problem)
    return theta, residual, jac


def _problem(
    spend: Sequence[Array],
    y: Array,
    controls: Mapping[str, Array],
    weeks: int,
    max_lag: int,
    lifts: list[tuple[int, int, int, float, float, float]],
) -> tuple[_Problem, Array, Array, float]:
    """The scaled problem on the first `weeks` weeks; also the design and the scales."""
    scale_y = float(y[:weeks].std())
    lags, log_k0, scales = [], [], []
    for x in spend:
        positive = x[x > 0]
        scale = float(positive.mean())
        scaled = x / scale
        lag = np.zeros((x.size, max_lag + 1))
        for shift in range(max_lag + 1):
            lag[shift:, shift] = scaled[: x.size - shift]
        lags.append(lag)
        log_k0.append(float(np.log(np.median(positive) / scale)))
        scales.append(scale)
    design = baseline_matrix(weeks, controls, season=weeks >= SEASON_WEEKS)
    q, _ = np.linalg.qr(design)
    ys = y[:weeks] / scale_y
    rough = np.column_stack([design] + [lag[:weeks, 0] for lag in lags])
    coef, *_ = np.linalg.lstsq(rough, ys, rcond=None)
    rough_sd = float(np.std(ys - rough @ coef))
    scaled_lifts = [
        (ch, start, end, dx / scales[ch], inc / scale_y, se / scale_y)
        for ch, start, end, dx, inc, se in lifts
    ]
    problem = _Problem(
        y=ys,
        lags=lags,
        weeks=weeks,
        projector_q=q,
        log_k0=np.array(log_k0),
        prior_scale=max(rough_sd, 1e-3),
        lifts=scaled_lifts,
    )
    return problem, design, np.array(scales), scale_y


def _media(theta: Array, problem: _Problem, rows: int) -> Array:
    total = np.zeros(rows)
    for index in range(problem.channels):
        part = theta[4 * index : 4 * index + 4]
        total += _channel_terms(part, problem.lags[index], rows, problem.weeks)[0]
    return total


def _holdout_mape(
    spend: Sequence[Array],
    y: Array,
    controls: Mapping[str, Array],
    holdout: int,
    max_lag: int,
) -> float | None:
    train = y.size - holdout
    problem, design, _, scale_y = _problem(spend, y, controls, train, max_lag, [])
    theta, _, _ = _solve(problem, design)
    media_all = _media(theta, problem, y.size) * scale_y
    coef, *_ = np.linalg.lstsq(design, y[:train] - media_all[:train], rcond=None)
    # Controls are standardised on the training weeks in `design`: rebuild them the same way.
    full = _extend_design(y.size, controls, train)
    forecast = full[train:] @ coef + media_all[train:]
    actual = y[train:]
    keep = actual != 0
    if not keep.any():
        return None
    return float(np.mean(np.abs(forecast[keep] - actual[keep]) / np.abs(actual[keep])))


def _extend_design(weeks: int, controls: Mapping[str, Array], train: int) -> Array:
    """The baseline columns for all weeks, scaled as on the first `train` weeks."""
    t = np.arange(weeks, dtype=np.float64)
    columns = [np.ones(weeks), t / 104.0]
    if train >= SEASON_WEEKS:
        for k in range(1, FOURIER_ORDER + 1):
            columns += [np.sin(2 * np.pi * k * t / YEAR), np.cos(2 * np.pi * k * t / YEAR)]
    for values in controls.values():
        head = values[:train]
        if np.ptp(head) > 0:
            columns.append((values - head.mean()) / head.std())
    return np.column_stack(columns)


# ---------------------------------------------------------------------------- public


def fit(
    spend: Mapping[str, ArrayLike],
    outcome: ArrayLike,
    *,
    controls: Mapping[str, ArrayLike] | None = None,
    outcome_kind: Outcome = "revenue",
    holdout_weeks: int = 8,
    lift_tests: Sequence[LiftTest] = (),
    max_lag: int = DEFAULT_MAX_LAG,
    draws: int = DRAWS,
    seed: int = 0,
) -> FitResult:
    """Fit every channel's curve jointly; see the module docstring. Raises UnusableData
    (TooFewWeeks below MIN_WEEKS) for data no fit can use."""
    began = time.perf_counter()
    columns, y, extra = _inputs(spend, outcome, controls or {})
    names = list(columns)
    full_design = baseline_matrix(y.size, extra, season=y.size >= SEASON_WEEKS)
    reasons = channel_checks(columns, full_design)
    excluded = {n for n, r in reasons.items() if r.code in _EXCLUDED}
    modelled = [n for n in names if n not in excluded]
    lifts = _lift_rows(lift_tests, modelled, y.size)

    holdout = max(0, int(holdout_weeks))
    mape = None
    if modelled and holdout and y.size - holdout >= MIN_WEEKS:
        mape = _holdout_mape([columns[n] for n in modelled], y, extra, holdout, max_lag)
    elif not modelled or y.size - holdout < MIN_WEEKS:
        holdout = 0

    curves: dict[str, ChannelCurve] = {}
    local: dict[str, tuple[float, float, float] | None] = {}
    # No channel modelled: the baseline alone explains what it can.
    r2 = _r2_on(y, full_design)
    dof = max(1, y.size - full_design.shape[1])
    noise_sd = float(np.sqrt((1.0 - r2) * float(((y - y.mean()) ** 2).sum()) / dof))
    if modelled:
        spends = [columns[n] for n in modelled]
        problem, design, scales, scale_y = _problem(spends, y, extra, y.size, max_lag, lifts)
        theta, residual, jac = _solve(problem, design)
        data_resid = residual[: y.size] * scale_y
        total = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - float((data_resid**2).sum()) / total
        dof = max(1, y.size - design.shape[1] - 4 * len(modelled))
        noise_sd = float(np.sqrt((data_resid**2).sum() / dof))
        samples = _laplace(theta, residual[: y.size], jac, problem, dof, draws, seed)
        for index, name in enumerate(modelled):
            curves[name], local[name] = _curve(
                name,
                columns[name],
                theta,
                samples,
                index,
                problem.lags[index],
                (float(scales[index]), scale_y),
                max_lag,
            )
    result_curves = []
    roi_unknown: dict[str, Reason] = {}
    reference = reference_return(
        [(curves[n], local[n]) for n in curves if n not in reasons and local[n] is not None]
    )
    for name in names:
        curve = curves.get(name) or _unfitted(name, columns[name], max_lag)
        reason = reasons.get(name)
        if reason is None and name in curves:
            reason = _local_reason(curve, local[name], reference)
        if reason is None and name in curves and not curve.roi_known:
            # Judged (movable within the observed spend), its ROI reported as not known.
            roi_unknown[name] = _width_reason(curve) or Reason("interval_too_wide")
            curve = observed_bounds(curve)
        if reason is not None:
            reasons[name] = reason
            curve = replace(curve, status="not_enough_data", reason=reason.code)
        result_curves.append(curve)
    summary = FitSummary(
        weeks=int(y.size),
        outcome=outcome_kind,
        r2=r2,
        holdout_weeks=holdout,
        holdout_mape=mape,
        noise_sd=noise_sd,
        seconds=time.perf_counter() - began,
        draws=draws if modelled else 0,
        season=y.size >= SEASON_WEEKS,
        controls=tuple(n for n, v in extra.items() if np.ptp(v) > 0),
        constant_controls=tuple(n for n, v in extra.items() if np.ptp(v) == 0),
        lift_tests=len(lifts),
    )
    return FitResult(
        curves=tuple(result_curves), summary=summary, reasons=reasons, roi_unknown=roi_unknown
    )


# A channel whose spend never moves (or is absent, or moves only with the trend and season)
# is left out of the model: its effect, if any, is part of the baseline. Channels collinear
# with each other stay in (their spend still explains the outcome) but are not judged.
_EXCLUDED = {"no_spend", "too_few_active_weeks", "too_little_variation", "collinear_with_baseline"}


def _lift_rows(
    tests: Sequence[LiftTest], modelled: list[str], weeks: int
) -> list[tuple[int, int, int, float, float, float]]:
    rows = []
    for number, test in enumerate(tests, start=1):
        if test.channel not in modelled:
            raise UnusableData("lift_test_channel", test=number, channel=test.channel)
        if not (0 <= test.start <= test.end < weeks):
            raise UnusableData("lift_test_weeks", test=number, weeks=weeks)
        values = (test.spend_change, test.incremental, test.standard_error)
        if not all(np.isfinite(values)) or test.standard_error <= 0:
            raise UnusableData("lift_test_values", test=number)
        change, incremental, error = (float(v) for v in values)
        rows.append(
            (modelled.index(test.channel), test.start, test.end, change, incremental, error)
        )
    return rows


def _laplace(
    theta: Array,
    data_residual: Array,
    jac: Array,
    problem: _Problem,
    dof: int,
    draws: int,
    seed: int,
) -> Array:
    """Draws of θ from the Gaussian approximation at the optimum, clipped to the bounds."""
    sigma2 = float((data_residual**2).sum()) / dof
    r = data_residual
    rho = float(np.dot(r[1:], r[:-1]) / max(np.dot(r, r), 1e-300))
    inflation = (1 + rho) / (1 - rho) if 0 < rho < 0.9 else (19.0 if rho >= 0.9 else 1.0)
    # The prior and lift rows were weighted with the rough σ; rescale them to σ̂ so
    # JᵀJ/σ̂² is the posterior precision.
    weight = np.ones(jac.shape[0])
    weight[problem.weeks :] = np.sqrt(sigma2) / problem.prior_scale
    scaled = jac * weight[:, None]
    precision = scaled.T @ scaled / sigma2
    cov = np.linalg.pinv(precision, hermitian=True) * inflation
    cov = (cov + cov.T) / 2
    values, vectors = np.linalg.eigh(cov)
    root = vectors * np.sqrt(np.maximum(values, 0.0))
    rng = np.random.default_rng(seed)
    samples = theta + rng.standard_normal((draws, theta.size)) @ root.T
    lower, upper = problem.lower_upper()
    return np.asarray(np.clip(samples, lower, upper), dtype=np.float64)


def _curve(
    name: str,
    x: Array,
    theta: Array,
    samples: Array,
    index: int,
    lag: Array,
    scales: tuple[float, float],
    max_lag: int,
) -> tuple[ChannelCurve, tuple[float, float, float] | None]:
    scale_x, scale_y = scales

    def hill(part: Array) -> Hill:
        return Hill(
            top=_top(part, lag, x.size) * scale_y,
            half_saturation=float(np.exp(part[1]) * scale_x),
            slope=float(part[2]),
        )

    def roi(part: Array) -> float:
        # b is the mean weekly contribution (scaled): the ROI is b·T / Σ spend.
        return float(part[3] * scale_y * x.size / x.sum())

    part = theta[4 * index : 4 * index + 4]
    draws = samples[:, 4 * index : 4 * index + 4]
    rois = np.array([roi(d) for d in draws])
    # Draws clipped at a bound can leave the estimate just outside their 90 % range.
    low = min(float(np.quantile(rois, 0.05)), roi(part))
    high = max(float(np.quantile(rois, 0.95)), roi(part))
    carried = geometric_adstock(x, float(part[0]), max_lag)
    responses = [hill(d) for d in draws]
    curve = ChannelCurve(
        name=name,
        response=hill(part),
        decay=float(part[0]),
        max_lag=max_lag,
        roi=roi(part),
        roi_low=float(low),
        roi_high=float(high),
        roi_known=roi_is_known(low, high),
        current=float(x[-CURRENT_WEEKS:].mean()),
        observed_max=float(carried.max()),
        # The first max_lag weeks have no history: their carry-over is lower than it was.
        observed_min=observed_low(x, float(part[0]), max_lag),
        draws=tuple(responses[:DRAWS_KEPT]),
    )
    return curve, local_return(curve, responses)


def roi_is_known(low: float, high: float) -> bool:
    """Whether an ROI interval is narrow enough to act on: 0 < low, high ≤ MAX_ROI_RATIO × low."""
    return bool(low > 0 and high <= MAX_ROI_RATIO * low)


def local_return(
    curve: ChannelCurve, draws: Sequence[Response]
) -> tuple[float, float, float] | None:
    """The average marginal return over the observed carried-over spend,
    (f(observed_max) − f(observed_min)) / (observed_max − observed_min), with its 90 %
    interval over `draws`: (estimate, low, high); None without an observed range."""
    lo, hi = curve.observed_min, curve.observed_max
    if lo is None or hi is None or not hi > lo:
        return None

    def slope(response: Response) -> float:
        return float((response.value(hi) - response.value(lo)) / (hi - lo))

    values = np.array([slope(d) for d in draws]) if draws else np.array([slope(curve.response)])
    estimate = slope(curve.response)
    low = min(float(np.quantile(values, 0.05)), estimate)
    high = max(float(np.quantile(values, 0.95)), estimate)
    return estimate, low, high


def observed_bounds(curve: ChannelCurve) -> ChannelCurve:
    """The curve with min/max set to the carried-over spend the data saw (widened to the
    current spend): where its ROI is not known, the allocator moves it only there unless
    told otherwise."""
    if curve.observed_min is None or curve.observed_max is None:
        return curve
    now = curve.current if curve.current is not None else curve.observed_min
    return replace(curve, min=min(curve.observed_min, now), max=max(curve.observed_max, now))


def reference_return(
    channels: Sequence[tuple[ChannelCurve, tuple[float, float, float] | None]],
) -> float:
    """What money returns elsewhere: the channels' average marginal returns over their
    observed spend (`local_return`'s estimates), weighted by their current spend."""
    weights = [c.current or 0.0 for c, _ in channels]
    if not channels or sum(weights) <= 0:
        return 0.0
    return sum(
        w * local[0] for w, (_, local) in zip(weights, channels, strict=True) if local
    ) / sum(weights)


def _local_reason(
    curve: ChannelCurve, local: tuple[float, float, float] | None, reference: float
) -> Reason | None:
    """Not judged when even the curve over the spend the data saw is not identified: the
    90 % interval of its average marginal return there is wider than MAX_LOCAL_WIDTH × the
    larger of its estimate and `reference` (the return money gets elsewhere — a return
    known to be far below that is known well enough to move money away from it)."""
    if local is None:
        return Reason(
            "response_not_identified", {"low": 0.0, "high": 0.0, "spend_low": 0, "spend_high": 0}
        )
    estimate, low, high = local
    if high - low > MAX_LOCAL_WIDTH * max(estimate, reference, 0.0):
        return Reason(
            "response_not_identified",
            {
                "low": low,
                "high": high,
                "spend_low": round(float(curve.observed_min or 0.0)),
                "spend_high": round(float(curve.observed_max or 0.0)),
            },
        )
    return None


def _unfitted(name: str, x: Array, max_lag: int) -> ChannelCurve:
    """A channel left out of the model: no curve the data supports (top 0)."""
    positive = x[x > 0]
    return ChannelCurve(
        name=name,
        response=Hill(
            top=0.0, half_saturation=float(positive.mean()) if positive.size else 1.0, slope=1.0
        ),
        max_lag=max_lag,
        current=float(x[-CURRENT_WEEKS:].mean()),
        observed_max=float(x.max()),
        observed_min=observed_low(x, 0.0, max_lag),
    )


def _width_reason(curve: ChannelCurve) -> Reason | None:
    if curve.roi is None or curve.roi_low is None or curve.roi_high is None:
        return None
    if not roi_is_known(curve.roi_low, curve.roi_high):
        return Reason(
            "interval_too_wide",
            {"roi": curve.roi, "low": curve.roi_low, "high": curve.roi_high},
        )
    return None
