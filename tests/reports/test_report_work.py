"""The quarterly review's work sections (5 RACI health, 6 collaboration check, 7 team
scorecards, 9 reallocation, 10 next quarter's actions) from hand-made histories with
known answers: Q4 of fiscal 2026 (October to December), Taipei time, read on 4 January
2027; an agency's copy; the query count; both languages."""

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function, MatrixVersion, SignOff
from crewplan.raci.queries import team_key
from crewplan.reallocation import services as fit_services
from crewplan.reallocation import tasks
from crewplan.reports import actions, svg_work
from crewplan.reports.actions import Followed
from crewplan.reports.collaboration import FiscalQuarter, quarter_of
from crewplan.reports.report import ReportData, build_report, render_html
from crewplan.reports.sections_work import work_sections
from crewplan.work.models import ItemRole, Transition, WorkItem
from crewplan.workspaces.models import Team, Workspace
from tests.factories import change_settings, responsive_channels

TAIPEI = ZoneInfo("Asia/Taipei")
Q4 = FiscalQuarter(2026, 4, 1)
TODAY = date(2027, 1, 4)
NOW = datetime(2027, 1, 4, 9, tzinfo=TAIPEI)


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TAIPEI)


# ----------------------------------------------------------------- pure cores


def test_actions_have_stable_keys_errors_first_and_the_activity_of_their_work() -> None:
    found = [
        Followed("collaboration", "communication.silent_approvals", "warning", "", {}, (7, 9, 9)),
        Followed("collaboration", "roles.overrides", "warning", "", {}),
        Followed("collaboration", "tools.low_usage", "warning", "12", {}),
        Followed("collaboration", "tools.low_usage", "warning", "12", {}),  # the same again
        Followed("raci", "raci.contradicting_overrides", "warning", "", {"count": 2}),
        Followed("raci", "raci.no_accountable", "error", "31", {}),
        Followed("budget", "budget.no_reserve", "warning", "", {}),
    ]
    planned = actions.next_actions(found, tool_activities={12: 40})
    assert [a.key for a in planned] == [
        "raci.no_accountable:31",  # the one error first
        "raci.contradicting_overrides:workspace",
        "communication.silent_approvals:workspace",
        "tools.low_usage:12",
        "budget.no_reserve:workspace",
    ]  # roles.overrides: restated by the RACI health's contradicting overrides
    by_key = {a.key: a.activity_id for a in planned}
    assert by_key["communication.silent_approvals:workspace"] == 9  # two of its three items
    assert by_key["tools.low_usage:12"] == 40
    assert by_key["raci.no_accountable:31"] is None  # the matrix: the review activity
    without = actions.next_actions(found[:2])
    assert [a.code for a in without] == ["communication.silent_approvals", "roles.overrides"]


def test_the_chart_draws_bars_to_scale_and_none_for_a_missing_value() -> None:
    chart = svg_work.percent_pairs(
        [
            svg_work.Group("In-house", Decimal("50.0"), None),
            svg_work.Group("Agency", Decimal(100), Decimal(25)),
        ],
        "Q4",
        "Q3",
    )
    span = svg_work.BOTTOM - svg_work.TOP
    heights = [(b["label"], b["previous"], b["height"]) for b in chart["bars"]]
    assert heights == [("50.0", False, span // 2), ("25", True, span // 4), ("100", False, span)]
    assert all(b["y"] + b["height"] == svg_work.BOTTOM for b in chart["bars"])
    assert [g["label"] for g in chart["groups"]] == ["In-house", "Agency"]
    assert [x["label"] for x in chart["legend"]] == ["Q3", "Q4"]


# ------------------------------------------------------------ recorded history


def _item(world: Any, activity: Any, title: str, publish_at: datetime) -> WorkItem:
    return WorkItem.objects.create(
        workspace=world.a, title=title, activity=activity, publish_at=publish_at
    )


def _approved(world: Any, item: WorkItem, published: datetime | None = None) -> None:
    """Submitted two days before its publish day at 10:00, approved by alice four working
    hours later without a word, published at `published` (default: 10:00 on the day, two
    hours before the planned time)."""
    day = item.publish_at.astimezone(TAIPEI).replace(hour=10)  # type: ignore[union-attr]
    steps = [
        ("submit", "drafting", "in_review", day - timedelta(days=2)),
        ("approve", "in_review", "approved", day - timedelta(days=2, hours=-4)),
        ("publish", "approved", "published", published or day),
    ]
    for action, before, after, moment in steps:
        Transition.objects.create(
            workspace=world.a,
            item=item,
            action=action,
            from_state=before,
            to_state=after,
            actor=world.people["alice"],
            at=moment,
        )


@pytest.fixture
def history(world: Any) -> dict[str, Any]:
    """Workspace A: the template RACI signed by both sides and published on 1 June 2026;
    four October social posts (the agency is R) published on time, one of them with maya
    as its R instead of the agency (a contradicting override) and one whose override
    repeats the matrix; an in-house pricing memo; in September two posts, one late."""
    alice, adam = world.people["alice"], world.people["adam"]
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=alice,
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    memo_activity = raci_services.activity_save(
        workspace=world.a,
        actor=alice,
        function=Function.objects.get(workspace=world.a, name="Content"),
        name="Pricing memo",
        kind="strategy",
        split="",
    )
    raci_services.cell_set(
        version=draft,
        activity=memo_activity,
        party_key=team_key(world.a_in_house.pk),
        text="RA",
        expected="",
        actor=alice,
    )
    raci_services.sign_off(version=draft, team=world.a_in_house, actor=alice)
    raci_services.sign_off(version=draft, team=world.a_agency, actor=adam)
    raci_services.publish(version=draft, actor=alice)
    june = datetime(2026, 6, 1, 10, tzinfo=TAIPEI)
    MatrixVersion.objects.filter(pk=draft.pk).update(published_at=june)
    SignOff.objects.filter(version=draft).update(signed_at=june - timedelta(days=1))
    social = Activity.objects.get(workspace=world.a, name="Social posts")
    posts = [_item(world, social, f"October post {n}", at(10, 5 + 7 * n, 12)) for n in range(4)]
    memo = _item(world, memo_activity, "Pricing memo draft", at(10, 28, 12))
    for item in [*posts, memo]:
        _approved(world, item)
    ItemRole.objects.create(
        workspace=world.a, item=posts[0], membership=world.member("maya"), role="R"
    )
    for name in ("adam", "amy"):  # the agency's people: what the matrix gives anyway
        ItemRole.objects.create(
            workspace=world.a, item=posts[1], membership=world.member(name), role="R"
        )
    early = _item(world, social, "September post", at(9, 7, 12))
    late = _item(world, social, "Late September post", at(9, 14, 12))
    _approved(world, early)
    _approved(world, late, published=at(9, 15, 10))
    return {"posts": posts, "memo": memo, "version": draft, "social": social}


def _sections(world: Any, team: int | None = None, language: str = "en") -> Any:
    with timezone.override("Asia/Taipei"):
        return work_sections(
            Workspace.objects.get(pk=world.a.pk),
            Q4,
            language=language,
            audience_team_id=team,
            today=TODAY,
            now=NOW,
        )


def test_raci_health_reports_signatures_the_review_age_and_contradicting_overrides(
    world: Any, history: Any
) -> None:
    raci = _sections(world).sections["raci"]
    assert raci["published"] and raci["findings"] == []
    assert [s["side"] for s in raci["signoffs"]] == ["In-house", "Agency (external)"]
    assert raci["missing_sides"] == []
    assert raci["reviewed_date"] == "2026-06-01" and raci["days"] == 217 and raci["overdue"]
    assert raci["overrides_count"] == 1  # the post whose override repeats the matrix is fine
    (row,) = raci["overrides"]
    assert row["item"] == "October post 0" and row["activity"] == "Social posts"
    assert row["letters"] == [{"letter": "R", "matrix": ["Adam 張", "Amy 李"], "item": ["Maya 黃"]}]
    assert raci["headline"] == {
        "error": 0,
        "warning": 0,
        "published": True,
        "signed_by_both": True,
        "days_since_review": 217,
        "review_overdue": True,
        "contradicting_overrides": 1,
    }


def test_an_unsigned_side_and_no_published_matrix_become_actions(world: Any, history: Any) -> None:
    SignOff.objects.filter(team=world.a_agency).delete()
    done = _sections(world)
    assert done.sections["raci"]["missing_sides"] == ["Agency (external)"]
    keys = [a.key for a in done.actions]
    assert "raci.unsigned:workspace" in keys and "raci.review_overdue:workspace" in keys
    MatrixVersion.objects.filter(pk=history["version"].pk).update(status="superseded")
    done = _sections(world)
    assert not done.sections["raci"]["published"]
    assert done.actions[0].key == "raci.unpublished:workspace"
    assert done.actions[0].title == (
        "Have one manager of each side sign the matrix off, and publish it."
    )


def test_collaboration_section_counts_per_pitfall_with_evidence_and_actions(
    world: Any, history: Any
) -> None:
    done = _sections(world)
    collab = done.sections["collaboration"]
    head = collab["headline"]
    assert head["per_pitfall"] == {
        "roles": 1,
        "communication": 2,
        "goals": 1,
        "trust": 0,
        "tools": 0,
    }
    assert [f["code"] for f in head["findings"]] == [
        "roles.overrides",
        "communication.silent_approvals",
        "communication.no_review_meeting",
        "goals.unlinked_items",
    ]
    assert (head["errors"], head["warnings"]) == (0, 4)
    silent = collab["pitfalls"][1]["findings"][0]
    assert silent["message"] == (
        "5 of 5 approved items (100.0%) were approved without a single comment or note, above 50%."
    )
    assert {e["name"] for e in silent["evidence"]} == {
        "October post 0",
        "October post 1",
        "October post 2",
        "October post 3",
        "Pricing memo draft",
    }
    by_key = {a.key: a for a in done.actions}
    assert "roles.overrides:workspace" not in by_key  # said by the RACI health
    action = by_key["communication.silent_approvals:workspace"]
    assert action.activity_id == history["social"].pk  # four of the five items
    assert action.title.startswith("Ask approvers to say what they liked")
    assert action.detail == silent["message"]
    assert by_key["communication.no_review_meeting:workspace"].activity_id is None


def test_scorecards_compare_the_quarter_with_the_fiscal_quarter_before(
    world: Any, history: Any
) -> None:
    cards = _sections(world).sections["scorecards"]
    inhouse, agency = cards["kinds"]
    assert (inhouse["kind"], agency["kind"]) == ("internal", "external")
    # The agency is R of the posts but one (maya's); the memo is in-house.
    assert agency["current"]["items"] == "3" and inhouse["current"]["items"] == "2"
    assert agency["current"]["on_time_pct"] == "100.0"
    assert agency["previous"]["items"] == "2" and agency["previous"]["on_time_pct"] == "50.0"
    assert agency["change"]["on_time_pct"] == "+50.0"
    assert cards["previous_quarter"] == "Q3 of fiscal 2026"
    assert cards["headline"]["external"]["on_time_pct"] == "100.0"
    assert [t["key"] for t in cards["tables"]] == ["kinds", "teams"]


def test_the_agency_copy_counts_items_it_may_not_see_and_leaves_out_budget_findings(
    world: Any, history: Any
) -> None:
    done = _sections(world, team=world.a_agency.pk)
    assert done.amounts_hidden
    silent = done.sections["collaboration"]["pitfalls"][1]["findings"][0]
    assert "Pricing memo draft" not in {e["name"] for e in silent["evidence"]}
    assert silent["hidden"] == 1
    assert done.sections["actions"]["budget_left_out"]
    assert not any(a.key.startswith("budget.") for a in done.actions)
    change_settings(world.a, world.people["alice"], external_can_see_all_work=True)
    opened = _sections(world, team=world.a_agency.pk)
    silent = opened.sections["collaboration"]["pitfalls"][1]["findings"][0]
    assert silent["hidden"] == 0


def _queries(world: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        _sections(world, team=world.a_agency.pk)
    return len(captured)


def test_the_sections_run_the_same_queries_for_few_and_many_items(world: Any, history: Any) -> None:
    few = _queries(world)
    for n in range(30):
        item = _item(world, history["social"], f"More {n}", at(11, 2 + n % 25, 12))
        _approved(world, item)
        if n % 3 == 0:
            ItemRole.objects.create(
                workspace=world.a, item=item, membership=world.member("maya"), role="R"
            )
    many = _queries(world)
    assert few == many, (few, many)


def test_the_report_renders_the_sections_in_english_and_chinese(world: Any, history: Any) -> None:
    with timezone.override("Asia/Taipei"):
        english = build_report(world.a, Q4, language="en", audience_team_id=None)
        chinese = build_report(world.a, Q4, language="zh-hant", audience_team_id=None)
    stored = ReportData.from_json(json.loads(json.dumps(english.to_json())))
    html = render_html(stored)
    assert html == render_html(english)
    for piece in (
        "5. RACI health",
        "Signed by both sides.",
        "6. Collaboration health check",
        "7. Team scorecards: in-house vs agency",
        "<svg",
        'viewBox="0 0 480 200"',
        "9. Reallocation recommendations",
        "No finished fit of the current budget version for this quarter",
        "10. Next quarter's actions",
        'data-key="communication.silent_approvals:workspace"',
    ):
        assert piece in html, piece
    body = render_html(chinese)
    for piece in ("五、權責矩陣健康度", "雙方皆已簽核。", "六、協作健康檢查", "十、下一季的行動"):
        assert piece in body, piece
    text = re.sub(r"<[^>]+>", " ", body.split("<body>", 1)[1])  # what people read
    for data in ("Alpha In-house", "Alpha Agency", "Social posts", "Pricing memo", "October post"):
        text = text.replace(data, "")  # the workspace's own names are English
    for english_word in ("RACI", "Findings", "Warning", "Signed", "Suggested", "quarter", "_"):
        assert english_word not in text, english_word


# ---------------------------------------------------------------- reallocation


def test_reallocation_shows_the_latest_fit_and_hides_its_amounts_from_the_agency(
    world: Any,
) -> None:
    f = responsive_channels(world)
    fit = fit_services.fit_request(
        workspace=world.a,
        version=f["version"],
        quarter=f["quarter"],
        outcome="revenue",
        outcome_channels=[],
        actor=world.people["alice"],
    )
    tasks.run(fit.pk)
    quarter = quarter_of(timezone.localdate(), 1)
    with timezone.override("Asia/Taipei"):
        inhouse = work_sections(world.a, quarter, language="en", audience_team_id=None)
        agency = work_sections(world.a, quarter, language="en", audience_team_id=world.a_agency.pk)
    mine = inhouse.sections["reallocation"]
    assert mine["fit"] and mine["judged"] and mine["gain"].startswith("NT$")
    assert mine["apply_url"] == f"/w/alpha/reallocation/fits/{fit.pk}/#apply"
    assert {r["name"] for r in mine["rows"]} == {"Search", "Social"}
    assert all(r["current"].startswith("NT$") for r in mine["rows"])
    head = mine["headline"]
    assert Decimal(head["gain_low_amount"]) <= Decimal(head["gain_amount"])
    assert Decimal(head["gain_amount"]) <= Decimal(head["gain_high_amount"])
    assert 0 <= head["p_beats_current"] <= 100
    theirs = agency.sections["reallocation"]
    assert theirs["amounts_hidden"] and theirs["gain"] is None
    assert all(r["current"] is None for r in theirs["rows"])
    assert theirs["headline"]["gain_amount"] is None
    assert theirs["headline"]["p_beats_current"] == head["p_beats_current"]

    def section(data: Any, pdf: bool) -> str:
        report = ReportData(world.a.pk, quarter.label, "en", None, False, "", data.sections)
        html = render_html(report, pdf=pdf)
        return html.split('id="report-reallocation"', 1)[1].split("</section>", 1)[0]

    page = section(inhouse, pdf=False)
    assert 'id="reallocation-apply"' in page and "NT$" in page
    assert 'id="reallocation-apply"' not in section(inhouse, pdf=True)
    hidden = section(agency, pdf=False)
    assert "NT$" not in hidden and 'id="reallocation-hidden"' in hidden
    assert mine["headline"]["gain"] == mine["gain"] and theirs["headline"]["gain_low"] is None


def test_a_copy_for_another_workspace_s_team_is_refused(world: Any, history: Any) -> None:
    with pytest.raises(Team.DoesNotExist):
        _sections(world, team=world.b_team.pk)
