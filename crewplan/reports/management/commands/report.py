"""`crewplan report --workspace W --quarter 2026Q4 [--pdf FILE] [--html FILE]
[--language zh-hant|en]`: the quarterly review report, generated now in this process and
stored like the background task stores it (a new Report with its copies; the earlier
ones stay), the in-house copy written to the files asked for. The language: `--language`,
else the workspace's default language. Exit 0 when it is stored (and the files written);
2 for unusable input (no such workspace, a quarter not like 2026Q4, a file that cannot be
written), with a one-line reason on stderr; 1 when the generation itself failed (the
report is then marked failed with its reason)."""

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from crewplan.lib.language import LANGUAGES, normalize
from crewplan.reports import services, tasks
from crewplan.reports.collaboration import parse_quarter
from crewplan.reports.models import Report, ReportCopy
from crewplan.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Generate a quarter's review report (HTML and PDF)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument("--quarter", required=True, help="a fiscal quarter, like 2026Q4")
        parser.add_argument("--pdf", default=None, help="write the in-house copy's PDF here")
        parser.add_argument("--html", default=None, help="write the in-house copy's HTML here")
        parser.add_argument(
            "--language",
            default=None,
            choices=LANGUAGES,
            help="default: the workspace's language",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            self._unusable(f"no workspace {options['workspace']!r}")
        try:
            quarter = parse_quarter(options["quarter"], workspace.fiscal_year_start_month)
        except ValueError as error:
            self._unusable(str(error))
        targets = [Path(p) for p in (options["pdf"], options["html"]) if p]
        for target in targets:
            if not target.parent.is_dir():
                self._unusable(f"cannot write {target}: no folder {target.parent}")
        language = normalize(options["language"] or workspace.default_language)
        report = services.report_request(
            workspace=workspace, quarter=quarter, language=language, actor=None, background=False
        )
        try:
            tasks.run(report.pk)
        except Exception as error:
            report.refresh_from_db()
            sys.stderr.write(f"report {report.pk} failed: {type(error).__name__}: {error}\n")
            sys.exit(1)
        copy = ReportCopy.objects.for_workspace(workspace).get(report=report, audience_team=None)
        try:
            if options["pdf"]:
                Path(options["pdf"]).write_bytes(bytes(copy.pdf))
            if options["html"]:
                Path(options["html"]).write_text(copy.html, encoding="utf-8")
        except OSError as error:
            self._unusable(f"cannot write the file: {error.strerror or error}")
        count = ReportCopy.objects.for_workspace(workspace).filter(report=report).count()
        status = Report.objects.get(pk=report.pk).status
        self.stdout.write(
            f"report {report.pk} {quarter.label} {language}: {status}, {count} copies"
        )

    def _unusable(self, reason: str) -> NoReturn:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)
