"""`crewplan review check --workspace W --quarter 2026Q4 [--json] [--language zh-hant]`:
the collaboration health check of a workspace's fiscal quarter (DESIGN.md G). A table by
default, one JSON document with --json. Exit 0: no findings; 1: findings; 2: unusable
input (no such workspace, a quarter not like 2026Q4), with a one-line reason on stderr.
The language: `--language`, else the locale, else the workspace's default language;
dates and hours in the workspace's time zone."""

import json
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from crewplan.lib.active_language import speaking
from crewplan.lib.columns import pad
from crewplan.lib.language import LANGUAGES, normalize, of_locale
from crewplan.reports import messages
from crewplan.reports.collaboration import FiscalQuarter, parse_quarter
from crewplan.reports.collaboration_queries import quarter_findings
from crewplan.workspaces.models import Workspace


class Command(BaseCommand):
    help = "The quarterly review's checks."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="the collaboration health check of a quarter")
        check.add_argument("--workspace", required=True, help="the workspace's slug")
        check.add_argument("--quarter", required=True, help="a fiscal quarter, like 2026Q4")
        check.add_argument("--json", action="store_true", help="print one JSON document")
        check.add_argument(
            "--language",
            default=None,
            choices=LANGUAGES,
            help="default: from the locale, else the workspace's language",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            self._unusable(f"no workspace {options['workspace']!r}")
        assert workspace is not None
        try:
            quarter = parse_quarter(options["quarter"], workspace.fiscal_year_start_month)
        except ValueError as error:
            self._unusable(str(error))
        language = normalize(
            options["language"] or of_locale(os.environ) or workspace.default_language
        )
        with timezone.override(workspace.time_zone), speaking(language):
            findings = messages.worded(quarter_findings(workspace, quarter), language)
            if options["json"]:
                self._json(workspace, quarter, findings)
            else:
                self._table(quarter.label, findings, language)
        sys.exit(1 if findings else 0)

    def _json(
        self,
        workspace: Workspace,
        quarter: FiscalQuarter,
        findings: list[messages.Worded],
    ) -> None:
        document = {
            "workspace": workspace.slug,
            "quarter": quarter.label,
            "first_day": str(quarter.first),
            "last_day": str(quarter.last),
            "findings": [
                {
                    "code": f.code,
                    "pitfall": f.pitfall,
                    "severity": f.severity,
                    "message": f.message,
                    "action": f.fix,
                    "params": {k: _plain(v) for k, v in f.params.items()},
                    "evidence": [
                        {"kind": e.kind, "id": e.id, "name": e.name, "value": _plain(e.value)}
                        for e in f.finding.evidence
                    ],
                }
                for f in findings
            ],
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _table(self, label: str, findings: list[messages.Worded], language: str) -> None:
        out = self.stdout
        out.write(messages.findings_heading(label, len(findings), language))
        for f in findings:
            severity = messages.severity_name(f.severity, language)
            out.write(f"{pad(severity, 8)} {f.code:<36} {f.message}")
            out.write(f"{'':<8} {'':<36} → {f.fix}")
            for e in f.finding.evidence[:10]:
                value = messages.evidence_value(f.code, e.value, language)
                shown = f"{e.name} · {value}" if value else e.name
                line = messages.evidence_line(e.kind, e.id, shown, language)
                out.write(f"{'':<8} {'':<36}   {line}")
            if len(f.finding.evidence) > 10:
                more = messages.more_evidence(len(f.finding.evidence) - 10, language)
                out.write(f"{'':<8} {'':<36}   {more}")

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)


def _plain(value: object) -> object:
    """A JSON value: numbers as strings when Decimal (exact), lists as lists."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, int | str | bool):
        return value
    return str(value)
