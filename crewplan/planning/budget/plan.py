"""Budget vocabulary shared by the planning cores (no Django): categories, tool
statuses, and a plan as plain data. Money is Decimal in the workspace currency's
major unit (TWD: whole dollars); 12 monthly amounts per line, fiscal month 1 first.
The categories' and statuses' labels are the model's choices (`planning/models.py`),
shown through `budget/messages.py`; the plan file's reader keeps its own words for them."""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

MONTHS = 12
ZERO = Decimal(0)


class Category(StrEnum):
    TOOL_SUBSCRIPTION = "tool_subscription"
    INTEGRATION = "integration"
    TRAINING = "training"
    DATA_PRIVACY = "data_privacy"
    EXPERIMENT_RESERVE = "experiment_reserve"
    CONSULTING = "consulting"
    AGENCY_FEES = "agency_fees"
    MEDIA = "media"


# What counts as spending on AI tools, for the concentration check.
AI_TOOL_CATEGORIES = frozenset({Category.TOOL_SUBSCRIPTION, Category.INTEGRATION})


class ToolStatus(StrEnum):
    CANDIDATE = "candidate"
    PILOT = "pilot"
    ACTIVE = "active"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Tool:
    key: str
    name: str
    status: ToolStatus = ToolStatus.CANDIDATE
    customer_data: bool = False  # processes customers' personal data
    seats: int = 0
    able_users: int | None = None  # people skilled enough to use it; None: unknown
    kpi: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    category: Category
    item: str
    amounts: tuple[Decimal, ...]  # MONTHS monthly amounts, fiscal month 1 first
    tool: str = ""  # tool key
    kpi: str = ""
    owner: str = ""  # owner team name
    channel: str = ""  # channel name (media lines)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass(frozen=True, slots=True)
class Plan:
    lines: tuple[Line, ...]
    tools: tuple[Tool, ...] = field(default=())

    def total(self, *categories: Category) -> Decimal:
        return sum(
            (line.total for line in self.lines if not categories or line.category in categories),
            ZERO,
        )

    def month_totals(self) -> tuple[Decimal, ...]:
        """The plan's total in each fiscal month (MONTHS amounts, fiscal month 1 first)."""
        return tuple(sum((line.amounts[m] for line in self.lines), ZERO) for m in range(MONTHS))

    def quarter_totals(self) -> tuple[Decimal, ...]:
        """The plan's total in each fiscal quarter: fiscal months 1–3, 4–6, 7–9, 10–12."""
        months = self.month_totals()
        return tuple(sum(months[q : q + 3], ZERO) for q in range(0, MONTHS, 3))


def spread(total: Decimal, weights: tuple[Decimal, ...] | None = None) -> tuple[Decimal, ...]:
    """A yearly amount over 12 months: evenly, or in proportion to `weights` (e.g. a
    seasonal profile). Amounts are whole units; the remainder goes to the last months, so
    the months always add up to `total` exactly."""
    weights = weights or (Decimal(1),) * MONTHS
    if len(weights) != MONTHS or any(w < 0 for w in weights) or sum(weights, ZERO) == 0:
        raise ValueError("a spread needs 12 non-negative weights, not all zero")
    whole = total.to_integral_value(rounding="ROUND_DOWN")
    total_weight = sum(weights, ZERO)
    amounts = [(whole * w / total_weight).to_integral_value(rounding="ROUND_DOWN") for w in weights]
    rest = whole - sum(amounts, ZERO)
    index = MONTHS - 1
    while rest > 0:
        if weights[index] > 0:
            amounts[index] += 1
            rest -= 1
        index = (index - 1) % MONTHS
    amounts[-1] += total - whole  # cents, if any
    return tuple(amounts)


# A Taiwanese retail year, by calendar month: Lunar New Year in January–February, the
# Double 11 and year-end sales in November–December weigh more; a starting point to edit.
SEASONAL_TW: dict[int, Decimal] = {
    1: Decimal("1.3"),
    2: Decimal("1.2"),
    3: Decimal("0.9"),
    4: Decimal("0.9"),
    5: Decimal("1.0"),
    6: Decimal("0.9"),
    7: Decimal("0.9"),
    8: Decimal("1.0"),
    9: Decimal("1.0"),
    10: Decimal("1.0"),
    11: Decimal("1.4"),
    12: Decimal("1.3"),
}


def calendar_month(fiscal_month: int, start_month: int) -> int:
    """The calendar month (1–12) of fiscal month `fiscal_month` (1–12)."""
    return (start_month + fiscal_month - 2) % 12 + 1


def seasonal_weights(start_month: int) -> tuple[Decimal, ...]:
    return tuple(SEASONAL_TW[calendar_month(m, start_month)] for m in range(1, MONTHS + 1))


@dataclass(frozen=True, slots=True)
class LineChange:
    change: str  # "added", "removed" or "changed"
    category: Category
    item: str
    before: Decimal  # the line's year total in the older version (0 when added)
    after: Decimal
    months: tuple[int, ...]  # fiscal months whose amount changed


def plan_changes(old: Plan, new: Plan) -> list[LineChange]:
    """Line by line, what a newer version changes: lines are the same line when their
    category and item match (a re-forecast copies them). Newer version's order first."""

    def key(line: Line) -> tuple[str, str]:
        return (line.category.value, line.item.strip().casefold())

    before = {key(line): line for line in old.lines}
    after = {key(line): line for line in new.lines}
    changes = []
    for k, line in after.items():
        previous = before.get(k)
        if previous is None:
            changes.append(LineChange("added", line.category, line.item, ZERO, line.total, ()))
        elif previous.amounts != line.amounts:
            months = tuple(m + 1 for m in range(MONTHS) if previous.amounts[m] != line.amounts[m])
            changes.append(
                LineChange("changed", line.category, line.item, previous.total, line.total, months)
            )
    for k, line in before.items():
        if k not in after:
            changes.append(LineChange("removed", line.category, line.item, line.total, ZERO, ()))
    return changes
