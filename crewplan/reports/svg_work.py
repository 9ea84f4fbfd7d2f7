"""The geometry of the work sections' server-drawn SVG chart (pure, no Django): pairs of
bars, this quarter beside the one before, per group (team kind), on a 0–100 % axis.
The template draws it with explicit width, height and viewBox so WeasyPrint renders it
as vector; the same figures are in the table beside it."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH = 480
HEIGHT = 200
LEFT = 40  # room for the axis labels
TOP = 30  # room for the legend and the value above a full bar
BOTTOM = HEIGHT - 24  # room for the group labels
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    current: Decimal | None  # percent, 0–100
    previous: Decimal | None


def percent_pairs(groups: Sequence[Group], current: str, previous: str) -> dict[str, Any]:
    """Bars (x, y, width, height, value label, previous or not), group labels and a
    legend naming the two periods (`current`, `previous`), in whole pixels; a missing
    value draws no bar."""
    span = BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(groups), 1)
    bar = min(56.0, slot / 3)
    bars: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for i, group in enumerate(groups):
        center = LEFT + slot * i + slot / 2
        labels.append({"label": group.label, "center": round(center)})
        for offset, value, before in ((-bar, group.previous, True), (0.0, group.current, False)):
            if value is None:
                continue
            share = min(max(float(value), 0.0), 100.0) / 100
            height = round(span * share)
            x = round(center + offset)
            bars.append(
                {
                    "x": x,
                    "y": BOTTOM - height,
                    "width": round(bar) - 2,
                    "height": height,
                    "center": x + round(bar) // 2 - 1,
                    "label": f"{value}",
                    "previous": before,
                }
            )
    ticks = [{"y": BOTTOM - round(span * t / 100), "label": f"{t}%"} for t in TICKS]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": BOTTOM,
        "bars": bars,
        "groups": labels,
        "ticks": ticks,
        "legend": [
            {"x": LEFT + 8, "label": previous, "previous": True},
            {"x": LEFT + 8 + (WIDTH - LEFT) // 2, "label": current, "previous": False},
        ],
        "legend_y": 4,
    }
