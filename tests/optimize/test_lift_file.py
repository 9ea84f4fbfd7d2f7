"""The lift-test file `crewplan fit --lift-tests` reads (optimize/lift_file.py): dates into
the data's week indices, numbers as the weekly file writes them, and each refusal with a
code, its line and a sentence in both languages."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from crewplan.lib.limits import FileLimits
from crewplan.measure.optimize_messages import unusable
from crewplan.optimize.fit import LiftTest, UnusableData
from crewplan.optimize.lift_file import read_lift_tests, week_index

WEEKS = tuple(date(2026, 1, 5) + timedelta(days=7 * i) for i in range(30))  # Mondays
HEADER = "channel,start,end,spend_change,incremental,standard_error\n"


def test_a_good_file_gives_week_indices_and_numbers() -> None:
    data = (
        "Standard_Error,Channel,Start,End,Spend_Change,Incremental,note\n"
        '"1,250",Search,2026-03-04,2026-03-29,"-5,000","-12,500.5",paused\n'
        "\n"
        "40,Meta 臉書,2026-01-05,2026-01-11,800,900\n"
    ).encode("cp950")
    tests = read_lift_tests(data, WEEKS)
    # 2026-03-04 is the Wednesday of the week of Monday 2026-03-02 (index 8); the 29th
    # the Sunday of the week of the 23rd (index 11).
    assert tests == [
        LiftTest("Search", 8, 11, -5000.0, -12500.5, 1250.0),
        LiftTest("Meta 臉書", 0, 0, 800.0, 900.0, 40.0),
    ]


def test_week_index_is_the_seven_days_from_each_week() -> None:
    assert week_index(date(2026, 1, 5), WEEKS) == 0
    assert week_index(date(2026, 1, 11), WEEKS) == 0
    assert week_index(date(2026, 1, 12), WEEKS) == 1
    assert week_index(date(2026, 1, 4), WEEKS) is None
    assert week_index(WEEKS[-1] + timedelta(days=7), WEEKS) is None
    assert week_index(date(2026, 1, 5), ()) is None


def _refusal(text: str, weeks: tuple[date, ...] = WEEKS, **limits: int) -> UnusableData:
    with pytest.raises(UnusableData) as refused:
        if limits:
            read_lift_tests(text.encode(), weeks, FileLimits(**limits))
        else:
            read_lift_tests(text.encode(), weeks)
    return refused.value


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", "no_lift_tests", {}),
        (HEADER, "no_lift_tests", {}),
        ("channel,start,end,spend_change,incremental\n", "missing_column", {}),
        ("channel,start,end,spend_change,incremental,standard_error,END\n", "duplicate_column", {}),
        (HEADER + ",2026-01-05,2026-01-11,1,1,1\n", "lift_test_no_channel", {"line": 2}),
        (HEADER + "S,2026-13-01,2026-01-11,1,1,1\n", "lift_test_bad_date", {"column": "start"}),
        (HEADER + "S,2026-01-12,2026-01-05,1,1,1\n", "lift_test_end_before_start", {"line": 2}),
        (HEADER + "S,2026-01-05,2026-01-11,abc,1,1\n", "bad_number", {"column": "spend_change"}),
        (HEADER + "S,2026-01-05,2026-01-11,1,NaN,1\n", "bad_number", {"column": "incremental"}),
        (HEADER + "S,2026-01-05,2026-01-11,1,1,1e999\n", "bad_number", {}),
        (HEADER + "S,2026-01-05,2026-01-11,0,1,1\n", "lift_test_no_change", {"line": 2}),
        (HEADER + "S,2026-01-05,2026-01-11,1,1,0\n", "lift_test_standard_error", {"line": 2}),
        (HEADER + "S,2026-01-05,2026-01-11,1,1,-3\n", "lift_test_standard_error", {}),
        (
            HEADER + "S,2026-01-05,2026-01-11,1,1,1\n\nS,2025-12-29,2026-01-11,1,1,1\n",
            "lift_test_outside",
            {"line": 4, "first": "2026-01-05", "last": "2026-08-02"},
        ),
        (HEADER + "S,2026-07-27,2026-08-03,1,1,1\n", "lift_test_outside", {"line": 2}),
    ],
)
def test_each_refusal_has_its_code_and_line(
    text: str, code: str, params: dict[str, object]
) -> None:
    error = _refusal(text)
    assert error.code == code
    assert params.items() <= error.params.items()
    for language in ("en", "zh-hant"):
        with translation.override(language):
            sentence = unusable(error)
        assert code not in sentence, sentence  # a sentence of its own, not the fallback
        if "line" in error.params:
            assert str(error.params["line"]) in sentence


def test_outside_any_data_and_past_the_limits() -> None:
    assert _refusal(HEADER + "S,2026-01-05,2026-01-11,1,1,1\n", ()).code == "lift_test_outside"
    assert _refusal(HEADER + "S,1,2,3,4,5\n" * 3, bytes=10**6, rows=2, columns=8).code == (
        "too_many_lift_tests"
    )
    assert _refusal(HEADER, bytes=10, rows=2, columns=8).code == "file_too_large"
    assert _refusal(HEADER, bytes=10**6, rows=2, columns=3).code == "too_many_columns"
    with pytest.raises(UnusableData) as refused:
        read_lift_tests(b"\xff\xfe\x00\xd8", WEEKS)  # UTF-16 with a lone surrogate
    assert refused.value.code == "not_text"
