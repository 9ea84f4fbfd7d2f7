"""Whole numbers from query strings and form fields, as people and attackers type them."""

INT64_MAX = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint store


def int_param(value: str | None) -> int | None:
    """The non-negative integer `value` spells in ASCII digits (an id, a year, a count),
    or None: "²" and "١" are digits to `str.isdigit()` but not to `int()`, and a number
    past 64 bits would make the database raise instead of finding nothing."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= INT64_MAX else None


FIRST_YEAR, LAST_YEAR = 2000, 2100  # fiscal years a plan can be for


def year_param(value: str | None) -> int | None:
    """A fiscal year from FIRST_YEAR to LAST_YEAR spelled in ASCII digits, or None."""
    year = int_param(value)
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None
