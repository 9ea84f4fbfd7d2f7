"""Keeping `ChannelDay` (the sums of each channel's rows of each day) equal to the
`DailyMetric` rows it sums.

`refresh` rebuilds the summary of a range of days (and, if given, channels) from the
rows themselves: it deletes those days' summary rows and sums the daily rows again, in
three set-based statements inside the caller's transaction. Rebuilding instead of adding
and subtracting differences keeps it exact whatever happened to the rows (a first
import, a re-import, an overlapping import replacing some rows, a rollback putting back
what an import replaced): the summary of a day is always `SUM()` of that day's rows.
The import calls it for its days and channels, the rollback for the import's days.

(The SQL is built from our own table and column names only; every value is a
parameter: hence the S608 noqa.)"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import connections

from crewplan.measure.models import ChannelDay, DailyMetric

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
    count = None if channel_ids is None else len(channel_ids)
    where = _where("", count)
    sums = ", ".join(f"SUM({c})" for c in SUMMED)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {summary} WHERE {where}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {summary} (workspace_id, day, channel_id, rows, "  # noqa: S608
            f"{', '.join(SUMMED)}, extras) SELECT workspace_id, day, channel_id, COUNT(*), "
            f"{sums}, %s FROM {daily} WHERE {where} GROUP BY workspace_id, day, channel_id",
            ["{}", *params],
        )
        cursor.execute(_extras_sql(connection.vendor, summary, daily, _where("d.", count)), params)


def _where(table: str, channels: int | None) -> str:
    """The rows of one workspace's days, of `channels` channel ids (every one: None)."""
    where = f"{table}workspace_id = %s AND {table}day >= %s AND {table}day <= %s"
    if channels is not None:
        where += f" AND {table}channel_id IN ({', '.join(['%s'] * channels)})"
    return where


def _extras_sql(vendor: str, summary: str, daily: str, where: str) -> str:
    """The statement that sets each summary row's extras: per named extra, the sum of the
    rows carrying it (JSON numbers: integers in hundredths, summed exactly)."""
    if vendor == "postgresql":
        each = "jsonb_each(d.extras) e"
        value, empty, collect = "(e.value #>> '{}')::numeric", "'{}'::jsonb", "jsonb_object_agg"
    else:
        each = "json_each(d.extras) e"
        value, empty, collect = "e.value", "'{}'", "json_group_object"
    return (
        f"UPDATE {summary} SET extras = x.extras FROM (SELECT workspace_id, day, "  # noqa: S608
        f"channel_id, {collect}(key, total) AS extras FROM (SELECT d.workspace_id, d.day, "
        f"d.channel_id, e.key AS key, SUM({value}) AS total FROM {daily} d, {each} "
        f"WHERE {where} AND d.extras <> {empty} GROUP BY d.workspace_id, d.day, "
        "d.channel_id, e.key) AS k GROUP BY workspace_id, day, channel_id) AS x "
        f"WHERE {summary}.workspace_id = x.workspace_id AND {summary}.day = x.day "
        f"AND {summary}.channel_id = x.channel_id"
    )
