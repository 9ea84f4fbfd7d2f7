"""A stand-in for crewplan.measure.parse (H1) until it lands on main: the shapes of its
brief only. Replaced by the real module after the merge."""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Layout(StrEnum):
    GENERIC = "generic"


class MetricRow(NamedTuple):
    line: int
    day: date
    channel: str
    campaign: str
    spend: int | None
    impressions: int | None
    clicks: int | None
    conversions: int | None
    revenue: int | None
    extras: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Problem:
    line: int
    code: str
    severity: str
    params: dict[str, str | int]


@dataclass
class Parsed:
    layout: Layout
    encoding: str
    header: tuple[str, ...]
    header_line: int
    columns: dict[str, int]
    currency: str | None
    rows: list[MetricRow]
    problems: list[Problem]
    rows_read: int
    date_from: date | None
    date_to: date | None
    sample: list[tuple[str, ...]] = field(default_factory=list)
