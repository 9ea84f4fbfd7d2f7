"""Keeping `ChannelDay` (the sums of each channel's rows of each day) equal to the
`DailyMetric` rows it sums.

`refresh` rebuilds the summary of a range of days (and, if given, channels) from the
rows themselves: it deletes those days' summary rows and sums the daily rows again, in
two set-based statements inside the caller's transaction. Rebuilding instead of adding
and subtracting differences keeps it exact whatever happened to the rows (a first
import, a re-import, an overlapping import replacing some rows, a rollback putting back
what an import replaced): the summary of a day is always `SUM()` of that day's rows.
The import calls it for its days and channels, the rollback for the import's days.
The named extras summed are those a file can bring (`parse.EXTRA_METRICS`): a new one
there is summed here too.

(The SQL is built from our own table and column names only; every value is a
parameter: hence the S608 noqa.)"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import connections

from crewplan.measure.models import ChannelDay, DailyMetric
from crewplan.measure.parse import EXTRA_METRICS

SUMMED = ("spend_x100", "impressions", "clicks", "conversions_x100", "revenue_x100")


def refresh(
    *,
    workspace_id: int,
    first: date | None,
    last: date | None,
    channel_ids: Collection[int] | None = None,
    using: str = "default",
) -> None:
    """Rebuild the summary of the workspace's days from `first` to `last` (both included)
    of the channels `channel_ids` (every channel when None) from their daily rows."""
    if first is None or last is None:
        return
    connection = connections[using]
    summary, daily = ChannelDay._meta.db_table, DailyMetric._meta.db_table
    params: list[Any] = [int(workspace_id), first, last]
    if channel_ids is not None:
        if not channel_ids:
            return
        params += [int(pk) for pk in channel_ids]
    where = _where(None if channel_ids is None else len(channel_ids))
    sums = ", ".join(f"SUM({c})" for c in SUMMED)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {summary} WHERE {where}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {summary} (workspace_id, day, channel_id, rows, "  # noqa: S608
            f"{', '.join(SUMMED)}, extras) SELECT workspace_id, day, channel_id, COUNT(*), "
            f"{sums}, {_extras_sum(connection.vendor)} FROM {daily} WHERE {where} "
            "GROUP BY workspace_id, day, channel_id",
            params,
        )


def _where(channels: int | None) -> str:
    """The rows of one workspace's days, of `channels` channel ids (every one: None)."""
    where = "workspace_id = %s AND day >= %s AND day <= %s"
    if channels is not None:
        where += f" AND channel_id IN ({', '.join(['%s'] * channels)})"
    return where


def _extras_sum(vendor: str) -> str:
    """The JSON object of each named extra (`parse.EXTRA_METRICS`, the only ones a file
    can bring) summed over the group's rows, without the names no row carries: one pass
    over the rows, no expansion of each row's JSON."""
    names = [n for n in EXTRA_METRICS if n.isidentifier()]
    if vendor == "postgresql":
        pairs = ", ".join(f"'{n}', SUM((extras ->> '{n}')::bigint)" for n in names)
        return f"jsonb_strip_nulls(jsonb_build_object({pairs}))"
    # A JSON merge patch drops the members whose value is null.
    pairs = ", ".join(f"'{n}', SUM(json_extract(extras, '$.{n}'))" for n in names)
    return f"json_patch('{{}}', json_object({pairs}))"
