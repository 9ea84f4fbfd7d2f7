"""KPIs as definitions over imported metrics, and the built-in catalogue (pure, no Django).

A KPI is computed over a period from metric totals:
- `sum`: the metric's total (e.g. content pieces published);
- `average`: the metric's average of daily values (e.g. CSAT score);
- `ratio`: numerator / denominator × scale (e.g. conversions / sessions × 100 = %);
- `growth`: (this period / previous period − 1) × 100 for one metric (e.g. sessions).
Metric names are those the imports produce (sessions, conversions, revenue, spend, …).
The catalogue's KPI names are gettext messages in `goals/messages.py`, by key.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Formula(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    RATIO = "ratio"
    GROWTH = "growth"


HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    key: str
    unit: str  # "%", "TWD", "x", "pieces", "score"
    direction: str  # HIGHER or LOWER is better
    formula: Formula
    metric: str  # the metric, or the numerator for a ratio
    denominator: str = ""
    scale: Decimal = Decimal(1)

    def value(
        self, totals: dict[str, Decimal], previous: dict[str, Decimal] | None = None
    ) -> Decimal | None:
        """The KPI from one period's metric totals (and the previous period's, for growth);
        None when it cannot be computed (a zero denominator, missing data)."""
        if self.formula in (Formula.SUM, Formula.AVERAGE):
            return totals.get(self.metric)
        if self.formula == Formula.RATIO:
            numerator, denominator = totals.get(self.metric), totals.get(self.denominator)
            if numerator is None or not denominator:
                return None
            return numerator / denominator * self.scale
        before = (previous or {}).get(self.metric)
        now = totals.get(self.metric)
        if now is None or not before:
            return None
        return (now / before - 1) * self.scale


H, L = HIGHER, LOWER
PCT = Decimal(100)
CATALOGUE: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "traffic_growth",
        "%",
        H,
        Formula.GROWTH,
        "sessions",
        scale=PCT,
    ),
    KpiDefinition(
        "conversion_rate",
        "%",
        H,
        Formula.RATIO,
        "conversions",
        "sessions",
        PCT,
    ),
    KpiDefinition(
        "clv",
        "TWD",
        H,
        Formula.RATIO,
        "revenue",
        "customers",
    ),
    KpiDefinition(
        "roi",
        "%",
        H,
        Formula.RATIO,
        "profit",
        "spend",
        PCT,
    ),
    KpiDefinition(
        "roas",
        "x",
        H,
        Formula.RATIO,
        "revenue",
        "spend",
    ),
    KpiDefinition(
        "cac",
        "TWD",
        L,
        Formula.RATIO,
        "spend",
        "new_customers",
    ),
    KpiDefinition(
        "engagement_rate",
        "%",
        H,
        Formula.RATIO,
        "engagements",
        "impressions",
        PCT,
    ),
    KpiDefinition(
        "email_open_rate",
        "%",
        H,
        Formula.RATIO,
        "email_opens",
        "emails_delivered",
        PCT,
    ),
    KpiDefinition(
        "content_per_week",
        "pieces",
        H,
        Formula.RATIO,
        "content_pieces",
        "weeks",
    ),
    KpiDefinition(
        "chatbot_resolution",
        "%",
        H,
        Formula.RATIO,
        "chats_resolved",
        "chats",
        PCT,
    ),
    KpiDefinition(
        "csat",
        "score",
        H,
        Formula.AVERAGE,
        "csat_score",
    ),
)
BY_KEY = {k.key: k for k in CATALOGUE}

# The metrics that are money. A KPI made from one (ROAS, CAC, ROI, CLV, revenue growth) is
# an amount as the channels page's spend, revenue, ROAS and CAC are: shown only to those
# who may see the budget's amounts (DESIGN.md A; `Action.VIEW_BUDGET_AMOUNTS`).
MONEY_METRICS = frozenset({"spend", "revenue", "profit"})


def is_money(definition: KpiDefinition, currency: str) -> bool:
    """Whether the KPI's values are money or made from money: a money metric in its
    formula, or the workspace's currency (an ISO code such as TWD) as its unit."""
    if {definition.metric, definition.denominator} & MONEY_METRICS:
        return True
    return definition.unit.strip().casefold() == currency.strip().casefold()
