"""`crewplan import`: the import page's service from the command line, with a JSON report
and exit codes 0 (imported), 1 (rows rejected or import refused), 2 (unusable file)."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum

from crewplan.measure.models import Channel, DailyMetric, Import
from tests.factories import channel_named

FILE = (
    "date,channel,campaign,spend,impressions,clicks,conversions,revenue\n"
    "2026-11-01,Google Ads,Brand,100.00,1000,10,1.5,500\n"
    "2026-11-01,Facebook,Sale,50.5,800,8,0,0\n"
    "2026-11-02,Google Ads,Brand,abc,1,1,1,1\n"
)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import", *args, stdout=out)
    return int(exited.value.code or 0), out.getvalue()


def report(*args: str) -> tuple[int, dict[str, Any]]:
    code, out = run(*args, "--json")
    return code, json.loads(out)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "november.csv"
    path.write_text(FILE, encoding="utf-8")
    return path


def spend(ws: Any) -> int:
    return DailyMetric.objects.for_workspace(ws).aggregate(s=Sum("spend_x100"))["s"] or 0


def test_import_reports_in_json_and_reimport_changes_nothing(world: Any, export: Path) -> None:
    channel_named(world.a, "Google Ads")
    code, first = report("--workspace", "alpha", str(export), "--language", "en")
    assert code == 1  # line 4 was rejected; the others are imported
    assert first["layout"] == "generic" and first["rows_read"] == 3
    assert (first["rows_added"], first["rows_replaced"], first["rows_unchanged"]) == (2, 0, 0)
    assert first["rows_rejected"] == 1 and first["channels_created"] == ["Facebook"]
    assert (first["date_from"], first["date_to"]) == ("2026-11-01", "2026-11-01")
    assert first["totals"]["Google Ads"]["spend"] == "100.00"
    assert first["totals"]["Facebook"]["impressions"] == 800
    assert [(e["line"], e["code"]) for e in first["errors"]] == [(4, "bad_number")]
    assert "abc" in first["errors"][0]["message"]
    assert Import.objects.get(pk=first["import_id"]).status == Import.Status.DONE
    assert spend(world.a) == 150_50

    _code, again = report("--workspace", "alpha", str(export))
    assert (again["rows_added"], again["rows_unchanged"], again["channels_created"]) == (0, 2, [])
    assert spend(world.a) == 150_50


def test_dry_run_counts_and_writes_nothing(world: Any, export: Path) -> None:
    code, shown = report("--workspace", "alpha", str(export), "--dry-run")
    assert code == 1 and shown["dry_run"] is True and shown["rows_added"] == 2
    assert shown["channels_created"] == ["Facebook"]  # a new workspace has Google Ads
    assert not DailyMetric.objects.exists() and not Channel.objects.filter(name="Facebook").exists()
    assert not Import.objects.exists()


def test_no_new_channels_refuses_the_whole_file(world: Any, export: Path) -> None:
    channel_named(world.a, "Google Ads")
    code, shown = report("--workspace", "alpha", str(export), "--no-new-channels")
    assert code == 1 and shown["errors"][0]["code"] == "unknown_channels"
    assert "Facebook" in shown["errors"][0]["message"] and shown["rows_added"] is None
    assert not DailyMetric.objects.exists() and not Import.objects.exists()


def test_text_output_in_chinese(world: Any, export: Path) -> None:
    code, out = run("--workspace", "alpha", str(export), "--language", "zh-hant")
    assert code == 1
    assert "2 added, 0 replaced, 0 unchanged, 1 rejected" in out
    assert "不是數字" in out  # the rejected row's reason in Chinese


def test_a_good_file_exits_0(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("\n".join(FILE.splitlines()[:3]) + "\n", encoding="utf-8")
    code, shown = report("--workspace", "alpha", str(path))
    assert code == 0 and shown["errors"] == [] and shown["rows_added"] == 2


def test_unusable_file_or_workspace_exit_2_with_one_line(
    world: Any, tmp_path: Path, capsys: Any
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert run("--workspace", "alpha", str(empty))[0] == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert run("--workspace", "nowhere", str(empty))[0] == 2
    assert "nowhere" in capsys.readouterr().err
    assert run("--workspace", "alpha", str(tmp_path / "missing.csv"))[0] == 2
    assert not Import.objects.exists()


def test_bad_rate_exits_2(world: Any, export: Path, capsys: Any) -> None:
    assert run("--workspace", "alpha", str(export), "--rate", "abc")[0] == 2
    assert "exchange rate" in capsys.readouterr().err
