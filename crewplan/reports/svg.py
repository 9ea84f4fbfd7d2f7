"""The report's charts as geometry for inline SVG drawn by the template (pure, no Django;
the pattern of `reallocation/curve_chart.py`). No script: the report is read as a page
under the Content-Security-Policy and as a PDF by WeasyPrint, and the figures are in a
table beside every chart.

Everything returned is JSON-able (the report is a stored snapshot): coordinates are
floats in the SVG's own units (`width` × `height`, the viewBox), amounts are strings of
exact Decimals for the template to format in the workspace currency.

- `bar_chart`: groups of bars, one group per label, one bar per series; the value axis
  runs from the lower of 0 and the smallest value to a round number above the largest,
  so a negative net is drawn below the zero line.
- `line_chart`: one polyline per series over the same labels (a None value leaves a gap
  in the points: the line joins the values it has).
"""

from collections.abc import Sequence
from decimal import Decimal
from math import floor, log10
from typing import Any

WIDTH, HEIGHT = 640.0, 240.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 12.0, 12.0, 44.0
TICKS = 4  # intervals of the value axis
GAP = 0.25  # of a group's width left empty between groups

Series = tuple[str, Sequence[Decimal | None]]


def nice(top: Decimal) -> Decimal:
    """A round number at or above `top` (1, 2, 2.5 or 5 times a power of ten), 1 for 0."""
    if top <= 0:
        return Decimal(1)
    power = Decimal(10) ** floor(log10(top))
    for step in (1, Decimal("2"), Decimal("2.5"), 5, 10):
        if step * power >= top:
            return Decimal(step) * power
    return 10 * power  # pragma: no cover - the loop ends at 10 × power ≥ top


def _scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The value axis: (bottom, top), TICKS round steps apart, 0 included."""
    high = max([*values, Decimal(0)])
    low = min([*values, Decimal(0)])
    step = nice((high - low) / TICKS)
    while True:
        bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
        if bottom + step * TICKS >= high:
            return bottom, bottom + step * TICKS
        step = nice(step * Decimal("1.01"))


def _frame(values: Sequence[Decimal], width: float, height: float) -> dict[str, Any]:
    bottom, top = _scale(values)
    inner_h = height - TOP - BOTTOM

    def y_of(value: Decimal) -> float:
        return round(TOP + inner_h * float((top - value) / (top - bottom)), 1)

    ticks = [bottom + (top - bottom) * i / TICKS for i in range(TICKS + 1)]
    return {
        "y_of": y_of,
        "ticks": [{"y": y_of(t), "value": format(t.normalize(), "f")} for t in ticks],
        "zero": y_of(Decimal(0)),
    }


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: float = WIDTH,
    height: float = HEIGHT,
) -> dict[str, Any]:
    """Grouped bars (see the module); a None value draws no bar."""
    values = [v for _name, found in series for v in found if v is not None]
    frame = _frame(values, width, height)
    y_of = frame["y_of"]
    inner_w = width - LEFT - RIGHT
    group = inner_w / max(len(labels), 1)
    bar = group * (1 - GAP) / max(len(series), 1)
    bars = []
    for s, (_name, found) in enumerate(series):
        for i, value in enumerate(found):
            if value is None:
                continue
            top, base = sorted((y_of(value), frame["zero"]))
            bars.append(
                {
                    "x": round(LEFT + group * i + group * GAP / 2 + bar * s, 1),
                    "y": top,
                    "w": round(bar, 1),
                    "h": round(max(base - top, 0.5), 1),
                    "series": s,
                    "value": str(value),
                    "label": labels[i],
                }
            )
    return {
        "width": width,
        "height": height,
        "left": LEFT,
        "right": width - RIGHT,
        "zero": frame["zero"],
        "bottom": height - BOTTOM,
        "ticks": frame["ticks"],
        "labels": [
            {"x": round(LEFT + group * (i + 0.5), 1), "text": text} for i, text in enumerate(labels)
        ],
        "bars": bars,
        "legend": [
            {"name": name, "series": s, "x": round(LEFT + 150 * s, 1)}
            for s, (name, _found) in enumerate(series)
        ],
    }


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: float = WIDTH,
    height: float = HEIGHT,
) -> dict[str, Any]:
    """One polyline (its `points` attribute) and its dots per series (see the module)."""
    values = [v for _name, found in series for v in found if v is not None]
    frame = _frame(values, width, height)
    y_of = frame["y_of"]
    inner_w = width - LEFT - RIGHT
    step = inner_w / max(len(labels) - 1, 1)
    lines = []
    for s, (name, found) in enumerate(series):
        dots = [
            {"x": round(LEFT + step * i, 1), "y": y_of(v), "value": str(v)}
            for i, v in enumerate(found)
            if v is not None
        ]
        lines.append(
            {
                "name": name,
                "series": s,
                "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "dots": dots,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": LEFT,
        "right": width - RIGHT,
        "zero": frame["zero"],
        "bottom": height - BOTTOM,
        "ticks": frame["ticks"],
        "labels": [{"x": round(LEFT + step * i, 1), "text": t} for i, t in enumerate(labels)],
        "lines": lines,
        "legend": [
            {"name": name, "series": s, "x": round(LEFT + 150 * s, 1)}
            for s, (name, _found) in enumerate(series)
        ],
    }
