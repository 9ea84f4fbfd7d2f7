"""As a new user would: open the demo, sign in, switch language both ways, invite an
agency member, accept in a second browser, and see the person in the right team.

Elements are found by ids, form ids, data-* attributes and input names, so the tests
do not depend on the translation catalogue; the only deliberate language checks are
the sign-in page in Chinese (the browser asks for zh-TW) and English after switching."""

import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from crewplan.workspaces.demo import DEMO_PASSWORD, load_demo

OWNER = "owner@maixiang.example"
WORKSPACE = "麥香烘焙坊"
AGENCY = "星火數位行銷"
NEWBIE = "newbie@sparkdigital.example"
NEWBIE_PASSWORD = "warm-croissant-ads-2026"
ZH_HANT = re.compile(r"^zh-Hant")
# The success message ends with the link; a translation may put punctuation around it.
INVITE_LINK = re.compile(r"https?://[\w.:\[\]-]+/invite/[\w-]+/")


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    login = page.locator("main form[action$='/accounts/login/']")
    login.locator("input[name=username]").fill(email)
    login.locator("input[name=password]").fill(password)
    login.locator("button[type=submit]").click()


def test_onboarding_an_agency_member(
    live_server: Any, page: Page, browser: Browser, browser_context_args: dict[str, Any], shot: Any
) -> None:
    load_demo()
    base = live_server.url

    # 1. Anonymous: sent to the login page, in the language the browser asks for.
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", ZH_HANT)
    login = page.locator("main form[action$='/accounts/login/']")
    # Deliberate: fails (shows "Sign in") while the zh_Hant catalogue is not compiled.
    expect(login.locator("button[type=submit]")).to_have_text("登入")
    shot(page, "onboarding-00-login")

    # 2. The owner signs in and lands on the workspace overview.
    login.locator("input[name=username]").fill(OWNER)
    login.locator("input[name=password]").fill(DEMO_PASSWORD)
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(base + "/w/maixiang/")
    expect(page.locator("main h1")).to_contain_text(WORKSPACE)
    shot(page, "onboarding-01-overview")

    # 3. Language: to English and back, with the header's language form.
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(base + "/w/maixiang/")  # stays on the same page
    expect(page.locator("header form[action$='/logout/'] button")).to_have_text("Sign out")
    expect(page.locator("button[name=language][value=en]")).to_have_attribute(
        "aria-current", "true"
    )
    shot(page, "onboarding-02-english")
    page.locator("button[name=language][value=zh-hant]").click()
    expect(page.locator("html")).to_have_attribute("lang", ZH_HANT)
    expect(page.locator("button[name=language][value=zh-hant]")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("main h1")).to_contain_text(WORKSPACE)
    shot(page, "onboarding-02b-chinese-again")

    # 4. Invite a person into the agency team.
    page.goto(base + "/w/maixiang/people/")
    form = page.locator("#invite-form")
    form.locator("input[name=email]").fill(NEWBIE)
    form.locator("select[name=team]").select_option(label=AGENCY)
    form.locator("select[name=role]").select_option("member")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(base + "/w/maixiang/people/")
    success = page.locator(".messages .message.success")
    expect(success).to_contain_text(NEWBIE)
    link = INVITE_LINK.search(success.inner_text())
    assert link, f"no invitation link in {success.inner_text()!r}"
    invitation = page.locator(f'[data-invitation="{NEWBIE}"]')
    expect(invitation).to_have_count(1)
    expect(invitation).to_contain_text(AGENCY)
    shot(page, "onboarding-03-invited")

    # 5. The invited person opens the link in their own browser, not signed in.
    other = browser.new_context(**browser_context_args)
    try:
        newbie = other.new_page()
        # The link names the configured CREWPLAN_SITE_URL; the test server listens
        # elsewhere, so keep its path only.
        newbie.goto(base + urlsplit(link.group(0)).path)
        expect(newbie.locator("main h1")).to_contain_text(WORKSPACE)
        expect(newbie.locator("main article")).to_contain_text(NEWBIE)
        newbie.fill("#full_name", "王小明")
        newbie.fill("#password", NEWBIE_PASSWORD)
        newbie.fill("#password_again", NEWBIE_PASSWORD)
        newbie.locator("main form:has(#full_name) button[type=submit]").click()
        expect(newbie).to_have_url(base + "/w/maixiang/")
        expect(newbie.locator("main h1")).to_contain_text(WORKSPACE)
        expect(newbie.locator("main hgroup p")).to_contain_text(AGENCY)
        expect(newbie.locator(".messages .message.success")).to_contain_text(WORKSPACE)
        shot(newbie, "onboarding-04-newbie-overview")

        newbie.goto(base + "/w/maixiang/people/")
        row = newbie.locator(f'[data-team="{AGENCY}"] [data-member="{NEWBIE}"]')
        expect(row).to_have_count(1)
        expect(row).to_contain_text("王小明")
        expect(newbie.locator("#invite-form")).to_have_count(0)  # a member cannot invite
        shot(newbie, "onboarding-05-newbie-people")
    finally:
        other.close()

    # 6. The owner sees the invitation used up and the person in the agency team.
    page.reload()
    expect(page.locator(f'[data-invitation="{NEWBIE}"]')).to_have_count(0)
    expect(page.locator(f'[data-team="{AGENCY}"] [data-member="{NEWBIE}"]')).to_have_count(1)
    expect(page.locator(f'[data-team="品牌行銷部"] [data-member="{NEWBIE}"]')).to_have_count(0)
    shot(page, "onboarding-06-owner-people")


def test_overview_fits_a_phone(
    live_server: Any, browser: Browser, browser_context_args: dict[str, Any], shot: Any
) -> None:
    load_demo()
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}}
    )
    try:
        phone = context.new_page()
        # The owner sees the most header links (settings, audit log): the widest case.
        sign_in(phone, live_server.url, OWNER, DEMO_PASSWORD)
        expect(phone).to_have_url(live_server.url + "/w/maixiang/")
        expect(phone.locator("main h1")).to_contain_text(WORKSPACE)
        for path, name in (
            ("/w/maixiang/", "onboarding-phone"),
            ("/w/maixiang/people/", "onboarding-phone-people"),
        ):
            phone.goto(live_server.url + path)
            scroll_width, inner_width = phone.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            shot(phone, name)
            assert scroll_width <= inner_width + 1, (
                f"{path} scrolls sideways on a phone: {scroll_width}px wide in {inner_width}px"
            )
    finally:
        context.close()
