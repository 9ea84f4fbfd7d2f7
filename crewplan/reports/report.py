"""The quarterly review report: the workspace's figures for a fiscal quarter gathered
into a plain, JSON-able snapshot (`ReportData`), rendered to HTML (one template serves
the page and the PDF) and to PDF with WeasyPrint.

A report is frozen: `build_report` reads the database once, the stored report keeps the
snapshot and what was rendered from it; nothing here writes."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.sections_money import money_sections
from crewplan.reports.summary import summary
from crewplan.workspaces.models import Workspace

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ReportAction:
    """One line of section 10's checklist, which people can turn into a work item.

    `key` is stable across regenerations (the finding's code and its subject, e.g.
    "tool_low_usage:12"); `title` and `detail` are in the report's language; the work
    item made from it goes under `activity_id` (the RACI activity, so it is assigned
    through the matrix like any item), or the review activity when None."""

    key: str
    title: str
    detail: str
    activity_id: int | None = None


@dataclass(frozen=True)
class ReportData:
    workspace_id: int
    quarter: str  # "2026Q4" (fiscal, the workspace's start month)
    language: str  # "zh-hant" | "en"
    audience_team_id: int | None  # None: the in-house copy; else an external team's copy
    amounts_hidden: bool  # amounts left out of this copy (and the copy says so)
    generated_at: str  # ISO 8601, aware
    sections: dict[str, Any] = field(default_factory=dict)
    actions: list[ReportAction] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ReportData":
        fields = dict(data)
        fields["actions"] = [ReportAction(**action) for action in fields.get("actions", [])]
        return cls(**fields)


def build_report(
    workspace: Workspace,
    quarter: FiscalQuarter,
    *,
    language: str,
    audience_team_id: int | None,
    progress: Progress | None = None,
) -> ReportData:
    """Read everything the report shows (a fixed number of queries) as the copy for
    `audience_team_id` (None: in-house, everything; an external team: what
    `Action.VIEW_BUDGET_AMOUNTS` and the work visibility let its members see);
    `progress(percent)` is called as sections are done."""
    # Imported here: the sections' modules import ReportAction from this one.
    from crewplan.reports.sections_work import work_sections

    def done(percent: int) -> None:
        if progress is not None:
            progress(percent)

    work = work_sections(workspace, quarter, language=language, audience_team_id=audience_team_id)
    done(50)
    money = money_sections(workspace, quarter, language=language, audience_team_id=audience_team_id)
    done(90)
    sections: dict[str, Any] = {"title": workspace.name, **work.sections, **money}
    sections["summary"] = summary(sections)
    hidden = work.amounts_hidden or any(
        bool((money[key].get("headline") or {}).get("hidden")) for key in money
    )
    data = ReportData(
        workspace_id=workspace.pk,
        quarter=quarter.label,
        language=language,
        audience_team_id=audience_team_id,
        amounts_hidden=audience_team_id is not None and hidden,
        generated_at=timezone.now().isoformat(),
        sections=sections,
        actions=work.actions,
    )
    done(100)
    return data


def render_html(data: ReportData, *, pdf: bool = False) -> str:
    """The report as one HTML document in its own language (`pdf`: the print layout)."""
    with translation.override(data.language):
        return render_to_string("reports/report.html", {"report": data, "pdf": pdf})


def render_pdf(html: str) -> bytes:
    """A4 PDF of `render_html(data, pdf=True)`, fonts embedded."""
    import weasyprint  # heavy (pango, fonts): loaded only when a PDF is made

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
