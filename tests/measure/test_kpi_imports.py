"""KPI actuals imported from a file have a source, as metric imports do: each import is
recorded (who, file, checksum, added / replaced / unchanged), the values it wrote name it,
the values it replaced are kept, and a rollback puts them back exactly, refused while a
later import holds some of them; shown on the KPI page with a rollback button."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from crewplan.audit.models import AuditEvent
from crewplan.measure import imports
from crewplan.measure.kpi_import import kpi_values_rollback
from crewplan.measure.models import Import, ReplacedKpiValue
from crewplan.planning.goals.services import kpi_history_set
from crewplan.planning.models import Kpi, KpiValue
from tests.factories import client_for

D = Decimal
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
KPIS = "/w/alpha/results/kpis/"


@pytest.fixture
def orders(world: Any) -> Kpi:
    kpi = Kpi.objects.create(
        workspace=world.a, name="Orders 訂單數", unit="x", formula="sum", metric="orders"
    )
    KpiValue.objects.create(workspace=world.a, kpi=kpi, month=JAN, value=D(5))  # typed
    return kpi


def import_file(client: Any, name: str, rows: str) -> Import:
    """Upload, preview and confirm a KPI file through the pages; the Import it made."""
    text = "日期,KPI,數值\r\n" + rows
    upload = SimpleUploadedFile(name, text.encode("cp950"), content_type="text/csv")
    page = client.post(f"{KPIS}import/", {"file": upload}).content.decode()
    token = re.search(r'name="preview" value="([^"]+)"', page)[1]  # type: ignore[index]
    assert client.post(f"{KPIS}import/confirm/", {"preview": token}).status_code == 302
    return Import.objects.filter(kind="kpi_values").latest("created_at", "id")


def history(kpi: Kpi) -> dict[date, tuple[Decimal, int | None]]:
    return {v.month: (v.value, v.source_id) for v in KpiValue.objects.filter(kpi=kpi)}


def counts(record: Import) -> tuple[int, int, int]:
    record.refresh_from_db()
    return record.rows_added, record.rows_replaced, record.rows_unchanged


def test_import_reimport_overlap_and_rollbacks(world: Any, orders: Kpi) -> None:
    client = client_for(world.people["alice"])
    first = import_file(
        client, "q1.csv", "2026/01/01,Orders 訂單數,7\r\n2026-02,Orders 訂單數,20\r\n"
    )
    assert counts(first) == (1, 1, 0)  # February added, January's typed 5 replaced
    assert (first.file_name, first.created_by, len(first.checksum)) == (
        "q1.csv",
        world.people["alice"],
        64,
    )
    assert history(orders) == {JAN: (D(7), first.pk), FEB: (D(20), first.pk)}
    # The same file again: nothing changes, and it says so.
    again = import_file(
        client, "q1.csv", "2026/01/01,Orders 訂單數,7\r\n2026-02,Orders 訂單數,20\r\n"
    )
    assert counts(again) == (0, 0, 2)
    assert history(orders) == {JAN: (D(7), first.pk), FEB: (D(20), first.pk)}
    # An overlapping file: February changed, March new.
    overlap = import_file(
        client, "feb-mar.csv", "2026-02,Orders 訂單數,25\r\n2026-03,Orders 訂單數,9\r\n"
    )
    assert counts(overlap) == (1, 1, 0)
    assert history(orders) == {
        JAN: (D(7), first.pk),
        FEB: (D(25), overlap.pk),
        MAR: (D(9), overlap.pk),
    }
    # The first cannot be rolled back while the overlapping one holds its February.
    with pytest.raises(ValidationError, match=r"feb-mar\.csv"):
        kpi_values_rollback(workspace=world.a, actor=world.people["alice"], import_record=first)
    refused = client.post(f"/w/alpha/results/imports/{first.pk}/rollback/", follow=True)
    assert "feb-mar.csv" in refused.content.decode() and "roll that one back first" in (
        refused.content.decode()
    )
    assert history(orders)[FEB] == (D(25), overlap.pk)  # nothing changed
    # Rolling back the overlap, from the KPI page: February is the first file's again.
    page = client.get(KPIS).content.decode()
    assert f'data-import="{overlap.pk}"' in page and "feb-mar.csv" in page
    back = client.post(f"/w/alpha/results/imports/{overlap.pk}/rollback/", {"back": "kpis"})
    assert back.status_code == 302 and back["Location"] == KPIS
    assert history(orders) == {JAN: (D(7), first.pk), FEB: (D(20), first.pk)}
    assert counts(overlap) == (1, 1, 0) and overlap.status == "rolled_back"
    # Now the first can go: January's typed value comes back, February is gone.
    client.post(f"/w/alpha/results/imports/{first.pk}/rollback/")
    assert history(orders) == {JAN: (D(5), None)}
    assert not ReplacedKpiValue.objects.exists()
    rolled = AuditEvent.objects.filter(action="measure.import_rolled_back", workspace=world.a)
    assert [e.after["kind"] for e in rolled] == ["kpi_values", "kpi_values"]
    assert {e.after["values_restored"] for e in rolled} == {1}
    # A second rollback is refused, nothing changed.
    with translation.override("en"), pytest.raises(ValidationError, match="finished import"):
        kpi_values_rollback(workspace=world.a, actor=world.people["alice"], import_record=first)
    assert history(orders) == {JAN: (D(5), None)}


def test_the_page_shows_where_each_value_comes_from(world: Any, orders: Kpi) -> None:
    client = client_for(world.people["alice"])
    import_file(client, "mar.csv", "2026-03,Orders 訂單數,9\r\n")
    page = client.get(f"{KPIS}?year=2026").content.decode()
    assert 'data-month="2026-01" data-source="typed"' in page
    assert 'data-month="2026-03" data-source="file"' in page
    csv = client.get(f"{KPIS}?year=2026&format=csv").content.decode("utf-8-sig")
    assert "Orders 訂單數,2026-03,,9.0000,from a file," in csv
    # The import is listed with a rollback button; people who may not import see neither.
    assert 'id="kpi-imports"' in page and 'name="back" value="kpis"' in page
    assert 'id="kpi-imports"' not in client_for(world.people["maya"]).get(KPIS).content.decode()


def test_a_value_typed_over_since_stays(world: Any, orders: Kpi) -> None:
    client = client_for(world.people["alice"])
    done = import_file(
        client, "jan-feb.csv", "2026-01,Orders 訂單數,7\r\n2026-02,Orders 訂單數,8\r\n"
    )
    kpi_history_set(kpi=orders, actor=world.people["alice"], values={JAN: D(6), FEB: D(9)})
    assert history(orders) == {JAN: (D(6), None), FEB: (D(9), None)}  # typed now
    kpi_values_rollback(workspace=world.a, actor=world.people["alice"], import_record=done)
    assert history(orders) == {JAN: (D(6), None), FEB: (D(9), None)}


def test_who_may_roll_back_and_from_which_workspace(world: Any, orders: Kpi) -> None:
    done = import_file(client_for(world.people["alice"]), "jan.csv", "2026-01,Orders 訂單數,7\r\n")
    url = f"/w/alpha/results/imports/{done.pk}/rollback/"
    # The agency's manager may import spend files, not the company's KPI values.
    adam = client_for(world.people["adam"])
    assert (
        'id="rollback-form"'
        not in adam.get(f"/w/alpha/results/imports/{done.pk}/").content.decode()
    )
    assert adam.post(url).status_code == 403
    # Another workspace's owner: not found, by URL or through the service.
    charlie = client_for(world.people["charlie"])
    assert charlie.post(f"/w/beta/results/imports/{done.pk}/rollback/").status_code == 404
    with translation.override("en"), pytest.raises(ValidationError, match="not in this work"):
        kpi_values_rollback(workspace=world.b, actor=world.people["charlie"], import_record=done)
    # The metric rollback does not take a KPI import (it would mark it rolled back and
    # leave its values).
    with translation.override("en"), pytest.raises(ValidationError, match="not in this work"):
        imports.rollback(workspace=world.a, actor=world.people["alice"], import_record=done)
    done.refresh_from_db()
    assert done.status == "done" and history(orders) == {JAN: (D(7), done.pk)}


def test_an_expense_import_rolled_back_from_its_import_page(world: Any) -> None:
    """The imports list links every kind to one page whose rollback button runs that
    kind's rollback: an expense import's expenses go with it."""
    from crewplan.measure.models import Expense
    from crewplan.planning.budget import services as budget_services

    alice = world.people["alice"]
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="P"
    )
    budget_services.line_save(
        actor=alice,
        version=version,
        line=None,
        data={
            "category": "training",
            "item": "Course",
            "tool": None,
            "goal": None,
            "owner": world.a_in_house,
            "kpi": None,
            "channel": None,
            "committed": D(0),
            **{f"m{m:02d}": D(100) for m in range(1, 13)},
        },
    )
    source = Import.objects.create(
        workspace=world.a,
        kind="expenses",
        status="done",
        file_name="paid.csv",
        checksum="x",
        layout="expenses",
    )
    Expense.objects.create(
        workspace=world.a, line=version.lines.get(), day=JAN, amount=D(80), source=source
    )
    client_for(alice).post(f"/w/alpha/results/imports/{source.pk}/rollback/")
    source.refresh_from_db()
    assert source.status == "rolled_back" and not Expense.objects.exists()
