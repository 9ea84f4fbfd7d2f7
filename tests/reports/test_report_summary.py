"""Section 1, the one-page summary: built from the other sections' headlines only, errors
before warnings among the findings, and rendered in both languages from the demo's report
with the figures the sections state."""

import re
from typing import Any

from django.test import override_settings
from django.utils import timezone

from crewplan.reports.collaboration import quarter_of
from crewplan.reports.report import build_report, render_html
from crewplan.reports.summary import summary, top_findings
from crewplan.workspaces.demo import load_demo
from crewplan.workspaces.models import Team

QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def _finding(code: str, severity: str) -> dict[str, str]:
    return {"code": code, "severity": severity, "message": f"{code} found", "fix": ""}


SECTIONS: dict[str, Any] = {
    "goals": {"headline": {"achieved": 2, "missed": 1, "no_target": 3, "no_actual": 0}},
    "budget": {"headline": {"planned": "1000.00", "actual": "970.00", "currency": "TWD"}},
    "raci": {"findings": [_finding("raci.warn", "warning")], "headline": {}},
    "collaboration": {
        "headline": {"findings": [_finding("c.warn", "warning"), _finding("c.err", "error")]}
    },
    "budget_health": {
        "headline": {"top": [_finding("b.err", "error"), _finding("b.warn", "warning")]}
    },
    "reallocation": {"headline": {"fit": True, "gain": "NT$1,200", "p_beats_current": 83}},
    "actions": {"headline": {"count": 4}},
}


def test_errors_come_first_then_the_sections_order() -> None:
    codes = [f["code"] for f in top_findings(SECTIONS)]
    assert codes == ["c.err", "b.err", "raci.warn"]
    assert [f["code"] for f in top_findings(SECTIONS, 5)][3:] == ["c.warn", "b.warn"]


def test_the_summary_takes_each_sections_headline() -> None:
    found = summary(SECTIONS)
    assert found["kpis"]["achieved"] == 2 and found["kpis"]["missed"] == 1
    assert found["budget"]["actual"] == "970.00"
    assert found["finding_counts"] == {"error": 2, "warning": 3}
    assert found["reallocation"]["p_beats_current"] == 83
    assert found["actions"] == 4
    empty = summary({})
    assert empty["findings"] == [] and empty["actions"] == 0 and empty["kpis"] == {}


def _text(html: str) -> str:
    part = html.split('id="report-summary"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_the_demo_summary_states_the_sections_figures(db: Any) -> None:
    with override_settings(MAILERS=QUIET_MAIL):
        bakery = load_demo()
    with timezone.override(bakery.time_zone):
        quarter = quarter_of(timezone.localdate(), bakery.fiscal_year_start_month)
        data = build_report(bakery, quarter, language="zh-hant", audience_team_id=None)
        agency = Team.objects.get(workspace=bakery, kind=Team.Kind.EXTERNAL)
        theirs = build_report(bakery, quarter, language="en", audience_team_id=agency.pk)
    goals = data.sections["goals"]["headline"]
    text = _text(render_html(data))
    assert "一、摘要" in text
    assert f"達成的 KPI：{goals['achieved']} 項；未達成：{goals['missed']} 項" in text
    budget = data.sections["budget"]["headline"]
    assert budget["planned"] and "本季計畫 NT$" in text and "為計畫的" in text
    for finding in data.sections["summary"]["findings"]:
        assert finding["message"] in text
    assert data.sections["summary"]["actions"] == len(data.actions)
    # The demo is loaded with its quarter fitted: the summary states the recommendation.
    assert data.sections["reallocation"]["fit"]
    assert "預期增益 NT$" in text or "資料還無法判斷任何通路" in text
    assert f"第十節列出 {len(data.actions)} 項行動" in text
    # The agency's copy: no money in the summary, and it says so.
    assert theirs.amounts_hidden
    english = _text(render_html(theirs))
    assert "1. Summary" in english and "NT$" not in english
    assert "Left out of this copy" in english
