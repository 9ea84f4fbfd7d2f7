"""`crewplan content check --channel CHANNEL [--rules RULES.toml] [--category food]
[--sponsored] [--language zh-hant] [--json] FILE`: the content checks (work/checks/) on a
text file, no database. Exit 0: no error-severity finding; 1: at least one; 2: unusable
input (missing or undecodable file, unknown channel, bad rules), with a one-line
reason on stderr. Messages follow `--language`, else the locale (LC_ALL, LC_MESSAGES,
LANG: zh_TW.UTF-8 → Traditional Chinese), else English.

The file is read as UTF-8 (with or without a BOM) or UTF-16 with a BOM, then as cp950
and Big5-HKSCS, the order shared/TAIWAN.md §4 suggests; one trailing line break is not
part of the copy. Offsets count characters (code points) of the decoded text."""

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from crewplan.lib.language import for_command_line
from crewplan.work import messages
from crewplan.work.checks import (
    CATEGORIES,
    CHANNELS,
    DEFAULT_RULES,
    ERROR,
    SUGGESTION,
    WARNING,
    Finding,
    check,
    has_errors,
    measure,
    rules_from_dict,
    rules_from_toml,
)


def decode_text(data: bytes) -> str:
    """BOM sniff, then strict UTF-8, cp950, Big5-HKSCS; ValueError when none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "cp950", "big5hkscs"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("not UTF-8, UTF-16, cp950 (Big5) or Big5-HKSCS text")


class Command(BaseCommand):
    help = "Content tools that work on files."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check_parser = sub.add_parser("check", help="run the content checks on a text file")
        check_parser.add_argument("file", type=Path)
        check_parser.add_argument(
            "--channel", help=f"one of {', '.join(CHANNELS)}; none: no length check"
        )
        check_parser.add_argument("--rules", type=Path, help="a TOML rules file")
        check_parser.add_argument(
            "--category",
            choices=CATEGORIES,
            help="what the copy sells; decides how serious a risky claim is (default: the "
            "rules file's product_category, else unknown: warnings)",
        )
        check_parser.add_argument(
            "--sponsored", action="store_true", help="paid or sponsored: needs a disclosure"
        )
        check_parser.add_argument("--json", action="store_true", help="print one JSON document")
        check_parser.add_argument(
            "--language",
            choices=["en", "zh-hant"],
            help="of the messages (default: the locale's, LANG=zh_TW.UTF-8 → zh-hant; else en)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        language = for_command_line(options["language"], os.environ)
        channel: str | None = options["channel"]
        if channel is not None and channel not in CHANNELS:
            self._unusable(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
        rules = DEFAULT_RULES
        if options["rules"] is not None:
            rules_path: Path = options["rules"]
            try:
                rules = rules_from_toml(rules_path.read_bytes().decode("utf-8-sig"))
            except OSError as error:
                self._unusable(f"{rules_path}: {error.strerror}")
            except UnicodeDecodeError:
                self._unusable(f"{rules_path}: a rules file must be UTF-8")
            except ValueError as error:
                self._unusable(f"{rules_path}: {error}")
        if options["category"]:
            rules = rules_from_dict({"product_category": options["category"]}, rules)
        try:
            text = decode_text(path.read_bytes())
        except OSError as error:
            self._unusable(f"{path}: {error.strerror}")
        except ValueError as error:
            self._unusable(f"{path}: {error}")
        text = text.removesuffix("\n").removesuffix("\r")
        findings = check(text, channel, rules, sponsored=options["sponsored"])
        failed = has_errors(findings)
        length = None
        if channel is not None and CHANNELS[channel].limit is not None:
            spec = CHANNELS[channel]
            length = {
                "count": measure(text, channel),
                "limit": spec.limit,
                "unit": spec.unit,
                "per_line": spec.per_line,
            }
        with translation.override(language):
            if options["json"]:
                self._json(path, channel, options["sponsored"], text, length, findings)
            else:
                self._table(path, channel, length, findings)
        sys.exit(1 if failed else 0)

    def _json(
        self,
        path: Path,
        channel: str | None,
        sponsored: bool,
        text: str,
        length: dict[str, Any] | None,
        findings: list[Finding],
    ) -> None:
        document: dict[str, Any] = {
            "file": str(path),
            "channel": channel,
            "sponsored": sponsored,
            "characters": len(text),
            "length": length,
            "findings": [
                {
                    "code": f.code,
                    "rule": f.rule,
                    "severity": f.severity,
                    "start": f.start,
                    "end": f.end,
                    "text": text[f.start : f.end],
                    "message": messages.finding_message(f),
                    "replacement": f.replacement,
                }
                for f in findings
            ],
            "errors": has_errors(findings),
        }
        if any(f.code == "risky_claim" for f in findings):
            document["disclaimer"] = messages.disclaimer()
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _table(
        self,
        path: Path,
        channel: str | None,
        length: dict[str, Any] | None,
        findings: list[Finding],
    ) -> None:
        out = self.stdout
        head = f"{path}: {channel or 'no channel'}"
        if length is not None:
            unit = messages.unit_label(length["unit"])
            longest = "longest line " if length["per_line"] else ""
            head += f", {longest}{length['count']:,} of {length['limit']:,} ({unit})"
        out.write(head)
        for f in findings:
            where = f"{f.start:>6}–{f.end:<6}"
            fix = f"  → {f.replacement}" if f.replacement else ""
            out.write(f"{where} {f.severity:<10} {f.code:<12} {messages.finding_message(f)}{fix}")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in (ERROR, WARNING)}
        suggestions = sum(1 for f in findings if f.severity == SUGGESTION)
        out.write(
            f"{counts[ERROR]} error(s), {counts[WARNING]} warning(s), {suggestions} suggestion(s)"
        )
        if any(f.code == "risky_claim" for f in findings):
            out.write(messages.disclaimer())

    def _unusable(self, reason: str) -> NoReturn:
        sys.stderr.write(reason.replace("\n", " ") + "\n")
        sys.exit(2)
