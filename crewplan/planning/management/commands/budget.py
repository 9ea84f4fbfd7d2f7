"""`crewplan budget check PLAN.xlsx [--json] [--language zh-hant]`: the budget health
check on a plan file, no database. Exit 0: no errors; 1: errors found (row problems
count); 2: unusable file, with a one-line reason on stderr. The language: `--language`,
else the locale (LANG=zh_TW.UTF-8: Traditional Chinese), else English; `budget export`
falls back on the workspace's language instead of English."""

import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from crewplan.lib import limits, uploads
from crewplan.lib.language import LANGUAGES, for_command_line, of_locale
from crewplan.lib.money import format_money
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget.health import Thresholds, health_findings
from crewplan.planning.budget.queries import export_sheets, fiscal_year_of
from crewplan.planning.budget.xlsx import read_plan, write_plan
from crewplan.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Budget plan tools that work on files."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="run the budget health check on a plan in .xlsx")
        check.add_argument("file", type=Path)
        check.add_argument("--json", action="store_true", help="print one JSON document")
        check.add_argument(
            "--language", default=None, choices=LANGUAGES, help="default: from the locale"
        )
        check.add_argument("--currency", default="TWD")
        defaults = Thresholds()
        check.add_argument("--max-tool-share", type=Decimal, default=defaults.max_tool_share)
        check.add_argument("--min-reserve-share", type=Decimal, default=defaults.min_reserve_share)
        check.add_argument("--training-per-seat", type=Decimal, default=defaults.training_per_seat)
        check.add_argument("--pilot-max-months", type=int, default=defaults.pilot_max_months)
        export = sub.add_parser("export", help="write a workspace's plan in the plan file layout")
        export.add_argument("--workspace", required=True, help="the workspace's slug")
        export.add_argument("--year", type=int, help="fiscal year (default: the current one)")
        export.add_argument(
            "--version",
            type=int,
            dest="number",
            help="the version number the Budget sheet shows (default: the newest)",
        )
        export.add_argument(
            "--language",
            default=None,
            choices=LANGUAGES,
            help="default: from the locale, else the workspace's language",
        )
        export.add_argument("out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(**options)
            return
        path: Path = options["file"]
        language = for_command_line(options["language"], os.environ)
        try:
            upload = uploads.read_path(path, limits.BUDGET_PLAN)
            result = read_plan(upload.data, limits.BUDGET_PLAN)
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except UnusableFile as error:
            self._unusable(f"{path}: {budget_messages.unusable(error, language)}")
        thresholds = Thresholds(
            max_tool_share=options["max_tool_share"],
            min_reserve_share=options["min_reserve_share"],
            training_per_seat=options["training_per_seat"],
            pilot_max_months=options["pilot_max_months"],
        )
        findings = budget_messages.worded(
            health_findings(result.plan, thresholds, options["currency"]), language
        )
        failed = bool(result.problems) or any(f.severity == "error" for f in findings)
        plan = result.plan
        if options["json"]:
            document = {
                "file": str(path),
                "lines": len(plan.lines),
                "tools": [t.name for t in plan.tools],
                "total": str(plan.total()),
                "problems": [
                    {
                        "sheet": p.sheet,
                        "row": p.row,
                        "code": p.code,
                        "message": budget_messages.row_problem(p, language),
                    }
                    for p in result.problems
                ],
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity,
                        "rows": [result.rows.get(s) for s in f.subjects],
                        "message": f.message,
                        "fix": f.fix,
                    }
                    for f in findings
                ],
                "errors": failed,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            out = self.stdout
            total = format_money(plan.total(), options["currency"])
            out.write(f"{len(plan.lines)} lines, {len(plan.tools)} tools, total {total}")
            for p in result.problems:
                message = budget_messages.row_problem(p, language)
                out.write(f"{p.sheet} row {p.row:>4}  error    {p.code:<26} {message}")
            for f in findings:
                out.write(f"{'':<14}  {f.severity:<8} {f.code:<26} {f.message}")
                out.write(f"{'':<14}  {'':<8} {'':<26} → {f.fix}")
            errors = len(result.problems) + sum(1 for f in findings if f.severity == "error")
            warnings = sum(1 for f in findings if f.severity == "warning")
            out.write(f"{errors} error(s), {warnings} warning(s)")
        sys.exit(1 if failed else 0)

    def _export(
        self,
        *,
        workspace: str,
        year: int | None,
        number: int | None,
        language: str | None,
        out: Path,
        **_: Any,
    ) -> None:
        """Uses the database; every version of the year, the newest on the 預算/Budget sheet."""
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            self._unusable(f"no workspace {workspace!r}")
        assert found is not None
        with timezone.override(found.time_zone):
            fiscal_year = year or fiscal_year_of(found, timezone.localdate())
        try:
            sheets, current = export_sheets(found, fiscal_year, number)
        except ValueError as error:
            self._unusable(f"{workspace}: {error}")
        if not sheets:
            self._unusable(f"{workspace}: no budget plan for fiscal year {fiscal_year}")
        labels = budget_messages.file_labels(
            language or of_locale(os.environ) or found.default_language
        )
        out.write_bytes(write_plan(sheets, current=current, labels=labels))
        self.stdout.write(f"{out}: {len(sheets)} version(s) of {fiscal_year}")

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)
