"""One date format per language, defined in crewplan/formats and read by Django's |date
filter by name; machine formats stay ISO."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.forms import DateInput
from django.template import Context, Template
from django.utils import translation

DAY = date(2026, 12, 10)  # a Thursday
WHEN = datetime(2026, 12, 10, 9, 5, tzinfo=ZoneInfo("Asia/Taipei"))


def render(text: str, language: str, **values: object) -> str:
    with translation.override(language):
        return Template(text).render(Context(values))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hant", "2026年12月10日（星期四）"), ("en", "Thu 10 Dec 2026")],
)
def test_date_format_names_the_weekday(language: str, expected: str) -> None:
    assert render("{{ d|date }}", language, d=DAY) == expected
    assert render('{{ d|date:"DATE_FORMAT" }}', language, d=DAY) == expected


@pytest.mark.parametrize(
    ("language", "short_date", "datetime_format", "short_datetime"),
    [
        ("zh-hant", "2026年12月10日", "2026年12月10日（星期四） 09:05", "2026年12月10日 09:05"),
        ("en", "10 Dec 2026", "Thu 10 Dec 2026, 09:05", "10 Dec 2026, 09:05"),
    ],
)
def test_named_formats_per_language(
    language: str, short_date: str, datetime_format: str, short_datetime: str
) -> None:
    values = {"d": DAY, "t": WHEN}
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, **values) == short_date
    with_zone = '{% load tz %}{% timezone "Asia/Taipei" %}'
    assert (
        render(with_zone + '{{ t|date:"DATETIME_FORMAT" }}{% endtimezone %}', language, **values)
        == datetime_format
    )
    assert (
        render(
            with_zone + '{{ t|date:"SHORT_DATETIME_FORMAT" }}{% endtimezone %}', language, **values
        )
        == short_datetime
    )


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_machine_formats_stay_iso(language: str) -> None:
    assert render("{{ d|date:'Y-m-d' }}", language, d=DAY) == "2026-12-10"
    with translation.override(language):
        html = DateInput(attrs={"type": "date"}, format="%Y-%m-%d").render("day", DAY)
    assert 'value="2026-12-10"' in html
