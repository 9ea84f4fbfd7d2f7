"""Measurement import benchmark (figures go to docs/benchmarks.md): a generic daily
template CSV of ROWS rows (10 channels × 100 campaigns × ROWS/1000 days; 1,000,000 by
default) timed as

1. the floor: decoding the bytes and a bare `csv.reader` loop over them;
2. `measure.parse.parse` of the bytes (as the import calls it: `imports.parse_file`);
3. `imports.commit` alone of the parsed rows into an empty workspace;
4. `crewplan import` file → committed (read, parse, channels created, rows written in one
   transaction), into an empty workspace, then the same file again (every row unchanged).

Run: .venv/bin/python bench/measure_import.py [ROWS] [--postgres URL]
uses a throw-away SQLite database, or the PostgreSQL database DATABASE_URL names (it is
migrated and keeps the bench's workspaces: point it at a database of its own); with
--postgres, both in one run (SQLite first, then that PostgreSQL, each in its own process).
Wall time and this process's CPU time are printed: on a shared machine the CPU time is
the steadier figure.
"""

import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 12, 31)
HEADER = "date,channel,campaign,spend,impressions,clicks,conversions,revenue\n"


def generate(rows: int) -> bytes:
    """The template file: one line per (day, channel, campaign), amounts with cents."""
    start = date(2023, 1, 1)
    lines = [HEADER]
    append = lines.append
    for d in range(rows // 1000):
        day = (start + timedelta(days=d)).isoformat()
        for c in range(10):
            for k in range(100):
                n = d + c + k
                append(
                    f"{day},Channel {c:02d},Campaign {c:02d}-{k:03d},{n % 5000}.{n % 100:02d},"
                    f"{1000 + n % 9000},{n % 300},{n % 7}.5,{n % 20000}.{n % 97:02d}\n"
                )
    return "".join(lines).encode("utf-8")


def timed(label: str, work: Callable[[], Any], rows: int) -> float:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<34} {wall:7.2f} s wall  {cpu:7.2f} s CPU  {rows / wall:>10,.0f} rows/s")
    return wall


def floor(data: bytes) -> int:
    count = 0
    for _row in csv.reader(io.StringIO(data.decode("utf-8"))):
        count += 1
    return count


def main(rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from crewplan.accounts.models import User
    from crewplan.measure import imports
    from crewplan.measure.models import Import
    from crewplan.workspaces import services

    data = generate(rows)
    path = Path(tempfile.mkdtemp(prefix="crewplan-bench-")) / "daily.csv"
    path.write_bytes(data)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{rows:,} rows, {len(data) / 1024 / 1024:.0f} MB, database {connection.vendor}")
    print(f"load average {load} on {os.cpu_count()} cores")
    base = timed("csv.reader (floor)", lambda: floor(data), rows)
    timed("parse (imports.parse_file)", lambda: imports.parse_file(data, today=TODAY), rows)

    def workspace() -> Any:
        owner = User.objects.create_user(f"b{time.time_ns()}@example.com", "bench-password-1")
        slug = f"bench{time.time_ns() % 10**9}"
        return services.workspace_create(name="Bench", slug=slug, owner=owner)

    parsed = imports.parse_file(data, today=TODAY)
    ws = workspace()

    def commit() -> None:
        record = Import.objects.create(workspace=ws, file_name="f.csv", checksum="", layout="")
        names = {row.channel for row in parsed.rows[:1000]}
        imports.commit(
            workspace=ws,
            actor=None,
            parsed=parsed,
            import_record=record,
            channel_choices=dict.fromkeys(names, imports.NEW),
        )

    timed("commit alone (imports.commit)", commit, rows)
    parsed.rows = []  # the memory back before the file imports
    slug = workspace().slug

    def command() -> None:
        out = io.StringIO()
        try:
            call_command("import", "--workspace", slug, str(path), "--json", stdout=out)
        except SystemExit as exited:
            assert not exited.code, out.getvalue()[-2000:]

    first = timed("file → committed, first", command, rows)
    again = timed("file → committed, again", command, rows)
    print(f"first import {first / base:.1f}× the floor, re-import {again / base:.1f}×")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--postgres" in arguments:  # both databases, each in a process of its own
        at = arguments.index("--postgres")
        url, rest = arguments[at + 1], arguments[:at] + arguments[at + 2 :]
        plain = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        for env in (plain, {**plain, "DATABASE_URL": url}):
            subprocess.run([sys.executable, __file__, *rest], env=env, check=True)  # noqa: S603
        sys.exit(0)
    os.environ.setdefault("CREWPLAN_DATA_DIR", tempfile.mkdtemp(prefix="crewplan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    main(int(arguments[0]) if arguments else 1_000_000)
