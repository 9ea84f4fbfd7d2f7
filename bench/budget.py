"""Budget plan benchmarks (figures go to docs/benchmarks.md):

1. server time, size and query count of the budget version page for a plan of 20,000
   lines (and of 200 lines, for comparison), as the in-house owner;
2. refusing a 300,000-row plan file at the import's row limit.

Run: .venv/bin/python bench/budget.py [LINES]   (uses a throw-away SQLite database)
"""

import io
import os
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_page(lines: int, repeats: int = 9) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from crewplan.accounts.models import User
    from crewplan.planning.budget import services as budget_services
    from crewplan.planning.models import AiTool, BudgetLine, Kpi
    from crewplan.workspaces import services
    from crewplan.workspaces.models import Team

    slug = f"bench{lines}"
    owner = User.objects.create_user(f"{slug}@example.com", "bench-password-1")
    ws = services.workspace_create(name="Bench", slug=slug, owner=owner)
    in_house = Team.objects.get(workspace=ws)
    agency = services.team_create(workspace=ws, actor=owner, name="Agency", kind="external")
    kpi = Kpi.objects.create(
        workspace=ws, name="ROAS", unit="x", metric="revenue", denominator="spend"
    )
    tools = [AiTool.objects.create(workspace=ws, name=f"Tool {i}", seats=2) for i in range(20)]
    version = budget_services.version_create(
        workspace=ws, actor=owner, fiscal_year=2026, name="Plan"
    )
    categories = [c for c, _ in BudgetLine.CategoryChoices.choices]
    BudgetLine.objects.bulk_create(
        BudgetLine(
            workspace=ws,
            version=version,
            category=categories[i % len(categories)],
            item=f"line {i}",
            tool=tools[i % len(tools)] if i % 3 == 0 else None,
            kpi=kpi if i % 2 else None,
            owner=in_house if i % 4 else agency,
            position=i + 1,
            **{f"m{m:02d}": Decimal(1000 + i % 97) for m in range(1, 13)},
        )
        for i in range(lines)
    )
    static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    url = f"/w/{slug}/plan/budget/?year=2026"
    with override_settings(STORAGES=static, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(url)
        assert response.status_code == 200
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    shown = response.content.decode().count("data-line=")
    print(
        f"budget page, {lines:,} lines ({shown} shown): median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms ({repeats} requests), {len(response.content) / 1024:.0f} KiB, "
        f"{len(queries)} queries"
    )


def bench_refusal(rows: int = 300_000) -> None:
    from openpyxl import Workbook

    from crewplan.lib.limits import BUDGET_PLAN, FileLimits
    from crewplan.lib.xlsxfile import UnusableFile
    from crewplan.planning.budget.xlsx import read_plan

    book = Workbook(write_only=True)  # no <dimension>: the worst case for openpyxl
    sheet = book.create_sheet("Budget")
    sheet.append(["Category", "Item", "Annual"])
    for i in range(rows):
        sheet.append(["media", f"line {i}", 1000])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    try:  # the byte limit is lifted to reach the row limit: the file is 4 MB
        read_plan(data, FileLimits(bytes=len(data), rows=BUDGET_PLAN.rows, columns=64))
    except UnusableFile as error:
        message = error.message()
    else:
        raise AssertionError("not refused")
    elapsed = (time.perf_counter() - began) * 1000
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"{rows:,}-row plan file ({len(data) / 1024 / 1024:.1f} MB): refused in {elapsed:.0f} ms, "
        f"peak memory +{grown:.0f} MB: {message}"
    )


if __name__ == "__main__":
    os.environ["CREWPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="crewplan-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench_refusal()
    for size in [int(a) for a in sys.argv[1:]] or [200, 20_000]:
        bench_page(size)
