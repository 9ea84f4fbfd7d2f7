"""The range of dates crewplan accepts from people. Python's dates run from year 1 to
9999, but a publish time in year 1 or a due date on 9999-12-31 is a typo, and at the
edges the date arithmetic of calendars and feeds (a day or a week later) overflows."""

from datetime import date, datetime

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)


def in_range(day: date) -> bool:
    """True when `day` (a date, or the date of a datetime) is within FIRST_DAY..LAST_DAY."""
    if isinstance(day, datetime):
        day = day.date()
    return FIRST_DAY <= day <= LAST_DAY


def clamp(day: date) -> date:
    """`day` moved into FIRST_DAY..LAST_DAY."""
    return min(max(day, FIRST_DAY), LAST_DAY)
