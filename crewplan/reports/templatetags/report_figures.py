"""How the report writes its snapshot's figures: {% load report_figures %}.

The snapshot keeps money and ratios as strings of exact Decimals (`sections_money.py`);
these filters write them as the Results pages do (`measure_display`, `money`), "—" where
the snapshot has no figure (None)."""

from datetime import date
from decimal import Decimal

from django import template

from crewplan.lib.money import format_money
from crewplan.measure.templatetags import measure_display
from crewplan.reports.collaboration import parse_quarter
from crewplan.reports.messages import quarter_label

register = template.Library()

DASH = "—"


def _decimal(value: str | Decimal | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(value)


@register.filter
def amount(value: str | None, currency: str) -> str:
    """ "12000.00" → NT$12,000."""
    found = _decimal(value)
    return DASH if found is None else format_money(found, currency)


@register.filter
def share(value: str | None) -> str:
    """A fraction: "0.9184" → 91.8%."""
    return measure_display.percent(_decimal(value))


@register.filter
def change(value: str | None) -> str:
    """A change as a fraction: "0.5" → +50.0%."""
    return measure_display.signed_percent(_decimal(value))


@register.filter
def ratio(value: str | None) -> str:
    """ROAS or MER: "4.2001" → 4.20."""
    return measure_display.times(_decimal(value))


@register.filter
def count(value: str | int | None) -> str:
    """An exact count with thousands separators: "1234.00" → 1,234, "12.50" → 12.50."""
    found = _decimal(value)
    if found is not None and found == found.to_integral_value():
        found = found.quantize(Decimal(1))
    return measure_display.grouped(found)


@register.filter
def figure(value: str | None, kind: str) -> str:
    """A channel figure by its kind: money needs the currency, so it comes as
    "amount"; this writes ratios, percentages and counts."""
    if kind == "ratio":
        return ratio(value)
    if kind == "percent":
        return share(value)
    return count(value)


@register.filter
def points(value: str | None) -> str:
    """An achievement already in percent: "125.0" → 125.0%."""
    return DASH if value is None else f"{value}%"


@register.filter
def isodate(value: str | None) -> date | None:
    """The snapshot's "2026-10-01" as a date, for the `date` filter."""
    return date.fromisoformat(value) if value else None


SERIES_FILLS = ("#4a6fa5", "#e07b39", "#6aa84f", "#9e7bb5")


@register.filter
def series_fill(index: int) -> str:
    """A chart series' colour (an SVG attribute: the page's CSP forbids inline styles)."""
    return SERIES_FILLS[index % len(SERIES_FILLS)]


@register.filter
def quarter_name(value: str) -> str:
    """ "2026Q4" → "Q4 of fiscal 2026" (2026 財年第 4 季), in the active language."""
    try:
        quarter = parse_quarter(value, 1)  # the start month does not change the name
    except ValueError:
        return value
    return quarter_label(quarter)
