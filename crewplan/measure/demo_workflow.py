"""A year of the demo bakery's finished work for the team scorecards: posts, ads, blog
articles and monthly reports the agency wrote, LINE pushes the in-house team wrote, each
submitted, approved (sometimes after changes were requested), scheduled and published,
at the times people really do these things (09:00–18:00 on Taiwan working days), a few
of them late.

Written through the work app's models with explicit timestamps (the services stamp
now()), every move one row of `work/workflow.py`'s transition table by someone the RACI
matrix allows: the agency's R (or the in-house R named on the item) starts, submits,
resumes and schedules; an in-house A approves or requests changes; publishing is the
R's. Deterministic: a seeded random.Random."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from crewplan.measure.demo import SEED, events_of
from crewplan.planning.models import Goal
from crewplan.raci.models import Activity
from crewplan.work import calendar_tw
from crewplan.work.models import ItemRole, Transition, WorkItem
from crewplan.workspaces.models import Membership, Workspace

DAY_START, DAY_END = 9, 18  # working hours, as the scorecards count them
DayOff = Callable[[date], bool]


@dataclass(frozen=True)
class Kind:
    """A kind of recurring work: who writes it, how often, how it goes out."""

    activity: str
    writer: str  # the R's e-mail
    kind: str
    channel: str
    every_days: int
    offset: int  # first one this many days into the year
    hour: int  # publish time of day
    title: str  # with {theme}
    lead_days: tuple[int, int]  # submitted this many days before publishing
    review_hours: tuple[float, float]  # working hours the A takes to decide
    rework: float  # chance the A asks for changes
    late: float  # chance it is submitted at the last minute
    in_house: bool = False


KINDS = (
    Kind(
        "社群貼文製作",
        "content@sparkdigital.example",
        "social_post",
        "facebook_post",
        4,
        0,
        12,
        "{theme} FB 貼文",
        (4, 7),
        (2, 18),
        0.25,
        0.06,
    ),
    Kind(
        "社群貼文製作",
        "content@sparkdigital.example",
        "social_post",
        "instagram_caption",
        7,
        2,
        19,
        "{theme} IG 貼文",
        (4, 7),
        (2, 18),
        0.2,
        0.06,
    ),
    Kind(
        "廣告素材製作",
        "ads@sparkdigital.example",
        "ad_campaign",
        "google_ads_headline",
        14,
        5,
        9,
        "{theme} Google 搜尋廣告",
        (5, 9),
        (3, 24),
        0.3,
        0.08,
    ),
    Kind(
        "部落格文章撰寫",
        "content@sparkdigital.example",
        "content",
        "blog",
        21,
        9,
        10,
        "部落格：{theme}",
        (6, 10),
        (4, 30),
        0.35,
        0.06,
    ),
    Kind(
        "儀表板",
        "ads@sparkdigital.example",
        "data_report",
        "other",
        30,
        4,
        17,
        "{theme}成效月報",
        (2, 3),
        (1, 8),
        0.1,
        0.1,
    ),
    Kind(
        "社群貼文製作",
        "ecommerce@maixiang.example",
        "social_post",
        "line_message",
        7,
        1,
        11,
        "LINE 推播：{theme}",
        (2, 4),
        (1, 8),
        0.12,
        0.05,
        in_house=True,
    ),
)
EVERYDAY = ("本週新品", "會員日", "門市試吃活動", "職人手作故事", "季節水果塔", "早餐麵包推薦")


def theme(day: date) -> str:
    """What the bakery talks about the week of `day`."""
    e, nxt = events_of(day.year), events_of(day.year + 1)
    for eve in (e.cny_eve, nxt.cny_eve):
        if eve - timedelta(days=35) <= day <= eve:
            return "年節禮盒"
    if e.mothers_day - timedelta(days=21) <= day <= e.mothers_day:
        return "母親節蛋糕"
    if e.mid_autumn - timedelta(days=40) <= day <= e.mid_autumn:
        return "中秋禮盒預購"
    if date(day.year, 10, 28) <= day <= date(day.year, 11, 12):
        return "雙11 限時優惠"
    if date(day.year, 12, 1) <= day <= e.christmas:
        return "聖誕節禮盒"
    return EVERYDAY[day.toordinal() // 7 % len(EVERYDAY)]


def working(moment: datetime, day_off: DayOff) -> datetime:
    """The moment itself if it falls in working hours, else the next working morning."""
    if moment.hour >= DAY_END:
        moment = datetime.combine(moment.date() + timedelta(days=1), time(DAY_START))
    elif moment.hour < DAY_START:
        moment = datetime.combine(moment.date(), time(DAY_START))
    while day_off(moment.date()):
        moment = datetime.combine(moment.date() + timedelta(days=1), time(DAY_START))
    return moment


def add_working_hours(start: datetime, hours: float, day_off: DayOff) -> datetime:
    """`hours` working hours after `start` (naive local times)."""
    moment = working(start, day_off)
    left = timedelta(hours=hours)
    while True:
        closing = datetime.combine(moment.date(), time(DAY_END))
        if moment + left <= closing:
            return moment + left
        left -= closing - moment
        moment = working(closing, day_off)


@dataclass
class Move:
    action: str
    from_state: str
    to_state: str
    actor: Any
    at: datetime  # naive local
    note: str = ""


APPROVAL_NOTES = (
    "價格與檔期確認無誤，可以上。",
    "文案 OK，記得附上活動連結。",
    "圖片授權已確認，核准。",
    "這版很好，照排程發布。",
)


def moves(
    kind: Kind,
    publish: datetime,
    writer: Any,
    approver: Any,
    rng: random.Random,
    day_off: DayOff,
) -> list[Move]:
    """One item's moves from idea to published; late when the approval comes after the
    publish time (then it goes out as soon as it is approved)."""
    if rng.random() < kind.late:
        submitted = working(publish - timedelta(hours=rng.uniform(1, 6)), day_off)
    else:
        lead = rng.randint(*kind.lead_days)
        submitted = working(
            datetime.combine(publish.date() - timedelta(days=lead), time(rng.randint(9, 17)))
            + timedelta(minutes=rng.randrange(60)),
            day_off,
        )
    started = working(
        submitted - timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5)), day_off
    )
    if started >= submitted:
        started = submitted - timedelta(minutes=rng.randint(20, 90))
    steps = [
        Move("start", "idea", "drafting", writer, started),
        Move("submit", "drafting", "in_review", writer, submitted),
    ]
    at = submitted
    if rng.random() < kind.rework:
        at = add_working_hours(
            at, rng.triangular(*kind.review_hours, kind.review_hours[0]), day_off
        )
        note = rng.choice(("請把價格與預購截止日寫清楚", "主圖換成禮盒開箱照", "語氣再活潑一點"))
        steps.append(Move("request_changes", "in_review", "changes_requested", approver, at, note))
        at = add_working_hours(at, rng.uniform(0.5, 3), day_off)
        steps.append(Move("resume", "changes_requested", "drafting", writer, at))
        at = add_working_hours(at, rng.uniform(1, 8), day_off)
        steps.append(Move("submit", "drafting", "in_review", writer, at))
    at = add_working_hours(at, rng.triangular(*kind.review_hours, kind.review_hours[0]), day_off)
    # Most approvers say a word when they approve; some just click (the collaboration check
    # counts the silent ones).
    said = rng.choice(APPROVAL_NOTES) if rng.random() < 0.7 else ""
    steps.append(Move("approve", "in_review", "approved", approver, at, said))
    if at + timedelta(minutes=30) < publish and kind.kind != "data_report":
        at = add_working_hours(at, rng.uniform(0.2, 2), day_off)
        if at < publish:
            steps.append(Move("schedule", "approved", "scheduled", writer, at))
    state = steps[-1].to_state
    published = max(publish, at + timedelta(minutes=rng.randint(10, 50)))
    steps.append(Move("publish", state, "published", writer, published))
    return steps


def load(bakery: Workspace, today: date) -> None:
    """A year of finished items ending a few days before `today`."""
    members = {
        m.user.email: m for m in Membership.objects.for_workspace(bakery).select_related("user")
    }
    activities = {a.name: a for a in Activity.objects.for_workspace(bakery)}
    # Selling work serves the conversion goal, the rest the brand one; a few items nobody
    # linked (the collaboration check counts those).
    goals = list(Goal.objects.for_workspace(bakery).select_related("kpi").order_by("pk"))
    first, last = today - timedelta(days=364), today - timedelta(days=3)
    infos = calendar_tw.days_between(first - timedelta(days=30), today + timedelta(days=30))

    def day_off(day: date) -> bool:
        return calendar_tw.is_day_off(day, infos)

    manager = members["marketing@maixiang.example"].user
    owner = members["owner@maixiang.example"].user
    rng = random.Random(SEED + 3)  # noqa: S311 -- demo figures, not secrets
    now = min(timezone.localtime().replace(tzinfo=None), datetime.combine(today, time.max))
    planned: list[tuple[Kind, WorkItem, list[Move]]] = []
    for kind in KINDS:
        writer = members[kind.writer]
        day = first + timedelta(days=kind.offset)
        while day <= last:
            publish = datetime.combine(day, time(kind.hour))
            approver = manager if rng.random() < 0.8 else owner
            steps = moves(kind, publish, writer.user, approver, rng, day_off)
            day += timedelta(days=kind.every_days)
            if steps[-1].at > now:
                continue  # still on its way: the calendar demo shows work in progress
            name = theme(publish.date())
            goal = _goal_of(kind, goals) if rng.random() < 0.9 else None
            item = WorkItem(
                goal=goal,
                workspace=bakery,
                title=kind.title.format(theme=name),
                kind=kind.kind,
                activity=activities[kind.activity],
                channel=kind.channel,
                copy=f"麥香烘焙坊{name}，官網與門市同步登場！",
                publish_at=_aware(publish),
                state="published",
                revision=len(steps) + 1,
                created_by=writer.user,
                created_at=_aware(steps[0].at - timedelta(hours=rng.randint(1, 48))),
                updated_at=_aware(steps[-1].at),
            )
            planned.append((kind, item, steps))
    WorkItem.objects.bulk_create([item for _k, item, _s in planned], batch_size=500)
    ItemRole.objects.bulk_create(
        ItemRole(workspace=bakery, item=item, membership=members[kind.writer], role="R")
        for kind, item, _s in planned
        if kind.in_house
    )
    Transition.objects.bulk_create(
        (
            Transition(
                workspace=bakery,
                item=item,
                action=m.action,
                from_state=m.from_state,
                to_state=m.to_state,
                actor=m.actor,
                note=m.note,
                at=_aware(m.at),
            )
            for _k, item, steps in planned
            for m in steps
        ),
        batch_size=1000,
    )


def _goal_of(kind: Kind, goals: list[Goal]) -> Goal | None:
    if not goals:
        return None
    selling = kind.kind in ("ad_campaign", "content", "data_report")
    return goals[0] if selling or len(goals) == 1 else goals[1]


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment, timezone.get_current_timezone())
