"""No lost updates: every form that edits a row two people can open carries the row's
revision, and a stale save is refused with a message naming what the other person
changed, keeps what this person typed, writes nothing and records nothing.

Each scenario: two people open the edit page (the revision is read from the page's
hidden field), the first saves, the second saves their stale form and is refused; the
database holds the first save and the audit log one row for it; then the second person,
with the page reloaded, saves their change."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from crewplan.audit.models import AuditEvent
from crewplan.audit.services import Conflict
from crewplan.planning.budget import services as budget_services
from crewplan.planning.goals import services as planning
from crewplan.planning.models import (
    AiTool,
    BudgetLine,
    BudgetSettings,
    EvaluationWeights,
    Goal,
    Kpi,
    KpiTarget,
    RoiEstimate,
)
from crewplan.planning.tools import services as tool_services
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function
from crewplan.work.models import ContentRules
from crewplan.workspaces import services as workspaces
from crewplan.workspaces.models import Team, Workspace
from tests.factories import client_for, review_settings_form

CONFLICT = "since you opened it"
OUT_OF_DATE = "This form is incomplete or out of date. Reload the page"


def revision_in(html: str, form_id: str | None = None, name: str = "revision") -> str:
    """The hidden revision (`name`) of the page's (or the form `form_id`'s) edit form, ""
    for a form of a row nobody saved yet."""
    if form_id is not None:
        html = html[html.index(f'id="{form_id}"') :]
    found = re.search(rf'<input type="hidden" name="{name}"(?: value="(\d+)")?', html)
    assert found, "the edit form has no hidden revision"
    return found.group(1) or ""


@dataclass
class Scenario:
    url: str
    form: dict[str, Any]  # the whole form as the page shows it
    first: dict[str, Any]  # what the first person changes
    second: dict[str, Any]  # what the second person changes, on a stale form
    changed: list[str]  # what the conflict message names
    action: str | tuple[str, ...]  # the audit action(s) of a save
    first_saved: Callable[[], bool]  # the database holds the first save
    second_saved: Callable[[], bool]  # ... and, after a reload, the second
    typed: str  # a value the second typed, kept in the refused form
    refused_status: int = 400
    form_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The hidden revisions of other rows the form saves with its own (`revision`).
    revisions: tuple[str, ...] = ()
    first_audits: int = 1  # audit rows the first save writes: one per row it changes


def run(scenario: Scenario, first: Client, second: Client) -> None:
    s = scenario
    actions = (s.action,) if isinstance(s.action, str) else s.action

    def audited_now() -> int:
        return AuditEvent.objects.filter(action__in=actions).count()

    def seen(client: Client) -> dict[str, str]:
        html = client.get(s.url).content.decode()
        return {name: revision_in(html, s.form_id, name) for name in ("revision", *s.revisions)}

    seen_first = seen(first)
    seen_second = seen(second)
    assert seen_first == seen_second
    audited = audited_now()

    saved = first.post(s.url, s.form | s.first | seen_first)
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    assert audited_now() == audited + s.first_audits

    stale = second.post(s.url, s.form | s.second | seen_second)
    assert stale.status_code == s.refused_status
    message = " ".join(stale.context["form"].non_field_errors())
    assert CONFLICT in message and "Your changes were not saved; reload" in message
    changed = message.split(": ", 1)[1].split(" changed.")[0].split(", ")
    assert changed == s.changed, message
    assert s.typed in stale.content.decode()  # their typing is still in the form
    assert s.first_saved()
    assert audited_now() == audited + s.first_audits  # none for it

    again = second.post(s.url, s.form | s.second | seen_second)
    assert again.status_code == s.refused_status  # the refused form stays stale

    current = seen(second)
    assert all(current.values()) and current != seen_second
    resaved = second.post(s.url, s.form | s.first | s.second | current)
    assert resaved.status_code == 302, resaved.content.decode()[-3000:]
    assert s.second_saved()
    assert audited_now() == audited + s.first_audits + 1


@pytest.fixture
def alice(world: Any) -> Client:
    return client_for(world.people["alice"])


@pytest.fixture
def mike(world: Any) -> Client:
    return client_for(world.people["mike"])


def test_goal(world: Any, alice: Client, mike: Client) -> None:
    kpi = Kpi.objects.create(workspace=world.a, name="Conv", unit="%", metric="c", denominator="s")
    goal = planning.goal_save(
        workspace=world.a,
        actor=world.people["alice"],
        data={"text": "Conversion to 2%", "kpi": kpi, "baseline": D("1.8"), "target": D("2")},
    )
    form = {"text": "Conversion to 2%", "kpi": kpi.pk, "baseline": "1.8", "target": "2"}

    def get() -> Goal:
        return Goal.objects.get(pk=goal.pk)

    run(
        Scenario(
            url=f"/w/alpha/plan/goals/{goal.pk}/",
            form=form,
            first={"target": "2.2", "owner": world.a_in_house.pk},
            second={"text": "Conversion to 2% by June"},
            changed=["target", "owner team"],
            action="planning.goal_saved",
            first_saved=lambda: get().target == D("2.2") and get().text == "Conversion to 2%",
            second_saved=lambda: get().text == "Conversion to 2% by June",
            typed="Conversion to 2% by June",
            form_id="goal-form",
        ),
        alice,
        mike,
    )


def test_kpi_with_its_targets(world: Any, alice: Client, mike: Client) -> None:
    kpi = Kpi.objects.create(
        workspace=world.a, name="Conv", unit="%", metric="c", denominator="s", scale=100
    )
    form = {
        "name": "Conv",
        "unit": "%",
        "direction": "higher",
        "formula": "ratio",
        "metric": "c",
        "denominator": "s",
        "scale": "100",
    }

    def target() -> Any:
        return KpiTarget.objects.filter(kpi=kpi, period="month").values_list("value", flat=True)

    run(
        Scenario(
            url=f"/w/alpha/plan/kpis/{kpi.pk}/?year=2026",
            # Only a target changes: the KPI's revision moves with its targets.
            form=form,
            first={"t-m202601": "2.0"},
            second={"name": "Conversion rate"},
            changed=["targets"],
            action=("planning.kpi_saved", "planning.kpi_targets_changed"),
            first_saved=lambda: (
                list(target()) == [D("2.0")] and Kpi.objects.get(pk=kpi.pk).name == "Conv"
            ),
            second_saved=lambda: Kpi.objects.get(pk=kpi.pk).name == "Conversion rate",
            typed="Conversion rate",
            form_id="kpi-form",
        ),
        alice,
        mike,
    )


TOOL_FORM = {
    "name": "Copy AI",
    "vendor": "X",
    "category": "content_generation",
    "status": "pilot",
    "seats": "2",
    "price_per_seat": "1000",
    "flat_fee": "0",
    "integration": "0",
    "training_hours": "0",
    "training_rate": "0",
    "training_fees": "0",
    "data_preparation": "0",
    "privacy_per_month": "0",
    "renewal_change": "0",
}


def make_tool(world: Any) -> AiTool:
    return tool_services.tool_save(
        workspace=world.a,
        actor=world.people["alice"],
        data={
            "name": "Copy AI",
            "vendor": "X",
            "status": "pilot",
            "seats": 2,
            "price_per_seat": D(1000),
        },
    )


def test_ai_tool(world: Any, alice: Client, mike: Client) -> None:
    tool = make_tool(world)

    def get() -> AiTool:
        return AiTool.objects.get(pk=tool.pk)

    run(
        Scenario(
            url=f"/w/alpha/plan/tools/{tool.pk}/",
            form=TOOL_FORM,
            first={"seats": "5", "price_per_seat": "900"},
            second={"vendor": "Copy AI Inc."},
            changed=["seats", "price per seat and month"],
            action="planning.tool_saved",
            first_saved=lambda: get().seats == 5 and get().vendor == "X",
            second_saved=lambda: get().vendor == "Copy AI Inc." and get().seats == 5,
            typed="Copy AI Inc.",
            form_id="tool-form",
        ),
        alice,
        mike,
    )


def test_budget_line_keeps_the_months_of_the_first_save(
    world: Any, alice: Client, mike: Client
) -> None:
    """The reported bug: a stale line form put all twelve months back."""
    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )
    months = {f"m{m:02d}": D(10000) for m in range(1, 13)}
    line = budget_services.line_save(
        version=version,
        actor=world.people["alice"],
        data={"category": "media", "item": "Meta ads", **months},
    )
    form = {
        "category": "media",
        "item": "Meta ads",
        "entry": "monthly",
        "committed": "0",
        **{name: "10000" for name in months},
    }

    def get() -> BudgetLine:
        return BudgetLine.objects.get(pk=line.pk)

    run(
        Scenario(
            url=f"/w/alpha/plan/budget/{version.pk}/lines/{line.pk}/",
            form=form,
            first={"m03": "25000", "m04": "0", "owner": world.a_agency.pk},
            second={"item": "Meta ads (spring)"},
            changed=["owner team", "amounts"],
            action="planning.budget_line_saved",
            first_saved=lambda: (
                get().m03 == D(25000) and get().m04 == 0 and get().item == "Meta ads"
            ),
            second_saved=lambda: get().item == "Meta ads (spring)" and get().m03 == D(25000),
            typed="Meta ads (spring)",
            form_id="line-form",
        ),
        alice,
        mike,
    )


ROI_FORM = {
    "horizon_months": "12",
    "ramp_up_months": "0",
    "hours_saved_per_month": "20",
    "loaded_hourly_rate": "500",
    "sessions_per_month": "0",
    "conversion_rate_lift": "0",
    "average_order_value": "0",
    "gross_margin": "0",
    "costs_avoided_per_month": "0",
    "spread": "30",
}


def test_roi_estimate(world: Any, alice: Client, mike: Client) -> None:
    tool = make_tool(world)
    tool_services.estimate_save(
        workspace=world.a,
        actor=world.people["alice"],
        tool=tool,
        data={k: int(v) if k.endswith("_months") else D(v) for k, v in ROI_FORM.items()},
    )

    def get() -> RoiEstimate:
        return RoiEstimate.objects.get(tool=tool)

    run(
        Scenario(
            url=f"/w/alpha/plan/tools/{tool.pk}/roi/",
            form=ROI_FORM,
            first={"hours_saved_per_month": "25"},
            second={"loaded_hourly_rate": "650"},
            changed=["hours saved per month"],
            action="planning.roi_estimate_saved",
            first_saved=lambda: (
                get().hours_saved_per_month == 25 and get().loaded_hourly_rate == 500
            ),
            second_saved=lambda: get().loaded_hourly_rate == 650,
            typed='value="650"',
            form_id="roi-form",
        ),
        alice,
        mike,
    )


def test_two_people_add_the_first_roi_estimate(world: Any, alice: Client, mike: Client) -> None:
    """Both opened the page before the tool had an estimate: the second form (with no
    revision) is not saved over the first."""
    tool = make_tool(world)
    url = f"/w/alpha/plan/tools/{tool.pk}/roi/"
    assert revision_in(alice.get(url).content.decode(), "roi-form") == ""
    assert alice.post(url, ROI_FORM | {"hours_saved_per_month": "25"}).status_code == 302
    stale = mike.post(url, ROI_FORM | {"loaded_hourly_rate": "650"})
    assert stale.status_code == 400 and OUT_OF_DATE in stale.content.decode()
    assert RoiEstimate.objects.get(tool=tool).loaded_hourly_rate == 500


def test_evaluation(world: Any, alice: Client, mike: Client) -> None:
    a = AiTool.objects.create(workspace=world.a, name="Copy A", seats=2, price_per_seat=500)
    b = AiTool.objects.create(workspace=world.a, name="Copy B", flat_fee=2000)
    weights = {"features": 25, "cost": 20, "ease": 15, "support": 10, "integration": 15}
    weights |= {"value": 15}
    tool_services.evaluation_save(
        workspace=world.a,
        actor=world.people["alice"],
        weights=weights,
        scores={a.pk: dict.fromkeys(weights, 3), b.pk: dict.fromkeys(weights, 4)},
    )
    form: dict[str, Any] = {"tool": [a.pk, b.pk]}
    for criterion, weight in weights.items():
        form[f"weight-{criterion}"] = str(weight)
        form[f"score-{a.pk}-{criterion}"] = "3"
        form[f"score-{b.pk}-{criterion}"] = "4"

    def cost_weight() -> int:
        return EvaluationWeights.objects.get(workspace=world.a).cost

    run(
        Scenario(
            url=f"/w/alpha/plan/tools/compare/?tool={a.pk}&tool={b.pk}",
            form=form,
            first={"weight-cost": "60"},
            second={f"score-{a.pk}-features": "5"},
            changed=["weights"],
            action="planning.evaluation_changed",
            first_saved=lambda: (
                cost_weight() == 60 and AiTool.objects.get(pk=a.pk).score_features == 3
            ),
            second_saved=lambda: AiTool.objects.get(pk=a.pk).score_features == 5,
            typed='<option value="5" selected>',
            form_id="evaluation-form",
        ),
        alice,
        mike,
    )


def test_team(world: Any, alice: Client, mike: Client) -> None:
    team = world.a_agency

    def get() -> Team:
        return Team.objects.get(pk=team.pk)

    run(
        Scenario(
            url=f"/w/alpha/teams/{team.pk}/",
            form={"name": team.name, "kind": "external"},
            first={"name": "Alpha Agency 新名"},
            second={"kind": "internal"},
            changed=["team name"],
            action="team.changed",
            first_saved=lambda: get().name == "Alpha Agency 新名" and get().kind == "external",
            second_saved=lambda: get().kind == "internal",
            typed='value="internal" selected',
            refused_status=200,  # the page answers its form errors with 200
        ),
        alice,
        mike,
    )


def test_workspace_settings(world: Any, alice: Client) -> None:
    workspaces.membership_change(
        membership=world.member("mike"), actor=world.people["alice"], role="owner"
    )
    form = {
        "name": world.a.name,
        "currency": "TWD",
        "time_zone": "Asia/Taipei",
        "fiscal_year_start_month": "1",
        "default_language": "en",
        "raci-raci_max_accountable": "8",
        "raci-raci_max_consulted": "3",
        "budget-budget_max_tool_share": "60",
        "budget-budget_min_reserve_share": "5",
        "budget-budget_training_per_seat": "3000",
        "budget-budget_pilot_max_months": "3",
        **review_settings_form(),
    }

    def get() -> Workspace:
        return Workspace.objects.get(pk=world.a.pk)

    def agency_sees_budget() -> bool:
        return BudgetSettings.objects.get(workspace=world.a).external_can_see_budget

    run(
        Scenario(
            url="/w/alpha/settings/",
            form=form,
            # The workspace's own field and a budget settings one: two rows, one page.
            first={"currency": "USD", "budget-external_can_see_budget": "on"},
            second={"name": "Alpha Bakery Ltd"},
            changed=["currency", "external teams can see budget amounts"],
            action="workspace.settings_changed",
            first_saved=lambda: (
                get().currency == "USD" and get().name == world.a.name and agency_sees_budget()
            ),
            second_saved=lambda: (
                get().name == "Alpha Bakery Ltd"
                and get().currency == "USD"
                and agency_sees_budget()
            ),
            typed="Alpha Bakery Ltd",
            refused_status=200,  # the page answers its form errors with 200
            revisions=("work-revision", "budget-revision", "raci-revision", "review-revision"),
            first_audits=2,  # the workspace's row and the budget settings' row
        ),
        alice,
        client_for(world.people["mike"]),
    )


RULES_FORM = {
    "checks": ["glossary", "risky_claim", "length"],
    "glossary": "LINE 官方帳號: LINE@",
    "extra_claims": "",
    "drop_claims": "",
    "disclosure_words": "廣告, 合作",
    "utm_exempt_domains": "",
    "instagram_hashtag_limit": "5",
}


def test_content_rules(world: Any, alice: Client, mike: Client) -> None:
    assert alice.post("/w/alpha/work/rules/", RULES_FORM).status_code == 302  # the first ever

    def rules() -> dict[str, Any]:
        return ContentRules.objects.get(workspace=world.a).rules  # type: ignore[no-any-return]

    run(
        Scenario(
            url="/w/alpha/work/rules/",
            form=RULES_FORM,
            first={"glossary": "LINE 官方帳號: LINE@, Line 官方帳號"},
            second={"disclosure_words": "廣告, 合作, 業配"},
            changed=["Brand glossary"],
            action="work.rules_changed",
            first_saved=lambda: (
                rules()["glossary"][0]["forbidden"] == ["LINE@", "Line 官方帳號"]
                and rules()["disclosure_words"] == ["廣告", "合作"]
            ),
            second_saved=lambda: rules()["disclosure_words"] == ["廣告", "合作", "業配"],
            typed="廣告, 合作, 業配",
            form_id="rules-form",
        ),
        alice,
        mike,
    )


def test_two_people_save_the_first_content_rules(world: Any, alice: Client, mike: Client) -> None:
    assert revision_in(alice.get("/w/alpha/work/rules/").content.decode(), "rules-form") == ""
    assert alice.post("/w/alpha/work/rules/", RULES_FORM).status_code == 302
    stale = mike.post("/w/alpha/work/rules/", RULES_FORM | {"disclosure_words": "業配"})
    assert stale.status_code == 400 and OUT_OF_DATE in stale.content.decode()
    assert ContentRules.objects.get(workspace=world.a).rules["disclosure_words"] == ["廣告", "合作"]
    assert AuditEvent.objects.filter(action="work.rules_changed").count() == 1


@pytest.mark.parametrize("revision", [None, "", "abc", "0", "-1", "1.5"])
def test_an_edit_form_without_a_valid_revision_saves_nothing(
    world: Any, alice: Client, revision: str | None
) -> None:
    """A missing, empty or non-integer revision is a form error, never a skipped check."""
    tool = make_tool(world)
    data = TOOL_FORM | {"vendor": "Changed"}
    if revision is not None:
        data["revision"] = revision
    response = alice.post(f"/w/alpha/plan/tools/{tool.pk}/", data)
    assert response.status_code == 400
    assert OUT_OF_DATE in response.content.decode()
    assert AiTool.objects.get(pk=tool.pk).vendor == "X"
    assert AuditEvent.objects.filter(action="planning.tool_saved").count() == 1  # the add


def test_the_services_refuse_a_missing_or_stale_revision(world: Any) -> None:
    """The check lives in the service, so a caller other than the form (the API, a
    command) cannot skip it either."""
    tool = make_tool(world)
    alice = world.people["alice"]
    with pytest.raises(ValidationError, match="incomplete or out of date"):
        tool_services.tool_save(workspace=world.a, actor=alice, tool=tool, data={"vendor": "Y"})
    with pytest.raises(Conflict):
        tool_services.tool_save(
            workspace=world.a, actor=alice, tool=tool, revision=0, data={"vendor": "Y"}
        )
    tool_services.tool_save(
        workspace=world.a, actor=alice, tool=tool, revision=1, data={"vendor": "Y"}
    )
    with pytest.raises(Conflict) as refused:
        tool_services.tool_save(
            workspace=world.a, actor=alice, tool=tool, revision=1, data={"vendor": "Z"}
        )
    assert refused.value.fields == ["vendor"]
    assert AiTool.objects.get(pk=tool.pk).vendor == "Y"
    # A form read before the row existed (no revision) does not overwrite it either.
    tool_services.estimate_save(
        workspace=world.a, actor=alice, tool=tool, data={"horizon_months": 12}
    )
    with pytest.raises(Conflict):
        tool_services.estimate_save(
            workspace=world.a, actor=alice, tool=tool, data={"horizon_months": 24}
        )
    assert RoiEstimate.objects.get(tool=tool).horizon_months == 12


def test_the_conflict_reads_in_chinese(world: Any) -> None:
    tool = make_tool(world)
    alice = world.people["alice"]
    tool_services.tool_save(
        workspace=world.a, actor=alice, tool=tool, revision=1, data={"vendor": "Y", "seats": 3}
    )
    with translation.override("zh-hant"), pytest.raises(Conflict) as refused:
        tool_services.tool_save(
            workspace=world.a, actor=alice, tool=tool, revision=1, data={"vendor": "Z"}
        )
    message = refused.value.messages[0]
    assert message.startswith("在你開啟之後，其他人已儲存了這個")
    assert "、".join(refused.value.fields) in message and len(refused.value.fields) == 2
    assert "你的變更沒有儲存" in message


def test_raci_activity(world: Any, alice: Client, mike: Client) -> None:
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    assert draft.is_draft
    blog = Activity.objects.get(workspace=world.a, name="Blog writing")

    def get() -> Activity:
        return Activity.objects.get(pk=blog.pk)

    run(
        Scenario(
            url=f"/w/alpha/raci/activities/{blog.pk}/",
            form={"function": blog.function_id, "name": blog.name, "kind": "execution"},
            first={"name": "Blog posts"},
            second={"split": "Agency drafts, we edit"},
            changed=["activity"],
            action="raci.activity_saved",
            first_saved=lambda: get().name == "Blog posts" and get().split == "",
            second_saved=lambda: get().split == "Agency drafts, we edit",
            typed="Agency drafts, we edit",
            refused_status=200,  # the page answers its form errors with 200
        ),
        alice,
        mike,
    )


def test_raci_function_rename(world: Any, alice: Client, mike: Client) -> None:
    raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    content = Function.objects.get(workspace=world.a, name="Content")
    url = f"/w/alpha/raci/functions/{content.pk}/"
    seen = revision_in(alice.get(url).content.decode())
    assert seen == revision_in(mike.get(url).content.decode())
    assert alice.post(url, {"name": "Content marketing", "revision": seen}).status_code == 302
    stale = mike.post(url, {"name": "Copy", "revision": seen}, follow=True)
    message = " ".join(str(m) for m in stale.context["messages"])
    assert CONFLICT in message and "function changed" in message
    assert Function.objects.get(pk=content.pk).name == "Content marketing"
    assert AuditEvent.objects.filter(action="raci.function_renamed").count() == 1
    current = revision_in(mike.get(url).content.decode())
    assert mike.post(url, {"name": "Copy", "revision": current}).status_code == 302
    assert Function.objects.get(pk=content.pk).name == "Copy"
    # No revision at all is refused, never a save without the check.
    assert mike.post(url, {"name": "Other"}, follow=True).status_code == 200
    assert Function.objects.get(pk=content.pk).name == "Copy"
