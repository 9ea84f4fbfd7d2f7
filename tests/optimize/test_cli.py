"""`crewplan optimize`: the allocator from the command line, with a JSON report and exit
codes 0 (allocated), 1 (allocated with findings), 2 (unusable input, one line on stderr)."""

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from crewplan.lib.columns import display_width
from crewplan.optimize.curves import Hill, Logistic

CURVES = {
    "currency": "TWD",
    "period": "week",
    "channels": [
        {
            "name": "Google Ads",
            "response": {"form": "hill", "top": 90000, "half_saturation": 40000, "slope": 1},
            "adstock": {"form": "geometric", "decay": 0.3, "max_lag": 4},
            "current": 30000,
            "observed_max": 45000,
            "draws": [
                {"form": "hill", "top": 80000, "half_saturation": 40000, "slope": 1},
                {"form": "hill", "top": 100000, "half_saturation": 40000, "slope": 1},
            ],
        },
        {
            "name": "Meta",
            "response": {"form": "logistic", "top": 60000, "rate": 0.00004},
            "current": 30000,
        },
        {
            "name": "LINE",
            "status": "not_enough_data",
            "reason": "its spend never varied",
            "response": {"form": "hill", "top": 50000, "half_saturation": 20000, "slope": 1},
            "current": 10000,
        },
    ],
}


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("optimize", *args, stdout=out)
    return int(exited.value.code or 0), out.getvalue()


def report(*args: str) -> tuple[int, dict[str, Any]]:
    code, out = run(*args, "--json", "--language", "en")
    return code, json.loads(out)


@pytest.fixture
def curves_file(tmp_path: Path) -> Path:
    path = tmp_path / "curves.json"
    path.write_text(json.dumps(CURVES), encoding="utf-8")
    return path


def test_allocates_the_budget_and_keeps_the_unjudged_channel(curves_file: Path) -> None:
    code, shown = report(str(curves_file), "--budget", "70000")
    assert code == 1  # a finding: LINE is kept where it is
    assert shown["mode"] == "allocate" and shown["currency"] == "TWD"
    spend = {c["name"]: c["spend"] for c in shown["channels"]}
    assert math.fsum(spend.values()) == pytest.approx(70000, rel=1e-15)
    assert spend["LINE"] == 10000
    # Hill slope 1 and the logistic share 60,000 at equal marginal returns.
    google, meta = Hill(90000, 40000, 1.0), Logistic(60000, 0.00004)
    assert float(google.marginal(spend["Google Ads"])) == pytest.approx(
        float(meta.marginal(spend["Meta"])), rel=1e-12
    )
    first = shown["channels"][0]
    assert set(first) >= {"name", "spend", "expected", "marginal_return", "extrapolated"}
    assert first["marginal_return"] == pytest.approx(shown["certificate"]["multiplier"])
    assert 0 <= shown["certificate"]["gap"] < 1e-6
    totals = shown["totals"]
    assert totals["low"] < totals["expected"] < totals["high"]
    assert totals["gain_low"] < totals["gain"] < totals["gain_high"]
    # Draw by draw (Meta and LINE have no draws: their point curve counts in each).
    others = float(meta.value(spend["Meta"]) - meta.value(30000))
    gains = [
        float(Hill(top, 40000, 1.0).value(spend["Google Ads"]) - Hill(top, 40000, 1.0).value(30000))
        + others
        for top in (80000, 100000)
    ]
    assert totals["p_beats_current"] == sum(g > 0 for g in gains) / 2
    assert [(f["code"], f["channel"]) for f in shown["findings"]] == [("not_enough_data", "LINE")]
    assert "never varied" in shown["findings"][0]["message"]

    code, moved = report(str(curves_file), "--budget", "70000", "--move-unjudged")
    assert code == 0 and moved["findings"] == []
    assert moved["channels"][2]["spend"] > 10000


def test_bounds_file_and_max_change(curves_file: Path, tmp_path: Path) -> None:
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("\ufeffname,min,max\nMeta,,20000\nGoogle Ads,35000,\n", encoding="utf-8")
    code, shown = report(str(curves_file), "--budget", "70000", "--bounds", str(bounds))
    assert code == 1
    spend = {c["name"]: c["spend"] for c in shown["channels"]}
    assert spend["Meta"] == pytest.approx(20000) and spend["Google Ads"] == pytest.approx(40000)
    _code, changed = report(str(curves_file), "--budget", "70000", "--max-change", "0.1")
    spend = {c["name"]: c["spend"] for c in changed["channels"]}
    assert 27000 <= spend["Google Ads"] <= 33000 and 27000 <= spend["Meta"] <= 33000


def test_week_by_week_and_target_return(curves_file: Path) -> None:
    code, plan = report(str(curves_file), "--budget", "280000", "--weeks", "4")
    assert code == 1 and plan["mode"] == "flight" and plan["weeks"] == 4
    google = plan["channels"][0]
    assert len(google["weeks"]) == 4 and google["spend"] == pytest.approx(sum(google["weeks"]))
    assert math.fsum(c["spend"] for c in plan["channels"]) == pytest.approx(280000, rel=1e-14)
    assert plan["channels"][2]["weeks"] == [10000.0] * 4
    assert plan["certificate"]["gap"] < 1e-6

    _code, target = report(str(curves_file), "--target-roas", "0.5")
    spend = {c["name"]: c["spend"] for c in target["channels"]}
    assert spend["Google Ads"] == pytest.approx(math.sqrt(90000 * 40000 / 0.5) - 40000)
    assert target["certificate"]["multiplier"] == 0.5


def test_curves_from_another_tool_need_only_name_and_response(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(
        json.dumps(
            {
                "channels": [
                    {
                        "name": "a",
                        "response": {"form": "hill", "top": 10, "half_saturation": 5, "slope": 0.8},
                    },
                    {
                        "name": "b",
                        "response": {"form": "hill", "top": 10, "half_saturation": 5, "slope": 0.8},
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    code, shown = report(str(path), "--budget", "10")
    assert code == 0
    assert [c["spend"] for c in shown["channels"]] == pytest.approx([5.0, 5.0])
    assert shown["totals"]["gain"] is None and shown["totals"]["p_beats_current"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--budget", "5000"], "minimum spends add up to 10,000"),
        (["--budget", "70000", "--max-change", "-1"], "largest change"),
        (["--budget", "280000", "--weeks", "0"], "at least 1"),
        ([], "--budget"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    curves_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out = run(str(curves_file), *args, "--language", "en")
    assert code == 2 and out == ""
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1


def test_unreadable_files_exit_2(tmp_path: Path, curves_file: Path, capsys: Any) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"channels": [{"name": "a", "response": {"form": "hill"}}]}')
    assert run(str(broken), "--budget", "1", "--language", "en")[0] == 2
    assert "channels[0].response.top" in capsys.readouterr().err
    assert run(str(tmp_path / "missing.json"), "--budget", "1")[0] == 2
    assert "missing.json" in capsys.readouterr().err
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("name,min,max\nMeta,abc,\n")
    code, _out = run(str(curves_file), "--budget", "1", "--bounds", str(bounds), "--language", "en")
    assert code == 2 and "line 2" in capsys.readouterr().err
    bounds.write_text("name,min,max\nVideo,1,2\n")
    assert run(str(curves_file), "--budget", "1", "--bounds", str(bounds))[0] == 2
    assert "Video" in capsys.readouterr().err


def test_the_table_speaks_chinese(curves_file: Path) -> None:
    code, out = run(str(curves_file), "--budget", "70000", "--language", "zh-hant")
    assert code == 1
    assert "通路" in out and "邊際報酬" in out and "預期成果" in out and "合計" in out
    assert "（維持）" in out and "對偶間隙" in out
    assert "expected" not in out and "kept" not in out


def _without_carryover(tmp_path: Path) -> Path:
    """CURVES with no carry-over: a week-by-week plan is N copies of the weekly answer."""
    channels = [{k: v for k, v in c.items() if k != "adstock"} for c in CURVES["channels"]]
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(CURVES | {"channels": channels}), encoding="utf-8")
    return path


def test_week_by_week_uses_the_draws_as_the_single_period_does(tmp_path: Path) -> None:
    flat = _without_carryover(tmp_path)
    _code, week = report(str(flat), "--budget", "70000")
    code, plan = report(str(flat), "--budget", "280000", "--weeks", "4", "--no-carryover-credit")
    assert code == 1 and plan["mode"] == "flight"
    one, four = week["totals"], plan["totals"]
    for key in ("expected", "low", "high", "current_expected", "gain", "gain_low", "gain_high"):
        assert four[key] == pytest.approx(4 * one[key], rel=1e-9), key
    assert four["p_beats_current"] == one["p_beats_current"]
    assert four["low"] < four["expected"] < four["high"]


def test_week_by_week_with_carryover_states_the_range(curves_file: Path) -> None:
    _code, plan = report(str(curves_file), "--budget", "280000", "--weeks", "4")
    totals = plan["totals"]
    assert totals["gain"] == pytest.approx(totals["expected"] - totals["current_expected"])
    assert totals["gain_low"] <= totals["gain_high"] and 0 <= totals["p_beats_current"] <= 1
    code, out = run(str(curves_file), "--budget", "280000", "--weeks", "4", "--language", "en")
    assert code == 1 and "90 % range" in out and "of the draws" in out


def test_target_outcome_finds_the_least_spend(curves_file: Path) -> None:
    code, shown = report(str(curves_file), "--target-outcome", "60000")
    assert code == 1 and shown["target"] == {"kind": "outcome", "value": 60000.0}
    assert shown["totals"]["expected"] == pytest.approx(60000, rel=1e-9)
    spend = math.fsum(c["spend"] for c in shown["channels"])
    assert spend == pytest.approx(shown["budget"], rel=1e-12)
    # A little less spend, split at its best, falls short of the target.
    _code, less = report(str(curves_file), "--budget", str(shown["budget"] * 0.999))
    assert less["totals"]["expected"] < 60000
    code, out = run(str(curves_file), "--target-outcome", "60000", "--language", "en")
    assert code == 1 and "least weekly spend whose best split reaches 60,000" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--target-outcome", "1000000"], "No budget within the bounds reaches the target"),
        (["--target-outcome", "-5"], "target outcome must be a number"),
        (["--target-outcome", "5", "--budget", "9"], "leave out --budget"),
        (["--target-outcome", "5", "--weeks", "4"], "cannot be combined"),
        (["--target-roas", "0"], "target return must be a number > 0"),
        (["--target-roas", "0.5", "--weeks", "4", "--budget", "9"], "cannot be combined"),
    ],
)
def test_bad_targets_exit_2_with_one_line(
    curves_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out = run(str(curves_file), *args, "--language", "en")
    assert code == 2 and out == ""
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1


def test_target_roas_in_the_table_and_the_document(curves_file: Path) -> None:
    code, shown = report(str(curves_file), "--target-roas", "0.5", "--budget", "1000000")
    assert shown["target"] == {"kind": "roas", "value": 0.5}
    assert code == 1 and shown["certificate"]["multiplier"] == 0.5
    code, out = run(str(curves_file), "--target-roas", "0.5", "--language", "en")
    assert code == 1 and "Marginal return at the optimum: 0.5;" in out


def test_spends_below_the_observed_range_are_extrapolated(tmp_path: Path) -> None:
    channels = [dict(c) for c in CURVES["channels"]]
    channels[1]["observed_min"] = 35000  # Meta was never seen below 35,000 a week
    path = tmp_path / "curves.json"
    path.write_text(json.dumps(CURVES | {"channels": channels}), encoding="utf-8")
    code, shown = report(str(path), "--budget", "70000")
    meta = shown["channels"][1]
    assert code == 1 and meta["spend"] < 35000 and meta["extrapolated"] is True
    assert any(f["code"] == "extrapolated" and f["channel"] == "Meta" for f in shown["findings"])
    _code, out = run(str(path), "--budget", "70000", "--language", "en")
    assert "(extrapolated)" in out and "outside the range the channel was observed at" in out
    _code, plan = report(str(path), "--budget", "280000", "--weeks", "4")
    assert plan["channels"][1]["extrapolated"] is True


def test_the_table_lines_up_with_a_chinese_channel_name(tmp_path: Path) -> None:
    channels = [dict(c) for c in CURVES["channels"]]
    channels[1]["name"] = "臉書與 Instagram 廣告（全台）"
    path = tmp_path / "curves.json"
    path.write_text(json.dumps(CURVES | {"channels": channels}), encoding="utf-8")
    _code, shown = report(str(path), "--budget", "70000")
    code, out = run(str(path), "--budget", "70000", "--language", "zh-hant")
    assert code == 1
    lines = out.splitlines()
    ends = []  # where the spend column ends, in terminal columns, on every channel's row
    for channel in shown["channels"]:
        line = next(x for x in lines if x.startswith(channel["name"]))
        spend = f"{round(channel['spend']):,}"
        ends.append(display_width(line[: line.index(spend) + len(spend)]))
    heading = lines[0]
    ends.append(display_width(heading[: heading.index("花費") + 2]))
    assert len(set(ends)) == 1, ends
    _code, out = run(str(path), "--budget", "280000", "--weeks", "2", "--language", "zh-hant")
    week_heading = next(x for x in out.splitlines() if "臉書與" in x and x.startswith("週"))
    week_row = next(x for x in out.splitlines() if x.startswith("1 "))
    assert display_width(week_heading) == display_width(week_row)


def test_week_by_week_carries_over_from_the_documents_recent_weeks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "recent.json"

    def plan(recent: object) -> tuple[int, str]:
        path.write_text(json.dumps(CURVES | {"fit": {"recent_spend": recent}}), encoding="utf-8")
        return run(str(path), "--budget", "280000", "--weeks", "4", "--json", "--language", "en")

    quiet = json.loads(plan({"Google Ads": [0, 0, 0, 0]})[1])
    busy = json.loads(plan({"Google Ads": [90000, 90000, 90000, 90000]})[1])
    # Nothing carried in: the first week's spend is worth more, the plan spends more in it.
    assert quiet["channels"][0]["weeks"][0] > busy["channels"][0]["weeks"][0]
    capsys.readouterr()
    code, out = plan({"Google Ads": ["a lot"]})
    error = capsys.readouterr().err
    assert code == 2 and out == "" and "Google Ads" in error and "past spends" in error


def test_a_channel_stopped_by_its_bound_is_marked(curves_file: Path, tmp_path: Path) -> None:
    # Meta capped at 20,000: its marginal return stays above the optimum's, and the
    # table and the document say why.
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("name,min,max\nMeta,,20000\n", encoding="utf-8")
    _code, shown = report(str(curves_file), "--budget", "70000", "--bounds", str(bounds))
    by_name = {c["name"]: c for c in shown["channels"]}
    assert by_name["Meta"]["at_bound"] == "upper" and by_name["Meta"]["upper"] == 20000
    assert by_name["Meta"]["marginal_return"] > shown["certificate"]["multiplier"]
    assert by_name["Google Ads"]["at_bound"] is None
    assert by_name["LINE"]["at_bound"] is None  # kept, not stopped by a bound
    _code, table = run(
        str(curves_file), "--budget", "70000", "--bounds", str(bounds), "--language", "zh-hant"
    )
    meta = next(line for line in table.splitlines() if line.startswith("Meta"))
    assert meta.endswith("（已達上限）")


def test_week_by_week_keeps_s_shaped_channels_at_the_single_period_answer(
    tmp_path: Path,
) -> None:
    # Fitted curves are often S-shaped (Hill slope above 1): the plan keeps them at the
    # single-period answer every week and plans the concave ones around them.
    curves = json.loads(json.dumps(CURVES))
    curves["channels"][1] = {
        "name": "YouTube",
        "response": {"form": "hill", "top": 70000, "half_saturation": 25000, "slope": 2.0},
        "current": 30000,
    }
    path = tmp_path / "curves.json"
    path.write_text(json.dumps(curves), encoding="utf-8")
    _code, single = report(str(path), "--budget", "70000")
    code, plan = report(str(path), "--budget", "280000", "--weeks", "4")
    assert plan["mode"] == "flight" and plan["steady"] == ["YouTube"]
    by_name = {c["name"]: c for c in plan["channels"]}
    once = {c["name"]: c["spend"] for c in single["channels"]}
    assert by_name["YouTube"]["weeks"] == pytest.approx([once["YouTube"]] * 4, rel=1e-9)
    assert math.fsum(c["spend"] for c in plan["channels"]) == pytest.approx(280000, rel=1e-12)
    assert code == 1  # LINE is kept: a finding; the steady note is not one
    assert [f["code"] for f in plan["findings"]] == ["not_enough_data"]
    _code, table = run(str(path), "--budget", "280000", "--weeks", "4", "--language", "en")
    assert "S-shaped curves keep the single-period spend every week" in table
    assert "YouTube." in table
