"""Results dashboards benchmark (figures go to docs/benchmarks.md): the server time and
query count of every Results page at the size of issue 11, next to a trivial page of the
same server in the same run.

The data: the demo bakery (`crewplan demo`: its RACI, budget version with media lines on
its channels, KPIs, AI tools with monthly reviews, expenses and a year of work history),
its own daily figures replaced by 3 years × 20 channels × 10 campaigns of daily rows
(219,000, with `new_customers` and `sessions` extras), imported as imports write them:
twelve quarterly template files through `measure.imports.commit`.

Each page is requested through Django's test Client in-process (the whole middleware
stack, no network), as the workspace's owner: one warm-up, then REPEATS requests timed
(wall and this process's CPU time), then one more under CaptureQueriesContext. The
trivial page is the login form, anonymous (the same middleware, one template, no query of
workspace data).

Run: .venv/bin/python bench/channels.py [REPEATS]
uses a throw-away SQLite database, or the PostgreSQL database DATABASE_URL names (it is
migrated and gets the demo: point it at a database of its own).
"""

import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHANNELS, CAMPAIGNS, DAYS = 20, 10, 3 * 365
HEADER = (
    "date,channel,campaign,spend,impressions,clicks,conversions,revenue,new customers,sessions\n"
)


def quarter_file(names: list[str], first: date, last: date) -> bytes:
    """The template rows of the days from `first` to `last`: day by day, every campaign."""
    lines = [HEADER]
    append = lines.append
    for d in range((last - first).days + 1):
        day = first + timedelta(days=d)
        text = day.isoformat()
        n0 = day.toordinal()
        for c, name in enumerate(names):
            for k in range(CAMPAIGNS):
                n = n0 + 7 * c + k
                append(
                    f"{text},{name},Campaign {k:02d},{n % 5000}.{n % 100:02d},{1000 + n % 9000},"
                    f"{n % 300},{n % 7}.5,{n % 20000}.{n % 97:02d},{n % 5},{n % 400}\n"
                )
    return "".join(lines).encode("utf-8")


def build(today: date) -> tuple[Any, Any, dict[str, str]]:
    """The demo, its figures replaced by the bench's; the owner, the workspace and the
    pages to time."""
    from django.utils import timezone

    from crewplan.measure import imports
    from crewplan.measure.models import Campaign, Channel, DailyMetric, Import, ReplacedMetric
    from crewplan.workspaces import demo
    from crewplan.workspaces.models import Membership

    began = time.perf_counter()
    bakery = demo.load_demo()
    owner = Membership.objects.for_workspace(bakery).get(role="owner").user
    ReplacedMetric.objects.filter(workspace=bakery).delete()
    DailyMetric.objects.filter(workspace=bakery).delete()
    Campaign.objects.filter(workspace=bakery).delete()
    Import.objects.filter(workspace=bakery, kind="metrics").delete()
    names = [c.name for c in Channel.objects.for_workspace(bakery)][:CHANNELS]
    names += [f"Channel {i:02d}" for i in range(CHANNELS - len(names))]
    print(f"demo loaded in {time.perf_counter() - began:.0f} s; channels: {', '.join(names)}")
    first = today - timedelta(days=DAYS - 1)
    began = time.perf_counter()
    start = first
    with timezone.override(bakery.time_zone):
        while start <= today:
            end = min(today, _quarter_end(start))
            data = quarter_file(names, start, end)
            parsed = imports.parse_file(data, today=today)
            assert not parsed.problems, parsed.problems[:3]
            record = Import.objects.create(
                workspace=bakery,
                file_name=f"daily-{start}.csv",
                checksum=hashlib.sha256(data).hexdigest(),
                layout=str(parsed.layout),
                created_by=owner,
            )
            imports.commit(
                workspace=bakery,
                actor=owner,
                parsed=parsed,
                import_record=record,
                channel_choices={name: imports.NEW for name in names},
            )
            start = end + timedelta(days=1)
    rows = DailyMetric.objects.filter(workspace=bakery).count()
    print(f"{rows:,} daily rows imported in {time.perf_counter() - began:.0f} s")
    assert rows == CHANNELS * CAMPAIGNS * DAYS
    channel = Channel.objects.for_workspace(bakery).get(name=names[0])
    campaign = Campaign.objects.for_workspace(bakery).filter(channel=channel).first()
    assert campaign is not None
    w = f"/w/{bakery.slug}/results"
    year_ago = today - timedelta(days=365)
    pages = {
        "Results front page": f"{w}/",
        "plan against actual (this year's version)": f"{w}/plan/",
        "channels, default (last 30 days)": f"{w}/channels/",
        "channels, one channel, this quarter": f"{w}/channels/?period=quarter&channel={channel.pk}",
        "channels, a custom year (longest allowed: 366 days)": (
            f"{w}/channels/?period=custom&from={year_ago}&to={today}"
        ),
        "channels, one channel and campaign, custom year": (
            f"{w}/channels/?period=custom&from={year_ago}&to={today}"
            f"&channel={channel.pk}&campaign={campaign.pk}"
        ),
        "KPIs (this fiscal year)": f"{w}/kpis/",
        "AI tools": f"{w}/tools/",
        "team scorecards": f"{w}/teams/",
        "imports list": f"{w}/imports/",
        "expenses": f"{w}/expenses/",
    }
    return owner, bakery, pages


def _quarter_end(day: date) -> date:
    month = (day.month - 1) // 3 * 3 + 3
    following = date(day.year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def timed(client: Any, url: str, repeats: int) -> tuple[list[float], list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return walls, cpus, len(queries)


def main(repeats: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    today = timezone.localdate()
    owner, _bakery, pages = build(today)
    static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    print(f"database {connection.vendor}; {repeats} requests each; Django test Client in-process")
    print("| page | median | min | CPU median | queries |")
    print("|---|---|---|---|---|")

    def line(label: str, result: tuple[list[float], list[float], int]) -> None:
        walls, cpus, queries = result
        print(
            f"| {label} | {statistics.median(walls):.0f} ms | {min(walls):.0f} ms | "
            f"{statistics.median(cpus):.0f} ms | {queries} |"
        )

    with override_settings(STORAGES=static, ALLOWED_HOSTS=["testserver"]):
        anonymous = Client()
        line("trivial: the login page, anonymous", timed(anonymous, "/accounts/login/", repeats))
        client = Client()
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        for label, url in pages.items():
            line(label, timed(client, url, repeats))
        line("trivial again: the login page", timed(anonymous, "/accounts/login/", repeats))


if __name__ == "__main__":
    os.environ.setdefault("CREWPLAN_DATA_DIR", tempfile.mkdtemp(prefix="crewplan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
