"""`crewplan optimize CURVES.json --budget N [--bounds BOUNDS.csv] [--max-change C]
[--target-roas X | --target-outcome X] [--weeks N] [--no-carryover-credit]
[--move-unjudged] [--json] [--language L]`: the allocation of a budget over the channels
of a CURVES document (docs/optimize.md), by `crewplan/optimize/allocate.py` and `flight.py`.

Without --weeks the budget is per week (the curves' period) and the answer is the
steady-state split; with --weeks N the budget is the total of the N weeks and the answer
is the week-by-week plan. --target-roas X spends every channel up to where its marginal
return falls to X (at most --budget when given); --target-outcome X finds the least
weekly spend whose best split reaches X expected outcome a week (no --budget).
BOUNDS.csv has the columns name, min, max (weekly spend; an empty cell leaves that bound
to the curve). The optimizer itself is Django-free; this command lives in the measure
app, the one with management commands for measured figures.

Exit 0: allocated; 1: allocated with findings (a recommended spend outside the range the
channel was observed at, or a channel the data cannot judge kept at its current spend);
2: unreadable or invalid input (the file, the bounds, infeasible bounds, a target out of
reach), with a one-line reason on stderr. The language: `--language`, else the locale,
else English."""

import csv
import io
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from crewplan.lib import columns
from crewplan.lib.columns import Cell, display_width
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.language import LANGUAGES, for_command_line
from crewplan.measure import allocation_messages as words
from crewplan.optimize import document
from crewplan.optimize.allocate import (
    Allocation,
    AllocationError,
    ChannelSpend,
    allocate,
    extrapolated,
    least_spend,
    target_efficiency,
)
from crewplan.optimize.curves import ChannelCurve
from crewplan.optimize.flight import FlightPlan, flight_plan, steady_channels

MAX_FILE_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Allocate a budget over the channels' response curves (a CURVES document)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("curves", type=Path, help="the CURVES document (JSON)")
        parser.add_argument(
            "--budget", type=float, default=None, help="per week; with --weeks, in all"
        )
        parser.add_argument("--bounds", type=Path, default=None, help="CSV: name,min,max")
        parser.add_argument("--max-change", type=float, default=None, help="e.g. 0.3 for ±30 %%")
        parser.add_argument(
            "--target-roas", type=float, default=None, help="marginal return to keep"
        )
        parser.add_argument(
            "--target-outcome",
            type=float,
            default=None,
            help="expected outcome a week to reach with the least spend",
        )
        parser.add_argument("--weeks", type=int, default=None, help="plan week by week")
        parser.add_argument(
            "--no-carryover-credit",
            action="store_true",
            help="with --weeks: do not count the carry-over after the last week",
        )
        parser.add_argument(
            "--move-unjudged",
            action="store_true",
            help="let the allocator move channels the data cannot judge",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument(
            "--language", default=None, choices=LANGUAGES, help="default: from the locale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(for_command_line(options["language"], os.environ)):
            curves = self._curves(options["curves"])
            bounds = self._bounds(options["bounds"]) if options["bounds"] else None
            self._check_question(options)
            try:
                result = _run(curves.channels, bounds, options, _history(curves))
            except AllocationError as error:
                self._unusable(words.refusal(error))
            steady = (
                steady_channels(curves.channels, options["move_unjudged"])
                if options["weeks"] is not None
                else None
            )
            report = _report(
                curves,
                result,
                held=not options["move_unjudged"],
                target=_target(options),
                steady=steady,
            )
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
            else:
                self._print(report)
        sys.exit(1 if report["findings"] else 0)

    def _check_question(self, options: dict[str, Any]) -> None:
        if options["target_outcome"] is not None:
            if options["budget"] is not None:
                self._unusable(gettext("--target-outcome finds the budget: leave out --budget."))
            if options["target_roas"] is not None or options["weeks"] is not None:
                self._unusable(
                    gettext("--target-outcome cannot be combined with --target-roas or --weeks.")
                )
            return
        if options["budget"] is None and options["target_roas"] is None:
            self._unusable(
                gettext(
                    "Give the budget (--budget), a target return (--target-roas) or a target "
                    "outcome (--target-outcome)."
                )
            )
        if options["weeks"] is not None and options["target_roas"] is not None:
            self._unusable(gettext("--weeks and --target-roas cannot be combined."))

    def _curves(self, path: Path) -> document.Curves:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self._unusable(gettext("%(file)s: the file is too large.") % {"file": path})
            return document.loads(path.read_bytes())
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except document.DocumentError as error:
            self._unusable(
                gettext("%(file)s: not a usable CURVES document: %(why)s")
                % {"file": path, "why": error}
            )
        raise AssertionError("unreachable")

    def _bounds(self, path: Path) -> dict[str, tuple[float | None, float | None]]:
        try:
            text, _encoding = decode_text(path.read_bytes())
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except NotText:
            self._unusable(gettext("%(file)s: not a text file.") % {"file": path})
        try:
            return read_bounds(text)
        except ValueError as error:
            self._unusable(f"{path}: {error}")
        raise AssertionError("unreachable")

    def _print(self, report: dict[str, Any]) -> None:
        out = self.stdout
        width = max([24] + [display_width(c["name"]) for c in report["channels"]])
        out.write(
            columns.row(
                (gettext("channel"), width),
                (gettext("spend"), 14, ">"),
                (gettext("expected"), 14, ">"),
                (gettext("marginal return"), 16, ">"),
            )
        )
        for channel in report["channels"]:
            mark = ""
            if channel["fixed"]:
                mark = "  " + gettext("(kept)")
            if channel.get("at_bound") == "upper":
                mark += "  " + gettext("(at its maximum)")
            elif channel.get("at_bound") == "lower":
                mark += "  " + gettext("(at its minimum)")
            if channel["extrapolated"]:
                mark += "  " + gettext("(extrapolated)")
            marginal = channel["marginal_return"]
            out.write(
                columns.row(
                    (channel["name"], width),
                    (words.amount(round(channel["spend"])), 14, ">"),
                    (words.amount(round(channel["expected"])), 14, ">"),
                    ("" if marginal is None else f"{marginal:.4f}", 16, ">"),
                )
                + mark
            )
        totals = report["totals"]
        out.write(
            columns.row(
                (gettext("total"), width),
                (words.amount(round(report["budget"])), 14, ">"),
                (words.amount(round(totals["expected"])), 14, ">"),
            )
        )
        if report["mode"] == "flight":
            self._print_weeks(report)
            if report["steady"]:
                out.write(words.steady(report["steady"]))
        target = report["target"]
        if target is not None and target["kind"] == "outcome":
            out.write(
                gettext("The least weekly spend whose best split reaches %(target)s: %(budget)s")
                % {
                    "target": words.amount(target["value"]),
                    "budget": words.amount(round(report["budget"])),
                }
            )
        if totals["gain_low"] is not None:
            out.write(
                gettext(
                    "Expected gain over the current allocation: %(gain)s (90 %% range %(low)s "
                    "to %(high)s); it beats the current allocation in %(p)s of the draws."
                )
                % {
                    "gain": words.amount(round(totals["gain"])),
                    "low": words.amount(round(totals["gain_low"])),
                    "high": words.amount(round(totals["gain_high"])),
                    "p": f"{totals['p_beats_current']:.0%}",
                }
            )
        elif totals["gain"] is not None:
            out.write(
                gettext("Expected gain over the current allocation: %(gain)s")
                % {"gain": words.amount(round(totals["gain"]))}
            )
        certificate = report["certificate"]
        if certificate["multiplier"] is not None:
            out.write(
                gettext("Marginal return at the optimum: %(multiplier)s; duality gap: %(gap)s")
                % {
                    "multiplier": f"{certificate['multiplier']:.6g}",
                    "gap": f"{certificate['gap']:.3g}",
                }
            )
        if report["resolution"] is not None:
            out.write(
                gettext("S-shaped curves: allocated on a grid of %(step)s per step, then refined.")
                % {"step": words.amount(report["resolution"])}
            )
        for finding in report["findings"]:
            out.write(finding["message"])

    def _print_weeks(self, report: dict[str, Any]) -> None:
        """The week-by-week plan: a row a week, a column a channel."""
        channels = report["channels"]
        widths = [max(12, display_width(c["name"])) for c in channels]
        heads: list[Cell] = [(c["name"], w, ">") for c, w in zip(channels, widths, strict=True)]
        self.stdout.write(columns.row((gettext("week"), 6), *heads))
        for week in range(report["weeks"]):
            cells: list[Cell] = [
                (words.amount(round(c["weeks"][week])), w, ">")
                for c, w in zip(channels, widths, strict=True)
            ]
            self.stdout.write(columns.row((str(week + 1), 6), *cells))

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)


def read_bounds(text: str) -> dict[str, tuple[float | None, float | None]]:
    """BOUNDS.csv: a header row with name, min, max (any order, other columns ignored),
    one row per channel; an empty cell is no bound. Raises ValueError naming the line."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError(gettext("the bounds file is empty"))
    header = [cell.strip().lower() for cell in rows[0]]
    if "name" not in header or not ({"min", "max"} & set(header)):
        raise ValueError(gettext("the bounds file needs a header row with name, min and max"))
    where = {key: header.index(key) for key in ("name", "min", "max") if key in header}
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [_cell(row, where.get(key)) for key in ("name", "min", "max")]
        name = cells[0]
        if not name:
            raise ValueError(gettext("line %(line)s: the name is empty") % {"line": line})
        if name in bounds:
            raise ValueError(
                gettext("line %(line)s: %(name)s appears twice") % {"line": line, "name": name}
            )
        bounds[name] = (_amount(cells[1], line), _amount(cells[2], line))
    return bounds


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _amount(cell: str, line: int) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            gettext("line %(line)s: “%(value)s” is not an amount ≥ 0")
            % {"line": line, "value": cell}
        )
    return value


def _history(curves: document.Curves) -> dict[str, list[float]] | None:
    """The weeks before the plan (`fit.recent_spend`, as `crewplan fit` writes it: each
    channel's last weekly spends, oldest first), for the carry-over into --weeks; None
    when the document has none. A malformed one is refused (AllocationError)."""
    recent = curves.fit.get("recent_spend")
    if recent is None:
        return None
    names = {c.name for c in curves.channels}
    if not isinstance(recent, dict):
        raise AllocationError(
            "bad_history", "fit.recent_spend must be an object", channel="fit.recent_spend"
        )
    history = {}
    for name, values in recent.items():
        if name not in names:
            continue
        if not isinstance(values, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        ):
            raise AllocationError("bad_history", f"{name}: not numbers", channel=name)
        history[name] = [float(v) for v in values]
    return history


def _run(
    curves: tuple[ChannelCurve, ...],
    bounds: dict[str, tuple[float | None, float | None]] | None,
    options: dict[str, Any],
    history: dict[str, list[float]] | None = None,
) -> Allocation | FlightPlan:
    common: dict[str, Any] = {
        "bounds": bounds,
        "max_change": options["max_change"],
        "move_unjudged": options["move_unjudged"],
    }
    if options["weeks"] is not None:
        return flight_plan(
            curves,
            options["budget"],
            options["weeks"],
            history=history,
            credit_carryover=not options["no_carryover_credit"],
            hold_s_shaped=True,  # as on the reallocation page
            **common,
        )
    if options["target_outcome"] is not None:
        return least_spend(curves, options["target_outcome"], **common)
    if options["target_roas"] is not None:
        return target_efficiency(curves, options["target_roas"], budget=options["budget"], **common)
    return allocate(curves, options["budget"], **common)


def _number(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _target(options: dict[str, Any]) -> dict[str, Any] | None:
    if options["target_outcome"] is not None:
        return {"kind": "outcome", "value": options["target_outcome"]}
    if options["target_roas"] is not None:
        return {"kind": "roas", "value": options["target_roas"]}
    return None


def _report(
    curves: document.Curves,
    result: Allocation | FlightPlan,
    *,
    held: bool,
    target: dict[str, Any] | None = None,
    steady: list[str] | None = None,
) -> dict[str, Any]:
    """The JSON document: channels, totals, certificate, findings. `held`: channels the
    data cannot judge were kept at their current spend; `target`: the question asked
    (least spend for an outcome, or a marginal return to keep), None for a budget;
    `steady`: with --weeks, the S-shaped channels kept at the single-period answer."""
    by_name = {c.name: c for c in curves.channels}
    totals: dict[str, Any]
    findings: list[dict[str, Any]] = []
    if isinstance(result, FlightPlan):
        channels = _flight_channels(result, by_name, held=held)
        totals = {
            "expected": result.total_expected,
            "low": result.expected_low,
            "high": result.expected_high,
            "current_expected": result.current_expected,
            "gain": result.gain,
            "gain_low": result.gain_low,
            "gain_high": result.gain_high,
            "p_beats_current": result.p_beats_current,
        }
        certificate = {"multiplier": _number(result.multiplier), "gap": result.gap}
        head = {"mode": "flight", "weeks": result.weeks, "budget": result.budget}
        head |= {"method": "marginal", "resolution": None}
        head["carryover_credited"] = result.credit_carryover
        head["steady"] = steady or []
    else:
        channels = [
            {
                "name": c.name,
                "spend": c.spend,
                "expected": c.expected,
                "marginal_return": _number(c.marginal_return),
                "extrapolated": c.extrapolated,
                "fixed": c.fixed,
                "current": c.current,
                "status": by_name[c.name].status,
                "lower": _number(c.lower),
                "upper": _number(c.upper),
                "at_bound": _at_bound(c),
            }
            for c in result.channels
        ]
        totals = {
            "expected": result.expected,
            "low": result.expected_low,
            "high": result.expected_high,
            "current_expected": result.current_expected,
            "gain": result.gain,
            "gain_low": result.gain_low,
            "gain_high": result.gain_high,
            "p_beats_current": result.p_beats_current,
        }
        certificate = {"multiplier": _number(result.multiplier), "gap": result.gap}
        head = {"mode": "allocate", "budget": result.budget, "method": result.method}
        head["resolution"] = result.resolution
    head["target"] = target
    for channel in channels:
        curve = by_name[channel["name"]]
        if channel["extrapolated"]:
            findings.append(
                {
                    "code": "extrapolated",
                    "channel": channel["name"],
                    "message": words.extrapolated(
                        channel["name"], curve.observed_min, curve.observed_max
                    ),
                }
            )
        if curve.status == "not_enough_data" and held:
            findings.append(
                {
                    "code": "not_enough_data",
                    "channel": channel["name"],
                    "message": words.held(channel["name"], curve.reason),
                }
            )
    return {
        "currency": curves.currency,
        "period": document.PERIOD,
        **head,
        "channels": channels,
        "totals": totals,
        "certificate": certificate,
        "findings": findings,
    }


def _at_bound(channel: ChannelSpend) -> str | None:
    """ "lower" or "upper" when a channel the allocator moved stops at a bound: why its
    marginal return differs from the optimum's."""
    if channel.fixed:
        return None
    tolerance = 1e-9 * max(1.0, abs(channel.upper) if math.isfinite(channel.upper) else 1.0)
    if channel.spend >= channel.upper - tolerance:
        return "upper"
    if channel.spend <= channel.lower + tolerance:
        return "lower"
    return None


def _flight_channels(
    plan: FlightPlan, by_name: dict[str, ChannelCurve], *, held: bool
) -> list[dict[str, Any]]:
    channels = []
    for i, name in enumerate(plan.names):
        curve = by_name[name]
        weeks = list(plan.spend[i])
        marginal = plan.marginal_return[i]
        channels.append(
            {
                "name": name,
                "spend": math.fsum(weeks),
                "weeks": weeks,
                "expected": math.fsum(plan.expected[i]) + plan.expected_after[i],
                "expected_after": plan.expected_after[i],
                "marginal_return": _number(math.fsum(marginal) / len(marginal)),
                "extrapolated": extrapolated(curve, *weeks),
                "fixed": curve.status == "not_enough_data" and held,
                "current": curve.current,
                "status": curve.status,
            }
        )
    return channels
