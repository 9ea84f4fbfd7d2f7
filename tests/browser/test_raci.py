"""As a new user would: apply the RACI template, add an activity of their own, fix the
findings it shows, get both sign-offs from two browsers, publish, export XLSX and PDF.
The PDF's first page is rendered to artifacts/raci-pdf-page1.png."""

import io
import subprocess
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from crewplan.raci.models import Activity
from crewplan.workspaces import services
from crewplan.workspaces.models import Team
from tests.factories import join, make_user

NEW_ACTIVITY = "門市活動海報"


def test_template_findings_signoffs_publish_export(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    shot: Any,
    sign_in: Any,
    artifacts: Path,
) -> None:
    owner = make_user("boss@bakery.example", "陳志明")
    workspace = services.workspace_create(
        name="麥香烘焙坊", slug="bakery", owner=owner, team_name="品牌行銷部"
    )
    in_house = Team.objects.get(workspace=workspace)
    agency = services.team_create(
        workspace=workspace, actor=owner, name="星火數位行銷", kind="external"
    )
    join(workspace, owner, agency, make_user("am@agency.example", "張家豪"), "manager")
    base = live_server.url

    sign_in(page, base, "boss@bakery.example")
    page.goto(base + "/w/bakery/raci/")
    template = page.locator("#template-form")
    expect(template.locator("select[name=in_house] option:checked")).to_have_text("品牌行銷部")
    expect(template.locator("select[name=agency] option:checked")).to_have_text("星火數位行銷")
    template.locator("button[type=submit]").click()
    expect(page.locator("table.raci-grid")).to_be_visible()
    expect(page.locator("#raci-findings .ok")).to_be_visible()  # the template is clean
    shot(page, "raci-01-template")

    # An activity of their own, with nobody on it yet: two errors.
    form = page.locator("#activity-form")
    form.locator("select[name=function]").select_option(label="社群")
    form.locator("input[name=name]").fill(NEW_ACTIVITY)
    form.locator("button[type=submit]").click()
    findings = page.locator("#raci-findings")
    expect(findings.locator('[data-code="no_accountable"]')).to_contain_text(NEW_ACTIVITY)
    expect(findings.locator('[data-code="no_responsible"]')).to_contain_text(NEW_ACTIVITY)
    expect(page.locator("#publish-button")).to_be_disabled()
    shot(page, "raci-02-findings")

    # Fix them in place, the way one types in a spreadsheet.
    activity = Activity.objects.get(workspace=workspace, name=NEW_ACTIVITY)
    accountable = page.locator(f'input[name="c:{activity.pk}:team-{in_house.pk}"]')
    accountable.fill("a")
    accountable.press("Tab")
    expect(findings.locator('[data-code="no_accountable"]')).to_have_count(0)
    responsible = page.locator(f'input[name="c:{activity.pk}:team-{agency.pk}"]')
    responsible.fill("Ｒ")
    responsible.press("Enter")
    expect(findings.locator(".ok")).to_be_visible()
    expect(page.locator(f'input[name="c:{activity.pk}:team-{in_house.pk}"]')).to_have_value("A")
    expect(page.locator(f'input[name="c:{activity.pk}:team-{agency.pk}"]')).to_have_value("R")
    shot(page, "raci-03-fixed")

    # The in-house owner signs for the in-house team ...
    page.reload()
    page.locator('[data-signoff-team="品牌行銷部"] button').click()
    expect(page.locator('[data-signoff-team="品牌行銷部"] .badge.signed')).to_contain_text("陳志明")

    # ... and the agency's manager, in their own browser, for the agency.
    other = browser.new_context(**browser_context_args)
    agency_page = other.new_page()
    sign_in(agency_page, base, "am@agency.example")
    agency_page.goto(base + "/w/bakery/raci/")
    expect(agency_page.locator('[data-signoff-team="品牌行銷部"] .badge.signed')).to_be_visible()
    expect(agency_page.locator("#publish-button")).to_have_count(0)  # publishing is the company's
    agency_page.locator('[data-signoff-team="星火數位行銷"] button').click()
    expect(agency_page.locator('[data-signoff-team="星火數位行銷"] .badge.signed')).to_contain_text(
        "張家豪"
    )
    shot(agency_page, "raci-04-agency-signed")
    other.close()

    page.reload()
    expect(page.locator("#publish-button")).to_be_enabled()
    page.locator("#publish-button").click()
    expect(page.locator("h1 .badge")).to_contain_text("已發布")
    expect(page.locator("input.cell-input")).to_have_count(0)  # frozen
    shot(page, "raci-05-published")

    with page.expect_download() as xlsx_download:
        page.locator("#export-xlsx").click()
    book = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))  # noqa: SIM115
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert rows[0][:2] == ["職能", "工作項目"] and rows[0][4:] == ["品牌行銷部", "星火數位行銷"]
    assert ["社群", NEW_ACTIVITY, "執行", None, "A", "R"] in rows
    assert [row[0] for row in book["簽核"].iter_rows(min_row=2, values_only=True)] == [
        "品牌行銷部",
        "星火數位行銷",
    ]

    with page.expect_download() as pdf_download:
        page.locator("#export-pdf").click()
    pdf = artifacts / "raci-v1.pdf"
    pdf_download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert NEW_ACTIVITY in text and "張家豪" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(artifacts / "raci-pdf-page1"),
        ],
        check=True,
    )
    assert (artifacts / "raci-pdf-page1.png").stat().st_size > 10_000
