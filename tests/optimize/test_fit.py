"""optimize/fit.py: curves recovered from synthetic data with a known truth, and honest
answers (not_enough_data with a reason, or a clear refusal) on data that cannot tell."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crewplan.optimize import fit as fitting
from crewplan.optimize.curves import ChannelCurve, Hill, geometric_adstock
from crewplan.optimize.fit import LiftTest, TooFewWeeks, UnusableData, fit
from crewplan.optimize.synthetic import generate


def relative_error(estimate: float | None, truth: float) -> float:
    assert estimate is not None
    return abs(estimate - truth) / truth


def test_quiet_data_recovers_every_channels_roi_within_15_percent() -> None:
    data = generate(11, channels=3, noise=(0.004, 0.006))
    result = fit(data.spend, data.outcome, controls=data.controls)
    for curve in result.curves:
        truth = data.truth[curve.name]
        assert curve.status == "ok", result.reasons
        assert relative_error(curve.roi, truth.roi) < 0.15
        assert curve.roi_low is not None and curve.roi_high is not None
        assert curve.roi_low <= curve.roi <= curve.roi_high
    assert result.summary.r2 > 0.97
    assert result.summary.holdout_mape is not None and result.summary.holdout_mape < 0.03


def test_suite_channels_whose_roi_is_known_are_within_the_stated_tolerance() -> None:
    # Stated tolerance, over six seeds together (a seed may have no channel whose ROI is
    # known): over the channels whose ROI the fit reports as known, the mean ROI error is
    # under 25 %, none is off by more than 50 %, and the 90 % intervals hold most true
    # ROIs. The others are named in roi_unknown, with an interval wider than the rule.
    known: list[tuple[ChannelCurve, float]] = []
    for seed in (1, 3, 5, 8, 11, 12):
        data = generate(seed)
        result = fit(data.spend, data.outcome, controls=data.controls)
        for curve in result.curves:
            if curve.status == "ok" and curve.roi_known:
                known.append((curve, data.truth[curve.name].roi))
            elif curve.status == "ok":
                assert result.roi_unknown[curve.name].code == "interval_too_wide"
                assert not fitting.roi_is_known(curve.roi_low, curve.roi_high)  # type: ignore[arg-type]
    assert len(known) >= 10
    errors = [relative_error(c.roi, truth) for c, truth in known]
    assert np.mean(errors) < 0.25 and max(errors) < 0.5
    covered = [c.roi_low <= truth <= c.roi_high for c, truth in known]  # type: ignore[operator]
    assert np.mean(covered) >= 0.7
    assert result.summary.seconds < 5


def test_a_flat_channel_is_not_judged_and_says_how_to_fix_it() -> None:
    data = generate(3)
    flat = next(name for name, t in data.truth.items() if t.pattern == "flat")
    result = fit(data.spend, data.outcome, controls=data.controls)
    curve = result.curve(flat)
    assert curve.status == "not_enough_data" and curve.reason == "too_little_variation"
    assert curve.roi is None and curve.response.top == 0
    assert result.reasons[flat].params["needed"] == 30
    assert result.reasons[flat].params["variation"] < fitting.MIN_VARIATION * 100


def two_channels(weeks: int = 80, seed: int = 1) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    search = rng.uniform(5_000, 20_000, weeks)
    social = np.where(np.arange(weeks) % 6 < 3, rng.uniform(8_000, 15_000, weeks), 0.0)
    outcome = (
        100_000
        + Hill(60_000, 12_000, 1.0).value(geometric_adstock(search, 0.3))
        + Hill(40_000, 10_000, 1.5).value(geometric_adstock(social, 0.5))
        + rng.normal(0, 800, weeks)
    )
    return {"search": search, "social": social}, outcome


@pytest.mark.parametrize(
    ("spend", "code"),
    [
        (np.full(80, 10_000.0), "too_little_variation"),
        (np.zeros(80), "no_spend"),
        (np.where(np.arange(80) < 5, 9_000.0, 0.0), "too_few_active_weeks"),
        (np.linspace(1_000, 30_000, 80), "collinear_with_baseline"),
    ],
)
def test_a_channel_the_data_cannot_judge_gets_no_number(spend: np.ndarray, code: str) -> None:
    channels, outcome = two_channels()
    result = fit(channels | {"tv": spend}, outcome)
    tv = result.curve("tv")
    assert (tv.status, tv.reason, result.reasons["tv"].code) == ("not_enough_data", code, code)
    assert tv.roi is None and tv.response.top == 0 and not tv.draws  # left out of the model
    assert result.curve("search").status == "ok"


def test_two_perfectly_collinear_channels_are_both_flagged_naming_the_other() -> None:
    channels, outcome = two_channels()
    result = fit(channels | {"search_copy": channels["search"] * 2}, outcome)
    for name, other in (("search", "search_copy"), ("search_copy", "search")):
        reason = result.reasons[name]
        assert result.curve(name).status == "not_enough_data"
        assert (reason.code, reason.params["other"]) == ("collinear_with_channel", other)
        assert reason.params["corr"] == pytest.approx(1.0)
    assert result.curve("social").status == "ok"


@pytest.mark.parametrize(
    ("change", "code", "params"),
    [
        ({"search": [np.nan]}, "missing_value", {"column": "search", "week": 8}),
        ({"social": [-1.0]}, "negative_spend", {"column": "social", "week": 8}),
        ({"outcome": [np.inf]}, "missing_value", {"column": "outcome", "week": 8}),
    ],
)
def test_missing_or_negative_values_are_refused_with_the_week(
    change: dict[str, list[float]], code: str, params: dict[str, object]
) -> None:
    channels, outcome = two_channels()
    (column, (value,)) = next(iter(change.items()))
    if column == "outcome":
        outcome = outcome.copy()
        outcome[7] = value
    else:
        channels[column] = channels[column].copy()
        channels[column][7] = value
    with pytest.raises(UnusableData) as refused:
        fit(channels, outcome)
    assert (refused.value.code, refused.value.params) == (code, params)


@pytest.mark.parametrize("weeks", [3, 10, fitting.MIN_WEEKS - 1])
def test_too_few_weeks_are_refused_stating_the_minimum(weeks: int) -> None:
    channels, outcome = two_channels()
    with pytest.raises(TooFewWeeks) as refused:
        fit({k: v[:weeks] for k, v in channels.items()}, outcome[:weeks])
    assert isinstance(refused.value, ValueError)
    assert (refused.value.weeks, refused.value.minimum) == (weeks, fitting.MIN_WEEKS)


@pytest.mark.parametrize(
    ("spend", "outcome", "code"),
    [
        ({}, np.ones(40), "no_channels"),
        ({"a": np.ones(39)}, np.ones(40), "lengths_differ"),
        ({"a": np.arange(40.0)}, np.ones(40), "constant_outcome"),
    ],
)
def test_unusable_shapes_are_refused(
    spend: dict[str, np.ndarray], outcome: np.ndarray, code: str
) -> None:
    with pytest.raises(UnusableData) as refused:
        fit(spend, outcome)
    assert refused.value.code == code


def test_a_fit_of_only_flat_channels_has_no_curve_and_no_holdout() -> None:
    rng = np.random.default_rng(2)
    result = fit({"tv": np.full(60, 5_000.0)}, rng.normal(1000, 10, 60))
    assert result.curve("tv").status == "not_enough_data"
    assert (result.summary.holdout_mape, result.summary.holdout_weeks, result.summary.draws) == (
        None,
        0,
        0,
    )


def test_holdout_is_the_last_weeks_and_can_be_switched_off() -> None:
    channels, outcome = two_channels()
    spoiled = outcome.copy()
    spoiled[-8:] *= 3  # only the held-out weeks change: only a time-ordered holdout sees it
    assert fit(channels, spoiled).summary.holdout_mape > 0.6  # type: ignore[operator]
    assert fit(channels, outcome).summary.holdout_mape < 0.05  # type: ignore[operator]
    off = fit(channels, outcome, holdout_weeks=0).summary
    assert (off.holdout_mape, off.holdout_weeks) == (None, 0)


def test_curves_carry_draws_current_spend_and_the_observed_range() -> None:
    channels, outcome = two_channels()
    result = fit(channels, outcome, seed=4)
    search = result.curve("search")
    assert len(search.draws) == fitting.DRAWS_KEPT
    assert all(isinstance(d, Hill) for d in search.draws)
    assert search.current == pytest.approx(channels["search"][-13:].mean())
    assert 0 < search.observed_max <= channels["search"].max()  # type: ignore[operator]
    # The ROI is the curve's contribution over the window per unit of spend.
    carried = geometric_adstock(channels["search"], search.decay, search.max_lag)
    contribution = search.response.value(carried).sum()
    assert search.roi == pytest.approx(contribution / channels["search"].sum(), rel=1e-6)
    again = fit(channels, outcome, seed=4).curve("search")
    assert (again.roi, again.roi_low, again.roi_high) == (
        search.roi,
        search.roi_low,
        search.roi_high,
    )


def always_on(seed: int = 7, weeks: int = 104) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Two channels whose spend never goes near zero (an always-on level ±35 %): the return
    from zero (the ROI) is extrapolation, the curve over the spend seen is not."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    spend = {
        "search": 40_000 * np.exp(rng.normal(0, 0.35, weeks)),
        "social": 20_000 * np.exp(rng.normal(0, 0.35, weeks)),
    }
    curves = {"search": Hill(120_000, 50_000, 1.0), "social": Hill(40_000, 15_000, 1.0)}
    media = sum(curves[n].value(geometric_adstock(x, 0.3)) for n, x in spend.items())
    outcome = 400_000 + 300 * t + 20_000 * np.sin(2 * np.pi * t / 52.18)
    return spend, outcome + media + rng.normal(0, 4_000, weeks)


def test_a_wide_roi_with_an_identified_curve_is_moved_within_the_observed_spend() -> None:
    from crewplan.optimize.allocate import allocate

    spend, outcome = always_on()
    result = fit(spend, outcome)
    # Both were always on: neither return from zero is known (search: 0.87 in 0.15–1.51).
    assert result.curve("search").roi_known is False
    name = "social"
    search = result.curve(name)
    # Judged (the allocator may move it), the ROI honestly reported as not known.
    assert search.status == "ok" and search.roi_known is False
    assert result.roi_unknown[name].code == "interval_too_wide"
    assert name not in result.reasons
    assert search.roi_high > fitting.MAX_ROI_RATIO * search.roi_low  # type: ignore[operator]
    # Its bounds are the carried-over spend the data saw (after the warm-up weeks).
    carried = geometric_adstock(spend[name], search.decay, search.max_lag)
    assert search.observed_min == pytest.approx(carried[search.max_lag :].min())
    assert search.observed_max == pytest.approx(carried.max())
    assert (search.min, search.max) == (
        min(search.observed_min, search.current),  # type: ignore[type-var]
        max(search.observed_max, search.current),  # type: ignore[type-var]
    )
    # Moved, and only within them; told otherwise (wider bounds) it is marked.
    total = sum(c.current for c in result.curves)  # type: ignore[misc]
    moved = {c.name: c for c in allocate(result.curves, total).channels}[name]
    assert search.min <= moved.spend <= search.max  # type: ignore[operator]
    assert abs(moved.spend - search.current) > 0.01 * search.current  # type: ignore[operator]
    assert not moved.extrapolated and not moved.fixed
    wide = allocate(result.curves, 3 * total, bounds={name: (0, 3 * total)})
    far = {c.name: c for c in wide.channels}[name]
    assert far.spend > search.observed_max and far.extrapolated  # type: ignore[operator]
    low = allocate(result.curves, total, bounds={name: (0, 0.1 * search.current)})  # type: ignore[operator]
    assert {c.name: c for c in low.channels}[name].extrapolated  # below observed_min


def test_a_return_known_to_be_far_below_the_others_is_judged_and_cut() -> None:
    from crewplan.optimize.allocate import allocate

    # social returns almost nothing: its estimate is near 0, so its interval is "wide"
    # against its own estimate, but narrow against what money gets elsewhere (search).
    rng = np.random.default_rng(7)
    weeks = 104
    t = np.arange(weeks)
    spend = {
        "search": 40_000 * np.exp(rng.normal(0, 0.35, weeks)),
        "social": 20_000 * np.exp(rng.normal(0, 0.35, weeks)),
    }
    truth = {"search": Hill(120_000, 50_000, 1.0), "social": Hill(1_500, 15_000, 1.0)}
    media = sum(truth[n].value(geometric_adstock(x, 0.3)) for n, x in spend.items())
    outcome = 400_000 + 300 * t + 20_000 * np.sin(2 * np.pi * t / 52.18) + media
    result = fit(spend, outcome + rng.normal(0, 4_000, weeks))
    social = result.curve("social")
    estimate, low, high = fitting.local_return(social, social.draws)  # type: ignore[misc]
    reference = fitting.reference_return(
        [(c, fitting.local_return(c, c.draws)) for c in result.curves]
    )
    assert high - low > fitting.MAX_LOCAL_WIDTH * estimate  # wide against itself
    assert high < reference  # known to be below what search returns
    assert social.status == "ok" and social.roi_known is False
    spent = {
        c.name: c for c in allocate(result.curves, sum(c.current for c in result.curves)).channels
    }  # type: ignore[misc]
    assert spent["social"].spend == pytest.approx(social.min)  # cut to the lowest spend seen
    assert spent["search"].spend > result.curve("search").current  # type: ignore[operator]


def test_a_channel_whose_curve_over_the_observed_spend_is_unknown_is_flagged_and_held() -> None:
    from crewplan.optimize.allocate import allocate

    spend, outcome = always_on()
    # The same data with the outcome's noise ten times larger: nothing local is known.
    noisy = outcome + np.random.default_rng(3).normal(0, 60_000, outcome.size)
    result = fit(spend, noisy)
    flagged = [c for c in result.curves if c.reason == "response_not_identified"]
    assert flagged, result.reasons
    for curve in flagged:
        reason = result.reasons[curve.name]
        assert curve.status == "not_enough_data" and reason.code == "response_not_identified"
        assert reason.params["high"] - reason.params["low"] > 0  # type: ignore[operator]
        assert reason.params["spend_low"] <= reason.params["spend_high"]  # type: ignore[operator]
    total = sum(c.current for c in result.curves)  # type: ignore[misc]
    spent = {c.name: c for c in allocate(result.curves, total).channels}
    for curve in flagged:
        assert spent[curve.name].spend == curve.current and spent[curve.name].fixed


def test_a_lift_test_narrows_the_channels_interval_towards_the_truth() -> None:
    data = generate(0)
    name = "channel_3"
    truth = data.truth[name]
    start, end, change = 40, 47, 8_000.0
    boosted = data.spend[name].copy()
    boosted[start : end + 1] += change
    carried = geometric_adstock(boosted, truth.curve.decay, truth.curve.max_lag)
    incremental = float(
        (truth.curve.response.value(carried) - truth.contribution)[start : end + 9].sum()
    )
    test = LiftTest(name, start, end, change, incremental, abs(incremental) * 0.05)
    before = fit(data.spend, data.outcome, controls=data.controls).curve(name)
    after = fit(data.spend, data.outcome, controls=data.controls, lift_tests=[test]).curve(name)
    width = lambda c: c.roi_high - c.roi_low  # noqa: E731
    assert width(after) < 0.7 * width(before)
    assert relative_error(after.roi, truth.roi) < relative_error(before.roi, truth.roi)
    assert fit(data.spend, data.outcome, lift_tests=[test]).summary.lift_tests == 1


@pytest.mark.parametrize(
    ("test", "code"),
    [
        (LiftTest("nobody", 0, 3, 100.0, 50.0, 5.0), "lift_test_channel"),
        (LiftTest("search", 70, 90, 100.0, 50.0, 5.0), "lift_test_weeks"),
        (LiftTest("search", 0, 3, 100.0, 50.0, 0.0), "lift_test_values"),
    ],
)
def test_a_lift_test_that_cannot_apply_is_refused(test: LiftTest, code: str) -> None:
    channels, outcome = two_channels()
    with pytest.raises(UnusableData) as refused:
        fit(channels, outcome, lift_tests=[test])
    assert refused.value.code == code


@settings(max_examples=20, deadline=None)
@given(
    weeks=st.integers(fitting.MIN_WEEKS, 40),
    kinds=st.lists(
        st.sampled_from(["varied", "flat", "zero", "sparse", "copy"]), min_size=1, max_size=3
    ),
    scale=st.sampled_from([1e-3, 1.0, 1e9]),
    seed=st.integers(0, 10_000),
)
def test_any_input_gives_finite_numbers_or_not_enough_data(
    weeks: int, kinds: list[str], scale: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    spend: dict[str, np.ndarray] = {}
    for index, kind in enumerate(kinds):
        if kind == "varied":
            column = rng.uniform(0, 1000, weeks)
        elif kind == "flat":
            column = np.full(weeks, 500.0)
        elif kind == "zero":
            column = np.zeros(weeks)
        elif kind == "sparse":
            column = np.where(rng.random(weeks) < 0.1, 800.0, 0.0)
        else:
            column = 3 * next(iter(spend.values()), np.ones(weeks))
        spend[f"c{index}"] = column * scale
    outcome = (1000 + rng.normal(0, 50, weeks) + 0.5 * sum(spend.values()) / scale) * scale
    result = fit(spend, outcome, draws=20)
    for curve in result.curves:
        assert (curve.status == "ok") == (curve.name not in result.reasons)
        numbers = [curve.roi, curve.roi_low, curve.roi_high, curve.response.top]
        assert all(np.isfinite(n) for n in numbers if n is not None)
        if curve.status == "ok":
            assert curve.roi_low <= curve.roi <= curve.roi_high  # type: ignore[operator]
    assert np.isfinite(result.summary.r2)


def test_an_roi_is_known_only_within_a_factor_of_four() -> None:
    # The rule is on the interval itself, not on its width against the estimate: an
    # inflated estimate with a wide interval is not known.
    assert fitting.roi_is_known(1.0, 4.0) and fitting.roi_is_known(2.95, 5.43)
    assert not fitting.roi_is_known(3.83, 24.58)  # 6.4×: was "known" under the old rule
    assert not fitting.roi_is_known(0.0, 13.05) and not fitting.roi_is_known(-0.1, 0.2)
