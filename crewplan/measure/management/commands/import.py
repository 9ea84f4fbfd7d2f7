"""`crewplan import --workspace W FILE [--dry-run] [--json] [--no-new-channels] [--rate R]
[--language L]`: import an export of an ad platform or analytics tool (or crewplan's
daily template) into a workspace, as the import page does, in one transaction.

Exit 0: imported (or, with --dry-run, importable) with no rejected row; 1: rows were
rejected (the others are imported) or the import was refused (another currency without
--rate, unknown channels with --no-new-channels, columns no layout knows): nothing of it
is imported then; 2: no such workspace or an unusable file, with a one-line reason on
stderr. Channels the workspace does not know are created unless --no-new-channels. The
language: `--language`, else the locale, else English."""

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from crewplan.lib import limits, uploads
from crewplan.lib.language import LANGUAGES, for_command_line
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import imports, messages
from crewplan.measure.models import Import
from crewplan.measure.parse import Parsed
from crewplan.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import daily figures (spend, clicks, conversions…) from a file into a workspace."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="say what would change")
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument(
            "--no-new-channels",
            action="store_true",
            help="refuse the file when it names channels the workspace does not have",
        )
        parser.add_argument(
            "--rate", default=None, help="exchange rate when the file is in another currency"
        )
        parser.add_argument(
            "--language", default=None, choices=LANGUAGES, help="default: from the locale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            self._unusable(f"no workspace {options['workspace']!r}")
        assert workspace is not None
        with translation.override(for_command_line(options["language"], os.environ)):
            with timezone.override(workspace.time_zone):
                today = timezone.localdate()
            try:
                upload = uploads.read_path(
                    path, limits.MEASURE_METRICS, (uploads.FileKind.XLSX, uploads.FileKind.TEXT)
                )
                parsed = imports.parse_file(upload.data, today=today)
            except OSError as error:
                self._unusable(f"{path}: {error.strerror}")
            except UnusableFile as error:
                self._unusable(f"{path}: {messages.unusable(error)}")
            document = self._run(workspace, path, upload.data, parsed, options)
        failed = bool(document["errors"])
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self._print(document)
        sys.exit(1 if failed else 0)

    def _run(
        self, workspace: Workspace, path: Path, data: bytes, parsed: Parsed, options: Any
    ) -> dict[str, Any]:
        """Preview, then (unless a dry run or refused) commit; the JSON document."""
        rate = options["rate"]
        try:
            shown = imports.preview(
                workspace,
                parsed,
                file_name=path.name,
                checksum="",
                rate=rate,
                compare=options["dry_run"],
            )
        except ValidationError as error:  # a rate that is not a number
            self._unusable(" ".join(error.messages))
        refusals = list(shown.errors)
        if options["no_new_channels"] and shown.unknown_channels:
            refusals.append(
                {
                    "code": "unknown_channels",
                    "message": translation.gettext("The workspace has no channel called %(names)s.")
                    % {"names": ", ".join(f"“{n}”" for n in shown.unknown_channels)},
                }
            )
        document = _document(shown, parsed)
        if refusals:
            document["errors"] = [_refusal(r) for r in refusals] + document["errors"]
            return document
        if options["dry_run"]:
            document.update(_counts(shown.rows_added, shown.rows_replaced, shown.rows_unchanged))
            document["dry_run"] = True
            document["channels_created"] = shown.unknown_channels
            return document
        record = Import.objects.create(
            workspace=workspace,
            file_name=path.name,
            checksum=hashlib.sha256(data).hexdigest(),
            layout=str(parsed.layout),
        )
        try:
            done = imports.commit(
                workspace=workspace,
                actor=None,
                parsed=parsed,
                import_record=record,
                channel_choices={name: imports.NEW for name in shown.unknown_channels},
                rate=rate,
            )
        except ValidationError as error:
            record.delete()
            document["errors"] = [
                {"line": None, "code": "refused", "message": m} for m in error.messages
            ] + document["errors"]
            return document
        document.update(_counts(done.rows_added, done.rows_replaced, done.rows_unchanged))
        document["import_id"] = done.pk
        document["channels_created"] = shown.unknown_channels
        return document

    def _print(self, document: dict[str, Any]) -> None:
        out = self.stdout
        out.write(
            f"{document['file']}: {document['layout']}, {document['encoding']}, "
            f"{document['rows_read']} rows read, {document['date_from']} – {document['date_to']}"
        )
        for name, totals in document["totals"].items():
            out.write(
                f"  {name}: spend {totals['spend']}, {totals['impressions']} impressions, "
                f"{totals['clicks']} clicks, {totals['conversions']} conversions, "
                f"revenue {totals['revenue']}"
            )
        if document["rows_added"] is not None:
            verb = "would be" if document["dry_run"] else "were"
            out.write(
                f"{document['rows_added']} added, {document['rows_replaced']} replaced, "
                f"{document['rows_unchanged']} unchanged, {document['rows_rejected']} rejected "
                f"rows ({verb} imported)"
            )
        for name in document["channels_created"]:
            out.write(f"  new channel: {name}")
        for error in document["errors"]:
            where = f"line {error['line']:>6}" if error["line"] else " " * 11
            out.write(f"{where}  error    {error['code']:<22} {error['message']}")
        for warning in document["warnings"]:
            out.write(
                f"line {warning['line']:>6}  warning  {warning['code']:<22} {warning['message']}"
            )

    def _unusable(self, reason: str) -> None:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)


def _counts(added: int, replaced: int, unchanged: int) -> dict[str, int]:
    return {"rows_added": added, "rows_replaced": replaced, "rows_unchanged": unchanged}


def _refusal(refusal: dict[str, Any]) -> dict[str, Any]:
    return {"line": None, "code": refusal["code"], "message": refusal["message"]}


def _document(shown: imports.ImportPreview, parsed: Parsed) -> dict[str, Any]:
    problems = [imports.problem_json(p) for p in parsed.problems]
    return {
        "file": shown.file_name,
        "dry_run": False,
        "import_id": None,
        "layout": shown.layout,
        "encoding": shown.encoding,
        "rows_read": shown.rows_read,
        "rows_added": None,
        "rows_replaced": None,
        "rows_unchanged": None,
        "rows_rejected": shown.rows_rejected,
        "date_from": shown.date_from.isoformat() if shown.date_from else None,
        "date_to": shown.date_to.isoformat() if shown.date_to else None,
        "currency": shown.currency,
        "rate": str(shown.rate) if shown.rate is not None else None,
        "totals": {name: t.as_json() for name, t in shown.totals.items()},
        "channels_created": [],
        "errors": [
            {"line": p["line"], "code": p["code"], "message": p["message"]}
            for p in problems
            if p["severity"] == "error"
        ],
        "warnings": [
            {"line": p["line"], "code": p["code"], "message": p["message"]}
            for p in problems
            if p["severity"] != "error"
        ],
    }
