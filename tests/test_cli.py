"""The console commands, run as a person would run them."""

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from crewplan.planning.models import BudgetSettings
from crewplan.raci.models import RaciSettings
from crewplan.reports.models import ReviewSettings
from crewplan.work.models import WorkSettings
from crewplan.workspaces.demo import AGENCY, IN_HOUSE
from crewplan.workspaces.models import Membership, Team, Workspace


def test_createworkspace_with_generated_password(db: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "createworkspace",
        name="測試烘焙",
        slug="test-bakery",
        owner="Boss@Example.com",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().strip() == "test-bakery"
    assert "created with password:" in err.getvalue()
    password = err.getvalue().split("created with password:")[1].split()[0]
    m = Membership.objects.get(workspace__slug="test-bakery")
    assert m.role == "owner" and m.user.email == "boss@example.com"
    assert m.user.check_password(password)
    workspace = Workspace.objects.get(slug="test-bakery")
    assert workspace.currency == "TWD"
    # its apps' settings rows
    for model in (RaciSettings, BudgetSettings, WorkSettings, ReviewSettings):
        assert model.objects.filter(workspace=workspace).exists(), model


def test_createworkspace_refuses_bad_input(db: Any) -> None:
    call_command(
        "createworkspace",
        name="A",
        slug="taken",
        owner="a@example.com",
        password="x-long-pass-1",
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createworkspace",
            name="B",
            slug="taken",
            owner="b@example.com",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError):
        call_command(
            "createworkspace",
            name="C",
            slug="Bad Slug!",
            owner="c@example.com",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="valid e-mail"):
        call_command(
            "createworkspace",
            name="D",
            slug="d",
            owner="not-an-email",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Workspace.objects.count() == 1
    assert not Workspace.objects.filter(slug__in=["bad-slug", "d"]).exists()


def test_demo_prepares_once(db: Any) -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "owner@maixiang.example" in out.getvalue() and "crewplan-demo" in out.getvalue()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    bakery = Workspace.objects.get(slug="maixiang")
    assert bakery.name == "麥香烘焙坊"
    in_house = Team.objects.get(workspace=bakery, kind="internal")
    agency = Team.objects.get(workspace=bakery, kind="external")
    assert in_house.memberships.count() == len(IN_HOUSE) == 3
    assert agency.memberships.count() == len(AGENCY) == 4
    # The agency's account manager also works for a second client: the switcher has two.
    assert Membership.objects.filter(user__email=AGENCY[0].email).count() == 2
    titles = dict(Membership.objects.filter(workspace=bakery).values_list("user__email", "title"))
    assert titles == {p.email: p.title for p in IN_HOUSE + AGENCY}  # job titles on the page
    # a row for each workspace
    for model in (RaciSettings, BudgetSettings, WorkSettings, ReviewSettings):
        assert model.objects.count() == Workspace.objects.count() == 2, model


def test_demo_budget_tells_a_story(db: Any) -> None:
    """The demo walks the five steps: tools in every status, skills with one seat left
    without a trained user, an ROI estimate, and a plan whose health check leaves the
    experiment reserve to fix."""
    from crewplan.planning.budget import queries as budget_queries
    from crewplan.planning.budget.health import health_findings
    from crewplan.planning.models import AiTool, BudgetVersion, RoiEstimate
    from crewplan.planning.tools import queries as tool_queries

    call_command("demo", no_serve=True, stdout=io.StringIO())
    bakery = Workspace.objects.get(slug="maixiang")
    statuses = set(AiTool.objects.filter(workspace=bakery).values_list("status", flat=True))
    assert statuses == {"active", "pilot", "candidate"}
    # The LINE bot's, and ChatGPT Team's that its monthly reviews are held against.
    assert RoiEstimate.objects.filter(workspace=bakery).count() == 2
    tools = list(AiTool.objects.filter(workspace=bakery))
    gaps = tool_queries.gaps_for(bakery, tools)
    assert sum(gap.gap for gap in gaps.values()) == 1
    version = BudgetVersion.objects.get(workspace=bakery)
    version.workspace = bakery
    plan = budget_queries.load_plan(version).plan
    codes = {f.code for f in health_findings(plan, budget_queries.thresholds_for(bakery))}
    assert "no_reserve" in codes and "training_underfunded" not in codes


def test_demo_calendar_has_work_in_every_state(db: Any) -> None:
    from crewplan.work.models import WorkItem

    call_command("demo", no_serve=True, stdout=io.StringIO())
    bakery = Workspace.objects.get(slug="maixiang")
    states = set(WorkItem.objects.filter(workspace=bakery).values_list("state", flat=True))
    expected = {"idea", "drafting", "in_review", "changes_requested", "scheduled", "published"}
    assert expected <= states
    ig = WorkItem.objects.get(workspace=bakery, title="跨年蛋糕 IG 貼文")
    assert any(f["code"] == "vocabulary" for f in ig.checks)  # 視頻 → 影片, to fix
    ginger = WorkItem.objects.get(workspace=bakery, title="冬至薑汁桂圓麵包")
    claims = [f for f in ginger.checks if f["code"] == "risky_claim"]
    assert [ginger.copy[f["start"] : f["end"]] for f in claims] == ["增強免疫力", "預防感冒"]
    assert {f["severity"] for f in claims} == {"error"}  # the bakery sells food


def test_demo_prints_its_logins_not_its_e_mails(tmp_path: Any) -> None:
    """Run as people run it (committed transactions, the console mail backend): the
    notices the demo's people send each other must not bury the logins."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "crewplan", "demo", "--no-serve", "--port", "8123"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CREWPLAN_DATA_DIR": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Subject:" not in result.stdout
    assert len(result.stdout.splitlines()) < 20
    assert result.stdout.rstrip().endswith("viewer")  # the last login line


def test_a_command_on_a_database_never_migrated_says_what_to_do(tmp_path: Any) -> None:
    import subprocess
    import sys

    command = ["createworkspace", "--name", "X", "--slug", "x", "--owner", "a@b.example"]
    result = subprocess.run(
        [sys.executable, "-m", "crewplan", *command],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CREWPLAN_DATA_DIR": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 2
    assert "run `crewplan migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
