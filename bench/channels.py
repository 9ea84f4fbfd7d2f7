"""Results dashboards benchmark (figures go to docs/benchmarks.md): server time and query
count of the channels page and the plan against actual page over a year of imported
figures: 10 channels × 60 campaigns × 365 days = 219,000 daily rows, as the owner.

Run: .venv/bin/python bench/channels.py   (uses a throw-away SQLite database)
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench(channels: int = 10, campaigns: int = 60, days: int = 365, repeats: int = 9) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from crewplan.accounts.models import User
    from crewplan.measure.models import Campaign, Channel, DailyMetric, Import
    from crewplan.planning.budget.queries import fiscal_year_of
    from crewplan.planning.models import BudgetLine, BudgetVersion
    from crewplan.workspaces import services

    owner = User.objects.create_user("bench@example.com", "bench-password-1")
    ws = services.workspace_create(name="Bench", slug="bench", owner=owner)
    source = Import.objects.create(workspace=ws, file_name="bench.csv", layout="bench")
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    version = BudgetVersion.objects.create(
        workspace=ws, fiscal_year=fiscal_year_of(ws, today), number=1, name="Plan"
    )
    pairs = []
    for c in range(channels):
        channel = Channel.objects.create(workspace=ws, name=f"Channel {c}", kind="paid")
        BudgetLine.objects.create(
            workspace=ws,
            version=version,
            category="media",
            item=f"Media {c}",
            channel=channel,
            **{f"m{m:02d}": Decimal(100_000) for m in range(1, 13)},
        )
        for k in range(campaigns):
            campaign = Campaign.objects.create(workspace=ws, channel=channel, name=f"C{c}-{k}")
            pairs.append((channel, campaign, k))
    # Day by day, as imports write them (a platform's file covers some days of every
    # campaign): the rows of a period sit together in the table.
    DailyMetric.objects.bulk_create(
        (
            DailyMetric(
                workspace=ws,
                day=first + timedelta(days=d),
                channel=channel,
                campaign=campaign,
                spend_x100=12_345,
                revenue_x100=45_678,
                clicks=12,
                impressions=900,
                conversions_x100=150,
                source=source,
                extras={"new_customers": 100} if k % 2 else {},
            )
            for d in range(days)
            for channel, campaign, k in pairs
        ),
        batch_size=5000,
    )
    static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    rows = DailyMetric.objects.count()
    chosen = Channel.objects.filter(workspace=ws).first()
    assert chosen is not None
    page = "/w/bench/results/channels/"
    urls = {
        "channels, last 30 days": page,
        "channels, one channel, this quarter": f"{page}?period=quarter&channel={chosen.pk}",
        "channels, a custom year": f"{page}?period=custom&from={first}&to={today}",
        "plan against actual": "/w/bench/results/plan/",
    }
    with override_settings(STORAGES=static, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        for label, url in urls.items():
            assert client.get(url).status_code == 200
            times = []
            for _ in range(repeats):
                began = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"{label} ({rows:,} rows): median {statistics.median(times):.0f} ms, "
                f"min {min(times):.0f} ms ({repeats} requests), {len(queries)} queries"
            )


if __name__ == "__main__":
    os.environ["CREWPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="crewplan-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench()
