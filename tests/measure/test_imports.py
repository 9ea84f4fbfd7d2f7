"""Importing daily figures: exactly once (re-imports change nothing, overlaps replace and
remember), rolled back exactly, in the workspace's currency, all or nothing."""

from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Sum

from crewplan.audit.models import AuditEvent
from crewplan.measure import imports, tasks
from crewplan.measure.models import (
    Campaign,
    Channel,
    ChannelAlias,
    DailyMetric,
    Import,
    ImportFile,
    ReplacedMetric,
)
from crewplan.measure.parse import Layout, MetricRow, Parsed, Problem
from tests.factories import channel_named


def row(
    day: date, channel: str, campaign: str, spend: int | None, clicks: int = 10, line: int = 2
) -> MetricRow:
    return MetricRow(line, day, channel, campaign, spend, 1000, clicks, 150, 50_000, ())


def parsed(
    rows: list[MetricRow], problems: list[Problem] | None = None, currency: str | None = None
) -> Parsed:
    days = [r.day for r in rows]
    return Parsed(
        layout=Layout.GENERIC,
        encoding="utf-8",
        header=("date", "channel", "campaign", "spend"),
        header_line=1,
        columns={"date": 0, "channel": 1, "campaign": 2, "spend": 3},
        currency=currency,
        rows=rows,
        problems=problems or [],
        rows_read=len(rows) + len({p.line for p in problems or []}),
        date_from=min(days) if days else None,
        date_to=max(days) if days else None,
        sample=[],
    )


def channels(ws: Any) -> None:
    for name in ("Google Ads", "Meta"):
        channel_named(ws, name)


def run(ws: Any, actor: Any, data: Parsed, **options: Any) -> Import:
    record = Import.objects.create(workspace=ws, file_name="f.csv", checksum="x", layout="")
    return imports.commit(workspace=ws, actor=actor, parsed=data, import_record=record, **options)


def spend(ws: Any) -> int:
    return DailyMetric.objects.for_workspace(ws).aggregate(s=Sum("spend_x100"))["s"] or 0


D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)
NOVEMBER = [
    row(D1, "Google Ads", "Brand", 100_00),
    row(D1, "Meta", "Mooncake", 250_50),
    row(D2, "Google Ads", "Brand", 120_00),
]


def test_import_then_reimport_changes_nothing(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    first = run(ws, alice, parsed(NOVEMBER))
    assert (first.rows_added, first.rows_replaced, first.rows_unchanged) == (3, 0, 0)
    assert first.status == Import.Status.DONE and (first.date_from, first.date_to) == (D1, D2)
    assert spend(ws) == 470_50
    again = run(ws, alice, parsed(NOVEMBER))
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, 3)
    assert spend(ws) == 470_50  # never counted twice
    assert set(DailyMetric.objects.values_list("source", flat=True)) == {first.pk}
    assert not ReplacedMetric.objects.exists()
    event = AuditEvent.objects.filter(action="measure.imported").latest("id")
    assert event.after is not None and event.after["rows_unchanged"] == 3


def test_overlapping_import_replaces_and_rollback_restores(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    first = run(ws, alice, parsed(NOVEMBER))
    overlap = [
        row(D2, "Google Ads", "Brand", 130_00),  # changed
        row(D1, "Meta", "Mooncake", 250_50),  # the same
        row(D3, "Google Ads", "Brand", 90_00),  # new
    ]
    second = run(ws, alice, parsed(overlap))
    assert (second.rows_added, second.rows_replaced, second.rows_unchanged) == (1, 1, 1)
    assert spend(ws) == 100_00 + 250_50 + 130_00 + 90_00
    old = ReplacedMetric.objects.get()
    assert (old.spend_x100, old.source_id, old.replaced_by_id) == (120_00, first.pk, second.pk)

    with pytest.raises(ValidationError, match="roll that one back first"):
        imports.rollback(workspace=ws, actor=alice, import_record=first)
    assert spend(ws) == 100_00 + 250_50 + 130_00 + 90_00  # refused: nothing changed

    imports.rollback(workspace=ws, actor=alice, import_record=second)
    assert spend(ws) == 470_50
    assert set(DailyMetric.objects.values_list("source", flat=True)) == {first.pk}
    assert not ReplacedMetric.objects.exists()
    second.refresh_from_db()
    assert second.status == Import.Status.ROLLED_BACK and second.rolled_back_by == alice

    imports.rollback(workspace=ws, actor=alice, import_record=first)  # now allowed
    assert spend(ws) == 0 and not DailyMetric.objects.exists()
    with pytest.raises(ValidationError, match="finished import"):
        imports.rollback(workspace=ws, actor=alice, import_record=first)


def test_a_later_import_that_only_adds_does_not_block_the_rollback(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    first = run(ws, alice, parsed(NOVEMBER))
    run(ws, alice, parsed([*NOVEMBER, row(D3, "Meta", "Mooncake", 10_00)]))
    imports.rollback(workspace=ws, actor=alice, import_record=first)
    assert spend(ws) == 10_00


def test_preview_counts_without_writing(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    run(ws, alice, parsed(NOVEMBER))
    data = parsed(
        [
            row(D2, "Google Ads", "Brand", 130_00),
            row(D1, "Meta", "Mooncake", 250_50),
            row(D3, "LINE", "Sticker", 90_00),
        ],
        problems=[Problem(7, "bad_date", "error", {"value": "2026-13-01"})],
    )
    shown = imports.preview(ws, data, file_name="f.csv", checksum="abc")
    assert (shown.rows_added, shown.rows_replaced, shown.rows_unchanged) == (1, 1, 1)
    assert shown.unknown_channels == ["LINE"] and shown.rows_rejected == 1
    assert shown.totals["Google Ads"].spend_x100 == 130_00
    payload = shown.as_payload(file_id=5)
    assert payload["totals"]["Meta"]["spend"] == "250.50"
    assert payload["problems"][0]["line"] == 7 and "2026-13-01" in payload["problems"][0]["message"]
    assert spend(ws) == 470_50  # nothing written


def test_preview_resolves_names_folded_and_by_alias(world: Any) -> None:
    ws = world.a
    channels(ws)
    meta = Channel.objects.get(workspace=ws, name="Meta")
    ChannelAlias.objects.create(workspace=ws, source_name="facebook", channel=meta)
    data = parsed([row(D1, "ＧＯＯＧＬＥ ads", "x", 1), row(D1, "Facebook ", "y", 1)])
    shown = imports.preview(ws, data, file_name="f.csv", checksum="abc")
    google = Channel.objects.get(workspace=ws, name="Google Ads")
    assert shown.channels == {"ＧＯＯＧＬＥ ads": google.pk, "Facebook ": meta.pk}
    assert shown.unknown_channels == []


def test_unknown_channel_created_or_mapped(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    meta = Channel.objects.get(workspace=ws, name="Meta")
    data = parsed([row(D1, "LINE", "Sticker", 10_00), row(D1, "Facebook", "Sale", 20_00)])
    with pytest.raises(ValidationError, match="Say which channel “LINE” is"):
        run(ws, alice, data, channel_choices={"Facebook": meta.pk})
    assert not DailyMetric.objects.exists() and not Channel.objects.filter(name="LINE").exists()

    run(ws, alice, data, channel_choices={"LINE": imports.NEW, "Facebook": meta.pk})
    line = Channel.objects.get(workspace=ws, name="LINE")
    assert DailyMetric.objects.get(channel=line).spend_x100 == 10_00
    assert DailyMetric.objects.get(channel=meta).spend_x100 == 20_00
    assert ChannelAlias.objects.get(workspace=ws, source_name="facebook").channel == meta
    # next time, "Facebook" is known
    shown = imports.preview(ws, data, file_name="f.csv", checksum="abc")
    assert shown.unknown_channels == []


def test_a_choice_of_another_workspaces_channel_is_refused(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    theirs = Channel.objects.create(workspace=world.b, name="Theirs")
    data = parsed([row(D1, "Elsewhere", "c", 10_00)])
    with pytest.raises(ValidationError):
        run(ws, alice, data, channel_choices={"Elsewhere": theirs.pk})
    assert not DailyMetric.objects.exists()


def test_two_names_mapped_to_one_channel_add_up(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    meta = Channel.objects.get(workspace=ws, name="Meta")
    data = parsed([row(D1, "Meta", "c", 10_00), row(D1, "Facebook", "c", 5_00)])
    done = run(ws, alice, data, channel_choices={"Facebook": meta.pk})
    assert done.rows_added == 1 and DailyMetric.objects.get().spend_x100 == 15_00


def test_another_currency_needs_a_rate(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    data = parsed([row(D1, "Meta", "c", 10_01), row(D2, "Meta", "c", 3)], currency="USD")
    shown = imports.preview(ws, data, file_name="f.csv", checksum="abc")
    assert not shown.importable and "USD" in shown.errors[0]["message"]
    with pytest.raises(ValidationError, match="exchange rate"):
        run(ws, alice, data)
    assert not DailyMetric.objects.exists()
    with pytest.raises(ValidationError, match="above zero"):
        run(ws, alice, data, rate="-1")

    run(ws, alice, data, rate=Decimal("32.5"))
    # 10.01 USD × 32.5 = 325.325 TWD -> 325.32 (half even); 0.03 × 32.5 = 0.975 -> 0.98
    assert sorted(DailyMetric.objects.values_list("spend_x100", flat=True)) == [98, 325_32]
    assert DailyMetric.objects.filter(day=D1).get().revenue_x100 == 16_250_00
    assert imports.preview(ws, data, file_name="f", checksum="a", rate="32.5").importable


def test_rejected_rows_are_counted_and_not_written(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    problems = [
        Problem(3, "bad_number", "error", {"value": "abc", "field": "spend"}),
        Problem(3, "bad_date", "error", {"value": "x"}),
        Problem(4, "future_date", "warning", {"date": "2027-01-01"}),
    ]
    done = run(ws, alice, parsed(NOVEMBER, problems))
    assert done.rows_rejected == 1 and done.rows_added == 3


def test_a_failing_row_mid_commit_leaves_nothing(world: Any, monkeypatch: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    rows = [row(date(2026, 1, 1 + i), "Meta", "c", 1) for i in range(5)]
    rows.append(row(date(2026, 1, 1), "Meta", "c", 2))  # the same key: the insert fails
    record = Import.objects.create(workspace=ws, file_name="f.csv", checksum="x", layout="")
    with pytest.raises(IntegrityError):
        imports.commit(workspace=ws, actor=alice, parsed=parsed(rows), import_record=record)
    assert not DailyMetric.objects.exists()
    record.refresh_from_db()
    assert record.status == Import.Status.QUEUED and record.rows_added == 0
    assert not AuditEvent.objects.filter(action="measure.imported").exists()


def test_fail_after_rows_commits_nothing_on_either_path(world: Any, monkeypatch: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    channels(ws)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    rows = [row(date(2026, 1, 1 + i), "Meta", f"c{i}", 1) for i in range(6)]
    with pytest.raises(imports.InterruptedImport):
        run(ws, alice, parsed(rows), fail_after_rows=4)
    assert not DailyMetric.objects.exists() and not Campaign.objects.exists()
    kept = run(ws, alice, parsed(rows[:1]))
    changed = [r._replace(spend=5) for r in rows]
    percents: list[int] = []
    with pytest.raises(imports.InterruptedImport):
        run(ws, alice, parsed(changed), fail_after_rows=4, progress=percents.append)
    assert percents == [33]
    assert list(DailyMetric.objects.values_list("source", "spend_x100")) == [(kept.pk, 1)]
    assert not ReplacedMetric.objects.exists()


def test_another_workspaces_import_cannot_be_rolled_back(world: Any) -> None:
    ws, alice, charlie = world.a, world.people["alice"], world.people["charlie"]
    channels(ws)
    done = run(ws, alice, parsed(NOVEMBER))
    with pytest.raises(ValidationError, match="not in this workspace"):
        imports.rollback(workspace=world.b, actor=charlie, import_record=done)
    with pytest.raises(ValidationError, match="not in this workspace"):
        imports.commit(
            workspace=world.b, actor=charlie, parsed=parsed(NOVEMBER), import_record=done
        )
    assert spend(ws) == 470_50
    done.refresh_from_db()
    assert done.status == Import.Status.DONE


def test_files_are_kept_for_a_day_and_named_by_checksum(world: Any) -> None:
    ws = world.a
    stored = imports.store_file(workspace=ws, name="nov.csv", data=b"date,channel\n")
    found = imports.stored_file(workspace=ws, file_id=stored.pk, checksum=stored.sha256)
    assert found == stored
    with pytest.raises(ValidationError):
        imports.stored_file(workspace=world.b, file_id=stored.pk, checksum=stored.sha256)
    with pytest.raises(ValidationError):
        imports.stored_file(workspace=ws, file_id=stored.pk, checksum="0" * 64)
    later = stored.created_at + imports.timedelta(days=2)
    assert imports.forget_stale_files(now=later) == 1
    assert not ImportFile.objects.exists()


CSV = (
    "date,channel,campaign,spend,impressions,clicks,conversions,revenue\n"
    + "".join(f"2026-10-{d:02d},Dcard,Sale,{d}.25,100,5,1,20\n" for d in range(1, 31))
).encode()


def test_a_stored_file_imports_through_the_queue(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    stored = imports.store_file(workspace=ws, name="oct.csv", data=CSV)
    record = imports.queue_import(
        workspace=ws, actor=alice, file=stored, channel_choices={"Dcard": imports.NEW}
    )
    assert record.status == Import.Status.QUEUED
    with pytest.raises(ValidationError, match="already been imported"):
        imports.queue_import(workspace=ws, actor=alice, file=stored)
    percents: list[int] = []
    done = imports.run_stored_import(record.pk, progress=percents.append, today=D3)
    assert done.status == Import.Status.DONE and done.rows_added == 30
    assert done.layout == "generic" and done.date_to == date(2026, 10, 30)
    assert spend(ws) == sum(d * 100 + 25 for d in range(1, 31))
    assert percents and not ImportFile.objects.exists()


def test_a_killed_stored_import_commits_nothing(world: Any, monkeypatch: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    monkeypatch.setattr(imports, "CHUNK_ROWS", 10)
    stored = imports.store_file(workspace=ws, name="oct.csv", data=CSV)
    record = imports.queue_import(
        workspace=ws, actor=alice, file=stored, channel_choices={"Dcard": imports.NEW}
    )
    with pytest.raises(imports.InterruptedImport):
        imports.run_stored_import(record.pk, fail_after_rows=20, today=D3)
    assert not DailyMetric.objects.exists() and not Channel.objects.filter(name="Dcard").exists()
    record.refresh_from_db()
    assert record.status == Import.Status.QUEUED and ImportFile.objects.exists()


def test_a_stored_import_of_a_refused_file_fails_with_the_reason(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    stored = imports.store_file(workspace=ws, name="oct.csv", data=CSV)
    record = imports.queue_import(workspace=ws, actor=alice, file=stored)  # no choice for Dcard
    failed = imports.run_stored_import(record.pk, today=D3)
    assert failed.status == Import.Status.FAILED and "“Dcard”" in failed.message
    assert not DailyMetric.objects.exists()
    broken = imports.store_file(workspace=ws, name="x.csv", data=b"\xff\xfe\x00")
    record = imports.queue_import(workspace=ws, actor=alice, file=broken)
    assert imports.run_stored_import(record.pk, today=D3).status == Import.Status.FAILED


def test_the_task_runner_runs_a_stored_import(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    stored = imports.store_file(workspace=ws, name="oct.csv", data=CSV)
    record = imports.queue_import(
        workspace=ws, actor=alice, file=stored, channel_choices={"Dcard": imports.NEW}
    )
    assert tasks.run_tracked(
        record.pk, lambda progress: imports.run_stored_import(record.pk, progress=progress)
    )
    record.refresh_from_db()
    assert record.status == Import.Status.DONE and record.rows_added == 30


def test_plain_amounts_read_fast_are_exact() -> None:
    from crewplan.measure.parse import parse_amount

    cases = {"0.5": 50, "12.25": 12_25, "00.05": 5, "1234.567": 1234_57, "１２.５": 12_50}
    cases |= {"3.1%": 3_10, "1,234.5": 1234_50, "0.125": 12, "0.135": 14}  # half even
    assert {text: parse_amount(text) for text in cases} == cases
    with pytest.raises(ValueError):
        parse_amount("1.2.3")


def test_channel_totals_by_runs_and_by_rows_agree() -> None:
    grouped = [
        MetricRow(n + 2, D1, name, f"c{n}", n * 100 if n % 3 else None, n, None, 50, n * 7, ())
        for name in ("Meta", "Google Ads", "Meta")
        for n in range(40)
    ]
    alternating = sorted(grouped, key=lambda r: r.line)  # Meta, Google Ads, Meta, … row by row
    assert len(list(groupby(r.channel for r in alternating))) > len(alternating) // 2
    for convert in (imports.converter(None), imports.converter(Decimal("31.5"))):
        by_runs = imports.channel_totals(parsed(grouped), convert)
        by_rows = imports.channel_totals(parsed(alternating), convert)
        assert by_runs == by_rows
    meta = imports.channel_totals(parsed(grouped), imports.converter(None))["Meta"]
    expected = 2 * sum(n * 100 for n in range(40) if n % 3)
    assert (meta.spend_x100, meta.clicks, meta.rows) == (expected, 0, 80)


def test_fields_follow_the_rows() -> None:
    data = parsed(list(NOVEMBER))
    assert data.fields()[4] == (100_00, 250_50, 120_00)
    data.rows = data.rows[:2]
    assert data.fields()[2] == ("Google Ads", "Meta")
