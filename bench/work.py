"""Calendar and content-check benchmarks (figures go to docs/benchmarks.md):

1. server time of the calendar's month view in a workspace holding 2,000 work items
   (spread over a year, about 170 of them in the month shown), as the in-house owner and
   as an agency member (who sees only some activities), and its query count;
2. the content checks on a 2,000-character post with the default rules.

Run: .venv/bin/python bench/work.py   (uses a throw-away SQLite database)
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_checks(repeats: int = 21) -> None:
    from crewplan.work.checks import DEFAULT_RULES, check

    text = ("中秋月餅禮盒限時預購，使用台灣在地食材，好吃又安心！https://example.com/a " * 40)[
        :2000
    ]
    check(text, "facebook_post", DEFAULT_RULES)  # load the OpenCC tables once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        findings = check(text, "facebook_post", DEFAULT_RULES, sponsored=True)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"content checks, 2,000 characters ({len(findings)} findings): "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms over {repeats} runs"
    )


def bench_calendar(repeats: int = 15) -> None:
    data = tempfile.mkdtemp(prefix="crewplan-bench-")
    os.environ["CREWPLAN_DATA_DIR"] = data
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from crewplan.accounts.models import User
    from crewplan.raci import services as raci_services
    from crewplan.raci.models import Activity
    from crewplan.work.models import WorkItem
    from crewplan.workspaces import services
    from crewplan.workspaces.models import Membership, Team

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.com", "bench-password-1")
    ws = services.workspace_create(name="Bench", slug="bench", owner=owner)
    in_house = Team.objects.get(workspace=ws)
    agency = services.team_create(workspace=ws, actor=owner, name="Agency", kind="external")
    writer = User.objects.create_user("writer@example.com", None, full_name="Writer")
    Membership.objects.create(workspace=ws, user=writer, team=agency, role="member")
    for i in range(8):
        user = User.objects.create_user(f"p{i}@example.com", None, full_name=f"Person {i}")
        team = in_house if i % 2 else agency
        Membership.objects.create(workspace=ws, user=user, team=team, role="member")
    raci_services.template_apply(
        workspace=ws, actor=owner, in_house=in_house, agency=agency, language="zh-hant"
    )
    activities = list(Activity.objects.filter(workspace=ws))
    rng = random.Random(11)
    start = datetime(2026, 1, 1, 1, tzinfo=UTC)
    states = [s for s, _ in WorkItem.State.choices]
    channels = [c for c, _ in WorkItem.Channel.choices]
    WorkItem.objects.bulk_create(
        WorkItem(
            workspace=ws,
            title=f"貼文 {i}",
            activity=rng.choice(activities),
            channel=rng.choice(channels),
            state=rng.choice(states),
            publish_at=start + timedelta(hours=rng.randrange(365 * 24)),
        )
        for i in range(2000)
    )
    shown = WorkItem.objects.filter(
        workspace=ws,
        publish_at__gte=datetime(2026, 5, 31, tzinfo=UTC),
        publish_at__lt=datetime(2026, 7, 12, tzinfo=UTC),
    ).count()
    static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    url = "/w/bench/work/?d=2026-06-15"
    with override_settings(STORAGES=static, ALLOWED_HOSTS=["testserver"]):
        for label, user in (("owner", owner), ("agency member", writer)):
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            client.get(url)
            times = []
            for _ in range(repeats):
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            items = response.content.decode().count('class="item ')
            print(
                f"calendar month view, 2,000 items in the workspace, {label} ({items} items "
                f"shown, ~{shown} in the 6 weeks): median {statistics.median(times):.1f} ms, "
                f"min {min(times):.1f} ms ({repeats} requests), {len(queries)} queries"
            )


if __name__ == "__main__":
    bench_checks()
    bench_calendar()
