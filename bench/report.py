"""Quarterly report benchmark (figures go to docs/benchmarks.md): for each copy of a
report (in-house, then one per external team), the time to build the snapshot and render
its HTML (`build_report` + `render_html`, what the report page shows) and to render the
PDF (`render_html(pdf=True)` + WeasyPrint), with the queries `build_report` makes.

Two workspaces, each in a throw-away SQLite database of its own (a child process each):
- demo: the demo bakery as `crewplan demo` makes it;
- big: bench/channels.py's builder (the demo, its daily figures replaced by 3 years × 20
  channels × 10 campaigns, 219,000 rows, imported as imports write them), plus 2,000 work
  items over those three years on the matrix's activities (a quarter of them with a
  submit and an approval) and 30 more AI tools.

Each copy: one warm-up, then REPEATS runs timed (wall and this process's CPU time);
medians and minimums. The report's quarter is today's fiscal quarter.

Run: .venv/bin/python bench/report.py [REPEATS]   (default 5)
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ITEMS, TOOLS = 2000, 30


def more_work_and_tools(workspace: Any, today: Any) -> None:
    """2,000 work items spread over three years on the matrix's activities, a quarter of
    them submitted and approved, and 30 candidate AI tools."""
    from crewplan.planning.models import AiTool
    from crewplan.raci.models import Activity
    from crewplan.work.models import Transition, WorkItem
    from crewplan.workspaces.models import Membership

    activities = list(Activity.objects.for_workspace(workspace).filter(archived_at=None))
    people = [m.user for m in Membership.objects.for_workspace(workspace).select_related("user")]
    start = datetime(today.year - 3, today.month, 1, 2, tzinfo=UTC)
    states = ["idea", "drafting", "in_review", "approved", "scheduled", "published"]
    items = WorkItem.objects.bulk_create(
        WorkItem(
            workspace=workspace,
            title=f"Bench item {i:04d}",
            kind="social_post",
            activity=activities[i % len(activities)],
            channel="facebook_post",
            copy="中秋月餅預購開跑！",
            state=states[i % len(states)],
            publish_at=start + timedelta(hours=13 * i),
            due_on=(start + timedelta(hours=13 * i)).date(),
            created_by=people[i % len(people)],
        )
        for i in range(ITEMS)
    )
    transitions = []
    for i, item in enumerate(items[::4]):
        at = item.publish_at - timedelta(days=3)
        for action, before, after, hours in (
            ("submit", "drafting", "in_review", 0),
            ("approve", "in_review", "approved", 20 + i % 30),
        ):
            transitions.append(
                Transition(
                    workspace=workspace,
                    item=item,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor=people[(i + hours) % len(people)],
                    at=at + timedelta(hours=hours),
                )
            )
    Transition.objects.bulk_create(transitions)
    AiTool.objects.bulk_create(
        AiTool(workspace=workspace, name=f"Bench tool {i:02d}", vendor="Bench")
        for i in range(TOOLS)
    )


def timed(work: Any, repeats: int) -> tuple[float, float, float]:
    """(median wall ms, min wall ms, median CPU ms) of `work()` after one warm-up."""
    work()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def measure(kind: str, repeats: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from crewplan.reports import services, tasks
    from crewplan.reports.collaboration import quarter_of
    from crewplan.reports.report import build_report, render_html, render_pdf
    from crewplan.reports.report_queries import audiences
    from crewplan.workspaces import demo

    today = timezone.localdate()
    began = time.perf_counter()
    if kind == "demo":
        workspace = demo.load_demo()
    else:
        import channels  # bench/channels.py, beside this file

        _owner, workspace, _pages = channels.build(today)
        more_work_and_tools(workspace, today)
    print(f"{kind}: data ready in {time.perf_counter() - began:.0f} s")
    with timezone.override(workspace.time_zone):
        quarter = quarter_of(timezone.localdate(), workspace.fiscal_year_start_month)
        for team in audiences(workspace):
            label = "in-house" if team is None else "agency"

            def html(team: int | None = team) -> Any:
                data = build_report(workspace, quarter, language="zh-hant", audience_team_id=team)
                render_html(data)
                return data

            data = html()
            with CaptureQueriesContext(connection) as queries:
                html()
            printed = render_html(data, pdf=True)
            pdf_bytes = render_pdf(printed)
            h = timed(html, repeats)
            p = timed(lambda printed=printed: render_pdf(printed), repeats)
            print(
                f"| {kind} | {label} | {h[0]:.1f} ms | {h[1]:.1f} ms | {h[2]:.1f} ms | "
                f"{p[0]:.0f} ms | {p[1]:.0f} ms | {p[2]:.0f} ms | {len(queries)} | "
                f"{len(pdf_bytes) // 1024} KB |"
            )

        def whole() -> None:
            report = services.report_request(
                workspace=workspace,
                quarter=quarter,
                language="zh-hant",
                actor=None,
                background=False,
            )
            assert tasks.run(report.pk)

        w = timed(whole, repeats)
        print(
            f"| {kind} | whole report as the task makes it (every copy, stored) | | | | "
            f"{w[0]:.0f} ms | {w[1]:.0f} ms | {w[2]:.0f} ms | | |"
        )


def main(repeats: int) -> None:
    print(f"{repeats} runs each after a warm-up; SQLite; zh-hant copies")
    print(
        "| workspace | copy | build+HTML median | min | CPU median | "
        "PDF median | min | CPU median | queries (build) | PDF size |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    for kind in ("demo", "big"):
        env = {**os.environ, "CREWPLAN_DATA_DIR": tempfile.mkdtemp(prefix="crewplan-bench-")}
        # This very script, in a child process with a database of its own.
        subprocess.run([sys.executable, __file__, "--one", kind, str(repeats)], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
