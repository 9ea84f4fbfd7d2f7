"""Every main page of the demo workspace, at a desktop and a phone width, in Chinese and
in English: a full-page screenshot of each (artifacts/screens/<page>-<width>-<lang>.png,
to look at), and what a person would notice without looking closely, collected over all
pages and reported together:

- the page itself scrolls sideways (a table or grid may scroll inside its own box);
- the browser reports an error (a script error, a refused inline script or style: the
  Content-Security-Policy's refusals are console errors);
- a Chinese page shows English (its visible text, header and main): a catalogue msgid
  verbatim, two English words in a row that are not a name (the allowlist below says
  which and why), or a field's or choice's code name (publish_at);

and, on the way, a page answering with another status or in another language than asked.

One browser; one context per language and width, reused across the pages; the language
is switched as a person does, with the header's language buttons (saved on their
account), and the signed-out login page follows the browser's Accept-Language."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from crewplan.planning.models import AiTool, Goal, Kpi, RoiEstimate
from crewplan.raci.models import MatrixVersion
from crewplan.reports import services as report_services
from crewplan.reports import tasks as report_tasks
from crewplan.reports.collaboration import quarter_of
from crewplan.work.models import WorkItem
from crewplan.workspaces.demo import DEMO_PASSWORD, DEMO_SLUG, IN_HOUSE, load_demo
from crewplan.workspaces.models import Workspace
from tests.screen_checks import WIDEST, english_on_chinese_page

OWNER = IN_HOUSE[0].email  # the owner sees every page (settings, audit log)
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
LANGUAGES = {
    # context locale (Accept-Language), the header button's value, <html lang>
    "zh-TW": ("zh-TW", "zh-hant", "zh-Hant-TW"),
    "en": ("en-US", "en", "en"),
}


@dataclass(frozen=True)
class Screen:
    """A page, and the element that shows it is there with the demo's content."""

    name: str
    path: str
    ready: str = "main h1"
    status: int = 200


AGENDA = "#agenda li.agenda-item:visible"


def screens() -> list[Screen]:
    """The pages, with the demo's own rows for those that show one."""
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    w = f"/w/{DEMO_SLUG}"
    first, second = MatrixVersion.objects.for_workspace(workspace).order_by("number")[:2]
    item = WorkItem.objects.for_workspace(workspace).get(title="跨年蛋糕 IG 貼文")
    goal = Goal.objects.for_workspace(workspace).exclude(kpi=None).order_by("pk").first()
    assert goal is not None and goal.kpi_id is not None
    kpi = Kpi.objects.for_workspace(workspace).get(pk=goal.kpi_id)
    roi_tool = RoiEstimate.objects.for_workspace(workspace).order_by("pk").first().tool_id  # type: ignore[union-attr]
    tool = AiTool.objects.for_workspace(workspace).get(pk=roi_tool)
    with timezone.override(workspace.time_zone):
        quarter = quarter_of(timezone.localdate(), workspace.fiscal_year_start_month)
    report = report_services.report_request(
        workspace=workspace, quarter=quarter, language="zh-hant", actor=None, background=False
    )
    report_tasks.run(report.pk)
    return [
        Screen("overview", f"{w}/", ".team-card"),
        Screen("raci-matrix", f"{w}/raci/", "ul.findings li"),  # findings and sign-offs
        Screen("raci-versions", f"{w}/raci/versions/?a={first.pk}&b={second.pk}", "table.diff"),
        Screen("raci-import", f"{w}/raci/import/", "main form input[type=file]"),
        # A phone sees the agenda instead of the grid (CSS): whichever is shown.
        Screen("calendar-month", f"{w}/work/", f"table.calendar li.item:visible, {AGENDA}"),
        Screen(
            "calendar-week",
            f"{w}/work/?view=week",
            f"table.calendar.week li.item:visible, {AGENDA}",
        ),
        Screen("calendar-agenda", f"{w}/work/?view=agenda", AGENDA),
        Screen("item", f"{w}/work/items/{item.pk}/", "#item-state"),
        Screen("item-new", f"{w}/work/items/new/", "#item-form"),
        Screen("inbox", f"{w}/work/inbox/", "#inbox"),
        Screen("feed", f"{w}/work/feed/"),
        Screen("content-rules", f"{w}/work/rules/", "#rules-form"),
        Screen("goals", f"{w}/plan/goals/", "table.goals tbody tr"),
        Screen("goal", f"{w}/plan/goals/{goal.pk}/", "#smart-panel"),
        Screen("kpi", f"{w}/plan/kpis/{kpi.pk}/", "#targets-table"),
        Screen("tools", f"{w}/plan/tools/", "main table tbody tr"),
        Screen("tool", f"{w}/plan/tools/{tool.pk}/", "#tool-form"),
        Screen("roi", f"{w}/plan/tools/{tool.pk}/roi/", "#roi-scenarios"),
        Screen("tools-compare", f"{w}/plan/tools/compare/", "#compare-table"),
        Screen("resources", f"{w}/plan/resources/", "#gap-table"),
        Screen("budget", f"{w}/plan/budget/", "table.budget tbody tr"),  # and its health check
        Screen("budget-import", f"{w}/plan/budget/import/", "main form input[type=file]"),
        Screen("results", f"{w}/results/", "#results-sections li"),
        Screen("results-plan", f"{w}/results/plan/", "main table tbody tr"),
        Screen("results-channels", f"{w}/results/channels/", "main table tbody tr"),
        Screen("results-kpis", f"{w}/results/kpis/", "main table tbody tr"),
        Screen("results-tools", f"{w}/results/tools/", "main table tbody tr"),
        Screen("results-tool-reviews", f"{w}/results/tools/{tool.pk}/reviews/", "main form"),
        Screen("results-teams", f"{w}/results/teams/?period=last_quarter", "main table tbody tr"),
        Screen("results-imports", f"{w}/results/imports/", "#imports-table tbody tr"),
        Screen("results-expenses", f"{w}/results/expenses/", "main table tbody tr"),
        Screen(
            "results-channel-settings", f"{w}/results/channels/settings/", "main table tbody tr"
        ),
        Screen("reallocation", f"{w}/reallocation/", "#fit-form"),
        Screen("lift-tests", f"{w}/reallocation/lift-tests/", "#lift-test-form"),
        Screen("review-collaboration", f"{w}/review/collaboration/", "section.pitfall h2"),
        Screen("review-reports", f"{w}/review/reports/", "#reports-table tbody tr"),
        Screen("review-report", f"{w}/review/reports/{report.pk}/", "#report-document h1"),
        Screen("people", f"{w}/people/", "table.people tbody tr"),
        Screen("settings", f"{w}/settings/", "main form"),
        Screen("audit", f"{w}/audit/", "table.audit tbody tr"),
        Screen("profile", "/accounts/profile/", "main form"),
        Screen("not-found", f"{w}/work/items/999999999/", status=404),
    ]


def test_every_screen_at_both_widths_in_both_languages(
    live_server: Any, browser: Browser, browser_context_args: dict[str, Any], artifacts: Path
) -> None:
    load_demo()
    folder = artifacts / "screens"
    folder.mkdir(exist_ok=True)
    pages = screens()
    failures: list[str] = []
    for lang, (locale, button, html_lang) in LANGUAGES.items():
        for width, viewport in WIDTHS.items():
            context = browser.new_context(
                **{**browser_context_args, "locale": locale, "viewport": viewport}
            )
            look = Look(context.new_page(), live_server.url, folder, width, lang, html_lang)
            # Signed out: the login page, in the language the browser asks for.
            look.at(Screen("login", "/accounts/login/", "main form"))
            look.page.fill("input[name=username]", OWNER)
            look.page.fill("input[name=password]", DEMO_PASSWORD)
            overview = re.compile(rf"/w/{DEMO_SLUG}/$")
            with look.page.expect_navigation(url=overview):
                look.page.locator("main form button[type=submit]").click()
            # Signed in: the header's button, as a person switches (saved on the account),
            # back on the same page once the choice is saved.
            with look.page.expect_navigation(url=overview):
                look.page.locator(f"button[name=language][value={button}]").click()
            expect(look.page.locator("html")).to_have_attribute("lang", html_lang)
            for screen in pages:
                look.at(screen)
            context.close()
            failures += look.failures
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


class Look:
    """One browser tab at one width in one language, going from page to page and noting
    what is wrong on each; the browser's errors are noted against the page open when
    they came."""

    def __init__(
        self, page: Page, base: str, folder: Path, width: str, lang: str, html_lang: str
    ) -> None:
        self.page, self.base, self.folder = page, base, folder
        self.width, self.lang, self.html_lang = width, lang, html_lang
        self.screen = Screen("(none)", "")
        self.failures: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.report(f"page error {error}"))

    def report(self, what: str) -> None:
        self.failures.append(f"{self.screen.name} {self.width} {self.lang}: {what}")

    def console(self, message: ConsoleMessage) -> None:
        # The error page's own 404 is the browser noting the status it was sent.
        expected = self.screen.status == 404 and "status of 404" in message.text
        if message.type == "error" and not expected:
            self.report(f"console error {message.text!r}")

    def at(self, screen: Screen) -> None:
        self.screen = screen
        page = self.page
        response = page.goto(self.base + screen.path)
        assert response is not None
        if response.status != screen.status:
            self.report(f"status {response.status}, not {screen.status}")
        expect(page.locator(screen.ready).first).to_be_visible()
        lang = page.locator("html").get_attribute("lang")
        if lang != self.html_lang:
            self.report(f"<html lang> is {lang!r}, not {self.html_lang!r}")
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width + 1:
            culprits = page.evaluate(WIDEST)
            self.report(f"page scrolls sideways: {scroll_width}px in {inner_width}px ({culprits})")
        if self.lang == "zh-TW":
            for problem in english_on_chinese_page(page.locator("body").inner_text()):
                self.report(problem)
        name = f"{screen.name}-{self.width}-{self.lang}.png"
        page.screenshot(path=str(self.folder / name), full_page=True)


def test_the_english_check_tells_names_from_sentences() -> None:
    """The control case of the walk above: what it must flag and what it must let be."""
    flagged = english_on_chinese_page(
        "按 Sign out 離開\n"
        "3 problems must be fixed in the file before it can be imported. Nothing was saved."
    )
    assert "untranslated msgid 'Sign out'" in flagged
    assert "English words 'Sign out'" in flagged
    assert english_on_chinese_page("欄位 publish_at：2026-12-02，https://x.example/a_b") == [
        "code names shown: publish_at"
    ]
    assert any(p.startswith("untranslated msgid '%(n)s problems must") for p in flagged)
    assert not english_on_chinese_page(
        "crewplan 的 RACI 與 KPI、ROI 估算；Google Ads 與 LINE 官方帳號；ChatGPT Team 訂閱；"
        "匯出 XLSX：https://example.com/a b 或寫信到 owner@maixiang.example；English"
    )


APPEND_HTML = "html => document.body.append(document.createRange().createContextualFragment(html))"


def test_the_watch_sees_what_the_content_security_policy_refuses(
    live_server: Any, browser: Browser, browser_context_args: dict[str, Any], tmp_path: Path
) -> None:
    """The control case of the console watch: an inline style and an inline script put
    on a page are refused, and each refusal is a failure of that page."""
    context = browser.new_context(**browser_context_args)
    look = Look(context.new_page(), live_server.url, tmp_path, "1280", "zh-TW", "zh-Hant-TW")
    look.at(Screen("login", "/accounts/login/", "main form"))
    assert look.failures == []
    for element in ('<p style="color: red">', "<script>void 0</script>"):
        with look.page.expect_console_message(lambda m: m.type == "error"):
            look.page.evaluate(APPEND_HTML, element)
    context.close()
    assert len(look.failures) == 2, look.failures
    assert all("Content Security Policy" in f for f in look.failures), look.failures
