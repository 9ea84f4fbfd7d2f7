"""KPIs as definitions over imported metrics, and the built-in catalogue (pure, no Django).

A KPI is computed over a period from metric totals:
- `sum`: the metric's total (e.g. content pieces published);
- `average`: the metric's average of daily values (e.g. CSAT score);
- `ratio`: numerator / denominator × scale (e.g. conversions / sessions × 100 = %);
- `growth`: (this period / previous period − 1) × 100 for one metric (e.g. sessions).
Metric names are those the imports produce (sessions, conversions, revenue, spend, …).
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
    names: tuple[str, str]  # (English, 繁體中文)
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
        ("Traffic growth", "流量成長率"),
        "%",
        H,
        Formula.GROWTH,
        "sessions",
        scale=PCT,
    ),
    KpiDefinition(
        "conversion_rate",
        ("Conversion rate", "轉換率"),
        "%",
        H,
        Formula.RATIO,
        "conversions",
        "sessions",
        PCT,
    ),
    KpiDefinition(
        "clv",
        ("Customer lifetime value (CLV)", "顧客終身價值（CLV）"),
        "TWD",
        H,
        Formula.RATIO,
        "revenue",
        "customers",
    ),
    KpiDefinition(
        "roi",
        ("Marketing ROI", "行銷投資報酬率（ROI）"),
        "%",
        H,
        Formula.RATIO,
        "profit",
        "spend",
        PCT,
    ),
    KpiDefinition(
        "roas",
        ("Return on ad spend (ROAS)", "廣告投資報酬率（ROAS）"),
        "x",
        H,
        Formula.RATIO,
        "revenue",
        "spend",
    ),
    KpiDefinition(
        "cac",
        ("Customer acquisition cost (CAC)", "顧客取得成本（CAC）"),
        "TWD",
        L,
        Formula.RATIO,
        "spend",
        "new_customers",
    ),
    KpiDefinition(
        "engagement_rate",
        ("Engagement rate", "互動率"),
        "%",
        H,
        Formula.RATIO,
        "engagements",
        "impressions",
        PCT,
    ),
    KpiDefinition(
        "email_open_rate",
        ("E-mail open rate", "電子報開信率"),
        "%",
        H,
        Formula.RATIO,
        "email_opens",
        "emails_delivered",
        PCT,
    ),
    KpiDefinition(
        "content_per_week",
        ("Content output per week", "每週內容產出"),
        "pieces",
        H,
        Formula.RATIO,
        "content_pieces",
        "weeks",
    ),
    KpiDefinition(
        "chatbot_resolution",
        ("Chatbot resolution rate", "客服機器人解決率"),
        "%",
        H,
        Formula.RATIO,
        "chats_resolved",
        "chats",
        PCT,
    ),
    KpiDefinition(
        "csat",
        ("Customer satisfaction (CSAT)", "顧客滿意度（CSAT）"),
        "score",
        H,
        Formula.AVERAGE,
        "csat_score",
    ),
)
BY_KEY = {k.key: k for k in CATALOGUE}
