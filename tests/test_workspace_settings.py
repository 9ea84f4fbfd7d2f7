"""Workspace settings: owner only, validated, audited; time zone applied to pages."""

from decimal import Decimal
from typing import Any

import pytest

from crewplan.audit.models import AuditEvent
from crewplan.audit.services import Conflict
from crewplan.planning.budget.queries import thresholds_for
from crewplan.planning.models import BudgetSettings
from crewplan.raci.models import RaciSettings
from crewplan.raci.queries import rules_for
from crewplan.work.models import WorkSettings
from crewplan.workspaces import services
from crewplan.workspaces.access import membership_for, policy_of
from crewplan.workspaces.models import Workspace
from crewplan.workspaces.permissions import Policy
from tests.factories import change_settings, client_for, review_settings_form

VALID = {
    "name": "Alpha Bakery 甲烘焙",
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
    # A new workspace's and its settings rows'; the page's hidden fields.
    "revision": "1",
    "work-revision": "1",
    "budget-revision": "1",
    "raci-revision": "1",
    "review-revision": "1",
}


def test_defaults_for_a_taiwan_company(world: Any) -> None:
    a = world.a
    assert (a.currency, a.time_zone, a.fiscal_year_start_month) == ("TWD", "Asia/Taipei", 1)
    assert world.b.default_language == "zh-hant"
    assert BudgetSettings.objects.for_workspace(a).external_can_see_budget is False
    assert WorkSettings.objects.for_workspace(a).external_can_see_all_work is False
    assert RaciSettings.objects.for_workspace(a).raci_max_accountable == 8


def test_owner_changes_settings_with_audit(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {**VALID, "fiscal_year_start_month": "4", "budget-external_can_see_budget": "on"}
    assert alice.post("/w/alpha/settings/", data).status_code == 302
    workspace = Workspace.objects.get(pk=world.a.pk)
    budget = BudgetSettings.objects.get(workspace=world.a)
    assert workspace.fiscal_year_start_month == 4 and budget.external_can_see_budget
    assert (workspace.revision, budget.revision) == (2, 2)  # the rows that changed
    assert RaciSettings.objects.get(workspace=world.a).revision == 1
    events = AuditEvent.objects.filter(workspace=world.a, action="workspace.settings_changed")
    # One audit row per row changed, each with what changed in it.
    changed = {e.target_type: (e.before, e.after) for e in events}
    assert changed == {
        "workspace": ({"fiscal_year_start_month": 1}, {"fiscal_year_start_month": 4}),
        "budgetsettings": ({"external_can_see_budget": False}, {"external_can_see_budget": True}),
    }
    audit_page = alice.get("/w/alpha/audit/").content.decode()
    # Both changes, by their labels and their values' labels (audit/labels.py).
    assert "<dt>fiscal year starts in</dt><dd>April</dd>" in audit_page
    assert "<dt>external teams can see budget amounts</dt><dd>yes</dd>" in audit_page
    assert "fiscal_year_start_month" not in audit_page
    assert "external_can_see_budget" not in audit_page


def test_settings_rows_come_with_the_membership(world: Any, django_assert_num_queries: Any) -> None:
    """The access layer loads the apps' settings rows with the membership: the policy and
    the checks' limits cost no query of their own."""
    membership = membership_for(world.people["adam"], "alpha")
    with django_assert_num_queries(0):
        assert policy_of(membership.workspace) == Policy()
        assert rules_for(membership.workspace).max_consulted == 3
        assert thresholds_for(membership.workspace).pilot_max_months == 3


def test_a_missing_settings_row_reads_as_the_defaults_and_saving_creates_it(world: Any) -> None:
    """A workspace made without workspace_create has no rows: reading one is never an
    error nor a write (pages are read with GET), and the settings page creates it."""
    RaciSettings.objects.filter(workspace=world.a).delete()
    row = RaciSettings.objects.for_workspace(Workspace.objects.get(pk=world.a.pk))
    assert row.pk is None and (row.raci_max_accountable, row.raci_max_consulted) == (8, 3)
    alice = client_for(world.people["alice"])
    page = alice.get("/w/alpha/settings/").content.decode()
    assert 'name="raci-revision" id="id_raci-revision"' in page  # no value: no row yet
    assert not RaciSettings.objects.filter(workspace=world.a).exists()
    data = {**VALID, "raci-raci_max_consulted": "4", "raci-revision": ""}
    assert alice.post("/w/alpha/settings/", data).status_code == 302
    assert RaciSettings.objects.get(workspace=world.a).raci_max_consulted == 4


def test_one_stale_row_refuses_the_whole_save(world: Any) -> None:
    """Saving is atomic across the rows: a stale RACI revision refuses the budget change
    made with it, and the conflict names what changed in the RACI row."""
    alice = world.people["alice"]
    change_settings(world.a, alice, raci_max_consulted=5)  # someone saves the RACI limits
    stale = {Workspace: 1, WorkSettings: 1, BudgetSettings: 1, RaciSettings: 1}
    with pytest.raises(Conflict, match="most parties consulted on one activity"):
        services.workspace_update_settings(
            workspace=world.a,
            actor=alice,
            revisions=stale,
            data={"budget_pilot_max_months": 6, "raci_max_consulted": 4},
        )
    assert BudgetSettings.objects.get(workspace=world.a).budget_pilot_max_months == 3
    assert RaciSettings.objects.get(workspace=world.a).raci_max_consulted == 5
    # A row nothing is written to is not checked: the budget alone saves at its revision.
    services.workspace_update_settings(
        workspace=world.a,
        actor=alice,
        revisions={BudgetSettings: 1},
        data={"budget_pilot_max_months": 6},
    )
    assert BudgetSettings.objects.get(workspace=world.a).budget_pilot_max_months == 6


def test_the_settings_page_shows_each_apps_settings(world: Any) -> None:
    change_settings(world.a, world.people["alice"], raci_max_consulted=5)
    page = client_for(world.people["alice"]).get("/w/alpha/settings/").content.decode()
    assert 'name="raci-raci_max_consulted" value="5"' in page
    assert 'name="budget-external_can_see_budget"' in page
    assert 'name="work-external_can_see_all_work"' in page
    assert 'name="raci-revision" value="2"' in page  # the RACI row's, saved once


def test_bad_settings_are_refused_and_change_nothing(world: Any) -> None:
    alice = client_for(world.people["alice"])
    for bad in (
        {"time_zone": "Mars/Olympus"},
        {"fiscal_year_start_month": "13"},
        {"currency": "XYZ"},
        {"name": ""},
        {"raci-raci_max_consulted": "0"},
        {"budget-budget_max_tool_share": "1.5"},  # a percentage now: 1.5 % is below 10 %
        {"budget-budget_max_tool_share": "150"},
        {"budget-budget_min_reserve_share": "0.05"},  # the old fraction, refused clearly
        {"budget-budget_pilot_max_months": "13"},
        {"budget-revision": ""},  # a settings row's revision is required like the page's
    ):
        response = alice.post("/w/alpha/settings/", {**VALID, **bad})
        assert response.status_code == 200
        assert any(form.errors for form in response.context["forms"]), bad
    assert Workspace.objects.get(pk=world.a.pk).time_zone == "Asia/Taipei"
    assert RaciSettings.objects.get(workspace=world.a).raci_max_consulted == 3
    assert BudgetSettings.objects.get(workspace=world.a).budget_pilot_max_months == 3
    assert not AuditEvent.objects.filter(action="workspace.settings_changed").exists()


def test_shares_are_typed_and_shown_as_percentages(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {**VALID, "budget-budget_max_tool_share": "75", "budget-budget_min_reserve_share": "8"}
    assert alice.post("/w/alpha/settings/", data).status_code == 302
    budget = BudgetSettings.objects.get(workspace=world.a)
    # The model keeps fractions; the form converts.
    assert (budget.budget_max_tool_share, budget.budget_min_reserve_share) == (
        Decimal("0.75"),
        Decimal("0.08"),
    )
    page = alice.get("/w/alpha/settings/").content.decode()
    assert 'name="budget-budget_max_tool_share" value="75"' in page
    assert 'name="budget-budget_min_reserve_share" value="8"' in page
    assert '<span class="unit">%</span>' in page
    # Money inputs say which currency they are in.
    assert 'id="id_budget-budget_training_per_seat"' in page
    assert '<span class="unit">NT$</span>' in page
    assert "{#" not in page  # no template comment leaks into the page
    response = alice.post(
        "/w/alpha/settings/",
        {**data, "budget-revision": "2"} | {"budget-budget_min_reserve_share": "60"},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 50." in response.content.decode()
    assert BudgetSettings.objects.get(workspace=world.a).budget_min_reserve_share == Decimal("0.08")


def test_time_zone_is_chosen_from_a_list(world: Any) -> None:
    alice = client_for(world.people["alice"])
    page = alice.get("/w/alpha/settings/").content.decode()
    select = page[page.index('<select name="time_zone"') :]
    select = select[: select.index("</select>")]
    options = select.split("<option")[1:]
    assert 'value="Asia/Taipei" selected' in options[0]  # Asia/Taipei first
    assert any('value="Europe/Berlin"' in option for option in options)
    assert len(options) > 300
    response = alice.post("/w/alpha/settings/", {**VALID, "time_zone": "Asia/Taipai"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Workspace.objects.get(pk=world.a.pk).time_zone == "Asia/Taipei"
    assert alice.post("/w/alpha/settings/", {**VALID, "time_zone": "Asia/Tokyo"}).status_code == 302
    assert Workspace.objects.get(pk=world.a.pk).time_zone == "Asia/Tokyo"


def test_only_owners_change_settings(world: Any) -> None:
    for name in ("mike", "maya", "vera", "adam", "amy"):
        client = client_for(world.people[name])
        assert client.get("/w/alpha/settings/").status_code == 403
        assert client.post("/w/alpha/settings/", {**VALID, "name": "Hacked"}).status_code == 403
    assert Workspace.objects.get(pk=world.a.pk).name == VALID["name"]


def test_audit_log_for_owners_and_managers_only(world: Any) -> None:
    assert client_for(world.people["alice"]).get("/w/alpha/audit/").status_code == 200
    assert client_for(world.people["mike"]).get("/w/alpha/audit/").status_code == 200
    assert client_for(world.people["maya"]).get("/w/alpha/audit/").status_code == 403


def test_pages_show_times_in_the_workspace_time_zone(world: Any) -> None:
    alice = client_for(world.people["alice"])
    event = AuditEvent.objects.filter(workspace=world.a).first()
    from zoneinfo import ZoneInfo

    for tz in ("Asia/Taipei", "America/New_York"):
        Workspace.objects.filter(pk=world.a.pk).update(time_zone=tz)
        # The workspace speaks English: its DATETIME_FORMAT (crewplan/formats/en).
        local = event.created_at.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y, %H:%M")
        assert local in alice.get("/w/alpha/audit/").content.decode()


def test_switcher_remembers_the_workspace(world: Any) -> None:
    from tests.factories import join

    join(world.b, world.people["charlie"], world.b_team, world.people["adam"], "member")
    adam = client_for(world.people["adam"])
    page = adam.get("/w/alpha/").content.decode()
    assert "Beta Tea 乙茶飲" in page and "Alpha Bakery 甲烘焙" in page  # both in the switcher
    response = adam.post("/switch/", {"workspace": "beta"})
    assert response["Location"] == "/w/beta/"
    assert adam.get("/")["Location"] == "/w/beta/"
    refused = adam.post("/switch/", {"workspace": "nonexistent"})
    assert refused["Location"] == "/"
