"""The demo bakery's results, so every measurement page and the reallocation have something
true to show: its channels (paid, owned, organic) linked to the media budget lines and to
the AI tools that lift revenue, two years of daily figures up to today as one generic
import, the expenses of the lines no platform reports, monthly reviews of the tools in
use, and (in `demo_workflow`) a year of workflow history for the team scorecards.

The figures are made up but behave like a Taiwanese bakery's: a weekly rhythm, gift-box
seasons (Chinese New Year, Mother's Day, Mid-Autumn, Double 11, Christmas) with the dip
of the week of 除夕, noise from a seeded random.Random (the same demo every load of the
same day), and rates inside what the platforms report for food e-commerce (CTR 0.8–3 %,
CVR 1–4 %, average order NT$600–1,500). Each paid channel spends its media lines' plan
month by month times a pacing factor of its own, so the pacing page shows a green, an
amber and a red channel; inside the months the agency's flights push and ease off, and
last year differs (a smaller Google budget, Meta paused a month, YouTube's films in other
months), while LINE Ads runs one fixed daily budget. A paid channel's revenue is what its
spend brings through a geometric carry-over and a Hill curve (`Response`), so a fit of
the weekly figures judges Google Ads, Meta and YouTube and says honestly that LINE Ads'
never-varied spend cannot be judged. The random draws are floats, but what is stored is
whole hundredths (integers) and Decimal amounts, as an import would store them. Written
with bulk_create in batches: the whole load adds a few seconds to `crewplan demo`."""

import calendar
import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from holidays import country_holidays

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record
from crewplan.measure import channel_days, services
from crewplan.measure.models import Campaign, Channel, DailyMetric, Expense, Import, ToolReview
from crewplan.optimize.curves import Hill, geometric_adstock
from crewplan.planning.budget import services as budget_services
from crewplan.planning.budget.plan import seasonal_weights, spread
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion, Kpi
from crewplan.planning.tools import services as tool_services
from crewplan.workspaces.models import Membership, Team, Workspace

D = Decimal
SEED = 20261111
DAYS = 731  # two years of daily rows, ending today: a fit wants two seasons
BATCH = 1000
# Spend by weekday (Monday first): the bakery pushes harder before the weekend.
WEEKLY = (0.94, 0.95, 0.98, 1.0, 1.08, 1.1, 0.95)
# Sessions of the owned and organic channels by weekday: people browse on weekends.
WEEKLY_VISITS = (0.95, 0.97, 0.98, 0.98, 1.0, 1.08, 1.04)


@dataclass(frozen=True)
class Events:
    """The dates a Taiwanese bakery plans its year around, for one calendar year."""

    cny_eve: date  # 除夕
    mothers_day: date  # second Sunday of May
    mid_autumn: date  # 中秋節
    double_11: date
    christmas: date


@cache
def events_of(year: int) -> Events:
    """The year's events; the lunar ones from the `holidays` package (already used by the
    calendar), so they are right for any year."""
    names = country_holidays("TW", years=year, language="en_US")
    new_year = min(d for d, n in names.items() if n == "Chinese New Year")
    mid_autumn = min(d for d, n in names.items() if n.startswith("Mid-Autumn"))
    may_first = date(year, 5, 1)
    first_sunday = may_first + timedelta(days=(6 - may_first.weekday()) % 7)
    return Events(
        cny_eve=new_year - timedelta(days=1),
        mothers_day=first_sunday + timedelta(days=7),
        mid_autumn=mid_autumn,
        double_11=date(year, 11, 11),
        christmas=date(year, 12, 25),
    )


def _between(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def demand(day: date) -> float:
    """How much more than usual people buy on `day` (1 = an ordinary day): gift-box
    weeks before the holidays, the quiet week of 除夕 when shops close and families eat
    at home, the Double 11 spike."""
    e = events_of(day.year)
    later = events_of(day.year + 1)  # January pre-orders for next year's 除夕
    boost = 1.0
    for eve in (e.cny_eve, later.cny_eve):
        if _between(day, eve - timedelta(days=24), eve - timedelta(days=4)):
            boost *= 1.55
        elif _between(day, eve - timedelta(days=3), eve + timedelta(days=4)):
            boost *= 0.45
    if _between(day, e.mothers_day - timedelta(days=16), e.mothers_day):
        boost *= 1.5
    if _between(day, e.mid_autumn - timedelta(days=30), e.mid_autumn - timedelta(days=8)):
        boost *= 1.45
    elif _between(day, e.mid_autumn - timedelta(days=7), e.mid_autumn):
        boost *= 1.8
    if day == e.double_11:
        boost *= 3.0
    elif _between(day, e.double_11 - timedelta(days=4), e.double_11 + timedelta(days=1)):
        boost *= 1.7
    elif day == date(day.year, 12, 12):
        boost *= 1.6
    if _between(day, e.christmas - timedelta(days=14), e.christmas - timedelta(days=1)):
        boost *= 1.35
    return boost


def gift_season(day: date) -> bool:
    """Days when orders are gift boxes, larger than the everyday bread and cake."""
    e = events_of(day.year)
    nxt = events_of(day.year + 1)
    return any(
        _between(day, start, end)
        for start, end in (
            (e.cny_eve - timedelta(days=30), e.cny_eve - timedelta(days=2)),
            (nxt.cny_eve - timedelta(days=30), nxt.cny_eve - timedelta(days=2)),
            (e.mid_autumn - timedelta(days=35), e.mid_autumn - timedelta(days=1)),
            (e.christmas - timedelta(days=20), e.christmas),
        )
    )


# Whether a seasonal campaign runs on a day.
Window = Callable[[date], bool]


def _cny(day: date) -> bool:
    return any(
        _between(day, eve - timedelta(days=35), eve - timedelta(days=2))
        for eve in (events_of(day.year).cny_eve, events_of(day.year + 1).cny_eve)
    )


def _mothers(day: date) -> bool:
    m = events_of(day.year).mothers_day
    return _between(day, m - timedelta(days=21), m)


def _mid_autumn(day: date) -> bool:
    m = events_of(day.year).mid_autumn
    return _between(day, m - timedelta(days=40), m - timedelta(days=1))


def _double_11(day: date) -> bool:
    return _between(day, date(day.year, 10, 28), date(day.year, 11, 12))


def _double_12(day: date) -> bool:
    return _between(day, date(day.year, 12, 5), date(day.year, 12, 12))


def _christmas(day: date) -> bool:
    return _between(day, date(day.year, 12, 1), date(day.year, 12, 25))


def _always(day: date) -> bool:
    return True


@dataclass(frozen=True)
class DemoCampaign:
    name: str
    runs: Window
    weight: float  # share of the channel's day when it runs
    quality: float  # its conversion rate relative to the channel's


@dataclass(frozen=True)
class Response:
    """How a paid channel's spend becomes revenue, week by week: the spend carried over
    (geometric adstock, `decay`, weights summing to 1 over 8 weeks: crewplan.optimize's
    own curves) through a Hill curve top·a^s/(K^s + a^s). Stated against the channel's
    usual week (its yearly plan × pacing / 52): `roas` is the revenue per dollar there,
    `saturation` K over that usual week, `slope` s."""

    decay: float
    roas: float
    saturation: float
    slope: float

    def curve(self, usual: float) -> Hill:
        half = self.saturation * usual
        top = self.roas * usual * (half**self.slope + usual**self.slope) / usual**self.slope
        return Hill(top=top, half_saturation=half, slope=self.slope)


@dataclass(frozen=True)
class PaidChannel:
    """A paid channel's economics: cost per thousand impressions (TWD), click-through and
    conversion rates, average order value (TWD); `pacing` is what it spends of its plan."""

    name: str
    line: str  # its media budget line; "" when planning/demo.py already made it
    plan: tuple[Decimal, ...]  # twelve fiscal months; () = the existing line's
    pacing: float
    cpm: float
    ctr: float
    cvr: float
    aov: float
    cents: bool  # Meta reports spend with cents; the others whole dollars
    fractional_conversions: bool  # Google Ads' data-driven attribution: 2.37 conversions
    campaigns: tuple[DemoCampaign, ...]
    response: Response
    last_year: float = 1.0  # the months before this fiscal year spend this times the plan
    paused: int = 0  # a calendar month of last year with no spend at all (0: none)
    steady: bool = False  # a fixed daily budget, whatever the plan and the season
    last_plan: tuple[int, ...] = ()  # last year's months when they followed another plan


def _c(name: str, runs: Window, weight: float = 1.0, quality: float = 1.0) -> DemoCampaign:
    return DemoCampaign(name, runs, weight, quality)


SEASONAL = seasonal_weights(1)
PAID = (
    PaidChannel(
        name="Google Ads",
        line="Google 搜尋與購物廣告",
        plan=spread(D(600000), SEASONAL),
        pacing=1.08,  # amber: a little ahead of plan
        cpm=250.0,
        ctr=0.028,
        cvr=0.034,
        aov=980.0,
        cents=False,
        fractional_conversions=True,
        campaigns=(
            _c("品牌關鍵字", _always, 0.8, 1.35),
            _c("購物廣告－全品項", _always, 1.2, 1.0),
            _c("年節禮盒", _cny, 2.0, 1.1),
            _c("母親節蛋糕", _mothers, 2.0, 1.05),
            _c("中秋禮盒預購", _mid_autumn, 2.5, 1.15),
            _c("雙11 限時優惠", _double_11, 2.5, 1.2),
        ),
        # Search answers at once and saturates late; last year's budget was 30 % smaller.
        response=Response(decay=0.25, roas=3.7, saturation=1.6, slope=1.0),
        last_year=0.7,
    ),
    PaidChannel(
        name="Meta",
        line="",
        plan=(),
        pacing=1.02,  # green: on plan
        cpm=95.0,
        ctr=0.015,
        cvr=0.024,
        aov=920.0,
        cents=True,
        fractional_conversions=False,
        campaigns=(
            _c("再行銷－購物車未結帳", _always, 0.8, 1.5),
            _c("新客開發－類似受眾", _always, 1.2, 0.8),
            _c("母親節蛋糕", _mothers, 2.0, 1.0),
            _c("中秋禮盒預購", _mid_autumn, 2.5, 1.1),
            _c("雙11 限時優惠", _double_11, 2.5, 1.2),
            _c("聖誕節禮盒", _christmas, 2.0, 1.0),
        ),
        # Social carries over and saturates early; paused last April (ad account review).
        response=Response(decay=0.5, roas=3.4, saturation=0.7, slope=1.0),
        paused=4,
    ),
    PaidChannel(
        name="LINE Ads",
        line="LINE 廣告（LAP）",
        plan=spread(D(240000)),  # the same every month: a fixed daily budget
        pacing=0.84,  # red: well behind plan
        cpm=80.0,
        ctr=0.011,
        cvr=0.02,
        aov=760.0,
        cents=False,
        fractional_conversions=False,
        campaigns=(
            _c("好友募集", _always, 1.0, 0.7),
            _c("會員日 全品項第二件半價", _always, 1.0, 1.2),
            _c("年節禮盒", _cny, 1.5, 1.0),
            _c("雙11 限時優惠", _double_11, 2.0, 1.1),
            _c("雙12 會員回饋", _double_12, 1.5, 1.0),
        ),
        # Never varied: the one channel the fit cannot judge (an honest "not enough data").
        response=Response(decay=0.2, roas=2.0, saturation=1.0, slope=1.0),
        steady=True,
    ),
    PaidChannel(
        name="YouTube",
        line="YouTube 影片廣告",
        # Flights around the gift seasons only.
        plan=tuple(
            D(a) for a in (10000, 0, 0, 12000, 18000, 0, 0, 15000, 25000, 5000, 25000, 10000)
        ),
        pacing=0.93,
        cpm=48.0,
        ctr=0.009,
        cvr=0.012,
        aov=1250.0,
        cents=False,
        fractional_conversions=False,
        campaigns=(
            _c("品牌形象影片－職人手作", _always, 1.0, 0.9),
            _c("母親節蛋糕", _mothers, 1.5, 1.0),
            _c("中秋禮盒預購", _mid_autumn, 2.0, 1.1),
            _c("雙11 限時優惠", _double_11, 1.5, 1.0),
        ),
        # Video is remembered for weeks, and needs a flight of some weight to be noticed.
        response=Response(decay=0.6, roas=3.4, saturation=1.3, slope=1.5),
        # Last year's films ran outside the gift seasons (spring, summer, Double 11).
        last_plan=(0, 0, 30000, 0, 0, 40000, 35000, 0, 0, 0, 25000, 0),
    ),
)


@dataclass(frozen=True)
class OrganicChannel:
    """An owned or organic channel as GA4 reports it: sessions, key events, revenue."""

    name: str
    sessions: float  # on an ordinary day
    cvr: float  # key events per session
    aov: float
    push_days: tuple[int, ...]  # weekdays with a newsletter or LINE push (Monday = 0)


ORGANIC = (
    OrganicChannel("SEO", 900.0, 0.011, 820.0, ()),
    OrganicChannel("E-mail", 110.0, 0.028, 900.0, (1, 4)),
    OrganicChannel("LINE OA", 380.0, 0.021, 780.0, (2, 5)),
)
KINDS = {"SEO": Channel.Kind.ORGANIC, "E-mail": Channel.Kind.OWNED, "LINE OA": Channel.Kind.OWNED}


@dataclass
class Row:
    """One generated row, before it is tied to its channel and campaign objects."""

    day: date
    channel: str
    campaign: str
    spend_x100: int = 0
    impressions: int = 0
    clicks: int = 0
    conversions_x100: int = 0
    revenue_x100: int = 0
    sessions: int = 0
    key_events: int = 0


def _noise(rng: random.Random, sd: float) -> float:
    return min(1.6, max(0.5, rng.gauss(1.0, sd)))


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _months(first: date, last: date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + month // 12, month % 12 + 1)


def _fiscal_start(day: date, start_month: int) -> date:
    """The first day of the fiscal year `day` is in."""
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


def _flights(rng: random.Random, first: date, last: date) -> dict[date, float]:
    """The agency's flights: blocks of two to five weeks pushed, held or eased off (a
    factor on the week's share of its month), the way budgets move between campaigns."""
    levels: dict[date, float] = {}
    week = first - timedelta(days=first.weekday())
    while week <= last:
        level = rng.choice((0.25, 1.0, 2.0))
        for _ in range(rng.randint(2, 5)):
            levels[week] = level
            week += timedelta(days=7)
    return levels


def _month_factor(channel: PaidChannel, year: int, month: int, this_year: date) -> float:
    """Last year's budget step and paused month; this fiscal year spends its plan."""
    if date(year, month, 1) >= this_year:
        return 1.0
    if month == channel.paused and date(year, month, 1) >= this_year.replace(
        year=this_year.year - 1
    ):
        return 0.0
    return channel.last_year


def paid_spend(
    channel: PaidChannel,
    plan: tuple[Decimal, ...],
    start_month: int,
    span: tuple[date, date],
    rng: random.Random,
) -> dict[date, float]:
    """The channel's spend of each day of `span` (first and last day): each calendar
    month spends its plan month (`plan` in fiscal months from `start_month`) times the
    channel's pacing, spread over the month's days by weekday, demand and the week's
    flight; the months before this fiscal year spend the same plan times the channel's
    `last_year` step, nothing in its paused month. A `steady` channel spends the plan's
    daily average every day."""
    first, last = span
    this_year = _fiscal_start(last, start_month)
    flights = _flights(rng, first, last)
    spend: dict[date, float] = {}
    for year, month in _months(first, last):
        days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
        if channel.steady:
            daily = float(sum(plan, Decimal(0))) / 365 * channel.pacing
            spend |= {day: daily * _noise(rng, 0.03) for day in days if first <= day <= last}
            continue
        factor = _month_factor(channel, year, month, this_year)
        month_plan = plan
        if channel.last_plan and date(year, month, 1) < this_year:
            month_plan = tuple(Decimal(a) for a in channel.last_plan)
        target = float(month_plan[(month - start_month) % 12]) * channel.pacing * factor
        target *= _noise(rng, 0.04)
        weights = [
            WEEKLY[d.weekday()]
            * demand(d) ** 0.6
            * flights.get(monday_of(d), 1.0)
            * _noise(rng, 0.1)
            for d in days
        ]
        whole = sum(weights)
        for day, weight in zip(days, weights, strict=True):
            if first <= day <= last and target * weight > 0:
                spend[day] = target * weight / whole
    return spend


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_revenue(
    channel: PaidChannel, spend: dict[date, float], usual: float
) -> dict[date, float]:
    """The revenue the channel's spend brings each week (by its Monday): the weeks' spend
    carried over and through the channel's Hill curve (Response)."""
    weeks: dict[date, float] = defaultdict(float)
    for day, amount in spend.items():
        weeks[monday_of(day)] += amount
    mondays = sorted(weeks)
    carried = geometric_adstock([weeks[m] for m in mondays], channel.response.decay)
    values = channel.response.curve(usual).value(carried)
    return {m: float(v) for m, v in zip(mondays, values, strict=True)}


def paid_rows(
    channel: PaidChannel,
    plan: tuple[Decimal, ...],
    start_month: int,
    span: tuple[date, date],
    rng: random.Random,
) -> list[Row]:
    """The channel's rows over `span`: its spend (paid_spend) shared by the campaigns
    running each day; the week's revenue (weekly_revenue) shared by the days and
    campaigns in proportion to their spend and the campaign's quality."""
    spend = paid_spend(channel, plan, start_month, span, rng)
    usual = float(sum(plan, Decimal(0))) * channel.pacing / 52
    revenue = weekly_revenue(channel, spend, usual)
    rows: list[Row] = []
    for day in sorted(spend):
        rows += _campaign_rows(channel, day, spend[day], rng)
    weight: dict[date, float] = defaultdict(float)
    quality = {c.name: c.quality for c in channel.campaigns}
    for row in rows:
        weight[monday_of(row.day)] += row.spend_x100 * quality[row.campaign]
    owed = [0.0]
    for row in rows:
        week = monday_of(row.day)
        share = row.spend_x100 * quality[row.campaign] / weight[week] if weight[week] else 0.0
        _sell(channel, row, revenue[week] * share, owed, rng)
    return rows


def _campaign_rows(
    channel: PaidChannel, day: date, spend_today: float, rng: random.Random
) -> list[Row]:
    running = [c for c in channel.campaigns if c.runs(day)]
    whole = sum(c.weight for c in running)
    rows = []
    for campaign in running:
        spend = spend_today * campaign.weight / whole * _noise(rng, 0.08)
        spend_x100 = round(spend * 100) if channel.cents else round(spend) * 100
        impressions = round(spend / (channel.cpm * _noise(rng, 0.1)) * 1000)
        clicks = round(impressions * _clip(channel.ctr * _noise(rng, 0.12), 0.008, 0.03))
        rows.append(
            Row(
                day=day,
                channel=channel.name,
                campaign=campaign.name,
                spend_x100=spend_x100,
                impressions=impressions,
                clicks=clicks,
                sessions=round(clicks * 0.92),
            )
        )
    return rows


def _sell(
    channel: PaidChannel, row: Row, revenue: float, owed: list[float], rng: random.Random
) -> None:
    """The row's orders and revenue for the `revenue` its share of the week brings:
    orders of the day's average order value (larger in the gift seasons), whole ones but
    for Google Ads; the fraction of an order left over is carried to the channel's next
    row (`owed`), so the weeks add up to what the channel brought."""
    aov = _clip(
        channel.aov * (1.25 if gift_season(row.day) else 1.0) * _noise(rng, 0.08), 600, 1500
    )
    conversions = revenue / aov + owed[0]
    whole = conversions if channel.fractional_conversions else float(math.floor(conversions))
    row.conversions_x100 = round(whole * 100)
    owed[0] = conversions - row.conversions_x100 / 100
    row.revenue_x100 = round(row.conversions_x100 * aov)


def organic_rows(channel: OrganicChannel, first: date, last: date, rng: random.Random) -> list[Row]:
    """GA4-like rows: sessions, key events (the purchases) and revenue, no spend."""
    rows = []
    day = first
    while day <= last:
        push = 2.2 if day.weekday() in channel.push_days else 1.0
        sessions = round(
            channel.sessions
            * WEEKLY_VISITS[day.weekday()]
            * push
            * demand(day) ** 0.3
            * _noise(rng, 0.04)
        )
        key_events = round(sessions * _clip(channel.cvr * _noise(rng, 0.05), 0.005, 0.04))
        aov = _clip(channel.aov * (1.1 if gift_season(day) else 1.0) * _noise(rng, 0.03), 600, 1500)
        rows.append(
            Row(
                day=day,
                channel=channel.name,
                campaign="",
                conversions_x100=key_events * 100,
                revenue_x100=round(key_events * aov) * 100,
                sessions=sessions,
                key_events=key_events,
            )
        )
        day += timedelta(days=1)
    return rows


# The loader: the channels, lines and tools to tie together, then the rows.


def load(bakery: Workspace, today: date | None = None) -> None:
    """Everything above for the demo bakery, after its plan and calendar exist. `today`:
    the last day of figures (default: today in the workspace's zone)."""
    from crewplan.measure import demo_workflow  # the scorecards' history, kept apart

    with timezone.override(bakery.time_zone), transaction.atomic():
        today = today or timezone.localdate()
        people = {
            m.user.email: m.user
            for m in Membership.objects.for_workspace(bakery).select_related("user")
        }
        owner = people["owner@maixiang.example"]
        channels = _channels(bakery, owner)
        version = BudgetVersion.objects.for_workspace(bakery).order_by("-number").first()
        assert version is not None, "the planning demo makes the year's plan first"
        version.workspace = bakery
        plans = _media_lines(bakery, version, owner, channels)
        AiTool.objects.for_workspace(bakery).get(name="LINE 客服機器人").channels.set(
            [channels["LINE OA"]]
        )
        _metrics(bakery, people["ads@sparkdigital.example"], channels, plans, today)
        _expenses(bakery, version, people["marketing@maixiang.example"], today)
        _reviews(bakery, owner, today)
        demo_workflow.load(bakery, today)


def _channels(bakery: Workspace, owner: Any) -> dict[str, Channel]:
    """The default channels but Offline (the bakery's stores buy no media); Meta exists."""
    have = {c.name: c for c in Channel.objects.for_workspace(bakery)}
    for name, kind in services.DEFAULT_CHANNELS:
        if name not in have and name != "Offline":
            have[name] = services.channel_create(
                workspace=bakery, actor=owner, name=name, kind=kind
            )
    return have


def _media_lines(
    bakery: Workspace, version: BudgetVersion, owner: Any, channels: dict[str, Channel]
) -> dict[str, tuple[Decimal, ...]]:
    """The media lines of the paid channels the planning demo left without one; the plan
    of every paid channel, in fiscal months."""
    agency = Team.objects.for_workspace(bakery).get(kind=Team.Kind.EXTERNAL)
    roas = Kpi.objects.for_workspace(bakery).get(catalogue_key="roas")
    months = [f"m{m:02d}" for m in range(1, 13)]
    plans = {}
    for paid in PAID:
        if paid.line:
            budget_services.line_save(
                version=version,
                actor=owner,
                data={
                    "item": paid.line,
                    "category": "media",
                    "committed": D(0),
                    "channel": channels[paid.name],
                    "kpi": roas,
                    "owner": agency,
                    **dict(zip(months, paid.plan, strict=True)),
                },
            )
    lines = BudgetLine.objects.for_workspace(bakery).filter(version=version, category="media")
    for line in lines.select_related("channel"):
        if line.channel is not None:
            plans[line.channel.name] = tuple(getattr(line, m) for m in months)
    return plans


def generate(plans: dict[str, tuple[Decimal, ...]], start_month: int, today: date) -> list[Row]:
    """The year of rows ending `today`, the same for the same day."""
    rng = random.Random(SEED)  # noqa: S311 -- demo figures, not secrets
    span = (today - timedelta(days=DAYS - 1), today)
    rows: list[Row] = []
    for paid in PAID:
        rows += paid_rows(paid, plans[paid.name], start_month, span, rng)
    for organic in ORGANIC:
        rows += organic_rows(organic, *span, rng)
    return rows


def _metrics(
    bakery: Workspace,
    actor: Any,
    channels: dict[str, Channel],
    plans: dict[str, tuple[Decimal, ...]],
    today: date,
) -> None:
    """The rows as ONE generic import of "demo.csv", as if the agency had uploaded it."""
    rows = generate(plans, bakery.fiscal_year_start_month, today)
    names = sorted({(r.channel, r.campaign) for r in rows})
    Campaign.objects.bulk_create(
        Campaign(workspace=bakery, channel=channels[ch], name=name) for ch, name in names
    )
    campaigns = {
        (c.channel_id, c.name): c.pk
        for c in Campaign.objects.for_workspace(bakery).only("channel_id", "name")
    }
    text = "\n".join(
        f"{r.day},{r.channel},{r.campaign},{r.spend_x100},{r.impressions},{r.clicks},"
        f"{r.conversions_x100},{r.revenue_x100},{r.sessions},{r.key_events}"
        for r in rows
    )
    now = timezone.now()
    source = Import.objects.create(
        workspace=bakery,
        kind=Import.Kind.METRICS,
        status=Import.Status.DONE,
        file_name="demo.csv",
        checksum=hashlib.sha256(text.encode()).hexdigest(),
        layout="generic",
        encoding="utf-8",
        rows_read=len(rows),
        rows_added=len(rows),
        date_from=min(r.day for r in rows),
        date_to=today,
        progress=100,
        created_by=actor,
        created_at=now,
        finished_at=now,
    )
    DailyMetric.objects.bulk_create(
        (_metric(bakery, source, channels[r.channel], campaigns, r) for r in rows),
        batch_size=BATCH,
    )
    channel_days.refresh(workspace_id=bakery.pk, first=source.date_from, last=today)
    record(
        workspace=bakery,
        actor=actor,
        action=AuditAction.MEASURE_IMPORTED,
        target=source,
        after={"file_name": source.file_name, "layout": source.layout, "rows_added": len(rows)},
    )


def _metric(
    bakery: Workspace,
    source: Import,
    channel: Channel,
    campaigns: dict[tuple[int, str], int],
    r: Row,
) -> DailyMetric:
    extras = {"sessions": r.sessions * 100}
    if r.key_events:
        extras["key_events"] = r.key_events * 100
    return DailyMetric(
        workspace=bakery,
        day=r.day,
        channel=channel,
        campaign_id=campaigns[(channel.pk, r.campaign)],
        spend_x100=r.spend_x100,
        impressions=r.impressions,
        clicks=r.clicks,
        conversions_x100=r.conversions_x100,
        revenue_x100=r.revenue_x100,
        extras=extras,
        source=source,
    )


@dataclass(frozen=True)
class DemoExpense:
    line: str  # the budget line's item
    day: date
    amount: Decimal
    vendor: str
    note: str


def _invoice_number(rng: random.Random) -> str:
    """A Taiwan uniform invoice number (統一發票): two letters and eight digits, written
    with or without the hyphen the way people copy them from the paper."""
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
    return f"{letters}{'-' if rng.random() < 0.5 else ''}{rng.randrange(10**8):08d}"


def expenses_of(fiscal_year: int, start_month: int, today: date) -> list[DemoExpense]:
    """The year's invoices up to today: the subscriptions month by month (ChatGPT billed
    in US dollars, so each month's TWD differs), the bot from its pilot's start, the
    integration a little over its quote, the privacy review and the training."""
    rng = random.Random(SEED + 1)  # noqa: S311 -- demo figures, not secrets
    firsts = [
        date(fiscal_year + (start_month + i - 1) // 12, (start_month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]
    found: list[DemoExpense] = []

    def add(line: str, day: date, amount: str, vendor: str, note: str = "") -> None:
        if day <= today:
            found.append(DemoExpense(line, day, D(amount), vendor, note))

    for i, first in enumerate(firsts):
        month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        rate = D(rng.randrange(3040, 3290)) / 100  # TWD per USD on the card statement
        add(
            "ChatGPT Team 訂閱",
            first,  # renews on the first: even a demo loaded on 1 January has an expense
            str((90 * rate).quantize(D("0.01"))),
            "OpenAI",
            "3 席 × US$30",
        )
        add("星火數位 月費", month_end, "45000", "星火數位行銷有限公司", f"{first.month} 月服務費")
        if i >= 2:  # the bot's pilot started in the third month, after its integration
            add("LINE 客服機器人 月費", first.replace(day=1), "3000", "BotBonnie", "Pro 方案")
            add(
                "會員資料清理與個資法檢視", first.replace(day=1), "500", "BotBonnie", "個資加密保存"
            )
    add(
        "LINE 客服機器人 串接 SHOPLINE",
        firsts[1].replace(day=26),
        "33600",
        "BotBonnie",
        "報價 30,000，追加會員綁定 webhook",
    )
    add(
        "會員資料清理與個資法檢視",
        firsts[0].replace(day=20),
        "8000",
        "明理法律事務所",
        "個資法檢視",
    )
    add(
        "AI 工具教育訓練",
        firsts[2].replace(day=18),
        "6000",
        "資策會數位教育研究所",
        "ChatGPT 行銷應用工作坊（3 人）",
    )
    add("新工具試用金", firsts[6].replace(day=8), "3060", "Jasper AI", "Jasper 試用 2 席 1 個月")
    return found


def _expenses(bakery: Workspace, version: BudgetVersion, actor: Any, today: date) -> None:
    lines = {
        line.item: line for line in BudgetLine.objects.for_workspace(bakery).filter(version=version)
    }
    rng = random.Random(SEED + 2)  # noqa: S311 -- demo figures, not secrets
    made = Expense.objects.bulk_create(
        Expense(
            workspace=bakery,
            line=lines[e.line],
            day=e.day,
            amount=e.amount,
            vendor=e.vendor,
            invoice_number=_invoice_number(rng),
            note=e.note,
            created_by=actor,
        )
        for e in expenses_of(version.fiscal_year, bakery.fiscal_year_start_month, today)
    )
    for expense in made:
        record(
            workspace=bakery,
            actor=actor,
            action=AuditAction.MEASURE_EXPENSE_SAVED,
            target=expense,
            after={
                "line": expense.line.item,
                "day": expense.day.isoformat(),
                "amount": str(expense.amount),
                "vendor": expense.vendor,
                "invoice_number": expense.invoice_number,
            },
            revision=expense.revision,
        )


# Monthly reviews, oldest first, ending last month: (active seats, hours saved, outputs,
# satisfaction, note). ChatGPT Team beats its expected 40 hours before Mid-Autumn, then
# falls below its conservative 28 hours two months running; the LINE bot, reviewed since
# its pilot began, climbs past its expected 60 hours.
CHATGPT_REVIEWS = (
    (3, "34", 52, 4, ""),
    (3, "35", 55, 4, ""),
    (3, "33", 49, 4, "年節檔期文案量大，但多半要重寫"),
    (3, "36", 58, 4, ""),
    (3, "38", 61, 4, ""),
    (3, "37", 60, 4, "母親節 EDM 與貼文初稿"),
    (3, "39", 63, 4, ""),
    (3, "41", 66, 5, ""),
    (3, "46", 74, 5, "中秋禮盒文案一次產出多版本"),
    (3, "52", 83, 5, "中秋檔期：廣告標題 A/B 版本全由 ChatGPT 起稿"),
    (1, "22", 35, 3, "兩位同事改用 Jasper 試用帳號，席次閒置"),
    (1, "19", 30, 2, "只剩行銷經理在用，考慮減少席次"),
)
BOT_REVIEWS = (
    (2, "18", 640, 3, "試營運第一個月，常見問題還在補"),
    (2, "30", 910, 3, ""),
    (2, "42", 1180, 4, ""),
    (2, "50", 1350, 4, "串接訂單查詢後，客服詢問量明顯下降"),
    (2, "58", 1520, 4, ""),
    (2, "63", 1710, 4, ""),
    (2, "66", 1880, 5, "中秋預購問答全自動"),
    (2, "70", 2040, 5, ""),
    (2, "74", 2260, 5, "雙11 期間夜間訂單問題都由機器人處理"),
)


def _month_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _reviews(bakery: Workspace, owner: Any, today: date) -> None:
    """The tools in use reviewed every month up to last month; ChatGPT Team gets the
    hours-only ROI estimate it is compared with."""
    tools = {t.name: t for t in AiTool.objects.for_workspace(bakery)}
    chatgpt, bot = tools["ChatGPT Team"], tools["LINE 客服機器人"]
    tool_services.estimate_save(
        workspace=bakery,
        actor=owner,
        tool=chatgpt,
        data={
            "horizon_months": 12,
            "ramp_up_months": 0,
            "hours_saved_per_month": D(40),
            "loaded_hourly_rate": D(350),
            "sessions_per_month": D(0),
            "conversion_rate_lift": D(0),
            "average_order_value": D(0),
            "gross_margin": D(0),
            "costs_avoided_per_month": D(0),
            "spread": D(30),
        },
    )
    reviews = []
    for tool, history in ((chatgpt, CHATGPT_REVIEWS), (bot, BOT_REVIEWS)):
        for back, (seats, hours, outputs, satisfaction, note) in zip(
            range(len(history), 0, -1), history, strict=True
        ):
            reviews.append(
                ToolReview(
                    workspace=bakery,
                    tool=tool,
                    month=_month_back(today, back),
                    active_seats=seats,
                    hours_saved=D(hours),
                    outputs=outputs,
                    satisfaction=satisfaction,
                    note=note,
                    created_by=owner,
                )
            )
    ToolReview.objects.bulk_create(reviews)
