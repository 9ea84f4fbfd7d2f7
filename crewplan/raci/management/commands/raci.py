"""`crewplan raci check MATRIX.xlsx|MATRIX.csv [--json] [--language zh-hant]`: the
tolerant reader and the validation core on a file, no database. It says how it read the
sheet (header row, activity column, role columns), then the findings. Exit 0: no
errors; 1: errors found (row problems count as errors); 2: unusable file, with a
one-line reason on stderr.
The language: `--language`, else the locale (LANG=zh_TW.UTF-8: Traditional Chinese),
else English."""

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from crewplan.lib import limits, uploads
from crewplan.lib.language import LANGUAGES, for_command_line
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.imports import FILE_KINDS
from crewplan.raci.messages import layout_lines, row_problem, skipped_row, unusable, worded
from crewplan.raci.validation import Rules, Severity, has_errors, validate
from crewplan.raci.xlsx import read_matrix


class Command(BaseCommand):
    help = "RACI matrix tools that work on files."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a RACI matrix in .xlsx or .csv")
        check.add_argument("file", type=Path)
        check.add_argument("--json", action="store_true", help="print one JSON document")
        check.add_argument(
            "--language", default=None, choices=LANGUAGES, help="default: from the locale"
        )
        check.add_argument(
            "--max-accountable", type=int, default=Rules().max_accountable_per_person
        )
        check.add_argument("--max-consulted", type=int, default=Rules().max_consulted)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(for_command_line(options["language"], os.environ)):
            self._check(options)

    def _check(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            upload = uploads.read_path(path, limits.RACI_MATRIX, kinds=FILE_KINDS)
            result = read_matrix(upload.data, limits.RACI_MATRIX, name=path.name)
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except UnusableFile as error:
            self._unusable(f"{path}: {unusable(error)}")
        rules = Rules(
            max_accountable_per_person=options["max_accountable"],
            max_consulted=options["max_consulted"],
        )
        findings = worded(validate(result.matrix, rules))
        names = {a.key: a.name for a in result.matrix.activities}
        failed = has_errors(w.finding for w in findings) or bool(result.problems)
        if options["json"]:
            layout = result.layout
            document = {
                "file": str(path),
                "layout": {
                    "source": layout.source,
                    "sheet": layout.sheet,
                    "header_row": layout.header_row,
                    "activity_column": layout.activity_column,
                    "function_column": layout.function_column or None,
                    "id_column": layout.id_column or None,
                    "role_columns": [
                        {"column": c.column, "header": c.header, "kind": c.kind}
                        for c in layout.role_columns
                    ],
                    "kinds_stated": layout.kinds_stated,
                    "encoding": layout.encoding or None,
                    "delimiter": layout.delimiter or None,
                    "skipped": [
                        {"row": k.row, "reason": k.reason, "text": k.text, "why": skipped_row(k)}
                        for k in layout.skipped
                    ],
                    "description": layout_lines(layout),
                },
                "activities": len(result.matrix.activities),
                "parties": [p.key for p in result.matrix.parties],
                "problems": [
                    {"row": p.row, "code": p.code, "message": row_problem(p)}
                    for p in result.problems
                ],
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity.value,
                        "activity": names.get(f.activity or ""),
                        "row": result.rows.get(f.activity or ""),
                        "parties": list(f.parties),
                        "message": f.message,
                        "fix": f.fix,
                    }
                    for f in findings
                ],
                "errors": failed,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self._table(result, findings, names)
        sys.exit(1 if failed else 0)

    def _table(self, result: Any, findings: list[Any], names: dict[str, str]) -> None:
        out = self.stdout
        for line in layout_lines(result.layout):
            out.write(line)
        for k in result.layout.skipped:
            out.write(f"row {k.row:>5}  skipped  {skipped_row(k)}: {k.text}")
        out.write(
            f"{len(result.matrix.activities)} activities × {len(result.matrix.parties)} parties"
        )
        for p in result.problems:
            out.write(f"row {p.row:>5}  error    {p.code:<30} {row_problem(p)}")
        for f in findings:
            row = result.rows.get(f.activity or "")
            where = f"row {row:>5}" if row else " " * 9
            out.write(f"{where}  {f.severity.value:<8} {f.code:<30} {f.message}")
            out.write(f"{'':<9}  {'':<8} {'':<30} → {f.fix}")
        errors = sum(1 for f in findings if f.severity == Severity.ERROR) + len(result.problems)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        out.write(f"{errors} error(s), {warnings} warning(s)")

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)
