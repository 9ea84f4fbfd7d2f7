"""The skills gap: seats bought for AI tools against the people able to use them (pure).

A person is able to use a tool when their skill in the tool's category is at least
`basic` (none < basic < proficient < expert). When the tool has an owner team, only that
team's people count (the seats are bought for them); otherwise everyone in the workspace.
Retired tools and tools without seats have no gap. The health check's training finding
reads `able` as the tool's `able_users`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("none", "basic", "proficient", "expert")
ABLE_FROM = "basic"
RETIRED = "retired"


def is_able(level: str) -> bool:
    if level not in LEVELS:
        raise ValueError(f"unknown skill level {level!r}")
    return LEVELS.index(level) >= LEVELS.index(ABLE_FROM)


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    team: str  # team key
    skills: Mapping[str, str]  # tool category → level; a category not listed is "none"
    hours_per_month: int | None = None


@dataclass(frozen=True, slots=True)
class SeatTool:
    key: str
    name: str
    category: str
    seats: int
    status: str
    team: str = ""  # owner team key; "" for the whole workspace


@dataclass(frozen=True, slots=True)
class Gap:
    tool: str  # tool key
    seats: int
    able: tuple[str, ...]  # names of the people able to use it
    gap: int  # seats nobody able would fill: max(0, seats - len(able))


def skills_gap(tools: Sequence[SeatTool], people: Sequence[Person]) -> list[Gap]:
    """One Gap per tool that is not retired, in the order given."""
    gaps = []
    for tool in tools:
        if tool.status == RETIRED:
            continue
        able = tuple(
            p.name
            for p in people
            if (not tool.team or p.team == tool.team)
            and is_able(p.skills.get(tool.category, "none"))
        )
        gaps.append(Gap(tool.key, tool.seats, able, max(0, tool.seats - len(able))))
    return gaps


def hours_by_team(people: Sequence[Person]) -> dict[str, int]:
    """Marketing hours a month per team key (people who gave none count 0)."""
    totals: dict[str, int] = {}
    for person in people:
        totals[person.team] = totals.get(person.team, 0) + (person.hours_per_month or 0)
    return totals
