"""Importing daily figures: from a parsed file (`measure/parse.py`) to `DailyMetric` rows,
exactly once, and back out again.

The flow of a page or a command:

    stored = store_file(workspace=ws, name=upload.name, data=upload.data)
    parsed = parse(stored.data, today=today)                     # the pure core
    shown = preview(ws, parsed, file_name=stored.name, checksum=stored.sha256)
    token = sign_preview(purpose=PREVIEW_PURPOSE, workspace=ws.pk,
                         payload=shown.as_payload(file_id=stored.pk))
    # the confirmation: choices for the unknown channels, the rate if any
    record = queue_import(workspace=ws, actor=user, file=stored, channel_choices=…)
    run_stored_import(record.pk)      # now (a small file, the command) or in a task

Why the bytes are kept (`ImportFile`) instead of the rows in the token: a million rows do
not fit in a signed token, and parsing again on commit means that what is imported is what
the file says, never what came back from the browser. The file row is deleted when its
import is done, or after a day.

Writing is set-based and keyed by (workspace, day, channel, campaign): the file's rows go
into a temporary table in chunks (`executemany` of up to 1,000 rows per INSERT, or COPY
on PostgreSQL), then three statements compare it with what is stored: rows whose values
differ are copied to `ReplacedMetric` (with the import that had written them) and
updated, rows that are not there are inserted, identical rows are not touched. When
nothing is stored yet over the file's days and channels, the rows go straight into
`DailyMetric`. Either way the number of statements does not depend on the number of rows,
and importing the same file again changes nothing. The per-day sums of `ChannelDay` are
refreshed for the import's days in the same transaction (`channel_days.refresh`).
"""

import gc
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record
from crewplan.lib.limits import MEASURE_METRICS
from crewplan.lib.text import fold
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import channel_days, messages
from crewplan.measure.models import (
    Campaign,
    Channel,
    ChannelAlias,
    DailyMetric,
    Import,
    ImportFile,
    ReplacedMetric,
)
from crewplan.measure.parse import ColumnMap, Layout, MetricRow, Parsed, Problem, parse
from crewplan.measure.values import from_x100
from crewplan.workspaces.models import Workspace

PREVIEW_PURPOSE = "measure.import"
CHUNK_ROWS = 20_000  # rows per executemany: progress and the test hook come between chunks
RUN_ROWS = 16  # rows per run of one channel below which the totals are summed row by row
ROWS_PER_STATEMENT = 1000  # rows per INSERT at most (9 values each; see _statement_rows)
FILE_DAYS = 1  # an ImportFile not imported is forgotten after this many days
PAYLOAD_PROBLEMS = 200  # problems carried in a preview token (the count is always exact)
# PostgreSQL takes the rows through COPY (psycopg's `Cursor.copy`), else executemany like
# SQLite; the benchmark measures both (docs/benchmarks.md).
COPY_ON_POSTGRESQL = True
NEW = "new"  # a channel choice: create a channel named as in the file

# The metric columns of DailyMetric and ReplacedMetric, in the order the SQL uses.
VALUES = ("spend_x100", "impressions", "clicks", "conversions_x100", "revenue_x100", "extras")
KEY = ("day", "channel_id", "campaign_id")

Progress = Callable[[int], None]


class InterruptedImport(Exception):
    """Raised by `commit` when `fail_after_rows` rows are written: a test stands in for a
    killed process and proves that the transaction leaves nothing behind."""


@dataclass
class ChannelTotals:
    spend_x100: int = 0
    impressions: int = 0
    clicks: int = 0
    conversions_x100: int = 0
    revenue_x100: int = 0
    rows: int = 0

    def as_json(self) -> dict[str, str | int]:
        """Money and conversions as exact decimal text, counts as numbers."""
        return {
            "spend": str(from_x100(self.spend_x100)),
            "impressions": self.impressions,
            "clicks": self.clicks,
            "conversions": str(from_x100(self.conversions_x100)),
            "revenue": str(from_x100(self.revenue_x100)),
            "rows": self.rows,
        }


@dataclass
class ImportPreview:
    """What importing the file would do, before anything is written: shown on the
    confirmation page, signed into its token (`as_payload`), printed by `--dry-run`."""

    file_name: str
    checksum: str
    layout: str
    encoding: str
    rows_read: int
    date_from: date | None
    date_to: date | None
    currency: str | None  # the file's, when it says
    rate: Decimal | None
    channels: dict[str, int]  # file channel name -> the workspace channel it is
    unknown_channels: list[str]  # names to create or map on the confirmation
    totals: dict[str, ChannelTotals]  # by file channel name, amounts after the rate
    problems: list[Problem]
    rows_rejected: int
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    errors: list[dict[str, Any]] = field(default_factory=list)  # {code, message}: refused

    @property
    def importable(self) -> bool:
        return not self.errors

    def as_payload(self, *, file_id: int | None = None) -> dict[str, Any]:
        """JSON data for `lib.uploads.sign_preview`: no rows, the first problems only."""
        return {
            "file_id": file_id,
            "file_name": self.file_name,
            "checksum": self.checksum,
            "layout": self.layout,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "currency": self.currency,
            "rate": str(self.rate) if self.rate is not None else None,
            "channels": self.channels,
            "unknown_channels": self.unknown_channels,
            "totals": {name: t.as_json() for name, t in self.totals.items()},
            "problems": [problem_json(p) for p in self.problems[:PAYLOAD_PROBLEMS]],
            "problem_count": len(self.problems),
            "rows_rejected": self.rows_rejected,
            "rows_added": self.rows_added,
            "rows_replaced": self.rows_replaced,
            "rows_unchanged": self.rows_unchanged,
            "errors": self.errors,
        }


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "line": problem.line,
        "code": problem.code,
        "severity": problem.severity,
        "params": dict(problem.params),
        "message": messages.row_problem(problem),
    }


def rejected_lines(problems: Iterable[Problem]) -> int:
    """Rows the parser refused (error problems), each counted once."""
    return len({p.line for p in problems if p.severity == "error"})


# Files between the preview and the import.


def store_file(*, workspace: Workspace, name: str, data: bytes) -> ImportFile:
    """Keep an uploaded file's bytes for its confirmation (and forget stale ones)."""
    forget_stale_files()
    return ImportFile.objects.create(
        workspace=workspace, name=name[:255], sha256=hashlib.sha256(data).hexdigest(), data=data
    )


def forget_stale_files(now: Any = None) -> int:
    """Delete files never imported within FILE_DAYS; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=FILE_DAYS)
    deleted, _ = ImportFile.objects.filter(created_at__lt=cutoff, import_record=None).delete()
    return deleted


def stored_file(*, workspace: Workspace, file_id: int, checksum: str) -> ImportFile:
    """The file a preview token names, of this workspace and unchanged; ValidationError
    when it is gone (a day old, already imported)."""
    found = (
        ImportFile.objects.for_workspace(workspace)
        .filter(pk=file_id, sha256=checksum, import_record=None)
        .first()
    )
    if found is None:
        raise ValidationError(_("This file is no longer here. Upload it again."))
    return found


# Channels.


def resolve_channels(workspace: Workspace, names: Iterable[str]) -> dict[str, Channel | None]:
    """Each file channel name's workspace channel: the same name, the same name folded
    (letter case, full-width letters), then a remembered alias; None when unknown."""
    channels = list(Channel.objects.for_workspace(workspace))
    exact = {c.name: c for c in channels}
    folded = {fold(c.name): c for c in channels}
    by_id = {c.pk: c for c in channels}
    aliases = {
        a.source_name: by_id.get(a.channel_id)
        for a in ChannelAlias.objects.for_workspace(workspace)
    }
    found: dict[str, Channel | None] = {}
    for name in names:
        key = fold(name)
        found[name] = exact.get(name) or folded.get(key) or aliases.get(key)
    return found


def _file_channels(parsed: Parsed) -> list[str]:
    """The file's channel names in the order they come."""
    return list(dict.fromkeys(parsed.fields()[2]))


# Amounts in another currency.


def checked_rate(rate: Decimal | str | None) -> Decimal | None:
    """The exchange rate as a positive Decimal; ValidationError for anything else."""
    if rate is None or rate == "":
        return None
    try:
        value = Decimal(str(rate).strip())
    except InvalidOperation:
        raise ValidationError(_("The exchange rate must be a number, like 31.5.")) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError(_("The exchange rate must be a number above zero."))
    return value


def _same(value: int | None) -> int:
    return value or 0


def converter(rate: Decimal | None) -> Callable[[int | None], int]:
    """Hundredths in the file's currency -> hundredths in the workspace's: multiplied
    exactly by the rate, rounded half to even (an amount of 0.005 goes to the even cent)."""
    if rate is None or rate == 1:
        return _same

    def convert(value: int | None) -> int:
        if not value:
            return 0
        return int((Decimal(value) * rate).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    return convert


def currency_errors(workspace: Workspace, parsed: Parsed, rate: Decimal | None) -> list[str]:
    if parsed.currency and parsed.currency != workspace.currency and rate is None:
        return [
            _(
                "The amounts of this file are in %(file)s, the workspace's in %(workspace)s: "
                "give the exchange rate (how many %(workspace)s one %(file)s is)."
            )
            % {"file": parsed.currency, "workspace": workspace.currency}
        ]
    return []


# The preview.


def preview(
    workspace: Workspace,
    parsed: Parsed,
    *,
    file_name: str,
    checksum: str,
    rate: Decimal | str | None = None,
    compare: bool = True,
) -> ImportPreview:
    """What importing `parsed` would change, in a fixed number of queries: one for the
    channels, one for the aliases, one for the stored rows over the file's days (with
    `compare=False`, none for those: the counts are then left at 0, as the command does
    before it imports and counts for real)."""
    rate_value = checked_rate(rate)
    convert = converter(rate_value)
    names = _file_channels(parsed)
    resolved = resolve_channels(workspace, names)
    with _collector_paused():
        totals = channel_totals(parsed, convert)
        added, replaced, unchanged = (
            _compare(workspace, parsed, resolved, convert) if compare else (0, 0, 0)
        )
    errors = [
        {"code": "currency", "message": m} for m in currency_errors(workspace, parsed, rate_value)
    ]
    if parsed.layout == Layout.UNKNOWN:
        errors.append({"code": "needs_mapping", "message": str(messages.NEEDS_MAPPING)})
    elif not parsed.rows:
        errors.append({"code": "no_rows", "message": _("The file has no rows to import.")})
    return ImportPreview(
        file_name=file_name,
        checksum=checksum,
        layout=str(parsed.layout),
        encoding=parsed.encoding,
        rows_read=parsed.rows_read,
        date_from=parsed.date_from,
        date_to=parsed.date_to,
        currency=parsed.currency,
        rate=rate_value,
        channels={name: c.pk for name, c in resolved.items() if c is not None},
        unknown_channels=[name for name, c in resolved.items() if c is None],
        totals=totals,
        problems=list(parsed.problems),
        rows_rejected=rejected_lines(parsed.problems),
        rows_added=added,
        rows_replaced=replaced,
        rows_unchanged=unchanged,
        errors=errors,
    )


def channel_totals(
    parsed: Parsed, convert: Callable[[int | None], int]
) -> dict[str, ChannelTotals]:
    """The file's figures per file channel name, amounts in the workspace's currency.
    Summed over runs of rows of one channel (a file of days × channels × campaigns
    has a thousand rows per run), row by row when the channels alternate."""
    _lines, _days, names, _named, *figures, _extras = parsed.fields()
    runs = [(name, len(list(group))) for name, group in groupby(names)]
    if len(runs) * RUN_ROWS > len(names):
        return _row_totals(parsed, convert)
    money = (True, False, False, False, True)
    same = convert is _same
    sums: dict[str, list[int]] = {}
    at = 0
    for name, size in runs:
        found = sums.get(name)
        if found is None:
            found = sums[name] = [0, 0, 0, 0, 0, 0]
        for index, (column, is_money) in enumerate(zip(figures, money, strict=True)):
            cells = column[at : at + size]
            found[index] += (
                sum(map(convert, cells)) if is_money and not same else (sum(filter(None, cells)))
            )
        found[5] += size
        at += size
    return {name: ChannelTotals(*values) for name, values in sums.items()}


def _row_totals(parsed: Parsed, convert: Callable[[int | None], int]) -> dict[str, ChannelTotals]:
    sums: dict[str, list[int]] = {}
    same = convert is _same
    for _line, _day, name, _c, spend, impressions, clicks, conversions, revenue, _e in parsed.rows:
        found = sums.get(name)
        if found is None:
            found = sums[name] = [0, 0, 0, 0, 0, 0]
        found[0] += (spend or 0) if same else convert(spend)
        found[1] += impressions or 0
        found[2] += clicks or 0
        found[3] += conversions or 0
        found[4] += (revenue or 0) if same else convert(revenue)
        found[5] += 1
    return {name: ChannelTotals(*values) for name, values in sums.items()}


def _compare(
    workspace: Workspace,
    parsed: Parsed,
    resolved: Mapping[str, Channel | None],
    convert: Callable[[int | None], int],
) -> tuple[int, int, int]:
    """(added, replaced, unchanged) against the stored rows, read in one query."""
    known = {c.pk for c in resolved.values() if c is not None}
    if not parsed.rows or not known:
        return len(parsed.rows), 0, 0
    stored = {
        (day, channel, campaign): values
        for day, channel, campaign, *values in DailyMetric.objects.for_workspace(workspace)
        .filter(day__gte=parsed.date_from, day__lte=parsed.date_to, channel_id__in=known)
        .values_list("day", "channel_id", "campaign__name", *VALUES)
    }
    added = replaced = 0
    for row in parsed.rows:
        channel = resolved[row.channel]
        old = stored.get((row.day, channel.pk, row.campaign)) if channel is not None else None
        if old is None:
            added += 1
        elif old != [*_values(row, convert)[:5], dict(row.extras)]:
            replaced += 1
    return added, replaced, len(parsed.rows) - added - replaced


def _values(row: MetricRow, convert: Callable[[int | None], int]) -> tuple[int, ...]:
    return (
        convert(row.spend),
        row.impressions or 0,
        row.clicks or 0,
        row.conversions or 0,
        convert(row.revenue),
    )


# The import.


@dataclass
class Written:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0


def channel_choices_checked(
    workspace: Workspace, unknown: Sequence[str], choices: Mapping[str, int | str]
) -> dict[str, Channel | str]:
    """Each unknown name's choice: a workspace channel (by id) or NEW. ValidationError,
    naming the channel, when a name has no choice or names another workspace's channel."""
    by_id = {c.pk: c for c in Channel.objects.for_workspace(workspace)}
    checked: dict[str, Channel | str] = {}
    for name in unknown:
        choice = choices.get(name)
        if choice == NEW:
            checked[name] = NEW
            continue
        try:
            channel = by_id.get(int(choice)) if choice not in (None, "") else None
        except (TypeError, ValueError):
            channel = None
        if channel is None:
            raise ValidationError(
                _("Say which channel “%(name)s” is, or create it.") % {"name": name}
            )
        checked[name] = channel
    return checked


def commit(
    *,
    workspace: Workspace,
    actor: Any,
    parsed: Parsed,
    import_record: Import,
    channel_choices: Mapping[str, int | str] | None = None,
    rate: Decimal | str | None = None,
    progress: Progress | None = None,
    fail_after_rows: int | None = None,
) -> Import:
    """Write the parsed rows in one transaction and fill `import_record` (counts, days,
    status done), with its audit row. `channel_choices` says, for each file channel name
    the workspace does not know, a channel id to map it to (remembered as an alias) or NEW.
    Rows the parser rejected are not written. ValidationError, nothing written, for a
    file in another currency without a rate or an unknown channel without a choice."""
    if import_record.workspace_id != workspace.pk:
        raise ValidationError(_("This import is not in this workspace."))
    if import_record.status not in (Import.Status.QUEUED, Import.Status.RUNNING):
        raise ValidationError(_("This import has already run."))
    rate_value = checked_rate(rate)
    refused = currency_errors(workspace, parsed, rate_value)
    if refused:
        raise ValidationError(refused[0])
    if not parsed.rows:
        raise ValidationError(_("The file has no rows to import."))
    with transaction.atomic(), _collector_paused():
        channels = _channels_for(workspace, actor, parsed, channel_choices or {})
        campaigns = _campaigns_for(workspace, parsed, channels)
        rows = _tuples(parsed, channels, campaigns, converter(rate_value))
        written = _write(
            workspace,
            import_record,
            rows,
            total=len(parsed.rows),
            progress=progress,
            fail_after_rows=fail_after_rows,
            date_from=parsed.date_from,
            date_to=parsed.date_to,
            channel_ids={c.pk for c in channels.values()},
        )
        if written.added or written.replaced:  # the dashboards' sums of those days
            channel_days.refresh(
                workspace_id=workspace.pk,
                first=parsed.date_from,
                last=parsed.date_to,
                channel_ids={c.pk for c in channels.values()},
            )
        _finish(import_record, parsed, written)
        record(
            workspace=workspace,
            actor=actor,
            action=AuditAction.MEASURE_IMPORTED,
            target=import_record,
            after={
                "file": import_record.file_name,
                "rows_added": written.added,
                "rows_replaced": written.replaced,
                "rows_unchanged": written.unchanged,
                "rows_rejected": import_record.rows_rejected,
                "spend": str(from_x100(sum(map(itemgetter(3), rows)))),
            },
        )
    return import_record


def _finish(import_record: Import, parsed: Parsed, written: Written) -> None:
    import_record.layout = str(parsed.layout)
    import_record.encoding = parsed.encoding
    import_record.rows_read = parsed.rows_read
    import_record.rows_added = written.added
    import_record.rows_replaced = written.replaced
    import_record.rows_unchanged = written.unchanged
    import_record.rows_rejected = rejected_lines(parsed.problems)
    import_record.date_from = parsed.date_from
    import_record.date_to = parsed.date_to
    import_record.status = Import.Status.DONE
    import_record.progress = 100
    import_record.message = ""
    import_record.finished_at = timezone.now()
    import_record.save()


def _channels_for(
    workspace: Workspace, actor: Any, parsed: Parsed, choices: Mapping[str, int | str]
) -> dict[str, Channel]:
    """Every file channel name's channel, creating and remembering as chosen."""
    resolved = resolve_channels(workspace, _file_channels(parsed))
    unknown = [name for name, c in resolved.items() if c is None]
    checked = channel_choices_checked(workspace, unknown, choices)
    channels = {name: c for name, c in resolved.items() if c is not None}
    last = Channel.objects.for_workspace(workspace).aggregate(n=Max("position"))["n"] or 0
    for name, choice in checked.items():
        if isinstance(choice, Channel):
            _remember_alias(workspace, actor, name, choice)
            channels[name] = choice
            continue
        last += 1
        channels[name] = _create_channel(workspace, actor, name, last)
    return channels


def _create_channel(workspace: Workspace, actor: Any, name: str, position: int) -> Channel:
    clean = " ".join(name.split())[:60]
    if not clean:
        raise ValidationError(_("A row of the file names no channel."))
    channel = Channel.objects.create(workspace=workspace, name=clean, position=position)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_SAVED,
        target=channel,
        after={"name": clean, "kind": channel.kind},
        revision=channel.revision,
    )
    return channel


def _remember_alias(workspace: Workspace, actor: Any, name: str, channel: Channel) -> None:
    alias, _created = ChannelAlias.objects.update_or_create(
        workspace=workspace, source_name=fold(name)[:120], defaults={"channel": channel}
    )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_ALIAS_SAVED,
        target=alias,
        after={"name": name, "channel": channel.name},
    )


def _campaigns_for(
    workspace: Workspace, parsed: Parsed, channels: Mapping[str, Channel]
) -> dict[tuple[int, str], int]:
    """(channel id, campaign name) -> campaign id, creating the missing campaigns."""
    fields = parsed.fields()
    named = set(zip(fields[2], fields[3], strict=True))  # (channel, campaign) as in the file
    wanted = {(channels[name].pk, campaign[:255]) for name, campaign in named}
    known = _campaign_ids(workspace, {channel for channel, _name in wanted})
    missing = [pair for pair in wanted if pair not in known]
    if missing:
        Campaign.objects.bulk_create(
            [Campaign(workspace=workspace, channel_id=c, name=n) for c, n in missing],
            batch_size=1000,
        )
        known = _campaign_ids(workspace, {channel for channel, _name in wanted})
    return known


def _campaign_ids(workspace: Workspace, channel_ids: set[int]) -> dict[tuple[int, str], int]:
    return {
        (channel, name): pk
        for pk, channel, name in Campaign.objects.for_workspace(workspace)
        .filter(channel_id__in=channel_ids)
        .values_list("pk", "channel_id", "name")
    }


def _tuples(
    parsed: Parsed,
    channels: Mapping[str, Channel],
    campaigns: Mapping[tuple[int, str], int],
    convert: Callable[[int | None], int],
) -> list[tuple[Any, ...]]:
    """The rows as the SQL's parameters: (day, channel, campaign, values…, extras JSON).
    Two file names mapped to one channel can give one key twice: those rows add up.
    Built column by column (`map` over dictionaries of the few distinct days, channels
    and campaigns): a Python loop per row took a second for a million."""
    if not parsed.rows:
        return []
    _lines, days, names, named, spend, impressions, clicks, conversions, revenue, extras = (
        parsed.fields()
    )
    day_param = _day_param()
    day_of = {day: day_param(day) for day in set(days)}
    channel_of = {name: channel.pk for name, channel in channels.items()}
    campaign_of = {
        (name, campaign): campaigns[(channel_of[name], campaign[:255])]
        for name, campaign in set(zip(names, named, strict=True))
    }
    same = convert is _same
    out = list(
        zip(
            map(day_of.__getitem__, days),
            map(channel_of.__getitem__, names),
            map(campaign_of.__getitem__, zip(names, named, strict=True)),
            _zeroed(spend) if same else map(convert, spend),
            _zeroed(impressions),
            _zeroed(clicks),
            _zeroed(conversions),
            _zeroed(revenue) if same else map(convert, revenue),
            map(_extras, extras) if any(extras) else repeat("{}", len(days)),
            strict=True,
        )
    )
    if len(set(channel_of.values())) < len(channel_of):
        out = _merged(out)
    return out


def _zeroed(values: Sequence[int | None]) -> Iterable[int]:
    """A column with 0 for the empty cells (None)."""
    if None not in values:
        return values  # type: ignore[return-value]
    return [value or 0 for value in values]


def _extras(extras: Sequence[tuple[str, int]]) -> str:
    """The extras as the JSON text stored: keys sorted, so equal extras compare equal."""
    if not extras:
        return "{}"
    return json.dumps(dict(sorted(extras)), separators=(", ", ": "))


def _merged(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    sums: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = row[:3]
        found = sums.get(key)
        if found is None:
            sums[key] = [*row[3:8], json.loads(row[8])]
            continue
        for index in range(5):
            found[index] += row[3 + index]
        for name, value in json.loads(row[8]).items():
            found[5][name] = found[5].get(name, 0) + value
    return [(*key, *v[:5], _extras(list(v[5].items()))) for key, v in sums.items()]


def _day_param() -> Callable[[date], Any]:
    """SQLite stores dates as ISO text (what Django writes); PostgreSQL takes dates."""
    if connection.vendor == "sqlite":
        return date.isoformat
    return lambda day: day


def _chunks(rows: Sequence[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start : start + CHUNK_ROWS]


def _write(
    workspace: Workspace,
    import_record: Import,
    rows: Sequence[tuple[Any, ...]],
    *,
    total: int,
    progress: Progress | None,
    fail_after_rows: int | None,
    date_from: date | None,
    date_to: date | None,
    channel_ids: set[int],
) -> Written:
    """Upsert the rows; straight inserts when nothing is stored over their days."""
    if import_record.pk is None:
        import_record.save()
    stored = (
        DailyMetric.objects.for_workspace(workspace)
        .filter(day__gte=date_from, day__lte=date_to, channel_id__in=channel_ids)
        .exists()
    )
    # Two integers of ours written into the statement: the rows need no copy with them.
    ids = f"{int(workspace.pk)}, {int(import_record.pk)}"
    table = DailyMetric._meta.db_table
    columns = "workspace_id, source_id, day, channel_id, campaign_id, " + ", ".join(VALUES)
    with connection.cursor() as cursor:
        if not stored:
            _load(
                cursor,
                f"INSERT INTO {table} ({columns}) VALUES ({ids}, {_placeholders(9)})",  # noqa: S608
                rows,
                progress,
                fail_after_rows,
                copy=(f"COPY {table} ({columns}) FROM STDIN", (workspace.pk, import_record.pk)),
            )
            return Written(added=len(rows))
        _create_incoming(cursor)
        incoming = ", ".join(KEY + VALUES)
        _load(
            cursor,
            f"INSERT INTO measure_incoming ({incoming}) VALUES ({_placeholders(9)})",  # noqa: S608
            rows,
            progress,
            fail_after_rows,
            copy=(f"COPY measure_incoming ({incoming}) FROM STDIN", ()),
        )
        written = _merge(cursor, workspace.pk, import_record.pk)
        cursor.execute("DROP TABLE measure_incoming")
    written.unchanged = len(rows) - written.added - written.replaced
    return written


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A million new tuples make Python's cycle collector walk every object again and
    again (a third of the time of building them); none of them can form a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _create_incoming(cursor: Any) -> None:
    json_type = "jsonb" if connection.vendor == "postgresql" else "text"
    cursor.execute("DROP TABLE IF EXISTS measure_incoming")
    cursor.execute(
        "CREATE TEMPORARY TABLE measure_incoming (day date, channel_id bigint, "
        "campaign_id bigint, spend_x100 bigint, impressions bigint, clicks bigint, "
        f"conversions_x100 bigint, revenue_x100 bigint, extras {json_type})"
    )


def _load(
    cursor: Any,
    sql: str,
    rows: Sequence[tuple[Any, ...]],
    progress: Progress | None,
    fail_after_rows: int | None,
    copy: tuple[str, tuple[Any, ...]],
) -> None:
    """Send the rows in chunks: `executemany` of `sql`, or on PostgreSQL (unless
    COPY_ON_POSTGRESQL is off) one COPY, `copy` = (its statement, values before each
    row)."""
    done = 0
    if connection.vendor == "postgresql" and COPY_ON_POSTGRESQL:
        statement, prefix = copy
        # Django's error classes (IntegrityError…) for psycopg's, as executemany gives.
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as stream:
            for chunk in _chunks(rows):
                for row in chunk:
                    stream.write_row(prefix + row)
                done += len(chunk)
                _between_chunks(done, len(rows), progress, fail_after_rows)
        return
    width = len(rows[0]) if rows else 1
    per = _statement_rows(width)
    many = _rows_per_statement(sql, per)
    step = width * per
    for chunk in _chunks(rows):
        # Many rows per INSERT: SQLite's cost is mostly per statement run (the row's
        # AUTOINCREMENT bookkeeping, the statement's reset), not per value.
        whole = len(chunk) - len(chunk) % per
        if whole:
            flat = list(chain.from_iterable(chunk[:whole]))
            cursor.executemany(many, [flat[at : at + step] for at in range(0, len(flat), step)])
        if whole < len(chunk):
            cursor.executemany(sql, chunk[whole:])
        done += len(chunk)
        _between_chunks(done, len(rows), progress, fail_after_rows)


def _statement_rows(width: int) -> int:
    """Rows per INSERT: ROWS_PER_STATEMENT, or as many as SQLite's limit of values in one
    statement allows (32,766 since SQLite 3.32; 999 before)."""
    if connection.vendor != "sqlite":
        return ROWS_PER_STATEMENT
    limit = int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return max(1, min(ROWS_PER_STATEMENT, limit // width))


def _rows_per_statement(sql: str, count: int) -> str:
    """`INSERT … VALUES (…)` with its VALUES group `count` times."""
    head, values = sql.split(" VALUES ", 1)
    return f"{head} VALUES " + ", ".join([values] * count)


def _between_chunks(
    done: int, total: int, progress: Progress | None, fail_after_rows: int | None
) -> None:
    if fail_after_rows is not None and done >= fail_after_rows:
        raise InterruptedImport(done)
    if progress is not None:
        progress(min(99, done * 100 // max(total, 1)))


def _merge(cursor: Any, workspace_id: int, import_id: int) -> Written:
    """Compare measure_incoming with the stored rows: replace the different, add the new.
    (The SQL of this module is built from its own table and column names only; every
    value is a parameter: hence the S608 noqa.)"""
    daily = DailyMetric._meta.db_table
    replaced_table = ReplacedMetric._meta.db_table
    same_key = (
        f"{daily}.workspace_id = %s AND {daily}.day = t.day "
        f"AND {daily}.channel_id = t.channel_id AND {daily}.campaign_id = t.campaign_id"
    )
    differs = "NOT (" + " AND ".join(f"{daily}.{c} = t.{c}" for c in VALUES) + ")"
    values = ", ".join(VALUES)
    cursor.execute(
        f"INSERT INTO {replaced_table} (workspace_id, replaced_by_id, source_id, "  # noqa: S608
        f"{', '.join(KEY)}, {values}) "
        f"SELECT {daily}.workspace_id, %s, {daily}.source_id, "
        + ", ".join(f"{daily}.{c}" for c in KEY + VALUES)
        + f" FROM measure_incoming t JOIN {daily} ON {same_key} WHERE {differs}",
        [import_id, workspace_id],
    )
    replaced = cursor.rowcount
    if replaced:
        cursor.execute(
            f"UPDATE {daily} SET "  # noqa: S608
            + ", ".join(f"{c} = t.{c}" for c in VALUES)
            + f", source_id = %s FROM measure_incoming t WHERE {same_key} AND {differs}",
            [import_id, workspace_id],
        )
    cursor.execute(
        f"INSERT INTO {daily} (workspace_id, source_id, {', '.join(KEY)}, {values}) "  # noqa: S608
        f"SELECT %s, %s, "
        + ", ".join(f"t.{c}" for c in KEY + VALUES)
        + f" FROM measure_incoming t WHERE NOT EXISTS (SELECT 1 FROM {daily} WHERE {same_key})",  # noqa: S608
        [workspace_id, import_id, workspace_id],
    )
    return Written(added=cursor.rowcount, replaced=replaced)


# Rolling back.


def locked_for_rollback(workspace: Workspace, import_record: Import, kind: str) -> Import:
    """The import, locked against a concurrent rollback: ValidationError when it is not an
    import of this kind of this workspace, or not a finished one (every kind's rollback
    starts here: metrics, expenses, KPI values)."""
    found = (
        Import.objects.for_workspace(workspace)
        .select_for_update()
        .filter(pk=import_record.pk, kind=kind)
        .first()
    )
    if found is None:
        raise ValidationError(_("This import is not in this workspace."))
    if found.status != Import.Status.DONE:
        raise ValidationError(_("Only a finished import can be rolled back."))
    return found


def mark_rolled_back(*, found: Import, actor: Any, after: Mapping[str, Any]) -> None:
    """The import listed as rolled back (by whom, when), with its audit row."""
    found.status = Import.Status.ROLLED_BACK
    found.rolled_back_by = actor if actor is not None and actor.pk else None
    found.rolled_back_at = timezone.now()
    found.save(update_fields=["status", "rolled_back_by", "rolled_back_at"])
    record(
        workspace=found.workspace,
        actor=actor,
        action=AuditAction.MEASURE_IMPORT_ROLLED_BACK,
        target=found,
        after={"file": found.file_name, "kind": found.kind, **after},
    )


@transaction.atomic
def rollback(*, workspace: Workspace, actor: Any, import_record: Import) -> Import:
    """Undo an import: remove the rows it wrote, put back the rows it replaced (with the
    import that had written them). ValidationError, nothing changed, when it is not this
    workspace's, not done, or a later import has since replaced some of its rows."""
    found = locked_for_rollback(workspace, import_record, Import.Kind.METRICS)
    later = (
        ReplacedMetric.objects.for_workspace(workspace)
        .filter(source=found)
        .exclude(replaced_by=found)
        .values_list("replaced_by__file_name", "replaced_by__created_at")
        .order_by("-replaced_by__created_at")
        .first()
    )
    if later is not None:
        raise ValidationError(
            _(
                "A later import (%(file)s) has replaced some of these rows: roll that one "
                "back first."
            )
            % {"file": later[0]}
        )
    # The import's days bound the search: the key's index finds its rows without one
    # of its own on the source.
    removed, _kinds = (
        DailyMetric.objects.for_workspace(workspace)
        .filter(day__gte=found.date_from, day__lte=found.date_to, source=found)
        .delete()
    )
    restored = _restore(workspace.pk, found.pk)
    channel_days.refresh(workspace_id=workspace.pk, first=found.date_from, last=found.date_to)
    ReplacedMetric.objects.for_workspace(workspace).filter(replaced_by=found).delete()
    mark_rolled_back(
        found=found, actor=actor, after={"rows_removed": removed, "rows_restored": restored}
    )
    import_record.refresh_from_db()
    return found


def _restore(workspace_id: int, import_id: int) -> int:
    daily = DailyMetric._meta.db_table
    columns = "workspace_id, source_id, " + ", ".join(KEY + VALUES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {daily} ({columns}) SELECT {columns} "  # noqa: S608
            f"FROM {ReplacedMetric._meta.db_table} WHERE workspace_id = %s AND replaced_by_id = %s",
            [workspace_id, import_id],
        )
        return int(cursor.rowcount)


# Stored and background imports.


def parse_file(data: bytes, *, today: date, mapping: ColumnMap | None = None) -> Parsed:
    """`parse.parse` under the measurement limits, with the cycle collector paused: a
    million rows are some ten million new strings and lists, and the collector walking
    them again and again would double the time (none of them can form a cycle)."""
    with _collector_paused():
        return parse(data, today=today, mapping=mapping, max_rows=MEASURE_METRICS.rows)


def queue_import(
    *,
    workspace: Workspace,
    actor: Any,
    file: ImportFile,
    channel_choices: Mapping[str, int | str] | None = None,
    rate: Decimal | str | None = None,
    mapping: Mapping[str, Any] | None = None,
) -> Import:
    """An Import (status queued) for a stored file, with the confirmation's choices kept
    on the file, for `run_stored_import` (now, or in a task)."""
    rate_value = checked_rate(rate)
    with transaction.atomic():
        locked = ImportFile.objects.for_workspace(workspace).select_for_update().get(pk=file.pk)
        if locked.import_record_id is not None:
            raise ValidationError(_("This file has already been imported."))
        import_record = Import.objects.create(
            workspace=workspace,
            file_name=locked.name,
            checksum=locked.sha256,
            layout="",
            created_by=actor if actor is not None and actor.pk else None,
        )
        locked.import_record = import_record
        locked.options = {
            "channel_choices": dict(channel_choices or {}),
            "rate": str(rate_value) if rate_value is not None else None,
            "mapping": dict(mapping) if mapping else None,
        }
        locked.save(update_fields=["import_record", "options"])
    return import_record


def run_stored_import(
    import_id: int,
    *,
    progress: Progress | None = None,
    fail_after_rows: int | None = None,
    today: date | None = None,
) -> Import:
    """Parse a queued import's stored file and commit it in one transaction, calling
    `progress(percent)` between chunks. A file that cannot be read or is refused marks
    the import failed (with the reason in its importer's language) and changes nothing
    else; InterruptedImport (the test hook) propagates and leaves the import queued."""
    import_record = Import.objects.select_related("workspace", "created_by").get(pk=import_id)
    workspace = import_record.workspace
    stored = ImportFile.objects.for_workspace(workspace).get(import_record=import_record)
    options = stored.options or {}
    mapping = options.get("mapping")
    with timezone.override(workspace.time_zone):
        day = today or timezone.localdate()
    try:
        parsed = parse_file(
            bytes(stored.data),
            today=day,
            mapping=ColumnMap(columns=dict(mapping["columns"]), channel=mapping.get("channel", ""))
            if mapping
            else None,
        )
        commit(
            workspace=workspace,
            actor=import_record.created_by,
            parsed=parsed,
            import_record=import_record,
            channel_choices=options.get("channel_choices") or {},
            rate=options.get("rate"),
            progress=progress,
            fail_after_rows=fail_after_rows,
        )
    except (UnusableFile, ValidationError) as error:
        import_record.refresh_from_db()
        import_record.status = Import.Status.FAILED
        import_record.message = (
            messages.unusable(error)
            if isinstance(error, UnusableFile)
            else " ".join(error.messages)
        )
        import_record.finished_at = timezone.now()
        import_record.save(update_fields=["status", "message", "finished_at"])
        return import_record
    stored.delete()
    return import_record
