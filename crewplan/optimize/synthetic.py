"""A seeded synthetic benchmark suite for the fit (issue 12): weekly data with a known truth.
Pure numpy: no Django.

`generate(seed)` draws 104 weeks (by default) of spend for 3–8 channels in patterns seen in
real accounts: flighting (weeks on and off), bursts over an always-on level, a trend, and
some channels whose spend hardly varies. Each channel's spend carries over (geometric
adstock, `curves.geometric_adstock`, no history before week 0) into a Hill response (some
concave, some S-shaped up to slope 2.5). The outcome is a baseline (level, linear trend,
yearly seasonality) plus a promotion control plus the channels plus Gaussian noise.

The truth: each channel's `ChannelCurve` (decay, Hill) and its ROI, the channel's total
contribution over the window divided by its total spend there — the quantity `fit.py`
reports with a 90 % interval. Currency amounts are in units of a few thousand to tens of
thousands a week (TWD-like); the outcome is revenue in the same currency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crewplan.optimize.curves import DEFAULT_MAX_LAG, Array, ChannelCurve, Hill, geometric_adstock

PATTERNS = ("flighting", "bursts", "trend", "steady_varied", "flat")
NOISE = (0.01, 0.025)  # the suite's weekly noise, sd as a share of the mean outcome
HARD_NOISE = (0.02, 0.04)  # the harder variant the benchmark also reports
# The second family (`family="hard"`): other ranges than the default one's, so that the fit
# is not judged on the ranges it was developed on. Spend levels from 300 to 300,000 a
# week (log-uniform), pulsed channels (one or two weeks on, then off), half-saturation
# 0.3–4 × the mean active spend, Hill slope 0.5–1 or 1–3, decay 0–0.9, noise HARD_NOISE.
HARD_PATTERNS = ("pulsed", "flighting", "bursts", "trend", "steady_varied")


@dataclass(frozen=True)
class Channel:
    """One channel's truth."""

    curve: ChannelCurve
    pattern: str
    contribution: Array  # weekly outcome this channel caused
    roi: float  # contribution.sum() / spend.sum()


@dataclass(frozen=True)
class Dataset:
    spend: dict[str, Array]  # weekly spend per channel, in currency
    outcome: Array  # weekly revenue
    controls: dict[str, Array]  # name → weekly value (here "promotion", 0/1)
    truth: dict[str, Channel]
    baseline: Array  # the outcome with no channel spend (without noise)
    noise_sd: float

    @property
    def weeks(self) -> int:
        return int(self.outcome.size)


def _pattern_spend(rng: np.random.Generator, pattern: str, weeks: int, level: float) -> Array:
    if pattern == "flighting":
        on = np.zeros(weeks)
        week = int(rng.integers(0, 4))
        while week < weeks:
            length = int(rng.integers(3, 9))
            on[week : week + length] = 1.0
            week += length + int(rng.integers(2, 7))
        spend = on * level * rng.uniform(0.6, 1.6, weeks)
    elif pattern == "bursts":
        spend = level * 0.6 * rng.uniform(0.7, 1.3, weeks)
        for start in rng.choice(weeks - 4, size=int(rng.integers(4, 8)), replace=False):
            spend[start : start + int(rng.integers(2, 5))] += level * rng.uniform(1.0, 2.5)
    elif pattern == "trend":
        ramp = np.linspace(0.4, 1.6, weeks) if rng.random() < 0.7 else np.linspace(1.6, 0.5, weeks)
        spend = level * ramp * rng.uniform(0.6, 1.4, weeks)
    elif pattern == "steady_varied":
        spend = level * np.exp(rng.normal(0.0, 0.45, weeks))
    elif pattern == "pulsed":  # one or two weeks on, then two to five weeks off
        on = np.zeros(weeks)
        week = int(rng.integers(0, 3))
        while week < weeks:
            length = int(rng.integers(1, 3))
            on[week : week + length] = 1.0
            week += length + int(rng.integers(2, 6))
        spend = on * level * rng.uniform(0.5, 2.0, weeks)
    else:  # "flat": an always-on channel nobody touches: ±3 % around its level
        spend = level * rng.uniform(0.97, 1.03, weeks)
    return np.asarray(np.maximum(spend, 0.0).round(0), dtype=np.float64)


def generate(
    seed: int,
    weeks: int = 104,
    channels: int | None = None,
    max_lag: int = DEFAULT_MAX_LAG,
    noise: tuple[float, float] = NOISE,
    family: str = "default",
) -> Dataset:
    """The suite's data set number `seed`: same seed, same data. The noise's sd is drawn
    from `noise` as a share of the mean outcome. `family="hard"`: the second family (other
    ranges, pulsed channels, noise HARD_NOISE whatever `noise` says)."""
    hard = family == "hard"
    rng = np.random.default_rng(seed + (1_000_003 if hard else 0))
    count = int(rng.integers(3, 9)) if channels is None else channels
    t = np.arange(weeks, dtype=np.float64)
    # At most one flat channel per data set: the suite checks it is flagged; the others vary.
    patterns = list(rng.choice(HARD_PATTERNS if hard else PATTERNS[:4], size=count))
    if count >= 4 and rng.random() < 0.4:
        patterns[int(rng.integers(count))] = "flat"
    noise = HARD_NOISE if hard else noise
    spend: dict[str, Array] = {}
    truth: dict[str, Channel] = {}
    for index, pattern in enumerate(patterns):
        name = f"channel_{index + 1}"
        if hard:
            level_spend = float(np.exp(rng.uniform(np.log(300), np.log(300_000))))
        else:
            level_spend = float(rng.uniform(5_000, 60_000))
        x = _pattern_spend(rng, str(pattern), weeks, level_spend)
        if hard:
            decay = float(rng.uniform(0.0, 0.9))
            slope = float(rng.choice([rng.uniform(0.5, 1.0), rng.uniform(1.0, 3.0)]))
            spread = rng.uniform(0.3, 4.0)
        else:
            decay = float(rng.uniform(0.0, 0.8))
            slope = float(rng.choice([rng.uniform(0.6, 1.0), rng.uniform(1.0, 2.5)]))
            spread = rng.uniform(0.6, 2.0)
        half = float(np.mean(x[x > 0]) * spread) if x.any() else level_spend
        roi_target = rng.uniform(0.8, 4.0)  # the outcome per currency unit at the typical spend
        carried = geometric_adstock(x, decay, max_lag)
        shape = Hill(top=1.0, half_saturation=half, slope=slope)
        scale = roi_target * x.sum() / max(float(shape.value(carried).sum()), 1e-9)
        curve = Hill(top=float(scale), half_saturation=half, slope=slope)
        contribution = curve.value(carried)
        truth[name] = Channel(
            curve=ChannelCurve(name=name, response=curve, decay=decay, max_lag=max_lag),
            pattern=str(pattern),
            contribution=contribution,
            roi=float(contribution.sum() / x.sum()) if x.sum() > 0 else 0.0,
        )
        spend[name] = x
    media = sum((c.contribution for c in truth.values()), np.zeros(weeks))
    # The baseline carries 55–75 % of the outcome, as in most accounts.
    level = float(media.mean()) * rng.uniform(1.2, 3.0)
    trend = level * rng.uniform(-0.15, 0.3) / weeks
    phase = rng.uniform(0, 2 * np.pi)
    seasonal = level * (
        rng.uniform(0.05, 0.15) * np.sin(2 * np.pi * t / 52.18 + phase)
        + rng.uniform(0.0, 0.05) * np.cos(4 * np.pi * t / 52.18 + phase)
    )
    promotion = np.zeros(weeks)
    promotion[rng.choice(weeks, size=max(1, weeks // 10), replace=False)] = 1.0
    baseline = level + trend * t + seasonal + promotion * level * rng.uniform(0.1, 0.25)
    noise_sd = float(rng.uniform(*noise) * (baseline.mean() + media.mean()))
    outcome = baseline + media + rng.normal(0.0, noise_sd, weeks)
    return Dataset(
        spend=spend,
        outcome=np.asarray(outcome, dtype=np.float64),
        controls={"promotion": promotion},
        truth=truth,
        baseline=np.asarray(baseline, dtype=np.float64),
        noise_sd=noise_sd,
    )
