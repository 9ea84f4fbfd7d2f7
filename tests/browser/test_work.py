"""As the people would, each in their own browser: the agency's R drafts a social post
that fails the vocabulary and length checks (so submitting it would need a note), fixes
it and submits it; the in-house A requests changes, then approves; the I is told when it
is published; the post sits on the calendar and moves when dragged to another day."""

from datetime import date
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity
from crewplan.raci.queries import person_key
from crewplan.work.models import WorkItem
from crewplan.workspaces import services
from crewplan.workspaces.models import Team
from tests.factories import join, make_user

TOO_LONG = "新品視頻上線！" + "好吃" * 70  # mainland 視頻, and 294 of X's 280
FIXED = "新品影片上線！中秋禮盒限時預購"


def test_draft_check_review_approve_publish_drag(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    shot: Any,
    sign_in: Any,
) -> None:
    boss = make_user("boss@bakery.example", "陳志明")
    workspace = services.workspace_create(
        name="麥香烘焙坊", slug="bakery", owner=boss, team_name="品牌行銷部"
    )
    in_house = Team.objects.get(workspace=workspace)
    agency = services.team_create(
        workspace=workspace, actor=boss, name="星火數位行銷", kind="external"
    )
    join(workspace, boss, in_house, make_user("mike@bakery.example", "林佳蓉"), "manager")
    maya = join(workspace, boss, in_house, make_user("maya@bakery.example", "黃怡君"), "member")
    join(workspace, boss, agency, make_user("amy@agency.example", "李雅婷"), "member")
    draft = raci_services.template_apply(
        workspace=workspace, actor=boss, in_house=in_house, agency=agency, language="zh-hant"
    )
    social = Activity.objects.get(workspace=workspace, name="社群貼文製作")
    raci_services.person_column_add(version=draft, membership=maya, actor=boss)
    raci_services.cell_set(
        version=draft,
        activity=social,
        party_key=person_key(maya.pk),
        text="I",
        expected="",
        actor=boss,
    )
    base = live_server.url

    # The agency's writer (R of 社群貼文製作) drafts a post.
    sign_in(page, base, "amy@agency.example")
    page.goto(base + "/w/bakery/work/items/new/")
    form = page.locator("#item-form")
    form.locator("input[name=title]").fill("中秋禮盒預購貼文")
    form.locator("select[name=activity]").select_option(str(social.pk))
    form.locator("select[name=channel]").select_option("x_post")
    form.locator("textarea[name=copy]").fill(TOO_LONG)
    form.locator("input[name=publish_at]").fill("2026-12-10T12:00")
    form.locator("button[type=submit]").click()
    expect(page.locator("#item-state")).to_have_text("構想")
    item = WorkItem.objects.get(workspace=workspace)
    page.locator("button[data-action=start]").click()
    page.locator("#run-checks").click()
    findings = page.locator("#checks .findings")
    expect(findings.locator('[data-code="vocabulary"]')).to_contain_text("影片")
    expect(findings.locator('[data-code="length"]')).to_contain_text("294")
    expect(page.locator(".copy-preview mark").first).to_have_text("視頻")
    # Copy that fails the checks is submitted only with a note explaining the errors.
    submit_form = page.locator("form:has(button[data-action=submit])")
    expect(page.locator("#gate-notice")).to_be_visible()
    expect(submit_form.locator("textarea[name=note][required]")).to_be_visible()
    shot(page, "work-01-checks")

    page.locator("#item-form textarea[name=copy]").fill(FIXED)
    page.locator("#item-form button[type=submit]").click()
    page.locator("#run-checks").click()
    expect(page.locator("#checks-ok")).to_be_visible()
    expect(page.locator("#gate-notice")).to_have_count(0)  # fixed: nothing to explain
    expect(submit_form.locator("textarea[name=note]")).to_have_count(0)
    page.locator("button[data-action=submit]").click()
    expect(page.locator("#item-state")).to_have_text("審核中")
    expect(page.locator("button[data-action=approve]")).to_have_count(0)  # R cannot approve

    # The in-house manager (A) gets the review request in their own browser.
    reviewer_context = browser.new_context(**browser_context_args)
    reviewer = reviewer_context.new_page()
    sign_in(reviewer, base, "mike@bakery.example")
    expect(reviewer.locator("#unread-count")).to_have_text("1")
    reviewer.locator("#inbox-link").click()
    reviewer.locator('#inbox li[data-kind="review_request"] button').click()
    expect(reviewer.locator("h1")).to_contain_text("中秋禮盒預購貼文")
    reviewer.locator("input[name=note]").fill("請加上價格")
    reviewer.locator("button[data-action=request_changes]").click()
    expect(reviewer.locator("#item-state")).to_have_text("需要修改")
    shot(reviewer, "work-02-changes-requested")

    page.reload()
    expect(page.locator("#item-state")).to_have_text("需要修改")
    expect(page.locator("#history")).to_contain_text("請加上價格")
    page.locator("#item-form textarea[name=copy]").fill(FIXED + "，每盒 NT$880")
    page.locator("#item-form button[type=submit]").click()
    page.locator("button[data-action=submit]").click()
    expect(page.locator("#item-state")).to_have_text("審核中")

    reviewer.reload()
    reviewer.locator("button[data-action=approve]").click()
    expect(reviewer.locator("#item-state")).to_have_text("已核准")

    # On the calendar, and dragged from the 10th to the 14th (a Monday).
    page.goto(base + "/w/bakery/work/?d=2026-12-01")
    post = page.locator(f'li[data-item="{item.pk}"]')
    expect(page.locator('td[data-day="2026-12-10"]').locator(post)).to_be_visible()
    expect(page.locator('td[data-day="2026-12-25"] .day-note')).to_be_visible()  # 行憲紀念日
    shot(page, "work-03-calendar")
    reschedule_url = f"/w/bakery/work/items/{item.pk}/reschedule/"
    # Wait for the server's answer to the drag itself, not for a quiet network: the
    # htmx POST may not even have started when the page first looks idle. The answer
    # tells htmx to reload the page (HX-Refresh), so wait for that reload to finish
    # too: reloading it ourselves aborts the page's own reload, and reading the
    # database while the live server still serves it shares SQLite's connection.
    with (
        page.expect_navigation(wait_until="load"),
        page.expect_response(
            lambda r: r.url.endswith(reschedule_url) and r.request.method == "POST"
        ) as answer,
    ):
        post.drag_to(page.locator('td[data-day="2026-12-14"]'))
    assert answer.value.ok
    # The reloaded page shows the calendar as stored.
    expect(
        page.locator('td[data-day="2026-12-14"]').locator(f'li[data-item="{item.pk}"]')
    ).to_be_visible()
    item.refresh_from_db()
    assert timezone.localtime(item.publish_at).date() == date(2026, 12, 14)
    assert timezone.localtime(item.publish_at).hour == 12
    shot(page, "work-04-moved")

    # On a phone: the days as a list instead of the grid, and every section tab in sight.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("table.calendar")).to_be_hidden()
    day = page.locator('#agenda [data-agenda-day="2026-12-14"]')
    expect(day.locator("h2")).to_contain_text("12月14日（一）")
    expect(day.locator(f'[data-agenda-item="{item.pk}"]')).to_contain_text("中秋禮盒預購貼文")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tabs = page.locator("nav.modules")
    assert tabs.evaluate("nav => nav.scrollWidth <= nav.clientWidth")
    expect(tabs.locator("li").last).to_be_in_viewport()
    shot(page, "work-04-phone-agenda")
    page.set_viewport_size({"width": 1280, "height": 860})

    reviewer.reload()
    reviewer.locator("button[data-action=publish]").click()
    expect(reviewer.locator("#item-state")).to_have_text("已發布")
    reviewer_context.close()

    # The I (an in-house member named on the matrix) is told.
    watcher_context = browser.new_context(**browser_context_args)
    watcher = watcher_context.new_page()
    sign_in(watcher, base, "maya@bakery.example")
    expect(watcher.locator("#unread-count")).to_have_text("1")
    watcher.locator("#inbox-link").click()
    expect(watcher.locator('#inbox li[data-kind="published"]')).to_contain_text("中秋禮盒預購貼文")
    shot(watcher, "work-05-inbox")
    watcher_context.close()
