"""Team scorecards, in-house vs agency, from the recorded workflow history (pure, no Django).

In: one `ItemHistory` per work item (its team — the team of its responsible person —,
its function, its planned publish time, when it was published and its transitions), a
`WorkingCalendar` and a `Period`. Out: `Scorecards`, the figures per team kind, team and
function for the period and for the period of the same length just before it.

Which items a period holds: those whose planned publish time falls in it (a day in the
calendar's zone); an item without a planned publish time counts on the day it was
published; an item with neither counts nowhere.

- **On-time delivery %**: of the period's items with a planned publish time that are
  published, or whose planned time has passed (`now`), the share published no later
  than the planned publish time.
- **Median approval turnaround**: working hours from each step into review (submit, or
  a copy edit that re-opens review) to the approval that closes that review. Every
  resubmission opens a new cycle, so the figure is the approvers' wait, not the time
  spent on changes (the rework rate shows those); a review withdrawn or sent back for
  changes has no turnaround.
- **Rework rate %**: of the items that went to review at least once, the share with at
  least one "changes requested".
- **First-pass approval %**: of the items approved at least once, the share whose first
  review ended in approval.
- **Items per person**: items ÷ distinct responsible people.

A figure is None (shown as —) when there is nothing to measure. Percentages are
rounded half up to 0.1, items per person to 0.01, hours to 0.01 after the median.

Working hours: `working_hours_between` counts the time inside 09:00–18:00 (the
calendar's `day_start`–`day_end`) of working days in the calendar's zone: Monday to
Friday unless a holiday, and make-up Saturdays (補班) — `work/calendar_tw`'s days."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from statistics import median
from typing import Literal

from crewplan.work.calendar_tw import DayInfo, is_day_off

TeamKind = Literal["internal", "external"]
INTERNAL: TeamKind = "internal"
EXTERNAL: TeamKind = "external"
KINDS: tuple[TeamKind, ...] = (INTERNAL, EXTERNAL)

DAY_START = time(9)
DAY_END = time(18)

REVIEW = "in_review"
APPROVE = "approve"
REQUEST_CHANGES = "request_changes"

PERCENT = Decimal("0.1")
RATIO = Decimal("0.01")
HOURS = Decimal("0.01")
# A span's microseconds become hours with one rounding, half even, to 1/10,000 hour
# (0.36 s): a sum of whole quarter hours stays exact.
HOURS_EXACT = Decimal("0.0001")
MICROSECONDS_PER_HOUR = 3_600_000_000

PERIOD_PRESETS = ("this_month", "last_month", "this_quarter", "last_quarter")


@dataclass(frozen=True, slots=True)
class TeamRef:
    key: int
    name: str
    kind: TeamKind


@dataclass(frozen=True, slots=True)
class Step:
    """A transition: the action taken, the state it led to, and when."""

    action: str
    to_state: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ItemHistory:
    id: int
    team: TeamRef | None  # the team of the responsible person; None: nobody is R
    function: str  # the name of its activity's function; "" without an activity
    responsible: int | None  # the responsible person (membership id)
    publish_at: datetime | None  # planned
    published_at: datetime | None  # the transition to published
    steps: tuple[Step, ...] = ()  # in time order


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """When people work: `is_workday(day)` and the hours of a working day, in `zone`."""

    zone: tzinfo
    is_workday: Callable[[date], bool]
    day_start: time = DAY_START
    day_end: time = DAY_END


def taiwan_calendar(zone: tzinfo, infos: Mapping[date, DayInfo]) -> WorkingCalendar:
    """Taiwan's working days: weekdays except holidays, plus make-up workdays (補班), from
    `infos` (`calendar_tw.days_between` over the span, with the official calendar)."""
    return WorkingCalendar(zone, lambda day: not is_day_off(day, infos))


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, -1) - timedelta(days=1)


def preset_period(preset: str, today: date) -> Period:
    """One of PERIOD_PRESETS around `today`; ValueError for another name."""
    quarter_first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    if preset == "this_month":
        first = _month_start(today)
        return Period(first, _month_end(first))
    if preset == "last_month":
        first = _month_start(today, 1)
        return Period(first, _month_end(first))
    if preset == "this_quarter":
        return Period(quarter_first, _month_end(_month_start(quarter_first, -2)))
    if preset == "last_quarter":
        first = _month_start(quarter_first, 3)
        return Period(first, quarter_first - timedelta(days=1))
    raise ValueError(f"not a period preset: {preset!r}")


def working_hours_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> Decimal:
    """Working hours from `start` to `end` (aware datetimes; 0 when end <= start): the
    time inside the calendar's working hours of its working days, summed exactly in
    microseconds, given in hours rounded half even to 0.0001."""
    if end <= start:
        return Decimal(0)
    zone = calendar.zone
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    total = timedelta()
    while day <= last:
        if calendar.is_workday(day):
            opens = datetime.combine(day, calendar.day_start, tzinfo=zone)
            closes = datetime.combine(day, calendar.day_end, tzinfo=zone)
            inside = min(end, closes) - max(start, opens)
            if inside > timedelta():
                total += inside
        day += timedelta(days=1)
    micro = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
    return (Decimal(micro) / MICROSECONDS_PER_HOUR).quantize(HOURS_EXACT, ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Reviews:
    """One item's review cycles: the turnaround of each approved cycle, in order."""

    submitted: bool
    changes_requested: bool
    approved: bool
    first_pass: bool  # the first review ended in approval
    turnarounds: tuple[Decimal, ...]


def reviews_of(item: ItemHistory, calendar: WorkingCalendar) -> Reviews:
    """Its review cycles: a step into review opens one, the next step out closes it —
    an approval with its turnaround, anything else (changes requested, withdrawn)
    without."""
    opened: datetime | None = None
    first_outcome: str | None = None
    turnarounds: list[Decimal] = []
    submitted = changes = approved = False
    for step in item.steps:
        changes = changes or step.action == REQUEST_CHANGES
        approved = approved or step.action == APPROVE
        if step.to_state == REVIEW:
            submitted = True
            opened = step.at
            continue
        if opened is None:
            continue
        if first_outcome is None:
            first_outcome = step.action
        if step.action == APPROVE:
            turnarounds.append(working_hours_between(opened, step.at, calendar))
        opened = None
    return Reviews(submitted, changes, approved, first_outcome == APPROVE, tuple(turnarounds))


@dataclass(frozen=True, slots=True)
class Figures:
    items: int = 0
    people: int = 0
    published: int = 0
    on_time_measured: int = 0
    on_time: int = 0
    approvals: int = 0
    reviewed: int = 0
    reworked: int = 0
    approved: int = 0
    first_pass: int = 0
    on_time_pct: Decimal | None = None
    median_turnaround_hours: Decimal | None = None
    rework_pct: Decimal | None = None
    first_pass_pct: Decimal | None = None
    items_per_person: Decimal | None = None


MEASURES = (
    "on_time_pct",
    "median_turnaround_hours",
    "rework_pct",
    "first_pass_pct",
    "items_per_person",
    "items",
)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(PERCENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class _Measured:
    item: ItemHistory
    reviews: Reviews


def _on_time(item: ItemHistory, now: datetime) -> bool | None:
    """Whether it was delivered on time; None while it cannot tell yet (not published
    and its planned time is still ahead) or has no planned time."""
    if item.publish_at is None:
        return None
    if item.published_at is not None:
        return item.published_at <= item.publish_at
    return False if item.publish_at < now else None


def figures(measured: Sequence[_Measured], now: datetime) -> Figures:
    people = {m.item.responsible for m in measured if m.item.responsible is not None}
    timely = [_on_time(m.item, now) for m in measured]
    judged = [t for t in timely if t is not None]
    turnarounds = [hours for m in measured for hours in m.reviews.turnarounds]
    reviewed = [m.reviews for m in measured if m.reviews.submitted]
    approved = [m.reviews for m in measured if m.reviews.approved]
    reworked = sum(r.changes_requested for r in reviewed)
    first_pass = sum(r.first_pass for r in approved)
    middle = median(turnarounds) if turnarounds else None
    return Figures(
        items=len(measured),
        people=len(people),
        published=sum(m.item.published_at is not None for m in measured),
        on_time_measured=len(judged),
        on_time=sum(judged),
        approvals=len(turnarounds),
        reviewed=len(reviewed),
        reworked=reworked,
        approved=len(approved),
        first_pass=first_pass,
        on_time_pct=_share(sum(judged), len(judged)),
        median_turnaround_hours=None if middle is None else middle.quantize(HOURS, ROUND_HALF_UP),
        rework_pct=_share(reworked, len(reviewed)),
        first_pass_pct=_share(first_pass, len(approved)),
        items_per_person=(Decimal(len(measured)) / len(people)).quantize(RATIO, ROUND_HALF_UP)
        if people
        else None,
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One team kind, team or function: its figures now and in the period before, and
    the change of each measure (None when either side has nothing to measure)."""

    key: str
    name: str
    kind: TeamKind | None
    current: Figures
    previous: Figures
    change: dict[str, Decimal | None] = field(default_factory=dict)


def _row(key: str, name: str, kind: TeamKind | None, current: Figures, previous: Figures) -> Row:
    change: dict[str, Decimal | None] = {}
    for measure in MEASURES:
        now, before = getattr(current, measure), getattr(previous, measure)
        change[measure] = None if now is None or before is None else Decimal(now - before)
    return Row(key, name, kind, current, previous, change)


@dataclass(frozen=True, slots=True)
class Scorecards:
    period: Period
    previous: Period
    kinds: list[Row]  # in-house, then external; both always present
    teams: list[Row]  # by kind, then name
    functions: list[Row]  # by name; "" (no activity) last
    total: Row
    unassigned: int  # items of the period nobody is responsible for (in no team row)


def period_day(item: ItemHistory, zone: tzinfo) -> date | None:
    """The day that puts an item in a period: its planned publish time, else when it was
    published, in the calendar's zone."""
    moment = item.publish_at or item.published_at
    return None if moment is None else moment.astimezone(zone).date()


def _grouped(
    items: Iterable[_Measured], key: Callable[[ItemHistory], str | None]
) -> dict[str, list[_Measured]]:
    groups: dict[str, list[_Measured]] = defaultdict(list)
    for m in items:
        k = key(m.item)
        if k is not None:
            groups[k].append(m)
    return groups


def _team_key(item: ItemHistory) -> str | None:
    return None if item.team is None else str(item.team.key)


def _team_name(item: ItemHistory) -> str:
    return "" if item.team is None else item.team.name


def _function_key(item: ItemHistory) -> str | None:
    return item.function


def _function_name(item: ItemHistory) -> str:
    return item.function


def _rows(
    now_items: list[_Measured],
    before_items: list[_Measured],
    now: datetime,
    key: Callable[[ItemHistory], str | None],
    name: Callable[[ItemHistory], str],
    *,
    with_kind: bool = False,
) -> list[Row]:
    """A row per key found in either period (a team or function with items only before
    still shows, with nothing to measure now)."""
    now_groups, before_groups = _grouped(now_items, key), _grouped(before_items, key)
    found: dict[str, tuple[str, TeamKind | None]] = {}
    for m in before_items + now_items:
        k = key(m.item)
        if k is not None:
            kind = m.item.team.kind if with_kind and m.item.team else None
            found[k] = (name(m.item), kind)
    return [
        _row(
            k,
            label,
            kind,
            figures(now_groups.get(k, []), now),
            figures(before_groups.get(k, []), now),
        )
        for k, (label, kind) in found.items()
    ]


def scorecards(
    items: Iterable[ItemHistory],
    calendar: WorkingCalendar,
    period: Period,
    now: datetime,
    *,
    previous: Period | None = None,
) -> Scorecards:
    """The figures of `period` and of the one before it (module docstring): `previous`,
    else `period.before()` (a fiscal quarter compares with the quarter before, which may
    be a day or two shorter or longer)."""
    previous = previous or period.before()
    now_items: list[_Measured] = []
    before_items: list[_Measured] = []
    for item in items:
        day = period_day(item, calendar.zone)
        if day in period:
            now_items.append(_Measured(item, reviews_of(item, calendar)))
        elif day in previous:
            before_items.append(_Measured(item, reviews_of(item, calendar)))

    teams = _rows(now_items, before_items, now, _team_key, _team_name, with_kind=True)
    teams.sort(key=lambda r: (KINDS.index(r.kind) if r.kind else 2, r.name, r.key))
    functions = _rows(now_items, before_items, now, _function_key, _function_name)
    functions.sort(key=lambda r: (r.key == "", r.name))
    kinds = [
        _row(
            kind,
            kind,
            kind,
            figures([m for m in now_items if m.item.team and m.item.team.kind == kind], now),
            figures([m for m in before_items if m.item.team and m.item.team.kind == kind], now),
        )
        for kind in KINDS
    ]
    total = _row("", "", None, figures(now_items, now), figures(before_items, now))
    unassigned = sum(m.item.team is None for m in now_items)
    return Scorecards(period, previous, kinds, teams, functions, total, unassigned)
