"""The collaboration check on a recorded quarter: the loader's facts, the page (English
and Chinese, what an agency member sees), its query count, the thresholds as workspace
settings, and `crewplan review check`'s exit codes and JSON."""

import json
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crewplan.planning.models import Goal
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function
from crewplan.raci.queries import team_key
from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.collaboration_queries import quarter_findings
from crewplan.reports.models import ReviewSettings
from crewplan.work.models import Comment, Transition, WorkItem
from crewplan.workspaces.models import Workspace
from tests.factories import change_settings, client_for

TAIPEI = ZoneInfo("Asia/Taipei")
Q4 = FiscalQuarter(2026, 4, 1)
URL = "/w/alpha/review/collaboration/?quarter=2026Q4"
NOW = datetime(2027, 1, 4, 9, tzinfo=TAIPEI)
UNHEALTHY = [
    "communication.silent_approvals",
    "communication.no_review_meeting",
    "goals.unlinked_items",
    "trust.checks_overridden",
]


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TAIPEI)


def _item(world: Any, activity: Any, title: str, publish_at: datetime, **fields: Any) -> WorkItem:
    return WorkItem.objects.create(
        workspace=world.a, title=title, activity=activity, publish_at=publish_at, **fields
    )


def _approved(world: Any, item: WorkItem, overridden: bool = False) -> None:
    """Submitted on a Monday at 10:00, approved by alice at 14:00 (4 working hours),
    published on Wednesday; the approval over the checks' errors when `overridden`."""
    day = item.publish_at.astimezone(TAIPEI).replace(hour=10)  # type: ignore[union-attr]
    steps = [
        ("submit", "drafting", "in_review", day - timedelta(days=2), []),
        ("approve", "in_review", "approved", day - timedelta(days=2, hours=-4), []),
        ("publish", "approved", "published", day, []),
    ]
    for action, before, after, moment, errors in steps:
        errors = ["forbidden_term"] if overridden and action == "approve" else errors
        Transition.objects.create(
            workspace=world.a,
            item=item,
            action=action,
            from_state=before,
            to_state=after,
            actor=world.people["alice"],
            check_errors=errors,
            at=moment,
        )


@pytest.fixture
def quarter(world: Any) -> dict[str, Any]:
    """Workspace A with the template RACI (draft) and three October items on social
    posts, approved by alice without a word, three of them over the checks' errors, and
    serving no goal; one more on the in-house-only pricing memo. No review meeting."""
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    social = Activity.objects.get(workspace=world.a, name="Social posts")
    made = []
    for n, day in enumerate((7, 14, 21), start=1):
        made.append(_item(world, social, f"October post {n}", at(10, day, 12)))
        _approved(world, made[-1], overridden=True)
    memo = _item(world, social, "Pricing memo draft", at(10, 28, 12))
    _approved(world, memo)
    return {"social": social, "items": made, "memo": memo, "draft": draft}


def _make_healthy(world: Any, quarter: Any) -> None:
    goal = Goal.objects.create(workspace=world.a, text="More pre-orders")
    for item in [*quarter["items"], quarter["memo"]]:
        item.goal = goal
        item.save()
        Comment.objects.create(workspace=world.a, item=item, body="看起來很好")
    Transition.objects.filter(workspace=world.a).update(check_errors=[])
    for month in (10, 11, 12):  # meetings: on the calendar by their day, nothing to publish
        WorkItem.objects.create(
            workspace=world.a, title="每月成效檢討會議", kind="other", due_on=date(2026, month, 27)
        )


def test_the_loader_finds_what_the_recorded_quarter_shows(world: Any, quarter: Any) -> None:
    with timezone.override("Asia/Taipei"):
        findings = quarter_findings(world.a, Q4, now=NOW)
    assert [f.code for f in findings] == UNHEALTHY
    silent = findings[0]
    assert silent.params["count"] == 4 and silent.params["approved"] == 4
    overrides = findings[3]
    assert overrides.params == {"count": 3, "limit": 2}
    assert {e.id for e in overrides.evidence} == {i.pk for i in quarter["items"]}


def test_a_healthy_quarter_has_no_findings(world: Any, quarter: Any) -> None:
    _make_healthy(world, quarter)
    with timezone.override("Asia/Taipei"):
        assert quarter_findings(world.a, Q4, now=NOW) == []
    body = client_for(world.people["maya"]).get(URL).content.decode()
    assert "No findings this quarter: the collaboration looks healthy." in body
    assert body.count("Healthy: nothing found.") == 5


def test_the_thresholds_are_workspace_settings(world: Any, quarter: Any) -> None:
    assert ReviewSettings.objects.get(workspace=world.a).review_max_check_overrides == 2
    change_settings(world.a, world.people["alice"], review_max_check_overrides=3)
    fresh = Workspace.objects.get(pk=world.a.pk)
    with timezone.override("Asia/Taipei"):
        codes = [f.code for f in quarter_findings(fresh, Q4, now=NOW)]
    assert "trust.checks_overridden" not in codes and len(codes) == 3
    page = client_for(world.people["alice"]).get("/w/alpha/settings/").content.decode()
    assert 'name="review-review_max_check_overrides"' in page


def test_the_page_in_english_links_the_evidence(world: Any, quarter: Any) -> None:
    response = client_for(world.people["vera"]).get(URL)  # a viewer may see it
    assert response.status_code == 200
    body = response.content.decode()
    assert "Collaboration health check" in body and "4 findings this quarter." in body
    assert "The content checks were overridden 3 times, more than 2." in body
    assert "Suggested action:" in body
    assert f'href="/w/alpha/work/items/{quarter["items"][0].pk}/"' in body
    assert body.count("Healthy: nothing found.") == 2  # unclear roles, unsuitable tools
    assert 'data-code="goals.unlinked_items"' in body


def test_the_page_in_chinese_has_no_english(world: Any, quarter: Any) -> None:
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    body = client_for(world.people["maya"]).get(URL).content.decode()
    assert "協作健康檢查" in body and "2026 財年第 4 季" in body
    main = body.split("<main", 1)[-1]
    assert "本季有 4 項發現。" in main and "建議做法：" in main
    assert "狀況良好：沒有發現問題。" in main
    for english in ("Evidence", "Suggested action", "Healthy", "findings", "Quarter", "working"):
        assert english not in main, english


def test_a_bad_quarter_is_refused_with_a_message(world: Any, quarter: Any) -> None:
    body = client_for(world.people["maya"]).get(URL[:-6] + "2026Q9").content.decode()
    assert "Choose a quarter like 2026Q4." in body


def test_an_agency_member_sees_the_check_but_not_items_hidden_from_them(
    world: Any, quarter: Any
) -> None:
    memo = quarter["memo"]
    alice = world.people["alice"]
    secret = raci_services.activity_save(
        workspace=world.a,
        actor=alice,
        function=Function.objects.get(workspace=world.a, name="Content"),
        name="Pricing memo",
        kind="strategy",
        split="",
    )
    raci_services.cell_set(
        version=quarter["draft"],
        activity=secret,
        party_key=team_key(world.a_in_house.pk),
        text="RA",
        expected="",
        actor=alice,
    )
    memo.activity = secret
    memo.save()
    body = client_for(world.people["amy"]).get(URL).content.decode()
    assert "Collaboration health check" in body
    assert "Pricing memo draft" not in body and f"/work/items/{memo.pk}/" not in body
    assert "work item you cannot see" in body
    assert "October post 1" in body  # social posts: the agency is R


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_runs_the_same_queries_for_4_and_40_items(world: Any, quarter: Any) -> None:
    client = client_for(world.people["amy"])
    few = _queries(client)
    for n in range(36):
        item = _item(world, quarter["social"], f"More {n}", at(11, 2 + n % 25, 12))
        _approved(world, item, overridden=n % 2 == 0)
    many = _queries(client)
    assert few == many, (few, many)


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("review", "check", *args, stdout=out)
    return int(exit_.value.code or 0), out.getvalue()


def test_the_command_prints_a_table_or_json_with_g_exit_codes(
    world: Any, quarter: Any, capsys: Any
) -> None:
    code, table = _run("--workspace", "alpha", "--quarter", "2026Q4", "--language", "en")
    assert code == 1
    assert "2026Q4: 4 findings" in table and "trust.checks_overridden" in table
    code, text = _run("--workspace", "alpha", "--quarter", "2026Q4", "--json")
    document = json.loads(text)
    assert code == 1 and document["quarter"] == "2026Q4"
    assert (document["first_day"], document["last_day"]) == ("2026-10-01", "2026-12-31")
    assert [f["code"] for f in document["findings"]] == UNHEALTHY
    overrides = document["findings"][3]
    assert overrides["pitfall"] == "trust" and overrides["params"] == {"count": 3, "limit": 2}
    assert {e["kind"] for e in overrides["evidence"]} == {"item"}
    _make_healthy(world, quarter)
    code, text = _run("--workspace", "alpha", "--quarter", "2026Q4", "--json")
    assert code == 0 and json.loads(text)["findings"] == []


def test_the_command_refuses_unusable_input(world: Any, capsys: Any) -> None:
    code, _out = _run("--workspace", "alpha", "--quarter", "2026Q5")
    assert code == 2 and "2026Q5" in capsys.readouterr().err
    code, _out = _run("--workspace", "nowhere", "--quarter", "2026Q4")
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nowhere" in err
