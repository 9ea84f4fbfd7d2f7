"""RACI benchmarks (figures go to docs/benchmarks.md):

1. validation core on 10,000 activities × 50 parties;
2. server time of the grid page for 300 activities × 12 parties, and its query count.

Run: .venv/bin/python bench/raci.py   (uses a throw-away SQLite database)
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_validation(repeats: int = 9) -> None:
    """Two matrices of 10,000 activities × 50 parties (20 teams, 30 people), 6 roles held
    per activity: "typical" has one A and one or two R per activity, as a working matrix
    has; "messy" draws every role at random, so about two findings per activity."""
    from crewplan.raci.validation import (
        EXTERNAL,
        INTERNAL,
        Activity,
        Kind,
        Matrix,
        Party,
        Role,
        validate,
    )

    rng = random.Random(42)
    parties = tuple(
        Party(
            f"p{i}",
            f"Party {i}",
            INTERNAL if i % 2 else EXTERNAL,
            is_person=i >= 20,
            team=f"p{i % 20}",
            members=None if i >= 20 else 3,
        )
        for i in range(50)
    )
    kinds = list(Kind)
    activities = tuple(
        Activity(f"a{i}", f"Activity {i}", f"F{i % 12}", rng.choice(kinds)) for i in range(10_000)
    )
    R, A, C, I = (frozenset({role}) for role in (Role.R, Role.A, Role.C, Role.I))
    typical, messy = {}, {}
    for a in activities:
        chosen = rng.sample(parties, 6)
        for p, roles in zip(chosen, (A, R, rng.choice((R, C)), C, I, I), strict=True):
            typical[(a.key, p.key)] = roles
        for p in chosen:
            messy[(a.key, p.key)] = rng.choice((R, A, C, I, R | A))
    for label, cells in (("typical", typical), ("messy", messy)):
        matrix = Matrix(parties, activities, cells)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            findings = validate(matrix)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"validation 10,000 × 50, {label} ({len(cells):,} cells, {len(findings):,} findings): "
            f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {repeats} runs"
        )


def bench_grid(repeats: int = 15) -> None:
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
    from crewplan.raci.models import Activity, Assignment, Function, MatrixVersion
    from crewplan.workspaces import services
    from crewplan.workspaces.models import Membership, Team

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.com", "bench-password-1")
    ws = services.workspace_create(name="Bench", slug="bench", owner=owner)
    teams = [Team.objects.get(workspace=ws)]
    for i in range(5):
        teams.append(
            services.team_create(workspace=ws, actor=owner, name=f"Team {i}", kind="external")
        )
    people = []
    for i in range(6):
        user = User.objects.create_user(f"p{i}@example.com", None, full_name=f"Person {i}")
        people.append(
            Membership.objects.create(workspace=ws, user=user, team=teams[i % 6], role="member")
        )
    version = MatrixVersion.objects.create(workspace=ws, number=1, people=[m.pk for m in people])
    rng = random.Random(7)
    rows = []
    for f in range(10):
        function = Function.objects.create(workspace=ws, name=f"Function {f}", position=f)
        for a in range(30):
            activity = Activity.objects.create(
                workspace=ws, function=function, name=f"Activity {f}-{a}", position=a
            )
            parties = [("team", t.pk) for t in teams] + [("person", m.pk) for m in people]
            for kind, pk in rng.sample(parties, 4):
                rows.append(
                    Assignment(
                        workspace=ws,
                        version=version,
                        activity=activity,
                        team_id=pk if kind == "team" else None,
                        membership_id=pk if kind == "person" else None,
                        roles=rng.choice(["R", "A", "C", "I", "RA"]),
                    )
                )
    Assignment.objects.bulk_create(rows)
    static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    with override_settings(STORAGES=static, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        client.get("/w/bench/raci/")
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get("/w/bench/raci/")
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get("/w/bench/raci/")
    assert response.status_code == 200
    cells = response.content.count(b'class="cell-input"')
    size = len(response.content) // 1024
    print(
        f"grid page 300 activities × 12 parties ({cells:,} cells, {size} KiB): "
        f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms "
        f"over {repeats} requests, {len(queries.captured_queries)} SQL queries"
    )


if __name__ == "__main__":
    bench_validation()
    bench_grid()
