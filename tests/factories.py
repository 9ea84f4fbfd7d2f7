"""Helpers shared by the test modules: named people built through the services, signed-in
clients, work items made through the pages, and the walk over every URL pattern. Test
modules import from here (the fixtures that use these live in tests/conftest.py), never
from another test module or a conftest."""

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from crewplan.measure import channel_days
from crewplan.measure.models import Campaign, Channel, ChannelAlias, DailyMetric, Expense, Import
from crewplan.planning.budget.queries import MONTH_FIELDS
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion, Goal, Kpi, StackItem
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function
from crewplan.reallocation.models import Fit, LiftTest
from crewplan.reports import services as report_services
from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.models import Report, ReviewSettings
from crewplan.reports.report import ReportAction, ReportData
from crewplan.work.models import WorkItem
from crewplan.workspaces import services
from crewplan.workspaces.models import Membership, Team, Workspace

PASSWORD = "a-long-test-password-42"


@dataclass
class World:
    a: Workspace
    b: Workspace
    a_in_house: Team
    a_agency: Team
    b_team: Team
    people: dict[str, Any]

    def member(self, name: str) -> Membership:
        return Membership.objects.get(user=self.people[name])


def make_user(email: str, name: str) -> Any:
    return get_user_model().objects.create_user(email, PASSWORD, full_name=name)


def join(workspace: Workspace, actor: Any, team: Team, user: Any, role: str) -> Membership:
    _, token = services.invitation_create(
        workspace=workspace, actor=actor, email=user.email, team=team, role=role, send=False
    )
    return services.invitation_accept(token=token, user=user)


def change_settings(workspace: Workspace, actor: Any, **fields: Any) -> Workspace:
    """Save workspace settings (its own or its apps' settings rows) through the service,
    as the settings page does, at the revisions stored now."""
    fresh = Workspace.objects.get(pk=workspace.pk)
    revisions = {
        type(row): row.revision if row.pk else None  # type: ignore[attr-defined]
        for row in services.settings_rows(fresh)
    }
    return services.workspace_update_settings(
        workspace=fresh, actor=actor, revisions=revisions, data=fields
    )


def review_settings_form() -> dict[str, str]:
    """The settings page's collaboration check fields at their defaults, as posted."""
    return {
        f"review-{field.name}": str(field.default)
        for field in ReviewSettings._meta.concrete_fields
        if field.name.startswith("review_")
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# Work items, through the pages (the `raci` fixture of tests/work/conftest.py gives the
# activities).


def create(client: Any, activity: Activity, **fields: str) -> WorkItem:
    data = {
        "title": "Mooncake pre-order post",
        "kind": "social_post",
        "activity": activity.pk,
        "channel": "facebook_post",
        "brief": "",
        "copy": "中秋月餅預購開跑！",
        "publish_at": "2026-09-20T12:00",
        **fields,
    }
    response = client.post("/w/alpha/work/items/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return WorkItem.objects.latest("pk")


def move(client: Any, item: WorkItem, action: str, **extra: str) -> Any:
    item.refresh_from_db()
    return client.post(
        f"/w/alpha/work/items/{item.pk}/move/",
        {"action": action, "revision": item.revision, **extra},
    )


# The walk over every URL pattern of the project (tests/test_tenant_isolation.py, the
# amount-visibility and hostile-input walks).

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def walk(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> list[tuple[str, str]]:
    """(route, name) for every pattern, routes joined from the resolver tree."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((route, f"{ns}{entry.name}"))
    return found


def build(route: str, values: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        assert name in values, (
            f"URL parameter <{name}> in {route!r} has no test value: add one to "
            "tenant_values() so the isolation walk covers the new view"
        )
        return str(values[name])

    return "/" + PARAM.sub(fill, route)


def tenant_values(world: Any, slug: str) -> dict[str, Any]:
    """An object of workspace A for every URL parameter name the project uses."""
    invitation, _token = services.invitation_create(
        workspace=world.a,
        actor=world.people["alice"],
        email="pending@a.example",
        team=world.a_agency,
        role="member",
        send=False,
    )
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    kpi = Kpi.objects.create(
        workspace=world.a, name="A secret KPI", unit="%", metric="c", denominator="s"
    )
    goal = Goal.objects.create(workspace=world.a, text="A secret goal 甲目標", kpi=kpi)
    tool = AiTool.objects.create(workspace=world.a, name="A secret tool")
    budget = BudgetVersion.objects.create(
        workspace=world.a, fiscal_year=2026, number=1, name="A plan"
    )
    line = BudgetLine.objects.create(
        workspace=world.a, version=budget, category="media", item="A secret line"
    )
    system = StackItem.objects.create(workspace=world.a, kind="eshop", name="A secret shop")
    channel = Channel.objects.create(workspace=world.a, name="A secret channel")
    alias = ChannelAlias.objects.create(
        workspace=world.a, source_name="a secret alias", channel=channel
    )
    expense_import = Import.objects.create(
        workspace=world.a,
        kind=Import.Kind.EXPENSES,
        status=Import.Status.DONE,
        file_name="a-secret-expenses.csv",
        checksum="x",
        layout="expenses",
    )
    expense = Expense.objects.create(
        workspace=world.a,
        line=line,
        day="2026-03-05",
        amount=1,
        vendor="A secret vendor",
        source=expense_import,
    )
    item = WorkItem.objects.create(workspace=world.a, title="A secret post")
    an_import = queued_import(world.a, world.people["alice"], file_name="A secret line.csv")
    fit = Fit.objects.create(
        workspace=world.a, version=budget, quarter=1, created_by=world.people["alice"]
    )
    report = stored_report(
        world.a, world.people["alice"], [ReportAction("k", "A secret post", "")], "A secret line"
    )
    lift_test = LiftTest.objects.create(
        workspace=world.a,
        channel=channel,
        first_day=date(2026, 3, 2),
        last_day=date(2026, 3, 29),
        spend_change=Decimal(-1000),
        incremental=Decimal(-500),
        standard_error=Decimal(50),
        note="A secret experiment",
    )
    return {
        "lift_test_id": lift_test.pk,
        "import_id": an_import.pk,
        "fit_id": fit.pk,
        "report_id": report.pk,
        "action_index": 0,
        "slug": slug,
        "system_id": system.pk,
        "item_id": item.pk,
        "tool_id": tool.pk,
        "budget_version_id": budget.pk,
        "line_id": line.pk,
        "channel_id": channel.pk,
        "alias_id": alias.pk,
        "expense_id": expense.pk,
        "expense_import_id": expense_import.pk,
        "kpi_id": kpi.pk,
        "goal_id": goal.pk,
        "activity_id": Activity.objects.filter(workspace=world.a).first().pk,
        "function_id": Function.objects.filter(workspace=world.a).first().pk,
        "version_id": draft.pk,
        "membership_id": world.member("amy").pk,
        "team_id": world.a_agency.pk,
        "invitation_id": invitation.pk,
        "token": "not-a-real-token",
        "uidb64": "MQ",
        "token_reset": "x",
    }


def queued_import(workspace: Any, by: Any, file_name: str = "ads.csv", **fields: Any) -> Import:
    """An Import waiting for the worker (status queued), as a page queues one."""
    return Import.objects.create(
        workspace=workspace,
        file_name=file_name,
        checksum="0" * 64,
        layout="generic",
        created_by=by,
        **fields,
    )


def posts_in_september(workspace: Any, activity: Any, n: int) -> None:
    """`n` work items of `activity` published across September 2026 (query-count tests)."""
    WorkItem.objects.bulk_create(
        WorkItem(
            workspace=workspace,
            title=f"Post {i}",
            activity=activity,
            publish_at=datetime(2026, 9, 1 + i % 28, 3, tzinfo=UTC),
        )
        for i in range(n)
    )


def metric_rows(
    workspace: Workspace,
    channel: Channel,
    days: Iterable[date],
    *,
    campaign: str = "",
    source: Import | None = None,
    extras: dict[str, int] | None = None,
    **figures: int,
) -> list[DailyMetric]:
    """One imported row per day of `days` for `channel`'s `campaign` (created when
    missing), each with `figures` (spend_x100=…, clicks=…: the model's hundredths), as
    an import would write them; `source` is a new finished metrics import when None."""
    source = source or Import.objects.create(
        workspace=workspace, kind="metrics", status="done", file_name="test.csv", layout="test"
    )
    found, _created = Campaign.objects.get_or_create(
        workspace=workspace, channel=channel, name=campaign
    )
    days = list(days)
    created = DailyMetric.objects.bulk_create(
        DailyMetric(
            workspace=workspace,
            day=day,
            channel=channel,
            campaign=found,
            source=source,
            extras=extras or {},
            **figures,
        )
        for day in days
    )
    if days:
        channel_days.refresh(
            workspace_id=workspace.pk, first=min(days), last=max(days), channel_ids=[channel.pk]
        )
    return created


def summarize(workspace: Workspace) -> None:
    """Sum the workspace's daily rows written by hand (not by `metric_rows` or an import)
    into `ChannelDay`, as an import does for its own."""
    channel_days.refresh(workspace_id=workspace.pk, first=date.min, last=date.max)


def plan_line(
    version: Any,
    actor: Any,
    item: str,
    category: str = "training",
    channel: Any = None,
    months: dict[int, int] | None = None,
) -> BudgetLine:
    """A budget line saved through the service, planning `months` (fiscal month → amount)."""
    from decimal import Decimal

    from crewplan.planning.budget import services as budget_services

    amounts = {f"m{m:02d}": Decimal((months or {}).get(m, 0)) for m in range(1, 13)}
    return budget_services.line_save(
        version=version,
        actor=actor,
        allow_over=True,
        data={
            "item": item,
            "category": category,
            "channel": channel,
            "committed": Decimal(0),
            **amounts,
        },
    )


def channel_named(workspace: Workspace, name: str, kind: str = "paid") -> Channel:
    """The workspace's channel called `name` (a new workspace has the default ones),
    created when missing, of `kind`."""
    found, _created = Channel.objects.update_or_create(
        workspace=workspace, name=name, defaults={"kind": kind}
    )
    return found


WEEKS = 60


def last_sunday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 1)


def _hill(x: float, top: float, k: float, s: float) -> float:
    return top * x**s / (k**s + x**s)


def responsive_channels(world: Any, weeks: int = WEEKS) -> dict[str, Any]:
    """The reallocation tests' data: two paid channels whose varied weekly spend drives
    revenue (Search saturates late, Social early), an organic channel with revenue only;
    a day's figures are a seventh of its week's, in whole hundredths."""
    ws = world.a
    search = Channel.objects.create(workspace=ws, name="Search", kind="paid")
    social = Channel.objects.create(workspace=ws, name="Social", kind="paid")
    seo = Channel.objects.create(workspace=ws, name="Organic 自然", kind="organic")
    rng = random.Random(7)
    first = last_sunday() - timedelta(days=7 * weeks - 1)
    for w in range(weeks):
        monday = first + timedelta(days=7 * w)
        days = [monday + timedelta(days=d) for d in range(7)]
        a = 7000 * rng.uniform(0.3, 1.7)
        b = 7000 * rng.uniform(0.3, 1.7)
        revenue_a = _hill(a, 60000, 9000, 1.0)
        revenue_b = _hill(b, 25000, 8000, 1.0)
        base = 20000 + rng.gauss(0, 100)
        for channel, spend, revenue in ((search, a, revenue_a), (social, b, revenue_b)):
            metric_rows(
                ws,
                channel,
                days,
                spend_x100=round(spend / 7 * 100),
                revenue_x100=round(revenue / 7 * 100),
            )
        metric_rows(ws, seo, days, revenue_x100=round(base / 7 * 100))
    version = BudgetVersion.objects.create(
        workspace=ws, fiscal_year=timezone.localdate().year, number=1, name="Plan"
    )
    lines = {}
    for channel, monthly in ((search, 30000), (social, 30000)):
        lines[channel.name] = BudgetLine.objects.create(
            workspace=ws,
            version=version,
            category="media",
            item=f"{channel.name} ads",
            channel=channel,
            owner=world.a_in_house,
            **{m: Decimal(monthly) for m in MONTH_FIELDS},
        )
    other = BudgetLine.objects.create(
        workspace=ws, version=version, category="training", item="Training", m01=Decimal(5000)
    )
    quarter = (timezone.localdate().month - 1) // 3 + 1
    return {
        "version": version,
        "lines": lines,
        "other": other,
        "quarter": quarter,
        "channels": (search, social, seo),
        "first": first,
    }


def weak_channel(world: Any, seed: int, weeks: int = WEEKS) -> dict[str, Any]:
    """Data whose Display channel's ROI the figures alone leave unknown: its weekly spend
    varies only ±40 % around 5,000 while Search's varies from 0.3 to 1.7 × 7,000 and the
    weekly noise is 1,500 (both concave, no carry-over; the baseline 20,000 of organic
    revenue). Returns the channels, the Mondays, Display's weekly spend as stored and its
    true curve (`display_revenue(spend)`), to simulate an experiment's result."""
    ws = world.a
    search = Channel.objects.create(workspace=ws, name="Search", kind="paid")
    display = Channel.objects.create(workspace=ws, name="Display", kind="paid")
    seo = Channel.objects.create(workspace=ws, name="Organic 自然", kind="organic")
    rng = random.Random(seed)
    first = last_sunday() - timedelta(days=7 * weeks - 1)
    mondays, stored = [], []
    for w in range(weeks):
        monday = first + timedelta(days=7 * w)
        days = [monday + timedelta(days=d) for d in range(7)]
        a = 7000 * rng.uniform(0.3, 1.7)
        b = 5000 * rng.uniform(0.6, 1.4)
        base = 20000 + rng.gauss(0, 1500)
        daily_b = round(b / 7 * 100)
        for channel, daily, revenue in (
            (search, round(a / 7 * 100), _hill(a, 60000, 9000, 1.0)),
            (display, daily_b, display_revenue(daily_b * 7 / 100)),
        ):
            metric_rows(ws, channel, days, spend_x100=daily, revenue_x100=round(revenue / 7 * 100))
        metric_rows(ws, seo, days, revenue_x100=round(base / 7 * 100))
        mondays.append(monday)
        stored.append(daily_b * 7 / 100)
    version = BudgetVersion.objects.create(
        workspace=ws, fiscal_year=timezone.localdate().year, number=1, name="Plan"
    )
    quarter = (timezone.localdate().month - 1) // 3 + 1
    return {
        "version": version,
        "quarter": quarter,
        "channels": (search, display, seo),
        "mondays": mondays,
        "display_spend": stored,
    }


def display_revenue(spend: float) -> float:
    """`weak_channel`'s true weekly revenue of Display at a weekly spend."""
    return _hill(spend, 20000, 12000, 1.0)


def stored_report(
    workspace: Workspace, actor: Any, actions: list[ReportAction], text: str = ""
) -> Report:
    """A finished 2026Q4 report of `workspace` whose copies (in-house, then one per
    external team) list `actions` (as section 10 does), stored through the service the
    task uses. Each copy's HTML and PDF say whose it is: `<p id='which'>in-house</p>` or
    the team's id, then `text`."""
    report = report_services.report_request(
        workspace=workspace,
        quarter=FiscalQuarter(2026, 4),
        language="en",
        actor=actor,
        background=False,
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    external = Team.objects.filter(workspace=workspace, kind=Team.Kind.EXTERNAL).order_by("pk")
    copies = []
    for team in [None, *external.values_list("pk", flat=True)]:
        data = ReportData(
            workspace_id=workspace.pk,
            quarter="2026Q4",
            language="en",
            audience_team_id=team,
            amounts_hidden=team is not None,
            generated_at="2026-12-02T10:00:00+08:00",
            sections={"title": workspace.name},
            actions=actions,
        )
        html = f"<html><body><p id='which'>{team or 'in-house'}</p>{text}</body></html>"
        pdf = b"%PDF-1.7 " + html.encode()
        copies.append(report_services.RenderedCopy(team, data.to_json(), html, pdf))
    assert report_services.report_store(report=report, copies=copies)
    report.refresh_from_db()
    return report


def published_template(world: Any) -> None:
    """A's in-house + agency template, signed by both sides and published (so the
    agency's A count: work/roles.py)."""
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    raci_services.sign_off(version=draft, team=world.a_in_house, actor=world.people["alice"])
    raci_services.sign_off(version=draft, team=world.a_agency, actor=world.people["adam"])
    raci_services.publish(version=draft, actor=world.people["alice"])
