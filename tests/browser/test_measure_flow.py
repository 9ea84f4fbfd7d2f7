"""As a new owner would, in Traditional Chinese: look at plan against actual and the
channels page (nothing spent yet), bring in a Google Ads export through 成效 → 匯入, say
what its one unknown column holds, check the preview, import it, see the line's actual
and the Google Ads channel change by exactly the file's figures, roll the import back,
and see both pages as they were.

Which file: a Google Ads zh-TW campaign report as downloaded (title rows, 貨幣代碼,
費用 with thousands separators, a 總計 row) whose date column is headed 「報表日期」
instead of 日期 or 天, as in a weekly report an agency tidies before sending it on. A
file whose known headers are all there and that has one more column is read as Google
Ads at once, the extra column ignored, with no mapping screen: parse.py decides the layout
from the columns it recognizes and `_layout_of` needs one for the date. Without it no
layout fits, so the mapping screen comes, with the seven recognized columns filled in
and the date column marked as unknown: the person maps that one and names the channel.

Dates: the report covers yesterday and today (today only on the 1st), so both days are
in this month, this fiscal year and the channels page's default last 30 days."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from crewplan.measure.models import DailyMetric, Import
from crewplan.planning.budget import services as budget_services
from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.workspaces import services
from tests.factories import channel_named, make_user, plan_line

LINE = "Google 關鍵字廣告"
FILE = "廣告活動報表.csv"
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
SIDEWAYS = "[document.documentElement.scrollWidth, window.innerWidth]"


def google_ads_report(first: date, last: date) -> bytes:
    """Two campaigns: spend 1,234.50 + 2,000.00 = 3,234.50, conversion value 41,600."""
    rows = [
        "廣告活動報表",
        f'"{first.year}年{first.month}月{first.day}日 - {last.year}年{last.month}月{last.day}日"',
        "報表日期,廣告活動,貨幣代碼,費用,曝光,點擊,轉換,轉換價值",
        f'{first:%Y/%m/%d},雙11 限時優惠,TWD,"1,234.50","12,000",300,12.50,"15,600.00"',
        f'{last:%Y/%m/%d},品牌關鍵字,TWD,"2,000.00","20,100",410,20.00,"26,000.00"',
        '總計：帳戶,,TWD,"3,234.50","32,100",710,32.50,"41,600.00"',
    ]
    return ("\r\n".join(rows) + "\r\n").encode()


def line_actual(page: Page) -> Any:
    """The plan page's line row, Actual column (category, item, planned, committed, actual)."""
    return page.locator(f'#line-table tr[data-line="{LINE}"] td').nth(4)


def channel_cell(page: Page, channel_id: int, column: int) -> Any:
    """The channels table's cell: 1 spend, 2 revenue, 3 ROAS (each over its change)."""
    return page.locator(f'#channel-table tr[data-key="{channel_id}"] td').nth(column)


def look_at_both_widths(page: Page, folder: Path, name: str) -> None:
    """artifacts/screens/<name>-<width>-zh-TW.png, as test_screens names them; the page
    never scrolls sideways."""
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        scroll_width, inner_width = page.evaluate(SIDEWAYS)
        assert scroll_width <= inner_width + 1, f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(folder / f"{name}-{width}-zh-TW.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})


def test_import_a_google_ads_export_see_it_and_roll_it_back(
    live_server: Any, page: Page, sign_in: Any, artifacts: Path
) -> None:
    screens = artifacts / "screens"
    screens.mkdir(exist_ok=True)
    owner = make_user("boss@bakery.example", "陳志明")
    workspace = services.workspace_create(
        name="麥香烘焙坊", slug="bakery", owner=owner, team_name="品牌行銷部"
    )
    today = timezone.localdate()
    first = today - timedelta(days=1) if today.day > 1 else today
    version = budget_services.version_create(
        workspace=workspace,
        actor=owner,
        fiscal_year=fiscal_year_of(workspace, today),
        name="年度預算",
    )
    google = channel_named(workspace, "Google Ads")  # a new workspace has it
    plan_line(version, owner, LINE, "media", google, {m: 30000 for m in range(1, 13)})
    base = live_server.url
    sign_in(page, base, "boss@bakery.example")

    # Step 1: nothing spent yet.
    page.goto(base + "/w/bakery/results/plan/")
    expect(page.locator("h1")).to_contain_text("計畫與實際")
    expect(line_actual(page)).to_have_text("NT$0")
    expect(page.locator("#summary-actual")).to_have_text("NT$0")
    page.locator("nav.results-nav").get_by_role("link", name="通路").click()
    expect(page.locator("h1")).to_have_text("通路")
    expect(channel_cell(page, google.pk, 1)).to_contain_text("NT$0")
    expect(channel_cell(page, google.pk, 3)).to_contain_text("—")  # no ROAS without spend
    expect(page.locator("#daily-table")).to_have_count(0)  # 「這段期間沒有數據。」
    before_spend = channel_cell(page, google.pk, 1).text_content() or ""
    before_roas = channel_cell(page, google.pk, 3).text_content() or ""

    # Step 2: 成效 → 匯入, the file, and the one column crewplan does not know.
    page.locator("nav.modules").get_by_role("link", name="成效", exact=True).click()
    page.locator("#results-sections").get_by_role("link", name="匯入", exact=True).click()
    expect(page.locator("h1")).to_have_text("匯入花費與成效")
    page.get_by_label("CSV 或 .xlsx 檔").set_input_files(
        {"name": FILE, "mimeType": "text/csv", "buffer": google_ads_report(first, today)}
    )
    page.locator("#measure-import-form").get_by_role("button", name="預覽").click()
    expect(page.locator("h1")).to_have_text("各欄位分別是什麼？")
    unknown = page.locator("#mapping-table tr.unknown-column")
    expect(unknown).to_have_count(1)
    expect(unknown).to_contain_text("報表日期")
    expect(unknown).to_contain_text("crewplan 不認得這個標題")
    expect(unknown).not_to_contain_text("總計")  # the total row is no sample value
    # What crewplan recognized is filled in.
    expect(page.get_by_label("費用")).to_have_value("spend")
    expect(page.get_by_label("轉換價值")).to_have_value("revenue")
    expect(page.get_by_label("貨幣代碼")).to_have_value("currency")
    look_at_both_widths(page, screens, "results-import-mapping")
    page.get_by_label("報表日期").select_option(label="日期")
    page.get_by_label("沒有通路欄位時，所有資料列的通路").fill("Google Ads")
    page.locator("#mapping-form").get_by_role("button", name="預覽").click()

    # The preview: how it was read, rows, days, the channel's totals; nothing saved yet.
    expect(page.locator("h1")).to_have_text(f"預覽：{FILE}")
    summary = page.locator("#preview-summary")
    expect(summary).to_contain_text("以你對應的欄位讀取（UTF-8）：共 2 列。")
    with translation.override("zh-hant"):
        days = [date_format(d, "SHORT_DATE_FORMAT") for d in (first, today)]
    expect(summary).to_contain_text(f"從 {days[0]} 到 {days[1]}。")
    totals = page.locator('#preview-totals tr[data-channel="Google Ads"] td')
    expect(totals).to_have_text(["2", "3,234.50", "32,100", "710", "32.50", "41,600.00"])
    expect(page.locator("#unknown-channels")).to_have_count(0)  # the workspace's own channel
    look_at_both_widths(page, screens, "results-import-preview")
    page.locator("#import-confirm").get_by_role("button", name="匯入").click()

    # Step 3: the import's page, then plan against actual and the channel, changed.
    expect(page.locator("h1")).to_have_text(FILE)
    counts = page.locator("dl.import-counts")
    expect(counts.locator("dt:text-is('新增') + dd")).to_have_text("2")
    expect(counts.locator("dt:text-is('拒收') + dd")).to_have_text("0")
    page.locator("nav.modules").get_by_role("link", name="成效", exact=True).click()
    page.locator("#results-sections").get_by_role("link", name="計畫與實際").click()
    expect(page.locator("h1")).to_contain_text("計畫與實際")
    expect(line_actual(page)).to_have_text("NT$3,235")  # 3,234.50, TWD in whole dollars
    expect(page.locator("#summary-actual")).to_have_text("NT$3,235")
    page.locator("nav.results-nav").get_by_role("link", name="通路").click()
    expect(page.locator("h1")).to_have_text("通路")
    expect(channel_cell(page, google.pk, 1)).to_contain_text("NT$3,235")
    expect(channel_cell(page, google.pk, 2)).to_contain_text("NT$41,600")
    expect(channel_cell(page, google.pk, 3)).to_contain_text("12.86")  # 41,600 ÷ 3,234.50

    # Step 4: roll it back from its page, and both pages are as in step 1.
    page.locator("nav.modules").get_by_role("link", name="成效", exact=True).click()
    page.locator("#results-sections").get_by_role("link", name="匯入", exact=True).click()
    page.locator("#imports-table").get_by_role("link", name=FILE).click()
    page.get_by_role("button", name="復原這次匯入").click()
    expect(page.locator("#rolled-back")).to_be_visible()
    expect(page.locator(".message.success")).to_contain_text("已復原這次匯入")
    page.locator("nav.modules").get_by_role("link", name="成效", exact=True).click()
    page.locator("#results-sections").get_by_role("link", name="計畫與實際").click()
    expect(line_actual(page)).to_have_text("NT$0")
    expect(page.locator("#summary-actual")).to_have_text("NT$0")
    page.locator("nav.results-nav").get_by_role("link", name="通路").click()
    expect(page.locator("h1")).to_have_text("通路")
    expect(channel_cell(page, google.pk, 1)).to_have_text(before_spend)
    expect(channel_cell(page, google.pk, 3)).to_have_text(before_roas)
    expect(page.locator("#daily-table")).to_have_count(0)
    record = Import.objects.get(workspace=workspace)
    assert record.status == Import.Status.ROLLED_BACK and record.rows_added == 2
    assert not DailyMetric.objects.filter(workspace=workspace).exists()
