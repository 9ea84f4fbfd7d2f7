"""The reallocation page as the owner uses it, in Traditional Chinese: fit the curves
(the task runs at once in tests), move the what-if once, apply the recommendation as a
new version, and read the new media lines on that version's plan page.

The workspace is A with two paid channels whose spend drives revenue
(tests/factories.responsive_channels), so a channel's maximum in the what-if has a known
effect; the same page on the demo bakery is tests/browser/test_reallocation_demo.py."""

from typing import Any

from playwright.sync_api import Page, expect

from crewplan.planning.models import BudgetLine, BudgetVersion
from tests.factories import responsive_channels


def test_fit_what_if_and_apply_as_a_new_version(
    live_server: Any, page: Page, world: Any, sign_in: Any, artifacts: Any
) -> None:
    f = responsive_channels(world)
    alice = world.people["alice"]
    alice.language = "zh-hant"
    alice.save()
    base = live_server.url
    sign_in(page, base, alice.email)
    page.goto(f"{base}/w/alpha/reallocation/?v={f['version'].pk}&q={f['quarter']}")
    page.locator("#fit-start").click()
    expect(page.locator("#allocation-table")).to_be_visible()
    expect(page.locator("figure.curve-chart")).to_have_count(2)
    search = page.locator('#allocation-table tr[data-channel="Search"] td.recommended')
    before = search.inner_text()

    form = page.locator("#what-if-form")
    form.locator("select[name=channel]").select_option("Search")
    form.locator("input[name=maximum]").fill("1000")
    form.locator("#what-if-show").click()
    expect(search).to_have_text("NT$1,000")
    assert before != "NT$1,000"
    page.screenshot(path=str(artifacts / "reallocation-what-if.png"), full_page=True)

    page.locator("#apply-form input[name=name]").fill("第四季重新分配")
    page.locator("#apply-button").click()
    expect(page.locator("h1")).to_contain_text("第四季重新分配")
    new = BudgetVersion.objects.get(workspace=world.a, name="第四季重新分配")
    lines = {ln.item: ln for ln in BudgetLine.objects.filter(version=new)}
    months = [f"m{m:02d}" for m in range(1, 13)]
    planned = sum(getattr(lines["Search ads"], m) for m in months)
    assert planned < 12 * 30000  # the remaining months moved to the capped amount
    row = page.locator('tr[data-line="Search ads"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(f"{planned:,.0f}")
