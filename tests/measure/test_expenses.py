"""Expenses: typed on the page (refunds negative, zero refused, dates in range, stale
edits refused), imported from CSV/XLSX with a preview of every row's problems, confirmed
once, rolled back exactly; only those who may see every amount see any of it."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from crewplan.audit.models import AuditEvent
from crewplan.audit.services import Conflict
from crewplan.measure import expenses as services
from crewplan.measure.actuals import version_actuals
from crewplan.measure.expense_file import parse_amount, parse_day, read_expenses
from crewplan.measure.models import Expense, Import
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import BudgetLine
from tests.factories import change_settings, client_for, plan_line

D = Decimal
URL = "/w/alpha/results/expenses/"


@pytest.fixture
def plan(world: Any) -> dict[str, Any]:
    alice = world.people["alice"]
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="Plan"
    )
    return {
        "version": version,
        "training": plan_line(version, alice, "Copywriting class", "training", months={3: 9000}),
        "tool": plan_line(version, alice, "ChatGPT Team", "tool_subscription", months={1: 1000}),
    }


def save(world: Any, line: BudgetLine, **fields: Any) -> Expense:
    data = {
        "line": line,
        "day": date(2026, 3, 5),
        "amount": D("4800.50"),
        "vendor": "",
        "invoice_number": "",
        "note": "",
        **fields,
    }
    return services.expense_save(workspace=world.a, actor=world.people["alice"], data=data)


def test_parsers_read_what_people_write() -> None:
    assert parse_day("2026-03-05") == parse_day("2026/3/5") == date(2026, 3, 5)
    assert parse_day("115/03/05") == parse_day("民國115年3月5日") == date(2026, 3, 5)
    assert parse_day("1150305") == parse_day("2026年3月5日") == date(2026, 3, 5)
    assert parse_day("2026-02-30") is None and parse_day("1850-01-01") is None
    assert parse_amount("NT$1,200") == parse_amount("1200元") == D("1200.00")
    assert parse_amount("(1,200.5)") == parse_amount("-1200.50") == D("-1200.50")
    assert parse_amount("１２００") == D("1200.00")  # full-width digits
    assert parse_amount("abc") is None and parse_amount("1.5e3") is None
    assert parse_amount("") is None and parse_amount("--") is None
    assert parse_amount(1200.5) == D("1200.50")


def test_an_expense_counts_as_the_lines_actual(world: Any, plan: dict[str, Any]) -> None:
    save(world, plan["training"])
    save(world, plan["training"], amount=D(-800), note="refund")
    assert version_actuals(plan["version"]).total(plan["training"].pk) == D("4000.50")
    assert AuditEvent.objects.filter(action="measure.expense_saved").count() == 2


def test_refusals_change_nothing(world: Any, plan: dict[str, Any]) -> None:
    save(world, plan["training"], invoice_number="AB-12345678")
    foreign_version = budget_services.version_create(
        workspace=world.b, actor=world.people["charlie"], fiscal_year=2026, name="B"
    )
    foreign = plan_line(foreign_version, world.people["charlie"], "B line")
    for fields, message in [
        ({"amount": D(0)}, "other than zero"),
        ({"day": date(1989, 12, 31)}, "between 1990"),
        ({"line": foreign}, "of this workspace"),
        ({"invoice_number": "ab-12345678"}, "recorded already"),
    ]:
        with pytest.raises(ValidationError, match=message):
            save(world, fields.pop("line", plan["training"]), **fields)
    assert Expense.objects.count() == 1


def test_a_stale_edit_is_refused(world: Any, plan: dict[str, Any]) -> None:
    expense = save(world, plan["training"])
    alice = world.people["alice"]
    services.expense_save(
        workspace=world.a, actor=alice, expense=expense, revision=1, data={"amount": D(10)}
    )
    with pytest.raises(Conflict, match="amount"):
        services.expense_save(
            workspace=world.a, actor=alice, expense=expense, revision=1, data={"vendor": "X"}
        )
    with pytest.raises(Conflict):
        services.expense_delete(workspace=world.a, actor=alice, expense=expense, revision=1)
    services.expense_delete(workspace=world.a, actor=alice, expense=expense, revision=2)
    assert not Expense.objects.exists()


def test_the_page_adds_edits_and_deletes(world: Any, plan: dict[str, Any]) -> None:
    client = client_for(world.people["mike"])  # an in-house manager
    line = plan["training"]
    response = client.post(
        f"{URL}new/",
        {"line": line.pk, "day": "2026-03-05", "amount": "1200", "vendor": "Class Co"},
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    expense = Expense.objects.get()
    page = client.get(URL).content.decode()
    assert "Class Co" in page and "1,200" in page
    data = {"line": line.pk, "day": "2026-03-06", "amount": "1300", "revision": 1}
    assert client.post(f"{URL}{expense.pk}/", data).status_code == 302
    stale = client.post(f"{URL}{expense.pk}/", data | {"amount": "5"})
    assert stale.status_code == 400 and "Someone else saved" in stale.content.decode()
    assert client.post(f"{URL}{expense.pk}/delete/", {"revision": 2}).status_code == 302
    assert not Expense.objects.exists()
    zero = client.post(f"{URL}new/", {"line": line.pk, "day": "2026-03-05", "amount": "0"})
    assert zero.status_code == 400 and not Expense.objects.exists()


def test_filters_totals_and_download(world: Any, plan: dict[str, Any]) -> None:
    save(world, plan["training"], amount=D(100), vendor="March vendor")
    save(world, plan["tool"], day=date(2026, 1, 9), amount=D(30), vendor="January vendor")
    client = client_for(world.people["alice"])
    march = client.get(URL, {"month": "2026-03"}).content.decode()
    assert "March vendor" in march and "January vendor" not in march
    by_line = client.get(URL, {"line": plan["tool"].pk}).content.decode()
    assert "January vendor" in by_line and "March vendor" not in by_line
    everything = client.get(URL, {"version": plan["version"].pk}).content.decode()
    assert "2 expenses" in everything and "130" in everything
    csv = client.get(URL, {"month": "2026-01", "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "January vendor" in text
    assert "March vendor" not in text
    xlsx = client.get(URL, {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_queries_do_not_grow_with_the_expenses(world: Any, plan: dict[str, Any]) -> None:
    client = client_for(world.people["alice"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    save(world, plan["training"])
    few = count()
    for i in range(30):
        save(world, plan["tool"], amount=D(i + 1), vendor=f"v{i}")
    assert count() == few


def test_who_may(world: Any, plan: dict[str, Any]) -> None:
    expense = save(world, plan["training"], vendor="Hidden vendor")
    for name in ("adam", "amy"):  # the agency, while the workspace hides amounts
        client = client_for(world.people[name])
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"format": "csv"}).status_code == 403
        assert client.get(f"{URL}{expense.pk}/").status_code == 403
    viewer = client_for(world.people["vera"])
    page = viewer.get(URL).content.decode()
    assert "Hidden vendor" in page and f"{URL}new/" not in page  # reads, records nothing
    assert viewer.post(f"{URL}{expense.pk}/delete/", {"revision": 1}).status_code == 403
    assert client_for(world.people["maya"]).get(f"{URL}new/").status_code == 403
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    assert client_for(world.people["amy"]).get(URL).status_code == 200
    assert client_for(world.people["adam"]).get(f"{URL}new/").status_code == 403  # external


def csv_file(text: str, name: str = "expenses.csv", encoding: str = "utf-8-sig") -> Any:
    handle = io.BytesIO(text.encode(encoding))
    handle.name = name
    return handle


GOOD = (
    "日期,預算項目,金額,廠商,發票號碼,備註\n"
    '115/03/05,Copywriting class,"NT$9,000",Class Co,AB-00000001,March class\n'
    "2026-01-09,ChatGPT Team,1000,OpenAI,AB-00000002,\n"
    "2026-01-20,ChatGPT Team,-200,OpenAI,AB-00000003,refund\n"
)


def test_import_preview_confirm_and_rollback(world: Any, plan: dict[str, Any]) -> None:
    client = client_for(world.people["alice"])
    preview = client.post(f"{URL}import/", {"file": csv_file(GOOD, encoding="cp950")})
    body = preview.content.decode()
    assert preview.status_code == 200, body[-2000:]
    assert "3 expenses" in body and "Nothing was saved" not in body
    assert not Expense.objects.exists()  # a preview saves nothing
    token = preview.context["token"]
    confirm = client.post(f"{URL}import/confirm/", {"preview": token})
    assert confirm.status_code == 302
    source = Import.objects.get(kind="expenses")
    assert source.rows_added == 3 and source.date_from == date(2026, 1, 9)
    assert Expense.objects.filter(source=source).count() == 3
    actuals = version_actuals(plan["version"])
    assert actuals.total(plan["tool"].pk) == D(800) and actuals.total(plan["training"].pk) == 9000
    # The same preview again: used once; the same file again: its invoices are recorded.
    client.post(f"{URL}import/confirm/", {"preview": token})
    assert Expense.objects.count() == 3
    again = client.post(f"{URL}import/", {"file": csv_file(GOOD)})
    assert again.status_code == 400 and "recorded already" in again.content.decode()
    # Rolling back deletes exactly the file's expenses, not the typed one.
    typed = save(world, plan["tool"], amount=D(5))
    assert client.post(f"{URL}imports/{source.pk}/rollback/").status_code == 302
    assert list(Expense.objects.all()) == [typed]
    source.refresh_from_db()
    assert source.status == "rolled_back"
    assert client.post(f"{URL}imports/{source.pk}/rollback/").status_code == 302
    assert list(Expense.objects.all()) == [typed]  # a second rollback changes nothing


def test_import_shows_every_rows_problem(world: Any, plan: dict[str, Any]) -> None:
    budget_services.version_create(
        workspace=world.a,
        actor=world.people["alice"],
        fiscal_year=2026,
        name="Other",
    )
    plan_line(plan["version"], world.people["alice"], "Shared item", "training")
    plan_line(plan["version"], world.people["alice"], "Shared item", "consulting")
    text = (
        "Date,Budget line,Category,Amount,Invoice number\n"
        "2026-13-01,Copywriting class,,100,\n"  # 2: bad date
        "2026-03-01,Nothing like it,,100,\n"  # 3: unknown line
        "2026-03-01,Copywriting class,,abc,\n"  # 4: bad amount
        "2026-03-01,Copywriting class,,0,\n"  # 5: zero
        "2026-03-01,Shared item,,10,\n"  # 6: ambiguous
        "2026-03-01,Shared item,Consulting,10,X1\n"  # 7: fine (category decides)
        "2026-03-01,Copywriting class,,10,X1\n"  # 8: duplicate invoice
    )
    response = client_for(world.people["alice"]).post(f"{URL}import/", {"file": csv_file(text)})
    assert response.status_code == 400
    rows = {r.row.number: r for r in response.context["plan"].rows}
    assert "the date is not a date" in rows[2].problems[0]
    assert "no line of that fiscal year" in rows[3].problems[0]
    assert "not a number" in rows[4].problems[0]
    assert "zero" in rows[5].problems[0]
    assert "several lines" in rows[6].problems[0]
    assert "twice" in rows[7].problems[0] and rows[7].line.category == "consulting"
    assert "twice" in rows[8].problems[0]
    assert response.context["token"] == "" and not Expense.objects.exists()


def test_import_reads_xlsx_and_refuses_files_without_columns(
    world: Any, plan: dict[str, Any]
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Expenses March"])  # a title above the header
    sheet.append(["Date", "Budget line", "Amount", "Vendor"])
    sheet.append([date(2026, 3, 5), "Copywriting class", 1234.5, "Class Co"])
    out = io.BytesIO()
    book.save(out)
    read = read_expenses(out.getvalue(), spreadsheet=True)
    assert [(r.day, r.amount, r.problems) for r in read.rows] == [
        (date(2026, 3, 5), D("1234.50"), ())
    ]
    client = client_for(world.people["alice"])
    bad = client.post(f"{URL}import/", {"file": csv_file("when,what\n2026-01-01,x\n")})
    assert bad.status_code == 400 and "header row" in bad.content.decode()


def test_the_results_page_links_the_expenses_only_for_those_who_may_see_them(
    world: Any,
) -> None:
    assert URL in client_for(world.people["vera"]).get("/w/alpha/results/").content.decode()
    agency = client_for(world.people["amy"]).get("/w/alpha/results/").content.decode()
    assert URL not in agency and "/w/alpha/results/channels/settings/" in agency
