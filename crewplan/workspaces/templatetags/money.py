from decimal import Decimal

from django import template

from crewplan.lib.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str = "TWD") -> str:
    """{{ amount|money:current_workspace.currency }}"""
    return format_money(amount, currency)
