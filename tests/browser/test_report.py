"""The quarterly report as the owner uses it, in Traditional Chinese: generate the
quarter's report from the reports page, watch its progress bar until the worker has made
it, read the HTML copy, turn one of its next actions into a work item, download the PDF.

The worker: tests queue the task on a backend that only records it, and the test runs it
itself (`tasks.run`, what `crewplan worker` runs). Meanwhile every request of the page
waits in Playwright's route handler, which runs only when this thread drives the browser,
so the live server never shares SQLite's in-memory connection with the worker.

Section 10 (next actions) lists what the findings ask for; the work item made from one
goes under the action's activity, or the review activity when it names none, and is
assigned through the matrix."""

from typing import Any

from django.test import override_settings
from playwright.sync_api import Page, expect

from crewplan.reports import tasks
from crewplan.reports.models import Report, ReportCopy
from crewplan.reports.report import ReportAction, ReportData
from crewplan.reports.report_queries import review_activity
from crewplan.work.models import WorkItem
from tests.factories import published_template

RECORD_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _first_action(report: Report) -> ReportAction:
    copy = ReportCopy.objects.get(report=report, audience_team=None)
    actions = ReportData.from_json(copy.data).actions
    assert actions, "the published template's quarter has findings, so actions"
    return actions[0]


def test_generate_watch_read_plan_an_action_and_download_the_pdf(
    live_server: Any, page: Page, world: Any, sign_in: Any, artifacts: Any
) -> None:
    published_template(world)
    alice = world.people["alice"]
    alice.language = "zh-hant"
    alice.save()
    base = live_server.url
    page.route("**/*", lambda route: route.continue_())
    sign_in(page, base, alice.email)
    with override_settings(TASKS=RECORD_ONLY):
        page.goto(f"{base}/w/alpha/review/reports/?quarter=2026Q4")
        expect(page.locator("#no-reports")).to_be_visible()
        page.locator("#report-language").select_option("zh-hant")
        page.locator("#generate").click()
        bar = page.locator("#report-progress progress")
        expect(bar).to_be_visible()
        expect(page.locator("#report-progress")).to_have_attribute(
            "hx-get", f"/w/alpha/review/reports/{Report.objects.get().pk}/progress/"
        )
        page.screenshot(path=str(artifacts / "report-progress.png"))
        report = Report.objects.get()
        assert report.status == Report.Status.QUEUED
        tasks.run(report.pk)  # the worker; the page's polls wait in the route handler
        action = _first_action(report)
        # The next poll sees it done and reloads the page: the report itself.
        expect(page.locator("#report-document h1")).to_have_text("季度檢討 2026 財年第 4 季")
    expect(bar).to_have_count(0)
    expect(page.locator("#report-audience")).to_have_text("公司內部版本")
    page.screenshot(path=str(artifacts / "report-page.png"), full_page=True)

    row = page.locator('#report-actions li[data-action="0"]')
    expect(row).to_contain_text(action.title)
    row.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(action.title)
    item = WorkItem.objects.get(workspace=world.a, title=action.title)
    expected = action.activity_id or review_activity(world.a)
    assert item.activity_id == getattr(expected, "pk", expected)

    page.goto(f"{base}/w/alpha/review/reports/{report.pk}/")
    expect(row.locator("a.planned")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    saved = artifacts / "report.pdf"
    download.value.save_as(str(saved))
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"review-alpha-2026Q4-{report.pk}.pdf"
