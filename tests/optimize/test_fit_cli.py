"""`crewplan fit DATA.csv`: the CURVES document from a wide weekly file, as a table or
JSON, with exit codes 0 (every channel judged), 1 (some not_enough_data) and 2 (an
unusable file, with a one-line reason on stderr)."""

import dataclasses
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from crewplan.lib.columns import display_width
from crewplan.optimize import document
from crewplan.optimize.curves import observed_low
from crewplan.optimize.synthetic import Dataset, generate
from crewplan.optimize.weekly_file import taiwan_holidays


def write(path: Path, data: Dataset, weeks: int | None = None) -> Path:
    names = list(data.spend)
    lines = ["week,outcome," + ",".join(names) + ",control:promotion"]
    for i in range(weeks or data.weeks):
        monday = date(2025, 1, 6) + timedelta(days=7 * i)
        spend = ",".join(f"{data.spend[n][i]:.0f}" for n in names)
        lines.append(f"{monday},{data.outcome[i]:.2f},{spend},{data.controls['promotion'][i]:.0f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("fit", *args, stdout=out)
    return int(exited.value.code or 0), out.getvalue()


@pytest.fixture(scope="module")
def suite_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    data = generate(3)  # seven channels, one of them flat
    return write(tmp_path_factory.mktemp("fit") / "weekly.csv", data), data


def test_json_is_a_curves_document_with_the_flat_channel_not_judged(
    suite_file: tuple[Path, Dataset],
) -> None:
    path, data = suite_file
    code, out = run(str(path), "--json", "--language", "en", "--currency", "TWD")
    assert code == 1
    curves = document.loads(out)
    assert curves.currency == "TWD" and [c.name for c in curves.channels] == list(data.spend)
    flat = next(n for n, t in data.truth.items() if t.pattern == "flat")
    assert curves.channel(flat).status == "not_enough_data"
    assert "vary this channel's spend by at least ±30 %" in curves.channel(flat).reason
    assert curves.channel(flat).roi is None
    judged = [c for c in curves.channels if c.status == "ok"]
    assert judged and all(c.draws and c.roi_low <= c.roi <= c.roi_high for c in judged)  # type: ignore[operator]
    fit = curves.fit
    assert (fit["weeks"], fit["first_week"], fit["last_week"]) == (104, "2025-01-06", "2026-12-28")
    assert fit["holdout_weeks"] == 8 and 0 < fit["holdout_mape"] < 0.05
    assert fit["controls"] == ["promotion"]
    assert {"name": flat, "code": "too_little_variation"}.items() <= fit["not_judged"][0].items()
    for curve in judged:  # the carried-over spend from week max_lag on: its lowest
        written = [round(x) for x in data.spend[curve.name]]  # the file has whole amounts
        low = observed_low(written, curve.decay, curve.max_lag)
        assert curve.observed_min == pytest.approx(low, rel=1e-12)
        assert 0 <= curve.observed_min <= curve.observed_max  # type: ignore[operator]
    recent = fit["recent_spend"]
    assert recent[judged[0].name] == [round(x) for x in data.spend[judged[0].name][-8:]]


def test_the_table_says_which_channels_it_cannot_judge_and_why(
    suite_file: tuple[Path, Dataset],
) -> None:
    path, data = suite_file
    code, out = run(str(path), "--language", "en", "--holdout-weeks", "0")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("weekly.csv: 104 weeks, 2025-01-06 – 2026-12-28, R² 0.9")
    assert lines[0].endswith("no holdout")
    # Bare channel names do not say they hold spend: the table says they were read so.
    assert lines[1] == (
        "Read as spend, though their headers do not say so: "
        + ", ".join(data.spend)
        + " (choose the spend columns with --channels)."
    )
    assert lines[2].split()[:2] == ["channel", "ROI"]
    flat = next(n for n, t in data.truth.items() if t.pattern == "flat")
    row = lines.index(f"{flat:<20} not enough data")
    assert "hardly varies" in lines[row + 1]


def test_channels_whose_roi_is_not_known_are_judged_and_bounded_to_the_spend_seen(
    suite_file: tuple[Path, Dataset],
) -> None:
    path, _ = suite_file
    code, out = run(str(path), "--json", "--language", "en")
    assert code == 1  # the flat channel
    curves = document.loads(out)
    unknown = curves.fit["roi_unknown"]
    assert unknown and all(item["code"] == "interval_too_wide" for item in unknown)
    for item in unknown:
        curve = curves.channel(item["name"])
        assert curve.status == "ok" and curve.roi_known is False
        assert curve.min == min(curve.observed_min, curve.current)  # type: ignore[type-var]
        assert curve.max == max(curve.observed_max, curve.current)  # type: ignore[type-var]
    known = [c for c in curves.channels if c.status == "ok" and c.roi_known]
    assert known and all(c.min is None and c.max is None for c in known)
    _, table = run(str(path), "--language", "en")
    lines = table.splitlines()
    for item in unknown:
        row = next(i for i, line in enumerate(lines) if line.startswith(f"{item['name']:<20} "))
        assert lines[row + 1].startswith("  The return from zero spend is not known")


def test_chinese_wording(suite_file: tuple[Path, Dataset]) -> None:
    path, _ = suite_file
    code, out = run(str(path), "--language", "zh-hant")
    assert code == 1
    assert "資料不足" in out and "或進行地區測試。" in out and "保留驗證期平均誤差" in out


def test_every_channel_judged_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path / "quiet.csv", generate(11, channels=3, noise=(0.004, 0.006)))
    code, out = run(str(path), "--json", "--outcome", "conversions")
    assert code == 0
    curves = document.loads(out)
    assert all(c.status == "ok" for c in curves.channels)
    assert curves.fit["outcome"] == "conversions" and curves.fit["not_judged"] == []


def unusable(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    code, out = run(str(path), "--language", "en", *args)
    err = capsys.readouterr().err
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    return err


def test_too_few_weeks_are_refused_stating_the_minimum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "short.csv", generate(3), weeks=3)
    assert unusable(capsys, path) == (
        f"{path}: the data has 3 weeks; fitting response curves needs at least 26\n"
    )


GOOD = "week,outcome,search\n2026-01-05,100,10\n2026-01-12,120,20\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("week,outcome,search\n2026-01-05,100,10\n2026-01-19,120,20\n", "expected 2026-01-12"),
        ("week,outcome,search\n2026-01-05,100,ten\n", "line 2: “ten” in search is not a number"),
        ("week,outcome,search\n2026-01-05,,10\n", "line 2: outcome is blank"),
        ("week,outcome,search\n05/01/2026,100,1\n", "“05/01/2026” is not a date"),
        ("week,search\n2026-01-05,10\n", "the file has no outcome column"),
        ("week,outcome\n2026-01-05,10\n", "the file has no channel column"),
        ("week,outcome,a,A\n2026-01-05,10,1,1\n", "the column A appears twice"),
        ("", "the file has no weeks"),
    ],
)
def test_bad_files_are_refused_with_a_one_line_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    assert reason in unusable(capsys, path)


def test_a_negative_spend_is_refused_naming_the_weeks_monday(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weeks = [date(2026, 1, 5) + timedelta(days=7 * i) for i in range(30)]
    rows = [f"{w},{100 + i},{10 + i % 5}" for i, w in enumerate(weeks)]
    rows[20] = f"{weeks[20]},120,-20"
    path = tmp_path / "negative.csv"
    path.write_text("week,outcome,search\n" + "\n".join(rows) + "\n", encoding="utf-8")
    reason = unusable(capsys, path)
    assert reason == f"{path}: search: the spend of the week of 2026-05-25 is negative\n"


def test_a_missing_file_and_a_negative_holdout_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "No such file" in unusable(capsys, tmp_path / "none.csv")
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert "--holdout-weeks must be 0 or more" in unusable(capsys, path, "--holdout-weeks", "-1")


def test_taiwan_holidays_are_a_ready_control(tmp_path: Path) -> None:
    path = write(tmp_path / "quiet.csv", generate(11, channels=3, noise=(0.004, 0.006)))
    code, out = run(str(path), "--json", "--taiwan-holidays")
    assert code == 0
    assert document.loads(out).fit["controls"] == ["promotion", "taiwan_holidays"]
    mondays = (date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 23), date(2026, 10, 5))
    # Chinese New Year 2026 takes the whole week of 16 February; National Day (Saturday
    # 10 October) is observed on Friday the 9th.
    assert taiwan_holidays(mondays) == (0.0, 5.0, 1.0, 1.0)


def test_the_table_lines_up_with_chinese_channel_names(tmp_path: Path) -> None:
    data = generate(11, channels=3, noise=(0.004, 0.006))
    names = ["關鍵字廣告", "Facebook 粉專", "LINE 官方帳號（全台）"]
    renamed = dataclasses.replace(
        data,
        spend=dict(zip(names, data.spend.values(), strict=True)),
        truth=dict(zip(names, data.truth.values(), strict=True)),
    )
    code, out = run(str(write(tmp_path / "zh.csv", renamed)), "--language", "zh-hant")
    assert code == 0
    assert out.splitlines()[1].startswith("讀為花費")  # the names do not say spend
    lines = out.splitlines()[2:]
    assert [display_width(line) for line in lines] == [display_width(lines[0])] * 4
    assert all(line.startswith(name) for line, name in zip(lines[1:], names, strict=True))


def _weak_display(tmp_path: Path) -> tuple[Path, Path, float]:
    """A weekly file whose Display channel varies only ±40 % around 5,000 (its return
    from zero not known from the figures alone), and LIFTS.csv: the true result of
    pausing it in weeks 40–47 (carry-over: none), 5 % standard error. Returns the files
    and Display's true ROI."""
    import numpy as np

    from crewplan.optimize.curves import Hill

    rng = np.random.default_rng(11)
    weeks = 104
    search = 7000 * rng.uniform(0.3, 1.7, weeks)
    display = 5000 * rng.uniform(0.6, 1.4, weeks)
    search_curve, display_curve = Hill(60_000, 9_000, 1.0), Hill(30_000, 6_000, 1.0)
    outcome = 20_000 + search_curve.value(search) + display_curve.value(display)
    outcome = outcome + rng.normal(0, 1_500, weeks)
    mondays = [date(2024, 1, 1) + timedelta(days=7 * i) for i in range(weeks)]
    lines = ["week,outcome,search spend,display spend"]
    lines += [
        f"{m},{o:.2f},{s:.2f},{d:.2f}"
        for m, o, s, d in zip(mondays, outcome, search, display, strict=True)
    ]
    data = tmp_path / "weekly.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paused = display[40:48]
    incremental = -float(display_curve.value(paused).sum())
    lifts = tmp_path / "lifts.csv"
    # A mid-week date stands for its week; the change is the weekly spend cut to 0 (its
    # average over the weeks, as a test reports it).
    lifts.write_text(
        "channel,start,end,spend_change,incremental,standard_error\n"
        f"display spend,{mondays[40] + timedelta(days=2)},{mondays[47]},"
        f"{-float(paused.mean()):.2f},{incremental:.2f},{0.05 * abs(incremental):.2f}\n",
        encoding="utf-8",
    )
    roi = float(display_curve.value(display).sum() / display.sum())
    return data, lifts, roi


def test_lift_tests_from_a_file_narrow_the_channel_the_data_alone_cannot_judge(
    tmp_path: Path,
) -> None:
    import json

    data, lifts, true_roi = _weak_display(tmp_path)
    _, alone = run(str(data), "--json")
    code, calibrated = run(str(data), "--lift-tests", str(lifts), "--json")
    before = {c["name"]: c for c in json.loads(alone)["channels"]}["display spend"]
    after = {c["name"]: c for c in json.loads(calibrated)["channels"]}["display spend"]
    assert json.loads(calibrated)["fit"]["lift_tests"] == 1
    assert json.loads(alone)["fit"]["lift_tests"] == 0
    assert after["roi_high"] - after["roi_low"] < 0.5 * (before["roi_high"] - before["roi_low"])
    assert after["roi_low"] <= true_roi <= after["roi_high"]
    assert code in (0, 1)
    _, table = run(str(data), "--lift-tests", str(lifts), "--language", "zh-hant")
    assert "使用的實驗（提升測試）：1" in table


def test_a_bad_lift_test_file_is_refused_naming_it_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, lifts, _ = _weak_display(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        lifts.read_text(encoding="utf-8")
        .replace(",display spend,", ",")
        .replace("display spend", "tv spend"),
        encoding="utf-8",
    )
    code, out = run(str(data), "--lift-tests", str(bad))
    assert code == 2 and out == ""
    err = capsys.readouterr().err
    assert str(bad) in err and "tv spend" in err
    outside = tmp_path / "outside.csv"
    outside.write_text(
        "channel,start,end,spend_change,incremental,standard_error\n"
        "display spend,2030-01-07,2030-01-20,-5000,-20000,1000\n",
        encoding="utf-8",
    )
    code, out = run(str(data), "--lift-tests", str(outside))
    assert code == 2 and out == ""
    assert "line 2" in capsys.readouterr().err
