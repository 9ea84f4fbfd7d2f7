"""`crewplan fit DATA.csv|DATA.xlsx [--outcome revenue|conversions] [--holdout-weeks 8]
[--json] [--currency TWD] [--taiwan-holidays] [--language L] [--week COL]
[--outcome-column COL] [--channels A,B] [--controls X,Y] [--sheet NAME]`: fit every
channel's response curve from a wide weekly file (docs/optimize.md: a week column, an
outcome, a column per channel, controls; optimize/weekly_file.py reads the layouts people
and tools write) and print the CURVES document — a table by default, the JSON document
with --json. Above the table, how the file was read when the person should check it: the
columns read as spend whose headers do not say so, the columns not used, a week start
other than Monday, rows sorted, blank spend read as 0. --taiwan-holidays adds the weekday
holidays of each week (work/calendar_tw.py) as a control.

Exit 0: every channel was judged; 1: some channel is `not_enough_data` (the reason and
what would fix it are in the table and the document); 2: an unusable file or data (too
few weeks, a gap, a missing or negative number…), with a one-line reason on stderr. The
language: `--language`, else the locale, else English."""

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext

from crewplan.lib import file_messages, limits
from crewplan.lib.columns import display_width, row
from crewplan.lib.language import LANGUAGES, for_command_line, is_chinese
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import optimize_messages
from crewplan.optimize import document
from crewplan.optimize.curves import Hill
from crewplan.optimize.fit import FitResult, LiftTest, UnusableData, fit
from crewplan.optimize.lift_file import read_lift_tests
from crewplan.optimize.weekly_file import (
    TAIWAN_HOLIDAYS,
    Columns,
    WeeklyData,
    read_weekly,
    taiwan_holidays,
)

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Command(BaseCommand):
    help = "Fit each channel's response curve from weekly spend and outcome."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file, one row a week")
        parser.add_argument(
            "--outcome",
            choices=("revenue", "conversions"),
            default=None,
            help="default: conversions when the outcome column is named so, else revenue",
        )
        parser.add_argument("--week", default=None, help="the week column's header")
        parser.add_argument("--outcome-column", default=None, help="the outcome column's header")
        parser.add_argument(
            "--channels", default=None, help="the spend columns, comma-separated (only these)"
        )
        parser.add_argument("--controls", default=None, help="control columns, comma-separated")
        parser.add_argument("--sheet", default=None, help="the .xlsx sheet (default: the first)")
        parser.add_argument("--holdout-weeks", type=int, default=8)
        parser.add_argument(
            "--lift-tests",
            type=Path,
            default=None,
            help="experiment results (.csv: channel, start, end, spend_change, incremental, "
            "standard_error) that constrain those channels' curves",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument("--currency", default=None, help="the spend's currency, e.g. TWD")
        parser.add_argument(
            "--taiwan-holidays",
            action="store_true",
            help="add Taiwan's weekday holidays per week as a control",
        )
        parser.add_argument(
            "--language", default=None, choices=LANGUAGES, help="default: from the locale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with translation.override(for_command_line(options["language"], os.environ)):
            if options["holdout_weeks"] < 0:
                self._unusable(gettext("--holdout-weeks must be 0 or more"))
            weekly = self._read(path, options)
            outcome: Literal["revenue", "conversions"] = options["outcome"] or (
                "conversions" if weekly.layout.conversions else "revenue"
            )
            lifts = self._lifts(options["lift_tests"], weekly)
            controls = dict(weekly.controls)
            if options["taiwan_holidays"]:
                controls[TAIWAN_HOLIDAYS] = taiwan_holidays(weekly.weeks)
            try:
                result = fit(
                    weekly.spend,
                    weekly.outcome,
                    controls=controls,
                    outcome_kind=outcome,
                    holdout_weeks=options["holdout_weeks"],
                    lift_tests=lifts,
                )
            except UnusableData as error:
                where = options["lift_tests"] if error.code.startswith("lift_test") else path
                self._unusable(f"{where}: {optimize_messages.unusable(_dated(error, weekly))}")
            curves = _curves(result, weekly, options["currency"])
            if options["json"]:
                self.stdout.write(document.dumps(curves))
            else:
                inferred = options["outcome"] is None and weekly.layout.conversions
                self._print(path, curves, result, weekly, inferred)
        sys.exit(1 if result.reasons else 0)

    def _read(self, path: Path, options: dict[str, Any]) -> WeeklyData:
        columns = Columns(
            week=options["week"],
            outcome=options["outcome_column"],
            channels=_names(options["channels"]) if options["channels"] is not None else None,
            controls=_names(options["controls"] or ""),
        )
        return self._readable(
            path,
            lambda: read_weekly(
                limits.read_limited(path, limits.WEEKLY_DATA),
                columns=columns,
                sheet=options["sheet"],
            ),
        )

    def _lifts(self, path: Path | None, weekly: WeeklyData) -> list[LiftTest]:
        if path is None:
            return []
        return self._readable(
            path,
            lambda: read_lift_tests(limits.read_limited(path, limits.LIFT_TESTS), weekly.weeks),
        )

    def _readable[T](self, path: Path, read: Callable[[], T]) -> T:
        """What `read` reads from `path`; a file it cannot read exits 2, naming it."""
        try:
            return read()
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except UnusableFile as error:
            self._unusable(f"{path}: {file_messages.unusable(error)}")
        except UnusableData as error:
            self._unusable(f"{path}: {optimize_messages.unusable(error)}")
        raise AssertionError  # _unusable exits

    def _print(
        self,
        path: Path,
        curves: document.Curves,
        result: FitResult,
        weekly: WeeklyData,
        conversions_inferred: bool,
    ) -> None:
        out, summary = self.stdout, result.summary
        mape = (
            gettext("holdout MAPE %(mape).1f %% (last %(weeks)s weeks)")
            % {"mape": 100 * summary.holdout_mape, "weeks": summary.holdout_weeks}
            if summary.holdout_mape is not None
            else gettext("no holdout")
        )
        out.write(
            gettext("%(file)s: %(weeks)s weeks, %(first)s – %(last)s, R² %(r2).3f, %(mape)s")
            % {
                "file": path.name,
                "weeks": summary.weeks,
                "first": curves.fit["first_week"],
                "last": curves.fit["last_week"],
                "r2": summary.r2,
                "mape": mape,
            }
        )
        notes = _layout_notes(weekly)
        if summary.constant_controls:
            notes.append(
                gettext("Not used as controls, the same every week: %(columns)s.")
                % {"columns": _joined(summary.constant_controls)}
            )
        if summary.lift_tests:
            notes.append(
                gettext("Lift tests used: %(count)s (they constrain those channels' curves).")
                % {"count": summary.lift_tests}
            )
        if conversions_inferred:
            notes.insert(
                0,
                gettext(
                    "The outcome column “%(column)s” is read as conversions (its header says "
                    "so; --outcome revenue to change)."
                )
                % {"column": weekly.layout.outcome},
            )
        for note in notes:
            out.write(note)
        heads = (
            gettext("ROI"),
            gettext("likely range"),
            gettext("decay"),
            gettext("half saturation"),
            gettext("slope"),
            gettext("current a week"),
        )
        # Each column as wide as its heading in the reader's language, at least as below.
        widths = [
            max(w, display_width(h)) for h, w in zip(heads, (7, 15, 6, 16, 6, 15), strict=True)
        ]
        width = max([20] + [display_width(c.name) for c in curves.channels])
        out.write(
            row(
                (gettext("channel"), width),
                *((h, w, ">") for h, w in zip(heads, widths, strict=True)),
            )
        )
        for curve in curves.channels:
            if curve.status != "ok" or curve.roi is None:
                out.write(row((curve.name, width), (gettext("not enough data"), 0)))
                out.write(f"  {curve.reason}")
                continue
            hill = curve.response
            assert isinstance(hill, Hill)
            scale = max(weekly.spend[curve.name], default=0.0)
            cells = (
                f"{curve.roi:.2f}",
                f"{curve.roi_low:.2f}–{curve.roi_high:.2f}",
                f"{curve.decay:.2f}",
                _amount(hill.half_saturation, scale),
                f"{hill.slope:.2f}",
                _amount(curve.current or 0, scale),
            )
            out.write(
                row(
                    (curve.name, width),
                    *((c, w, ">") for c, w in zip(cells, widths, strict=True)),
                )
            )
            if curve.roi_known is False and curve.min is not None and curve.max is not None:
                out.write(
                    "  "
                    + gettext(
                        "The return from zero spend is not known well enough to act on; "
                        "moved only within %(low)s–%(high)s a week, the spend seen."
                    )
                    % {"low": _amount(curve.min, scale), "high": _amount(curve.max, scale)}
                )

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)


def _amount(value: float, scale: float) -> str:
    """Whole amounts with separators; a channel whose spend is in small units (`scale`,
    its largest weekly spend, below 100: scaled data) to 3 significant digits."""
    return f"{value:,.0f}" if scale >= 100 else f"{value:.3g}"


def _names(option: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in option.split(",") if name.strip())


def _joined(names: tuple[str, ...] | list[str]) -> str:
    return ("、" if is_chinese(get_language()) else ", ").join(names)


def _layout_notes(weekly: WeeklyData) -> list[str]:
    """How the file was read, where the person should check it (the module docstring)."""
    layout = weekly.layout
    listed = _joined
    notes = []
    if layout.guessed:
        notes.append(
            gettext(
                "Read as spend, though their headers do not say so: %(columns)s (choose the "
                "spend columns with --channels)."
            )
            % {"columns": listed(layout.guessed)}
        )
    if layout.not_used:
        notes.append(
            gettext("Not used: %(columns)s (name them with --channels or --controls).")
            % {"columns": listed(layout.not_used)}
        )
    if layout.week_start != 0:
        notes.append(
            gettext("Weeks start on %(weekday)s (the first, %(first)s).")
            % {"weekday": WEEKDAYS[layout.week_start], "first": weekly.weeks[0].isoformat()}
        )
    if layout.sorted:
        notes.append(gettext("The rows were not in date order; they were read sorted by week."))
    if layout.blank_spend:
        notes.append(
            gettext("Blank spend cells read as 0: %(count)s.") % {"count": layout.blank_spend}
        )
    return notes


def _dated(error: UnusableData, weekly: WeeklyData) -> UnusableData:
    """The fit names weeks by number; people read the week's Monday."""
    week = error.params.get("week")
    if isinstance(week, int) and 1 <= week <= len(weekly.weeks):
        error.params["week"] = weekly.weeks[week - 1].isoformat()
    return error


def _curves(result: FitResult, weekly: WeeklyData, currency: str | None) -> document.Curves:
    layout = weekly.layout
    channels = tuple(
        replace(
            curve,
            reason=optimize_messages.channel_reason(result.reasons[curve.name])
            if curve.name in result.reasons
            else curve.reason,
        )
        for curve in result.curves
    )
    fit_document = result.summary.as_document() | {
        "first_week": weekly.weeks[0].isoformat(),
        "last_week": weekly.weeks[-1].isoformat(),
        # How the file was read (optimize/weekly_file.Layout): which column was what.
        "columns": {
            "week": layout.week,
            "week_start": WEEKDAY_NAMES[layout.week_start],
            "outcome": layout.outcome,
            "channels": list(weekly.spend),
            "controls": list(weekly.controls),
            "guessed_spend": list(layout.guessed),
            "not_used": list(layout.not_used),
            "sorted": layout.sorted,
            "blank_spend": layout.blank_spend,
            **({"sheet": layout.sheet} if layout.sheet is not None else {}),
        },
        "not_judged": [
            {"name": name, "code": reason.code, "params": dict(reason.params)}
            for name, reason in result.reasons.items()
        ],
        # Judged channels whose ROI (the return from zero) is not known: moved only
        # within the spend the data saw (their min and max).
        "roi_unknown": [
            {"name": name, "code": reason.code, "params": dict(reason.params)}
            for name, reason in result.roi_unknown.items()
        ],
        # The last weeks' spend per channel: the carry-over into `crewplan optimize --weeks`.
        "recent_spend": {
            curve.name: list(weekly.spend[curve.name][-curve.max_lag :]) if curve.max_lag else []
            for curve in result.curves
        },
    }
    return document.Curves(channels=channels, currency=currency, fit=fit_document)
