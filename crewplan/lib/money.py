"""Money for people: the currency's usual symbol and decimals, thousands separators."""

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
    if amount is None:
        return ""
    places = decimals(currency)
    rounded = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{SYMBOLS.get(currency, currency + ' ')}{abs(rounded):,.{places}f}"
