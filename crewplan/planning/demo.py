"""The demo bakery's AI marketing budget, steps 2 to 4: people's skills and hours, the
software stack, four AI tools (one in use, one in pilot, two candidates rated side by
side), an ROI estimate for the LINE bot and this fiscal year's plan, with one health
finding left to fix (the experiment reserve). Built through the services, like real data."""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from crewplan.measure.models import Channel
from crewplan.planning.budget import queries as budget_queries
from crewplan.planning.budget import services as budget_services
from crewplan.planning.budget.plan import seasonal_weights, spread
from crewplan.planning.models import AiTool, Goal, Kpi, StackItem
from crewplan.planning.tools import evaluation
from crewplan.planning.tools import services as tool_services
from crewplan.workspaces.models import Membership, Team, Workspace

D = Decimal
NO_COSTS = {
    "integration": D(0),
    "training_hours": D(0),
    "training_rate": D(0),
    "training_fees": D(0),
    "data_preparation": D(0),
    "privacy_per_month": D(0),
    "renewal_change": D(0),
}


def load(bakery: Workspace, in_house: Team, agency: Team, owner: Any) -> None:
    kpis = {k.catalogue_key: k for k in Kpi.objects.for_workspace(bakery)}
    conversion, roas = kpis["conversion_rate"], kpis["roas"]
    tools = _tools(bakery, in_house, agency, owner, conversion, roas)
    _resources(bakery, owner, tools)
    tool_services.estimate_save(
        workspace=bakery,
        actor=owner,
        tool=tools["bot"],
        data={
            "horizon_months": 24,
            "ramp_up_months": 3,
            "hours_saved_per_month": D(60),
            "loaded_hourly_rate": D(350),
            "sessions_per_month": D(25000),
            "conversion_rate_lift": D("0.05"),
            "average_order_value": D(850),
            "gross_margin": D(45),
            "costs_avoided_per_month": D(0),
            "spread": D(30),
        },
    )
    goal = Goal.objects.for_workspace(bakery).filter(kpi=conversion).first()
    _plan(bakery, in_house, agency, owner, tools, goal, conversion, roas)


def _tools(
    bakery: Workspace, in_house: Team, agency: Team, owner: Any, conversion: Kpi, roas: Kpi
) -> dict[str, AiTool]:
    def save(**fields: Any) -> AiTool:
        return tool_services.tool_save(workspace=bakery, actor=owner, data=NO_COSTS | fields)

    return {
        "chatgpt": save(
            name="ChatGPT Team",
            vendor="OpenAI",
            category="content_generation",
            status="active",
            owner=in_house,
            kpi=conversion,
            customer_data=False,
            seats=3,
            price_per_seat=D(900),
            flat_fee=D(0),
            training_hours=D(6),
            training_rate=D(350),
            renewal_change=D("0.05"),
        ),
        "bot": save(
            name="LINE 客服機器人",
            vendor="Bot Bonnie",
            category="chatbot",
            status="pilot",
            owner=in_house,
            kpi=conversion,
            customer_data=True,
            seats=0,
            price_per_seat=D(0),
            flat_fee=D(3000),
            integration=D(30000),
            data_preparation=D(8000),
            privacy_per_month=D(500),
        ),
        "jasper": save(
            name="Jasper",
            vendor="Jasper AI",
            category="content_generation",
            status="candidate",
            owner=in_house,
            kpi=conversion,
            customer_data=False,
            seats=2,
            price_per_seat=D(1500),
            flat_fee=D(0),
        ),
        "copy": save(
            name="Copy.ai",
            vendor="Copy.ai",
            category="content_generation",
            status="candidate",
            owner=agency,
            kpi=roas,
            customer_data=False,
            seats=0,
            price_per_seat=D(0),
            flat_fee=D(1400),
        ),
    }


SKILLS = {
    "marketing@maixiang.example": (
        80,
        {"content_generation": "proficient", "data_analysis": "basic"},
    ),
    "ecommerce@maixiang.example": (120, {"content_generation": "basic", "seo": "basic"}),
    "owner@maixiang.example": (8, {}),
    "account@sparkdigital.example": (30, {"content_generation": "basic"}),
    "content@sparkdigital.example": (60, {"content_generation": "expert", "seo": "proficient"}),
    "ads@sparkdigital.example": (60, {"ad_optimization": "expert", "data_analysis": "proficient"}),
    "data@sparkdigital.example": (20, {"data_analysis": "expert"}),
}


def _resources(bakery: Workspace, owner: Any, tools: dict[str, AiTool]) -> None:
    memberships = {
        m.user.email: m.pk for m in Membership.objects.for_workspace(bakery).select_related("user")
    }
    tool_services.people_save(
        workspace=bakery,
        actor=owner,
        hours={memberships[email]: hours for email, (hours, _) in SKILLS.items()},
        levels={memberships[email]: levels for email, (_, levels) in SKILLS.items()},
    )
    systems: dict[str, StackItem] = {}
    for kind, name in [
        ("eshop", "SHOPLINE"),
        ("messaging", "LINE 官方帳號"),
        ("analytics", "GA4"),
        ("ads", "Meta 廣告帳戶"),
        ("ads", "Google Ads"),
    ]:
        systems[name] = tool_services.system_add(
            workspace=bakery, actor=owner, kind=kind, name=name
        )
    fits = {
        ("chatgpt", "SHOPLINE"): "manual",
        ("chatgpt", "GA4"): "manual",
        ("bot", "LINE 官方帳號"): "native",
        ("bot", "SHOPLINE"): "connector",
        ("jasper", "SHOPLINE"): "connector",
        ("jasper", "Meta 廣告帳戶"): "native",
        ("copy", "SHOPLINE"): "manual",
    }
    tool_services.fits_save(
        workspace=bakery,
        actor=owner,
        fits={(tools[t].pk, systems[s].pk): fit for (t, s), fit in fits.items()},
    )
    scores = {
        "jasper": {"features": 4, "cost": 3, "ease": 4, "support": 3, "integration": 4, "value": 4},
        "copy": {"features": 3, "cost": 4, "ease": 4, "support": 2, "integration": 2, "value": 3},
    }
    tool_services.evaluation_save(
        workspace=bakery,
        actor=owner,
        weights=dict(evaluation.DEFAULT_WEIGHTS),
        scores={tools[key].pk: values for key, values in scores.items()},
    )


def _plan(
    bakery: Workspace,
    in_house: Team,
    agency: Team,
    owner: Any,
    tools: dict[str, AiTool],
    goal: Goal | None,
    conversion: Kpi,
    roas: Kpi,
) -> None:
    year = budget_queries.fiscal_year_of(bakery, timezone.localdate())
    version = budget_services.version_create(
        workspace=bakery, actor=owner, fiscal_year=year, name="年度預算"
    )
    months = [f"m{m:02d}" for m in range(1, 13)]
    meta = Channel.objects.for_workspace(bakery).get(name="Meta")  # a default channel

    def line(item: str, category: str, amounts: tuple[Decimal, ...], **fields: Any) -> None:
        budget_services.line_save(
            version=version,
            actor=owner,
            data={
                "item": item,
                "category": category,
                "committed": fields.pop("committed", D(0)),
                "channel": fields.pop("channel", None),
                "goal": fields.pop("goal", None),
                "kpi": fields.pop("kpi", None),
                "tool": fields.pop("tool", None),
                "owner": fields.pop("owner", in_house),
                **dict(zip(months, amounts, strict=True)),
            },
        )

    def once(amount: int, month: int = 1) -> tuple[Decimal, ...]:
        return tuple(D(amount) if m == month else D(0) for m in range(1, 13))

    seasonal = seasonal_weights(bakery.fiscal_year_start_month)
    line(
        "ChatGPT Team 訂閱",
        "tool_subscription",
        spread(D(32400)),
        tool=tools["chatgpt"],
        goal=goal,
        committed=D(32400),
    )
    line("LINE 客服機器人 月費", "tool_subscription", spread(D(36000)), tool=tools["bot"])
    line("LINE 客服機器人 串接 SHOPLINE", "integration", once(30000, 2), tool=tools["bot"])
    line(
        "會員資料清理與個資法檢視",
        "data_privacy",
        tuple(a + b for a, b in zip(once(8000, 1), spread(D(6000)), strict=True)),
        tool=tools["bot"],
    )
    line("AI 工具教育訓練", "training", once(6000, 3), kpi=conversion)
    line(
        "星火數位 月費",
        "agency_fees",
        spread(D(540000)),
        owner=agency,
        kpi=roas,
        committed=D(540000),
    )
    line(
        "Meta 廣告",
        "media",
        spread(D(720000), seasonal),
        owner=agency,
        kpi=roas,
        channel=meta,
    )
    line("新工具試用金", "experiment_reserve", once(20000, 4))
