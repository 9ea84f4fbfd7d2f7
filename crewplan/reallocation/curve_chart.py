"""A channel's steady-state response curve as an SVG drawn on the server (no script: the
Content-Security-Policy allows none inline, and the figures are also in a table). Pure:
no Django. Coordinates are in the SVG's own units (WIDTH × HEIGHT); the page formats the
tick amounts.

x: weekly spend (currency), y: weekly expected outcome. The curve is sampled at SAMPLES
points from 0 to the right edge: the largest of the observed carried-over spend, the
planned and the recommended spend, times 1.15. The observed weeks are points on the
curve at each week's carried-over spend (where the data saw the channel); the planned
and recommended spends are vertical marks."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crewplan.optimize.curves import Response

WIDTH, HEIGHT = 360.0, 200.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 12.0, 12.0, 30.0
SAMPLES = 64


@dataclass(frozen=True)
class Mark:
    x: float  # SVG
    amount: float  # weekly spend


@dataclass(frozen=True)
class CurveChart:
    path: str
    points: tuple[tuple[float, float], ...]
    current: Mark
    recommended: Mark
    x_ticks: tuple[tuple[float, float], ...]  # (SVG x, weekly spend)
    y_ticks: tuple[tuple[float, float], ...]  # (SVG y, weekly outcome)
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    bottom: float = HEIGHT - BOTTOM


def _nice(top: float) -> float:
    """A round number at or above `top` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(top))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= top))


def curve_chart(
    response: Response, observed: Sequence[float], current: float, recommended: float
) -> CurveChart:
    x_top = _nice(1.15 * max([*observed, current, recommended, 1.0]))
    xs = np.linspace(0.0, x_top, SAMPLES)
    ys = response.value(xs)
    y_top = _nice(1.1 * float(max(ys.max(), 1e-9)))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return round(LEFT + inner_w * x / x_top, 1)

    def sy(y: float) -> float:
        return round(TOP + inner_h * (1 - y / y_top), 1)

    path = "M" + " L".join(f"{sx(float(x))},{sy(float(y))}" for x, y in zip(xs, ys, strict=True))
    seen = np.asarray(observed, dtype=np.float64)
    points = tuple(
        (sx(float(x)), sy(float(y))) for x, y in zip(seen, response.value(seen), strict=True)
    )
    return CurveChart(
        path=path,
        points=points,
        current=Mark(sx(current), current),
        recommended=Mark(sx(recommended), recommended),
        x_ticks=tuple((sx(x_top * f), x_top * f) for f in (0.0, 0.5, 1.0)),
        y_ticks=tuple((sy(y_top * f), y_top * f) for f in (0.0, 0.5, 1.0)),
    )
