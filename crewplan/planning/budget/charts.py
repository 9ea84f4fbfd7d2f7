"""Chart data for static/crewplan/charts.js, which a template hands over with Django's
`json_script` (no inline script: the Content-Security-Policy forbids it). Pure Python, no
Django.

Amounts are strings of Decimals rounded to cents, in the currency's major unit: exact in
the page source (tests read them), turned into numbers by the script only for drawing.
The same figures are in the page's tables, so the page needs no JavaScript."""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crewplan.lib.money import symbol
from crewplan.planning.budget.plan import Category, Plan

CENTS = Decimal("0.01")


def amount(value: Decimal) -> str:
    return str(value.quantize(CENTS, rounding=ROUND_HALF_UP))


def chart(
    *,
    kind: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal]]],
    x_title: str,
    y_title: str,
    currency: str,
    decimals: int,
    stacked: bool = False,
) -> dict[str, Any]:
    """One chart: `kind` is Chart.js's type ("line", "bar"), `series` (name, one amount
    per label) in drawing order. The axis and tooltips put `symbol` before the amounts, as
    the tables do (NT$ in every language; the browser's own currency format says "$" for
    TWD in zh-TW)."""
    return {
        "type": kind,
        "labels": list(labels),
        "datasets": [
            {"label": name, "data": [amount(v) for v in values]} for name, values in series
        ],
        "stacked": stacked,
        "xTitle": x_title,
        "yTitle": y_title,
        "currency": currency,
        "symbol": symbol(currency),
        "decimals": decimals,
    }


def budget_by_month(plan: Plan, names: Mapping[Category, str]) -> list[tuple[str, list[Decimal]]]:
    """Planned amount per fiscal month for each category that has any, in the categories'
    order, named by `names` (the categories' labels): the series of a bar chart stacked
    by category."""
    series = []
    for category in Category:
        lines = [line for line in plan.lines if line.category == category]
        if not any(line.total for line in lines):
            continue
        months = [sum((line.amounts[m] for line in lines), Decimal(0)) for m in range(12)]
        series.append((names[category], months))
    return series
