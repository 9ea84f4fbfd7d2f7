"""`crewplan fit DATA.csv [--outcome revenue|conversions] [--holdout-weeks 8] [--json]
[--currency TWD] [--taiwan-holidays] [--language L]`: fit every channel's response curve
from a wide weekly file (docs/optimize.md: `week`, `outcome`, a column per channel,
`control:<name>`) and print the CURVES document — a table by default, the JSON document with --json.
--taiwan-holidays adds the weekday holidays of each week (work/calendar_tw.py) as a control.

Exit 0: every channel was judged; 1: some channel is `not_enough_data` (the reason and
what would fix it are in the table and the document); 2: an unusable file or data (too
few weeks, a gap, a missing or negative number…), with a one-line reason on stderr. The
language: `--language`, else the locale, else English."""

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from crewplan.lib import file_messages, limits
from crewplan.lib.columns import display_width, row
from crewplan.lib.language import LANGUAGES, for_command_line
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import optimize_messages
from crewplan.optimize import document
from crewplan.optimize.curves import Hill
from crewplan.optimize.fit import FitResult, UnusableData, fit
from crewplan.optimize.weekly_file import (
    TAIWAN_HOLIDAYS,
    WeeklyData,
    read_weekly,
    taiwan_holidays,
)


class Command(BaseCommand):
    help = "Fit each channel's response curve from weekly spend and outcome."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--outcome", choices=("revenue", "conversions"), default="revenue")
        parser.add_argument("--holdout-weeks", type=int, default=8)
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
            weekly = self._read(path)
            controls = dict(weekly.controls)
            if options["taiwan_holidays"]:
                controls[TAIWAN_HOLIDAYS] = taiwan_holidays(weekly.weeks)
            try:
                result = fit(
                    weekly.spend,
                    weekly.outcome,
                    controls=controls,
                    outcome_kind=options["outcome"],
                    holdout_weeks=options["holdout_weeks"],
                )
            except UnusableData as error:
                self._unusable(f"{path}: {optimize_messages.unusable(_dated(error, weekly))}")
            curves = _curves(result, weekly, options["currency"])
            if options["json"]:
                self.stdout.write(document.dumps(curves))
            else:
                self._print(path, curves, result)
        sys.exit(1 if result.reasons else 0)

    def _read(self, path: Path) -> WeeklyData:
        try:
            return read_weekly(limits.read_limited(path, limits.WEEKLY_DATA))
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except UnusableFile as error:
            self._unusable(f"{path}: {file_messages.unusable(error)}")
        except UnusableData as error:
            self._unusable(f"{path}: {optimize_messages.unusable(error)}")
        raise AssertionError  # _unusable exits

    def _print(self, path: Path, curves: document.Curves, result: FitResult) -> None:
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
            cells = (
                f"{curve.roi:.2f}",
                f"{curve.roi_low:.2f}–{curve.roi_high:.2f}",
                f"{curve.decay:.2f}",
                f"{hill.half_saturation:,.0f}",
                f"{hill.slope:.2f}",
                f"{curve.current or 0:,.0f}",
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
                        "The return from zero spend is not known (the spend was never near "
                        "zero); moved only within %(low)s–%(high)s a week, the spend seen."
                    )
                    % {"low": f"{curve.min:,.0f}", "high": f"{curve.max:,.0f}"}
                )

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)


def _dated(error: UnusableData, weekly: WeeklyData) -> UnusableData:
    """The fit names weeks by number; people read the week's Monday."""
    week = error.params.get("week")
    if isinstance(week, int) and 1 <= week <= len(weekly.weeks):
        error.params["week"] = weekly.weeks[week - 1].isoformat()
    return error


def _curves(result: FitResult, weekly: WeeklyData, currency: str | None) -> document.Curves:
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
