"""The demo bakery's quarterly report as a PDF, read back with poppler: the text holds
every heading and figure the HTML copy shows (Chinese included), Noto Sans CJK TC is
embedded, and the first page is rendered to artifacts/report-first-page.png to look at.
The agency's copy says what it leaves out; the in-house copy does not."""

import html as html_lib
import re
import subprocess
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import timezone

from crewplan.reports import services, tasks
from crewplan.reports.collaboration import quarter_of
from crewplan.reports.models import ReportCopy
from crewplan.workspaces.demo import load_demo
from crewplan.workspaces.models import Team, Workspace

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def _demo_report() -> tuple[Workspace, dict[int | None, ReportCopy]]:
    with override_settings(MAILERS=QUIET_MAIL):
        bakery = load_demo()
    with timezone.override(bakery.time_zone):
        quarter = quarter_of(timezone.localdate(), bakery.fiscal_year_start_month)
    report = services.report_request(
        workspace=bakery, quarter=quarter, language="zh-hant", actor=None, background=False
    )
    assert tasks.run(report.pk)
    return bakery, {c.audience_team_id: c for c in ReportCopy.objects.filter(report=report)}


def _plain(fragment: str) -> str:
    return SPACE.sub("", html_lib.unescape(TAG.sub("", fragment)))


def _pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    # Noto Sans CJK draws the middle dot (U+00B7) with the glyph poppler reads back as a
    # bullet (U+2022): the same mark on the page.
    return SPACE.sub("", out.stdout).replace("\u2022", "\u00b7")


def test_the_demo_pdf_holds_the_html_headings_and_figures_in_chinese(
    db: Any, tmp_path: Path
) -> None:
    bakery, copies = _demo_report()
    in_house = copies[None]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(bytes(in_house.pdf))
    text = _pdftotext(pdf)
    headings = [_plain(h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", in_house.html, re.S)]
    # A figure's cell may hold a value and a note under it (<small>): each text of it on
    # its own, as pdftotext may read a table's lines in another order.
    figures = [
        _plain(piece)
        for cell in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', in_house.html, re.S)
        for piece in TAG.split(cell)
    ]
    # The money sections (section 2 on) put their figures in tables: once they are in the
    # report, there are figures to find.
    assert figures or "goals" not in in_house.data["sections"]
    year, number = in_house.data["quarter"].split("Q")
    assert f"季度檢討{year}財年第{number}季" in headings
    assert "目錄" in headings
    missing = [h for h in headings + figures if h and h not in text]
    assert missing == [], f"in the HTML but not in the PDF: {missing[:20]}"
    assert _plain(bakery.name) in text
    assert "公司內部版本" in text
    assert "簽核" in text  # the printed copy's sign-off block

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "Noto-Sans-CJK" in line]
    assert cjk and all("Noto-Sans-CJK-TC" in line for line in cjk), fonts.stdout
    # pdffonts' "emb" column: every CJK font embedded.
    assert all(line.split()[-5] == "yes" for line in cjk), fonts.stdout

    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "report-first-page"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "report-first-page.png").stat().st_size > 5000


def test_the_agency_copy_says_what_it_leaves_out(db: Any, tmp_path: Path) -> None:
    bakery, copies = _demo_report()
    agency = Team.objects.get(workspace=bakery, kind=Team.Kind.EXTERNAL)
    assert set(copies) == {None, agency.pk}
    pdf = tmp_path / "agency.pdf"
    pdf.write_bytes(bytes(copies[agency.pk].pdf))
    text = _pdftotext(pdf)
    assert "代理商版本" in text
    assert "此版本省略了部分金額" in text
    assert "此版本省略了部分金額" not in _plain(copies[None].html)
