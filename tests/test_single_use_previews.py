"""An import's signed preview works once: a second confirm (a double click, a replayed
form) gets a clear message and creates nothing."""

import io
from typing import Any

from crewplan.audit.models import AuditEvent
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.raci import services as raci_services
from tests.factories import client_for


def as_upload(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_budget_preview_confirms_once(world: Any) -> None:
    alice = client_for(world.people["alice"])
    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        {"category": "media", "item": "Meta ads", "entry": "even", "annual": "120000"}
        | {"committed": "0"},
    )
    exported = alice.get("/w/alpha/plan/budget/export.xlsx?year=2026").content
    preview = alice.post("/w/alpha/plan/budget/import/", {"file": as_upload(exported, "p.xlsx")})
    form = {"plan": preview.context["token"], "year": "2026", "name": "From Excel"}
    assert alice.post("/w/alpha/plan/budget/import/confirm/", form).status_code == 302
    counts = (BudgetVersion.objects.count(), BudgetLine.objects.count(), AuditEvent.objects.count())
    again = alice.post("/w/alpha/plan/budget/import/confirm/", form, follow=True)
    assert "already been imported" in messages_of(again)
    assert (
        BudgetVersion.objects.count(),
        BudgetLine.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_a_failed_confirm_does_not_use_up_the_preview(world: Any) -> None:
    alice = client_for(world.people["alice"])
    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        {"category": "media", "item": "Meta ads", "entry": "even", "annual": "120000"}
        | {"committed": "0", "owner": str(world.a_agency.pk)},
    )
    exported = alice.get("/w/alpha/plan/budget/export.xlsx?year=2026").content
    preview = alice.post("/w/alpha/plan/budget/import/", {"file": as_upload(exported, "p.xlsx")})
    form = {"plan": preview.context["token"], "year": "2026", "name": "From Excel"}
    renamed = world.a_agency.name
    world.a_agency.name = "Renamed agency"
    world.a_agency.save()
    failed = alice.post("/w/alpha/plan/budget/import/confirm/", form, follow=True)
    assert "changed since the preview" in messages_of(failed)
    world.a_agency.name = renamed
    world.a_agency.save()
    assert alice.post("/w/alpha/plan/budget/import/confirm/", form).status_code == 302
    assert BudgetVersion.objects.filter(name="From Excel").count() == 1


def test_raci_preview_confirms_once(world: Any) -> None:
    alice = client_for(world.people["alice"])
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    exported = alice.get(f"/w/alpha/raci/versions/{draft.pk}/export.xlsx").content
    preview = alice.post("/w/alpha/raci/import/", {"file": as_upload(exported, "m.xlsx")})
    token = preview.context["token"]
    assert alice.post("/w/alpha/raci/import/confirm/", {"plan": token}).status_code == 302
    imported = AuditEvent.objects.filter(action="raci.imported").count()
    again = alice.post("/w/alpha/raci/import/confirm/", {"plan": token}, follow=True)
    assert "already been imported" in messages_of(again)
    assert AuditEvent.objects.filter(action="raci.imported").count() == imported == 1
