"""As a new owner would, in Traditional Chinese: write a goal that fails the SMART check
and fix it, add two candidate AI tools and compare them, estimate the ROI of one, build
this year's budget with it, read the health check and fix one finding, then export the
plan to XLSX and import the file back as a new version."""

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion, Goal
from crewplan.workspaces import services
from tests.factories import make_user

TOOL_FIELDS = {  # the cost model of a tool as typed: everything not given is zero
    "price_per_seat": "0",
    "flat_fee": "0",
    "integration": "0",
    "training_hours": "0",
    "training_rate": "0",
    "training_fees": "0",
    "data_preparation": "0",
    "privacy_per_month": "0",
    "renewal_change": "0",
}


def add_tool(page: Page, base: str, name: str, **fields: str) -> None:
    page.goto(base + "/w/bakery/plan/tools/new/")
    form = page.locator("#tool-form")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=category]").select_option("content_generation")
    form.locator("select[name=status]").select_option("candidate")
    form.locator("select[name=owner]").select_option(label="品牌行銷部")
    form.locator("select[name=kpi]").select_option(label="轉換率")
    form.locator("input[name=seats]").fill(fields.pop("seats", "0"))
    for field, value in (TOOL_FIELDS | fields).items():
        form.locator(f"input[name={field}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(f'tr[data-tool="{name}"]')).to_be_visible()


def add_line(page: Page, category: str, item: str, annual: str, **selects: str) -> None:
    page.locator("#new-line").click()
    form = page.locator("#line-form")
    form.locator("select[name=category]").select_option(category)
    form.locator("input[name=item]").fill(item)
    for name, label in selects.items():
        form.locator(f"select[name={name}]").select_option(label=label)
    form.locator("input[name=entry][value=even]").check()
    form.locator("input[name=annual]").fill(annual)
    form.locator("button[type=submit]").click()
    expect(page.locator(f'tr[data-line="{item}"]')).to_be_visible()


def test_goal_tools_roi_budget_health_export_import(
    live_server: Any, page: Page, shot: Any, tmp_path: Path, sign_in: Any
) -> None:
    owner = make_user("boss@bakery.example", "陳志明")
    workspace = services.workspace_create(
        name="麥香烘焙坊", slug="bakery", owner=owner, team_name="品牌行銷部"
    )
    base = live_server.url
    sign_in(page, base, "boss@bakery.example")

    # Step 1: a KPI from the catalogue, and a goal as people first write one.
    page.goto(base + "/w/bakery/plan/goals/")
    catalogue = page.locator("#catalogue-form")
    catalogue.locator("input[value=conversion_rate]").check()
    catalogue.locator("button[type=submit]").click()
    page.locator("#new-goal").click()
    goal_form = page.locator("#goal-form")
    goal_form.locator("textarea[name=text]").fill("提升 IG 聲量")
    goal_form.locator("button[type=submit]").click()
    panel = page.locator("#smart-panel")
    for letter in ("M", "T"):
        expect(panel.locator(f'li[data-letter="{letter}"]')).to_have_class("no")
    shot(page, "budget-01-vague-goal")

    # Fix it: the panel follows as they type, before they save.
    goal_form = page.locator("#goal-form")
    goal_form.locator("textarea[name=text]").fill("官網轉換率在 6 個月內從 1.8% 提升到 2.1%")
    goal_form.locator("select[name=kpi]").select_option(label="轉換率")
    goal_form.locator("input[name=baseline]").fill("1.8")
    goal_form.locator("input[name=target]").fill("2.1")
    deadline = timezone.localdate() + timedelta(days=180)
    goal_form.locator("input[name=deadline]").fill(deadline.isoformat())
    goal_form.locator("input[name=objective]").fill("線上營收占比明年底達到 30%")
    goal_form.locator("select[name=owner]").select_option(label="品牌行銷部")
    # The new KPI has no history: achievability is unknown, neither passed nor failed.
    expect(panel.locator("li.ok")).to_have_count(4)
    expect(panel.locator('li.unknown[data-letter="A"]')).to_have_count(1)
    expect(panel.locator("li.no")).to_have_count(0)
    goal_form.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    shot(page, "budget-02-smart-goal")

    # Step 3: two candidate tools, compared side by side.
    add_tool(page, base, "Jasper", seats="2", price_per_seat="1500")
    add_tool(page, base, "Copy.ai", flat_fee="1400")
    jasper, copy_ai = (
        AiTool.objects.get(workspace=workspace, name=n) for n in ("Jasper", "Copy.ai")
    )
    page.goto(base + "/w/bakery/plan/tools/compare/")
    evaluation = page.locator("#evaluation-form")
    jasper_scores = {"features": "5", "cost": "3", "ease": "4", "support": "4"}
    jasper_scores |= {"integration": "4", "value": "4"}
    copy_scores = {"features": "3", "cost": "4", "ease": "4", "support": "2"}
    copy_scores |= {"integration": "2", "value": "3"}
    for tool, scores in ((jasper, jasper_scores), (copy_ai, copy_scores)):
        for criterion, score in scores.items():
            evaluation.locator(f'select[name="score-{tool.pk}-{criterion}"]').select_option(score)
    evaluation.locator("button[type=submit]").click()
    # Jasper: (25·5 + 20·3 + 15·4 + 10·4 + 15·4 + 15·4) / 100 = 4.05; Copy.ai 3.10.
    expect(page.locator("#best")).to_contain_text("Jasper")
    expect(page.locator("#best")).to_contain_text("4.05")
    shot(page, "budget-03-compare")

    # The ROI of Jasper: 20 hours saved a month at NT$400 against 2 seats × NT$1,500.
    page.goto(base + "/w/bakery/plan/tools/")
    # The live preview listens once htmx has started: type after the page's load event
    # (not before it, when the typing would go unheard), and wait for the preview's answer.
    with page.expect_navigation(wait_until="load"):
        page.locator('tr[data-tool="Jasper"] td.roi a').click()
    roi_form = page.locator("#roi-form")
    roi_form.locator("input[name=hours_saved_per_month]").fill("20")
    with page.expect_response(lambda r: "/roi/preview/" in r.url and r.request.method == "POST"):
        roi_form.locator("input[name=loaded_hourly_rate]").fill("400")
    expect(page.locator("#roi-preview-note")).to_be_visible()  # live, not saved yet
    roi_form.locator("button[type=submit]").click()
    # 12 months: benefit 96,000, cost 36,000, net 60,000, ROI 166.7 percent, payback month 1.
    scenarios = page.locator("#roi-scenarios")
    expect(scenarios).to_contain_text("NT$60,000")
    expect(scenarios).to_contain_text("166.7%")
    shot(page, "budget-04-roi")

    # Step 4: this year's budget with the tool, and the health check.
    page.goto(base + "/w/bakery/plan/budget/")
    version_form = page.locator("#version-form")
    version_form.locator("input[name=name]").fill("年度預算")
    version_form.locator("button[type=submit]").click()
    add_line(page, "tool_subscription", "Jasper 訂閱", "36000", tool="Jasper")
    add_line(page, "training", "AI 寫作訓練", "6000")
    health = page.locator("#health")
    expect(health.locator('[data-code="no_reserve"]')).to_be_visible()
    expect(health.locator('[data-code="no_pilot"]')).to_contain_text("Jasper")
    expect(health.locator('[data-code="no_owner"]')).to_have_count(0)  # their team by default
    shot(page, "budget-05-health")
    # Fix one finding: an experiment reserve of 5 percent or more.
    add_line(page, "experiment_reserve", "新工具試用金", "3000")
    expect(health.locator('[data-code="no_reserve"]')).to_have_count(0)
    expect(health.locator('[data-code="no_pilot"]')).to_be_visible()
    shot(page, "budget-06-fixed")

    # Export to XLSX: what Excel opens.
    with page.expect_download() as download_info:
        page.locator("#export-budget").click()
    exported = tmp_path / "plan.xlsx"
    download_info.value.save_as(exported)
    book = load_workbook(io.BytesIO(exported.read_bytes()))
    sheet = book["預算"]
    items = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert {"Jasper 訂閱", "AI 寫作訓練", "新工具試用金"} <= set(items)

    # ... and import it back as a new version: the same lines and amounts.
    page.locator("#import-budget").click()
    page.locator("#budget-file").set_input_files(str(exported))
    page.locator("#budget-import-form button[type=submit]").click()
    expect(page.locator("#import-preview")).to_be_visible()
    confirm = page.locator("#budget-import-confirm")
    confirm.locator("input[name=name]").fill("匯入版本")
    confirm.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("匯入版本")
    expect(page.locator('tr[data-line="Jasper 訂閱"]')).to_be_visible()
    shot(page, "budget-07-imported")

    year = fiscal_year_of(workspace, timezone.localdate())
    first, imported = BudgetVersion.objects.filter(workspace=workspace, fiscal_year=year).order_by(
        "number"
    )
    assert imported.name == "匯入版本"

    def lines(version: BudgetVersion) -> set[tuple[str, str, tuple[Any, ...]]]:
        rows = BudgetLine.objects.filter(version=version)
        return {(ln.category, ln.item, ln.amounts) for ln in rows}

    assert lines(imported) == lines(first) and len(lines(first)) == 3
    assert Goal.objects.get(workspace=workspace).kpi is not None
