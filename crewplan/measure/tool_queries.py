"""The AI tools' realized side read into `measure/realized.py` in a fixed number of
queries: the tools with their estimates and channels, every review, the linked channels'
revenue, conversions and sessions per month, and the actuals of the tools' budget lines
(the newest version of each fiscal year the reviews touch: three queries per such year,
never per tool or per review)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncMonth

from crewplan.measure.actuals import fiscal_months, version_actuals
from crewplan.measure.models import ChannelDay, ToolReview
from crewplan.measure.realized import Expectation, MonthFacts, Realized, realized
from crewplan.measure.values import from_x100
from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion
from crewplan.planning.tools import roi
from crewplan.planning.tools.queries import assumptions_for, percent_to_fraction
from crewplan.workspaces.models import Workspace

ZERO = Decimal(0)


@dataclass
class ToolResult:
    tool: AiTool
    reviews: list[ToolReview]  # newest first
    realized: Realized
    has_estimate: bool
    scenarios: dict[roi.ScenarioName, roi.Estimate]


def tool_results(workspace: Workspace, only: AiTool | None = None) -> list[ToolResult]:
    """Every tool of the workspace (or `only` that one) with its realized months."""
    tools = list(
        AiTool.objects.for_workspace(workspace)
        .filter(**({"pk": only.pk} if only else {}))
        .select_related("roi_estimate")
        .prefetch_related("channels")
    )
    reviews: dict[int, list[ToolReview]] = defaultdict(list)
    for review in ToolReview.objects.for_workspace(workspace).filter(tool__in=tools):
        reviews[review.tool_id].append(review)
    months = {r.month for found in reviews.values() for r in found}
    costs = _tool_costs(workspace, months)
    traffic = _channel_months(workspace, {c.pk for t in tools for c in t.channels.all()}, months)
    results = []
    for tool in tools:
        expectation, scenarios = _expectation(tool)
        channels = [c.pk for c in tool.channels.all()]
        cost_of = _review_costs(costs, tool.pk, [r.month for r in reviews[tool.pk]])
        facts = [
            MonthFacts(
                month=r.month,
                hours_saved=Decimal(r.hours_saved),
                cost=cost_of[r.month],
                **_summed(traffic, channels, r.month),
            )
            for r in reviews[tool.pk]
        ]
        results.append(
            ToolResult(
                tool=tool,
                reviews=reviews[tool.pk],
                realized=realized(facts, expectation, scenarios),
                has_estimate=expectation is not None,
                scenarios=scenarios,
            )
        )
    return results


def _expectation(
    tool: AiTool,
) -> tuple[Expectation | None, dict[roi.ScenarioName, roi.Estimate]]:
    saved = getattr(tool, "roi_estimate", None)  # no row: RelatedObjectDoesNotExist → None
    if saved is None:
        return None, {}
    try:
        assumptions = assumptions_for(tool, saved)
    except ValueError:
        return None, {}
    expectation = Expectation(
        loaded_hourly_rate=assumptions.loaded_hourly_rate,
        conversion_rate_lift=assumptions.conversion_rate_lift,
        gross_margin=assumptions.gross_margin,
        counts_uplift=assumptions.sessions_per_month * assumptions.conversion_rate_lift > 0,
    )
    spread = percent_to_fraction(saved.spread)
    return expectation, roi.scenarios(assumptions, spread=spread)


def _review_costs(
    costs: dict[tuple[int, date], Decimal], tool: int, months: list[date]
) -> dict[date, Decimal]:
    """Each reviewed month's cost of the tool: what its lines spent that month, and for
    the first reviewed month also what they spent before it (`measure/realized.py`)."""
    if not months:
        return {}
    first = min(months)
    found = {month: costs.get((tool, month), ZERO) for month in months}
    found[first] = sum((c for (t, m), c in costs.items() if t == tool and m <= first), ZERO)
    return found


def _tool_costs(workspace: Workspace, months: set[date]) -> dict[tuple[int, date], Decimal]:
    """(tool pk, month) → what the tool's lines spent, every month of each fiscal year
    the months fall in (the newest version of that year)."""
    costs: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    years = {fiscal_year_of(workspace, m) for m in months}
    for year in sorted(years):
        version = (
            BudgetVersion.objects.for_workspace(workspace)
            .filter(fiscal_year=year)
            .order_by("-number")
            .first()
        )
        if version is None:
            continue
        version.workspace = workspace
        actuals = version_actuals(version)
        fiscal = fiscal_months(year, workspace.fiscal_year_start_month)
        lines = (
            BudgetLine.objects.for_workspace(workspace)
            .filter(version=version, tool__isnull=False)
            .values_list("pk", "tool_id")
        )
        for pk, tool_id in lines:
            for month, spent in zip(fiscal, actuals.of(pk), strict=True):
                costs[(tool_id, month)] += spent
    return costs


def _channel_months(
    workspace: Workspace, channels: set[int], months: set[date]
) -> dict[tuple[int, date], dict[str, Decimal]]:
    """(channel pk, month) → revenue, conversions and sessions (extras), in units."""
    if not channels or not months:
        return {}
    sessions = Cast(KeyTextTransform("sessions", "extras"), BigIntegerField())
    rows = (
        ChannelDay.objects.for_workspace(workspace)
        .filter(channel_id__in=channels, day__gte=min(months), day__lt=_month_after(max(months)))
        .annotate(month=TruncMonth("day"))
        .values_list("channel_id", "month")
        .annotate(
            revenue=Sum("revenue_x100"),
            conversions=Sum("conversions_x100"),
            sessions=Sum(Coalesce(sessions, 0)),
        )
    )
    return {
        (channel, month if type(month) is date else month.date()): {
            "revenue": from_x100(revenue),
            "conversions": from_x100(conversions),
            "sessions": from_x100(sessions_x100),
        }
        for channel, month, revenue, conversions, sessions_x100 in rows
    }


def _summed(
    traffic: dict[tuple[int, date], dict[str, Decimal]], channels: list[int], month: date
) -> dict[str, Decimal]:
    total = {"revenue": ZERO, "conversions": ZERO, "sessions": ZERO}
    for channel in channels:
        for name, value in traffic.get((channel, month), {}).items():
            total[name] += value
    return total


def _month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
