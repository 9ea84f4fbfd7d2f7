"""How the results dashboards write ratios: a share as a percentage, ROAS and MER as a
plain ratio, a change with its sign, an exact figure grouped in thousands; "—" where the
core has no figure (None)."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from crewplan.lib.money import money_formatter

register = template.Library()

DASH = "—"


@register.filter
def percent(share: Decimal | None) -> str:
    """0.9184 → "91.8%"."""
    if share is None:
        return DASH
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@register.filter
def signed_percent(change: Decimal | None) -> str:
    """0.5 → "+50.0%", -0.25 → "−25.0%"."""
    if change is None:
        return DASH
    text = percent(abs(change))
    return ("+" if change > 0 else "−" if change < 0 else "") + text


@register.filter
def times(value: Decimal | None) -> str:
    """A ratio such as ROAS: 4.2001 → "4.20"."""
    if value is None:
        return DASH
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@register.filter
def grouped(value: Decimal | int | str | None) -> str:
    """An exact figure with thousands separators, its decimals as they are: "3234.50" →
    "3,234.50", 32100 → "32,100" (the import preview, to compare with the file's total)."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(value):,}"


@register.filter
def money_cells(values: Iterable[Decimal | int | None], currency: str) -> SafeString:
    """A table row's amounts as its `<td class="num">` cells, written as `money` writes
    them: one filter call a row instead of a template loop over its cells (a year's daily
    table of 20 channels is 14,640 cells, most of the page's time when looped)."""
    written = money_formatter(currency)
    # An amount is a sign, the currency's prefix and digits, commas and a point: when the
    # prefix needs no escaping, no amount does (one check instead of 14,640 escapes).
    if escape(written(0)) != written(0):
        return mark_safe("".join(f'<td class="num">{escape(written(v))}</td>' for v in values))  # noqa: S308
    return mark_safe("".join(f'<td class="num">{written(v)}</td>' for v in values))  # noqa: S308
