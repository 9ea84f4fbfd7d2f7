"""Taiwan holidays, make-up workdays, the government's calendar file and the scheduling
warnings. Expected days come from TAIWAN.md §3 (the official 2026 summary)."""

from datetime import date

import pytest

from crewplan.work.calendar_tw import DayInfo, days_between, parse_dgpa_calendar, warnings_for

YEAR_2026 = days_between(date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("day", "name_zh", "name_en"),
    [
        (date(2026, 2, 15), "農曆除夕", "Chinese New Year's Eve"),
        (date(2026, 2, 16), "農曆除夕", "Chinese New Year's Eve"),
        (date(2026, 2, 17), "春節", "Chinese New Year"),
        (date(2026, 2, 20), "農曆除夕（補假）", "Chinese New Year's Eve (observed)"),
        (date(2026, 2, 28), "和平紀念日", "Peace Memorial Day"),
        (date(2026, 4, 5), "民族掃墓節", "Tomb-Sweeping Day"),
        (date(2026, 5, 1), "勞動節", "Labor Day"),
        (date(2026, 6, 19), "端午節", "Dragon Boat Festival"),
        (date(2026, 9, 25), "中秋節", "Mid-Autumn Festival"),
        (date(2026, 9, 28), "孔子誕辰紀念日", "Confucius' Birthday"),
        (date(2026, 10, 25), "臺灣光復暨金門古寧頭大捷紀念日", None),
        (date(2026, 12, 25), "行憲紀念日", None),
    ],
)
def test_2026_public_holidays(day: date, name_zh: str, name_en: str | None) -> None:
    info = YEAR_2026[day]
    assert (info.kind, info.name_zh) == ("holiday", name_zh)
    assert info.name_en and info.name_en != info.name_zh
    if name_en is not None:
        assert info.name_en == name_en


def test_2026_has_22_holidays_and_no_makeup_workday() -> None:
    assert len(YEAR_2026) == 22
    assert {info.kind for info in YEAR_2026.values()} == {"holiday"}
    assert list(YEAR_2026) == sorted(YEAR_2026)
    assert date(2026, 2, 14) not in YEAR_2026  # an ordinary Saturday is not listed


@pytest.mark.parametrize("day", [date(2025, 2, 8), date(2024, 2, 17)])
def test_makeup_workdays_from_the_package(day: date) -> None:
    info = days_between(day, day)[day]
    assert (info.kind, info.name_zh, info.name_en) == (
        "makeup_workday",
        "補行上班",
        "Make-up workday",
    )
    assert day.weekday() == 5


def test_bridge_day_is_a_holiday() -> None:
    assert days_between(date(2025, 1, 27), date(2025, 1, 27))[date(2025, 1, 27)].kind == "holiday"


def test_days_between_is_inclusive_and_spans_years() -> None:
    days = days_between(date(2025, 12, 25), date(2026, 1, 1))
    assert list(days) == [date(2025, 12, 25), date(2026, 1, 1)]


def test_extra_days_override_the_package() -> None:
    eve_eve = DayInfo(date(2026, 2, 15), "holiday", "小年夜", "Day before Chinese New Year's Eve")
    typhoon = DayInfo(date(2026, 9, 29), "holiday", "颱風假", "Typhoon day")
    outside = DayInfo(date(2026, 3, 7), "makeup_workday", "補行上班", "Make-up workday")
    days = days_between(date(2026, 2, 1), date(2026, 9, 30), [eve_eve, typhoon, outside])
    assert days[date(2026, 2, 15)] == eve_eve
    assert days[date(2026, 9, 29)] == typhoon
    assert days[date(2026, 2, 16)].name_zh == "農曆除夕"  # untouched
    assert date(2026, 3, 7) in days
    assert date(2026, 3, 7) not in days_between(date(2026, 2, 1), date(2026, 3, 6), [outside])
    assert list(days) == sorted(days)


# The government's calendar file (行政院人事行政總處), as people download it.

HEADER = "西元日期,星期,是否放假,備註\n"
DGPA_CSV = (
    "西元日期,星期,是否放假,備註\r\n"
    "20250101,三,2,開國紀念日\r\n"
    "20250102,四,0,\r\n"
    "20250125,六,2,\r\n"
    "20250127,一,2,調整放假\r\n"
    "20250128,二,2,農曆除夕\r\n"
    "20250131,五,2,\r\n"
    "20250208,六,0,補行上班\r\n"
    "20250228,五,2,和平紀念日\r\n"
    "20250501,四,0,勞動節\r\n"
    "20250903,三,0,軍人節\r\n"
    "20260228,六,2,和平紀念日\r\n"
    "\r\n"
)
DGPA_DAYS = [
    DayInfo(date(2025, 1, 1), "holiday", "開國紀念日", "Founding Day of the Republic of China"),
    DayInfo(date(2025, 1, 27), "holiday", "調整放假", "Bridge holiday"),
    DayInfo(date(2025, 1, 28), "holiday", "農曆除夕", "Chinese New Year's Eve"),
    DayInfo(date(2025, 1, 31), "holiday", "放假", "Day off"),
    DayInfo(date(2025, 2, 8), "makeup_workday", "補行上班", "Make-up workday"),
    DayInfo(date(2025, 2, 28), "holiday", "和平紀念日", "Peace Memorial Day"),
    DayInfo(date(2026, 2, 28), "holiday", "和平紀念日", "Peace Memorial Day"),
]


def test_dgpa_calendar_utf8_with_bom() -> None:
    assert parse_dgpa_calendar(DGPA_CSV.encode("utf-8-sig")) == DGPA_DAYS


def test_dgpa_calendar_cp950_parses_the_same() -> None:
    big5 = DGPA_CSV.encode("cp950")
    assert big5 != DGPA_CSV.encode("utf-8")
    assert parse_dgpa_calendar(big5) == parse_dgpa_calendar(DGPA_CSV.encode("utf-8-sig"))


def test_dgpa_calendar_plain_utf8_and_extra_columns() -> None:
    text = "備註,西元日期,是否放假,星期,說明\n補行上班,20250208,0,六,x\n"
    assert parse_dgpa_calendar(text.encode()) == [
        DayInfo(date(2025, 2, 8), "makeup_workday", "補行上班", "Make-up workday")
    ]


def test_dgpa_makeup_row_overrides_the_package_when_imported() -> None:
    imported = parse_dgpa_calendar((HEADER + "20260307,六,0,補行上班\n").encode())
    days = days_between(date(2026, 3, 1), date(2026, 3, 31), imported)
    assert days[date(2026, 3, 7)].kind == "makeup_workday"
    assert warnings_for(date(2026, 3, 7), days) == ["makeup_workday"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        ("Subject,Start Date,All Day Event\n開國紀念日,2025/1/1,TRUE\n".encode(), "row 1"),
        ("西元日期,星期,是否放假\n20250101,三,2\n".encode(), "row 1.*備註"),
        (
            "西元日期,星期,是否放假,備註\n20250101,三,2,\n2025/02/08,六,0,補行上班\n".encode(),
            "row 3",
        ),
        ((HEADER + "1140208,六,0,補行上班\n").encode(), "row 2"),
        ((HEADER + "20250230,日,2,\n").encode(), "row 2.*valid"),
        ((HEADER + "20250208,日,0,補行上班\n").encode(), "row 2.*星期"),
        ((HEADER + "20250208,六,1,補行上班\n").encode(), "row 2.*是否放假"),
        ((HEADER + "20250208\n").encode(), "row 2"),
        (b"\x81\x30\xff\xfe\x00", "UTF-8|cp950"),
    ],
)
def test_unusable_calendar_files(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as error:
        parse_dgpa_calendar(data)
    assert "\n" not in str(error.value)


# Scheduling warnings: 春節 2026 is nine days off, 02-14 (Sat) to 02-22 (Sun).


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (date(2026, 2, 12), []),
        (date(2026, 2, 13), ["long_weekend"]),  # the last workday before
        (date(2026, 2, 14), ["long_weekend"]),
        (date(2026, 2, 16), ["holiday", "long_weekend"]),
        (date(2026, 2, 20), ["holiday", "long_weekend"]),
        (date(2026, 2, 22), ["long_weekend"]),
        (date(2026, 2, 23), ["long_weekend"]),  # the first workday after
        (date(2026, 2, 24), []),
        (date(2026, 2, 26), ["long_weekend"]),  # before 02-27..03-01, 和平紀念日
        (date(2026, 3, 7), []),  # an ordinary weekend is not long
        (date(2026, 6, 19), ["holiday", "long_weekend"]),  # 端午節, a Friday
        (date(2025, 2, 8), ["makeup_workday"]),
    ],
)
def test_scheduling_warnings(day: date, codes: list[str]) -> None:
    assert warnings_for(day) == codes


def test_warnings_use_the_days_given() -> None:
    days = days_between(date(2026, 2, 1), date(2026, 3, 10))
    assert warnings_for(date(2026, 2, 13), days) == ["long_weekend"]
    just_the_day = days_between(date(2026, 2, 13), date(2026, 2, 13))
    assert warnings_for(date(2026, 2, 13), just_the_day) == ["long_weekend"]
    typhoon = DayInfo(date(2026, 3, 6), "holiday", "颱風假", "Typhoon day")
    days = days_between(date(2026, 2, 1), date(2026, 3, 10), [typhoon])
    assert warnings_for(date(2026, 3, 5), days) == ["long_weekend"]
