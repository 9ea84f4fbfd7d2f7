"""Display of ROI figures: {% load roi_display %}."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

from crewplan.planning.models import AiTool
from crewplan.planning.tools import queries as tool_queries
from crewplan.planning.tools import roi

register = template.Library()

TENTH = Decimal("0.1")


@register.filter
def percent(fraction: Decimal | None) -> str:
    """A fraction as a percentage with one decimal: 1.608695… → 160.9%; "—" for None (an
    ROI on nothing spent)."""
    if fraction is None:
        return "—"
    value = (fraction * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    return f"{value:,}%"


@register.filter
def points(fraction: Decimal) -> str:
    """A difference of two fractions in percentage points, one decimal: 0.452 → 45.2."""
    return f"{(fraction * 100).quantize(TENTH, rounding=ROUND_HALF_UP):,}"


@register.filter
def payback(month: int | None) -> str:
    if month is None:
        return _("not within the horizon")
    return _("month %(month)s") % {"month": month}


@register.filter
def expected_roi(tool: AiTool) -> roi.Estimate | None:
    """The expected scenario of the tool's saved estimate, None without one. Load the tools
    with select_related("roi_estimate"), or each row costs a query."""
    return tool_queries.expected_estimate(tool)
