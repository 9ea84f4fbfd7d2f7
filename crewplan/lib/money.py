"""Money for people: the currency's usual symbol and decimals, thousands separators."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {
    "TWD": "NT$",
    "USD": "US$",
    "HKD": "HK$",
    "JPY": "¥",
    "SGD": "S$",
    "MYR": "RM",
    "EUR": "€",
}
DECIMALS = {"TWD": 0, "JPY": 0}


def symbol(currency: str) -> str:
    """What goes before an amount, or beside a money input: NT$ for TWD, the code itself
    for a currency without a usual symbol."""
    return SYMBOLS.get(currency, currency)


def decimals(currency: str) -> int:
    return DECIMALS.get(currency, 2)


def format_money(amount: Decimal | int | None, currency: str) -> str:
    """E.g. NT$12,000 (TWD shows no decimals); "" for None."""
    return money_formatter(currency)(amount)


def money_formatter(currency: str) -> Callable[[Decimal | int | None], str]:
    """`format_money` for many amounts of one currency: its symbol and places looked up
    once (a year's daily table writes 14,640 amounts)."""
    places = decimals(currency)
    unit = Decimal(1).scaleb(-places)
    prefix = SYMBOLS.get(currency, currency + " ")

    def written(amount: Decimal | int | None) -> str:
        if amount is None:
            return ""
        rounded = Decimal(amount).quantize(unit, rounding=ROUND_HALF_UP)
        sign = "-" if rounded < 0 else ""
        return f"{sign}{prefix}{abs(rounded):,.{places}f}"

    return written
