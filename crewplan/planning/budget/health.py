"""Budget health check: the usual pitfalls of an AI marketing budget (pure, no Django).

`health_findings(plan, thresholds, currency)` returns findings with a stable `code`,
a `severity`, the lines or tools concerned, and the parameters (the numbers behind it,
formatted as shown); the message and the suggested fix for each code are gettext
messages in `budget/messages.py`.

| code | severity | pitfall |
| --- | --- | --- |
| single_tool_concentration | warning | one tool takes over `max_tool_share` of the AI tool spend |
| no_privacy_budget | error | a tool processes customer data, nothing is budgeted for privacy |
| no_kpi | warning | a line (other than the reserve) or a funded tool has no KPI |
| no_reserve | warning | the experiment reserve is below `min_reserve_share` of the plan |
| training_underfunded | warning | training below `training_per_seat` × untrained seats |
| no_pilot | warning | a candidate funded over `pilot_max_months` months without a pilot |
| no_maintenance | warning | integration money, no subscription or maintenance after it |
| no_owner | warning | a line has no owner team |

Money is Decimal in the workspace currency's major unit; shares are fractions 0..1.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from crewplan.lib.money import format_money
from crewplan.planning.budget.plan import (
    AI_TOOL_CATEGORIES,
    ZERO,
    Category,
    Line,
    Plan,
    Tool,
    ToolStatus,
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    max_tool_share: Decimal = Decimal("0.6")
    min_reserve_share: Decimal = Decimal("0.05")
    training_per_seat: Decimal = Decimal(3000)  # per seat whose user still needs training
    pilot_max_months: int = 3


class Finding(NamedTuple):
    code: str
    severity: str  # "error" / "warning"
    subjects: tuple[str, ...]  # line or tool keys
    params: Mapping[str, object]  # amounts and shares as shown; names as a tuple


SEVERITIES: dict[str, str] = {
    "single_tool_concentration": "warning",
    "no_privacy_budget": "error",
    "no_kpi": "warning",
    "no_reserve": "warning",
    "training_underfunded": "warning",
    "no_pilot": "warning",
    "no_maintenance": "warning",
    "no_owner": "warning",
}


class Numbers:
    """Numbers as people read them, the same in both languages: money with thousands
    separators in the currency, shares as percentages."""

    def __init__(self, currency: str = "TWD") -> None:
        self.currency = currency

    def money(self, amount: Decimal) -> str:
        """As the pages write it: NT$12,000."""
        return format_money(amount, self.currency)

    def share(self, fraction: Decimal) -> str:
        return f"{fraction * 100:.0f}%"


def _finding(code: str, subjects: Iterable[str], **values: object) -> Finding:
    return Finding(code, SEVERITIES[code], tuple(subjects), values)


def _last_month(amounts: tuple[Decimal, ...]) -> int:
    return max((i + 1 for i, a in enumerate(amounts) if a > 0), default=0)


def health_findings(
    plan: Plan, thresholds: Thresholds = Thresholds(), currency: str = "TWD"
) -> list[Finding]:
    numbers = Numbers(currency)
    tools = {t.key: t for t in plan.tools}
    by_tool: dict[str, list[Line]] = {}
    for line in plan.lines:
        if line.tool:
            by_tool.setdefault(line.tool, []).append(line)
    findings: list[Finding] = []
    total = plan.total()

    # One tool for everything.
    ai_spend = {
        key: sum((ln.total for ln in lines if ln.category in AI_TOOL_CATEGORIES), ZERO)
        for key, lines in by_tool.items()
    }
    ai_total = sum(ai_spend.values(), ZERO)
    if ai_total > 0:
        key, amount = max(ai_spend.items(), key=lambda kv: kv[1])
        if amount / ai_total > thresholds.max_tool_share:
            findings.append(
                _finding(
                    "single_tool_concentration",
                    [key],
                    tool=_tool_name(tools, key),
                    share=numbers.share(amount / ai_total),
                    amount=numbers.money(amount),
                    total=numbers.money(ai_total),
                )
            )

    # Customer data with no privacy money.
    sensitive = [t for t in plan.tools if t.customer_data and t.status != ToolStatus.RETIRED]
    if sensitive and plan.total(Category.DATA_PRIVACY) == 0:
        findings.append(
            _finding(
                "no_privacy_budget",
                [t.key for t in sensitive],
                tools=tuple(t.name for t in sensitive),
            )
        )

    # No KPI: lines other than the reserve, and tools that get money.
    for line in plan.lines:
        if not line.kpi.strip() and line.category != Category.EXPERIMENT_RESERVE and line.total > 0:
            linked_tool = tools.get(line.tool)
            if linked_tool is not None and linked_tool.kpi.strip():
                continue  # the tool's KPI covers its lines
            findings.append(
                _finding("no_kpi", [line.key], subject=line.item, amount=numbers.money(line.total))
            )

    # No reserve.
    reserve = plan.total(Category.EXPERIMENT_RESERVE)
    if total > 0 and reserve / total < thresholds.min_reserve_share:
        findings.append(
            _finding(
                "no_reserve",
                [],
                reserve=numbers.money(reserve),
                share=numbers.share(reserve / total),
                total=numbers.money(total),
                minimum=numbers.share(thresholds.min_reserve_share),
            )
        )

    # Training too small for the seats bought.
    gap = sum(
        max(0, t.seats - (t.able_users if t.able_users is not None else 0))
        for t in plan.tools
        if t.status != ToolStatus.RETIRED
    )
    training = plan.total(Category.TRAINING)
    needed = thresholds.training_per_seat * gap
    if gap > 0 and training < needed:
        findings.append(
            _finding(
                "training_underfunded",
                [t.key for t in plan.tools if t.seats],
                training=numbers.money(training),
                gap=gap,
                needed=numbers.money(needed),
                per_seat=numbers.money(thresholds.training_per_seat),
            )
        )

    for tool in plan.tools:
        lines = by_tool.get(tool.key, [])
        # A candidate funded for the whole year without a pilot.
        if tool.status == ToolStatus.CANDIDATE:
            subscription = [ln for ln in lines if ln.category == Category.TOOL_SUBSCRIPTION]
            months = sum(1 for i in range(12) if any(ln.amounts[i] > 0 for ln in subscription))
            if months > thresholds.pilot_max_months:
                findings.append(
                    _finding(
                        "no_pilot",
                        [tool.key],
                        tool=tool.name,
                        months=months,
                        amount=numbers.money(sum((ln.total for ln in subscription), ZERO)),
                        limit=thresholds.pilot_max_months,
                    )
                )
        # Integration money with nothing to run it afterwards.
        integration = [ln for ln in lines if ln.category == Category.INTEGRATION and ln.total > 0]
        if integration and tool.status != ToolStatus.RETIRED:
            done = max(_last_month(ln.amounts) for ln in integration)
            running = [ln for ln in lines if ln.category == Category.TOOL_SUBSCRIPTION]
            runs_after = any(ln.amounts[m] > 0 for ln in running for m in range(done, 12))
            if not runs_after and (done < 12 or not running):
                findings.append(
                    _finding(
                        "no_maintenance",
                        [tool.key],
                        tool=tool.name,
                        integration=numbers.money(sum((ln.total for ln in integration), ZERO)),
                        month=done,
                    )
                )

    for line in plan.lines:
        if not line.owner.strip() and line.total > 0:
            findings.append(
                _finding(
                    "no_owner", [line.key], subject=line.item, amount=numbers.money(line.total)
                )
            )

    findings.sort(key=lambda f: f.severity != "error")  # stable: errors first
    return findings


def _tool_name(tools: dict[str, Tool], key: str) -> str:
    tool = tools.get(key)
    return tool.name if tool else key
