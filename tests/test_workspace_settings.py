"""Workspace settings: owner only, validated, audited; time zone applied to pages."""

from typing import Any

from crewplan.audit.models import AuditEvent
from crewplan.workspaces.models import Workspace
from tests.factories import client_for

VALID = {
    "name": "Alpha Bakery 甲烘焙",
    "currency": "TWD",
    "time_zone": "Asia/Taipei",
    "fiscal_year_start_month": "1",
    "default_language": "en",
    "raci_max_accountable": "8",
    "raci_max_consulted": "3",
    "budget_max_tool_share": "0.60",
    "budget_min_reserve_share": "0.05",
    "budget_training_per_seat": "3000",
    "budget_pilot_max_months": "3",
    "revision": "1",  # a new workspace's; the page's hidden field
}


def test_defaults_for_a_taiwan_company(world: Any) -> None:
    a = world.a
    assert (a.currency, a.time_zone, a.fiscal_year_start_month) == ("TWD", "Asia/Taipei", 1)
    assert world.b.default_language == "zh-hant"
    assert a.external_can_see_budget is False


def test_owner_changes_settings_with_audit(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {**VALID, "fiscal_year_start_month": "4", "external_can_see_budget": "on"}
    assert alice.post("/w/alpha/settings/", data).status_code == 302
    world.a.refresh_from_db()
    assert world.a.fiscal_year_start_month == 4 and world.a.external_can_see_budget
    event = AuditEvent.objects.get(workspace=world.a, action="workspace.settings_changed")
    assert event.before == {"fiscal_year_start_month": 1, "external_can_see_budget": False}
    assert event.after == {"fiscal_year_start_month": 4, "external_can_see_budget": True}
    audit_page = alice.get("/w/alpha/audit/").content.decode()
    assert "fiscal_year_start_month" in audit_page


def test_bad_settings_are_refused_and_change_nothing(world: Any) -> None:
    alice = client_for(world.people["alice"])
    for bad in (
        {"time_zone": "Mars/Olympus"},
        {"fiscal_year_start_month": "13"},
        {"currency": "XYZ"},
        {"name": ""},
    ):
        response = alice.post("/w/alpha/settings/", {**VALID, **bad})
        assert response.status_code == 200 and response.context["form"].errors
    assert Workspace.objects.get(pk=world.a.pk).time_zone == "Asia/Taipei"
    assert not AuditEvent.objects.filter(action="workspace.settings_changed").exists()


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
        local = event.created_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
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
