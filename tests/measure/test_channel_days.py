"""The per channel and day sums the dashboards read (`ChannelDay`): after an import, a
re-import, an overlapping import and each rollback they are exactly the sums of the daily
rows, hundredths and all, extras only where a row carried them; the migration builds
them for rows imported before it."""

from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from crewplan.measure import imports
from crewplan.measure.models import ChannelDay, DailyMetric, Import
from crewplan.measure.parse import EXTRA_METRICS, Layout, MetricRow, Parsed
from tests.factories import channel_named

# A leap day among them.
D1, D2, D3, D4 = date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 2)
FIGURES = ("rows", "spend_x100", "impressions", "clicks", "conversions_x100", "revenue_x100")


def row(
    day: date, channel: str, campaign: str, spend: int, extras: tuple[tuple[str, int], ...] = ()
) -> MetricRow:
    # spend and revenue in hundredths: 0.01 amounts must add up exactly
    return MetricRow(2, day, channel, campaign, spend, 1000, 7, 150, spend * 3 + 1, extras)


def parsed(rows: list[MetricRow]) -> Parsed:
    return Parsed(
        layout=Layout.GENERIC,
        encoding="utf-8",
        header=("date", "channel", "campaign", "spend"),
        header_line=1,
        columns={"date": 0, "channel": 1, "campaign": 2, "spend": 3},
        currency=None,
        rows=rows,
        problems=[],
        rows_read=len(rows),
        date_from=min(r.day for r in rows),
        date_to=max(r.day for r in rows),
        sample=[],
    )


def run(ws: Any, actor: Any, rows: list[MetricRow]) -> Import:
    record = Import.objects.create(workspace=ws, file_name="f.csv", checksum="x", layout="")
    return imports.commit(workspace=ws, actor=actor, parsed=parsed(rows), import_record=record)


def summary(ws: Any) -> dict[tuple[date, str], dict[str, Any]]:
    return {
        (s.day, s.channel.name): {**{f: getattr(s, f) for f in FIGURES}, "extras": s.extras}
        for s in ChannelDay.objects.for_workspace(ws).select_related("channel")
    }


def from_rows(ws: Any) -> dict[tuple[date, str], dict[str, Any]]:
    """The same sums, added up in Python from the daily rows."""
    sums: dict[tuple[date, str], dict[str, Any]] = defaultdict(
        lambda: {**dict.fromkeys(FIGURES, 0), "extras": {}}
    )
    for r in DailyMetric.objects.for_workspace(ws).select_related("channel"):
        found = sums[(r.day, r.channel.name)]
        found["rows"] += 1
        for f in FIGURES[1:]:
            found[f] += getattr(r, f)
        for name, value in r.extras.items():
            found["extras"][name] = found["extras"].get(name, 0) + value
    return dict(sums)


FIRST = [
    row(D1, "Google Ads", "Brand", 1, (("new_customers", 150),)),
    row(D1, "Google Ads", "Sale", 10_000_000_001, (("new_customers", 50), ("sessions", 7))),
    row(D1, "Meta", "Mooncake", 250_50),
    row(D2, "Google Ads", "Brand", 120_00),
    row(D3, "Meta", "Mooncake", 99),
]


def test_import_reimport_overlap_and_rollbacks_keep_the_sums_exact(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channel_named(ws, "Google Ads")
    channel_named(ws, "Meta")
    first = run(ws, alice, FIRST)
    after_first = summary(ws)
    assert after_first == from_rows(ws)
    google_d1 = after_first[(D1, "Google Ads")]
    assert google_d1["rows"] == 2 and google_d1["spend_x100"] == 10_000_000_002
    assert google_d1["revenue_x100"] == 30_000_000_008 and google_d1["clicks"] == 14
    assert google_d1["extras"] == {"new_customers": 200, "sessions": 7}
    assert after_first[(D1, "Meta")]["extras"] == {}  # no row carried an extra
    assert len(after_first) == 4

    run(ws, alice, FIRST)  # the same file again: nothing changes
    assert summary(ws) == after_first

    overlap = run(
        ws,
        alice,
        [
            row(D2, "Google Ads", "Brand", 130_01),  # replaces a row
            row(D2, "Meta", "New", 5, (("new_customers", 1),)),  # adds one to a new day
            row(D3, "Meta", "Mooncake", 99),  # unchanged
            row(D4, "Google Ads", "Brand", 3),  # a day not imported before
        ],
    )
    assert overlap.rows_replaced == 1 and overlap.rows_added == 2
    now = summary(ws)
    assert now == from_rows(ws)
    assert now[(D2, "Google Ads")]["spend_x100"] == 130_01
    assert now[(D2, "Meta")]["extras"] == {"new_customers": 1} and (D4, "Google Ads") in now
    assert now[(D1, "Google Ads")] == google_d1  # days outside the file untouched

    imports.rollback(workspace=ws, actor=alice, import_record=overlap)
    assert summary(ws) == after_first == from_rows(ws)
    imports.rollback(workspace=ws, actor=alice, import_record=first)
    assert summary(ws) == {} and not DailyMetric.objects.for_workspace(ws).exists()


def test_every_extra_a_file_can_bring_is_summed(world: Any) -> None:
    channel_named(world.a, "Meta")
    everything = tuple((name, n + 1) for n, name in enumerate(EXTRA_METRICS))
    rows = [row(D1, "Meta", "A", 1, everything), row(D1, "Meta", "B", 1, everything[:1])]
    run(world.a, world.people["alice"], rows)
    sums = summary(world.a)[(D1, "Meta")]["extras"]
    assert sums == {name: (n + 1) * (2 if n == 0 else 1) for n, name in enumerate(EXTRA_METRICS)}
    assert sums == from_rows(world.a)[(D1, "Meta")]["extras"]


def test_another_workspaces_sums_are_left_alone(world: Any) -> None:
    channel_named(world.a, "Meta")
    channel_named(world.b, "Meta")
    run(world.b, world.people["charlie"], [row(D1, "Meta", "Tea", 42_00)])
    theirs = summary(world.b)
    first = run(world.a, world.people["alice"], [row(D1, "Meta", "Cake", 1_00)])
    imports.rollback(workspace=world.a, actor=world.people["alice"], import_record=first)
    assert summary(world.b) == theirs and theirs[(D1, "Meta")]["spend_x100"] == 42_00


BEFORE = [("measure", "0005_channel_days")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_sums_the_rows_imported_before_it() -> None:
    try:
        old = MigrationExecutor(connection)
        old.migrate(BEFORE)
        old.loader.build_graph()
        apps = old.loader.project_state(BEFORE).apps
        Workspace = apps.get_model("workspaces", "Workspace")
        Channel = apps.get_model("measure", "Channel")
        Campaign = apps.get_model("measure", "Campaign")
        Metric = apps.get_model("measure", "DailyMetric")
        OldImport = apps.get_model("measure", "Import")
        ws = Workspace.objects.create(name="Old", slug="old")
        meta = Channel.objects.create(workspace=ws, name="Meta")
        source = OldImport.objects.create(workspace=ws, file_name="f", checksum="x", layout="g")
        for n, name in enumerate(("A", "B")):
            campaign = Campaign.objects.create(workspace=ws, channel=meta, name=name)
            Metric.objects.create(
                workspace=ws,
                day=D1,
                channel=meta,
                campaign=campaign,
                source=source,
                spend_x100=1 + n,
                extras={"sessions": 10} if n else {},
            )
        new = MigrationExecutor(connection)
        new.migrate(new.loader.graph.leaf_nodes())
        found = ChannelDay.objects.get(workspace_id=ws.pk)
        assert (found.day, found.rows, found.spend_x100, found.extras) == (
            D1,
            2,
            3,
            {"sessions": 10},
        )
    finally:
        final = MigrationExecutor(connection)
        final.migrate(final.loader.graph.leaf_nodes())
