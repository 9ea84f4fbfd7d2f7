"""As a new user would: open the demo, sign in, switch language both ways, invite an
agency member, accept in a second browser, and see the person in the right team."""

import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from crewplan.workspaces.demo import DEMO_PASSWORD, load_demo

AGENCY = "星火數位行銷"
NEWBIE = "newbie@sparkdigital.example"


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()


def test_onboarding_an_agency_member(
    live_server: Any, page: Page, browser: Browser, browser_context_args: dict[str, Any], shot: Any
) -> None:
    load_demo()
    base = live_server.url

    # Anonymous: the login page, in the language the browser asks for (zh-TW).
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    expect(page.locator("main form button[type=submit]")).to_have_text("登入")
    shot(page, "onboarding-00-login")

    sign_in(page, base, "owner@maixiang.example", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/w/maixiang/")
    expect(page.locator("h1")).to_have_text("麥香烘焙坊")
    shot(page, "onboarding-01-overview")

    # Language: to English and back; the choice sticks to the account.
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="People & teams").first).to_be_visible()
    shot(page, "onboarding-02-english")
    page.locator("button[name=language][value=zh-hant]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    expect(page.get_by_role("button", name="登出")).to_be_visible()

    # Invite a person into the agency team.
    page.get_by_role("link", name="人員與團隊").first.click()
    expect(page).to_have_url(base + "/w/maixiang/people/")
    form = page.locator("#invite-form")
    form.locator("input[name=email]").fill(NEWBIE)
    form.locator("select[name=team]").select_option(label=AGENCY)
    form.locator("select[name=role]").select_option("member")
    form.locator("button[type=submit]").click()
    expect(page.locator(f'[data-invitation="{NEWBIE}"]')).to_be_visible()
    message = page.locator(".message.success").inner_text()
    link = re.search(r"https?://\S+/invite/[\w-]+/", message)
    assert link, message
    shot(page, "onboarding-03-invited")

    # The invited person opens the link in their own browser and creates an account.
    other = browser.new_context(**browser_context_args)
    newbie = other.new_page()
    # The link names the configured site URL; the test server listens elsewhere.
    newbie.goto(base + urlsplit(link.group(0)).path)
    expect(newbie.locator("h1")).to_contain_text("麥香烘焙坊")
    newbie.fill("#full_name", "王小明")
    newbie.fill("#password", "bread-and-ads-2026")
    newbie.fill("#password_again", "bread-and-ads-2026")
    newbie.locator("main form button[type=submit]").click()
    expect(newbie).to_have_url(base + "/w/maixiang/")
    expect(newbie.locator("hgroup p")).to_contain_text(AGENCY)
    shot(newbie, "onboarding-04-newbie-overview")
    newbie.goto(base + "/w/maixiang/people/")
    expect(newbie.locator(f'[data-team="{AGENCY}"] [data-member="{NEWBIE}"]')).to_be_visible()
    expect(newbie.locator("#invite-form")).to_have_count(0)  # a member cannot invite
    shot(newbie, "onboarding-05-newbie-people")
    other.close()

    # The owner sees the invitation used and the person in the agency team.
    page.reload()
    expect(page.locator(f'[data-invitation="{NEWBIE}"]')).to_have_count(0)
    expect(page.locator(f'[data-team="{AGENCY}"] [data-member="{NEWBIE}"]')).to_be_visible()
    shot(page, "onboarding-06-owner-people")


def test_overview_fits_a_phone(
    live_server: Any, browser: Browser, browser_context_args: dict[str, Any], shot: Any
) -> None:
    load_demo()
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}}
    )
    phone = context.new_page()
    sign_in(phone, live_server.url, "account@sparkdigital.example", DEMO_PASSWORD)
    expect(phone.locator("h1")).to_be_visible()
    for path in ("/w/maixiang/", "/w/maixiang/people/"):
        phone.goto(live_server.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    shot(phone, "onboarding-phone")
    context.close()
