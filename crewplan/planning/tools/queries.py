"""The AI tools' side of the database read into the pure cores in a fixed number of
queries: people and their skills into `skills.py` (the skills gap), the evaluation into
`evaluation.py`, and ROI estimates with the tool's own cost model into `roi.Assumptions`
with the results the page shows.

Units. The model stores the conversion-rate lift in percentage points (0.2 = +0.2 pp),
the gross margin and the scenario spread in percent (40 = 40 %); the core takes
fractions (0.002, 0.4, 0.3). The conversion moves the decimal point (`scaleb`), so it is
exact: no float, no rounding."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from crewplan.planning.models import AiTool, EvaluationWeights, RoiEstimate, Skill, ToolFit
from crewplan.planning.tools import evaluation, roi, skills
from crewplan.workspaces.models import Membership, Workspace

ESTIMATE_FIELDS = (
    "horizon_months",
    "ramp_up_months",
    "hours_saved_per_month",
    "loaded_hourly_rate",
    "sessions_per_month",
    "conversion_rate_lift",
    "average_order_value",
    "gross_margin",
    "costs_avoided_per_month",
    "spread",
)
# Only the tool's costs can make a validated estimate unusable: the form and the service
# check the estimate's own fields first.
TOOL_COSTS_INVALID = gettext_lazy(
    "The tool's cost model cannot be used for an estimate: its costs cannot be negative and "
    "its yearly renewal change cannot be below -1. Correct the tool first."
)


def percent_to_fraction(value: Decimal) -> Decimal:
    """40 → 0.40, 0.2 → 0.002: the decimal point moves two places, exactly."""
    return Decimal(value).scaleb(-2)


def assumptions_for(tool: AiTool, estimate: RoiEstimate) -> roi.Assumptions:
    """The core's assumptions: the benefits from `estimate`, the costs from the tool's cost
    model. Raises ValueError when the combination is not valid (e.g. a tool whose
    yearly renewal change is below -1)."""
    return roi.Assumptions(
        horizon_months=estimate.horizon_months,
        ramp_up_months=estimate.ramp_up_months,
        hours_saved_per_month=Decimal(estimate.hours_saved_per_month),
        loaded_hourly_rate=Decimal(estimate.loaded_hourly_rate),
        sessions_per_month=Decimal(estimate.sessions_per_month),
        conversion_rate_lift=percent_to_fraction(estimate.conversion_rate_lift),
        average_order_value=Decimal(estimate.average_order_value),
        gross_margin=percent_to_fraction(estimate.gross_margin),
        costs_avoided_per_month=Decimal(estimate.costs_avoided_per_month),
        seats=tool.seats,
        price_per_seat_per_month=Decimal(tool.price_per_seat),
        flat_fee_per_month=Decimal(tool.flat_fee),
        integration_one_off=Decimal(tool.integration),
        training_hours=Decimal(tool.training_hours),
        training_hourly_rate=Decimal(tool.training_rate),
        training_fees=Decimal(tool.training_fees),
        data_preparation_one_off=Decimal(tool.data_preparation),
        privacy_compliance_per_month=Decimal(tool.privacy_per_month),
        yearly_renewal_change=Decimal(tool.renewal_change),
    )


@dataclass(frozen=True)
class RoiResults:
    """What the ROI page shows: the three scenarios (conservative first) and the
    sensitivity of the expected one (largest swing first)."""

    scenarios: dict[roi.ScenarioName, roi.Estimate]
    sensitivity: list[roi.Sensitivity]

    @property
    def expected(self) -> roi.Estimate:
        return self.scenarios[roi.ScenarioName.EXPECTED]


def results_for(tool: AiTool, estimate: RoiEstimate) -> RoiResults:
    """Scenarios and sensitivity; raises ValueError like `assumptions_for`."""
    assumptions = assumptions_for(tool, estimate)
    return RoiResults(
        scenarios=roi.scenarios(assumptions, spread=percent_to_fraction(estimate.spread)),
        sensitivity=roi.sensitivity(assumptions),
    )


def expected_estimate(tool: AiTool) -> roi.Estimate | None:
    """The expected scenario of the tool's saved estimate, None without a usable one.
    Reads `tool.roi_estimate`: load the tools with select_related("roi_estimate")."""
    estimate = getattr(tool, "roi_estimate", None)  # no row: RelatedObjectDoesNotExist
    if estimate is None:
        return None
    try:
        return roi.estimate(assumptions_for(tool, estimate))
    except ValueError:
        return None


CATEGORIES: tuple[str, ...] = tuple(AiTool.Category.values)


SCORE_FIELDS: Mapping[str, str] = {c: f"score_{c}" for c in evaluation.CRITERIA}


@dataclass
class PersonRow:
    membership: Membership
    levels: dict[str, str]  # category → level


def people_of(workspace: Workspace) -> list[PersonRow]:
    """Every member with their skills: in-house teams first, then by team and name (2
    queries)."""
    memberships = list(
        Membership.objects.for_workspace(workspace)
        .select_related("user", "team")
        .order_by("-team__kind", "team__name", "user__full_name", "user__email")
    )
    levels: dict[int, dict[str, str]] = {m.pk: {} for m in memberships}
    for skill in Skill.objects.for_workspace(workspace):
        levels.setdefault(skill.membership_id, {})[skill.category] = skill.level
    return [PersonRow(m, {c: levels[m.pk].get(c, "none") for c in CATEGORIES}) for m in memberships]


def pure_people(rows: Sequence[PersonRow]) -> list[skills.Person]:
    return [
        skills.Person(
            key=str(row.membership.pk),
            name=row.membership.user.get_short_name() or row.membership.user.email,
            team=str(row.membership.team_id),
            skills=row.levels,
            hours_per_month=row.membership.hours_per_month,
        )
        for row in rows
    ]


def pure_tools(tools: Sequence[AiTool]) -> list[skills.SeatTool]:
    return [
        skills.SeatTool(
            key=str(t.pk),
            name=t.name,
            category=t.category,
            seats=t.seats,
            status=t.status,
            team=str(t.owner_id or ""),
        )
        for t in tools
    ]


def gaps_for(workspace: Workspace, tools: Sequence[AiTool]) -> dict[str, skills.Gap]:
    """The skills gap of each tool not retired, by tool key (2 queries)."""
    gaps = skills.skills_gap(pure_tools(tools), pure_people(people_of(workspace)))
    return {gap.tool: gap for gap in gaps}


def fits_of(workspace: Workspace) -> dict[tuple[int, int], str]:
    """(tool id, system id) → fit, for the pairs someone has assessed (1 query)."""
    return {
        (f.tool_id, f.system_id): f.fit
        for f in ToolFit.objects.for_workspace(workspace).only("tool_id", "system_id", "fit")
    }


def weights_of(workspace: Workspace) -> dict[str, int]:
    """The workspace's weights, the defaults until someone changes them (1 query)."""
    saved = EvaluationWeights.objects.for_workspace(workspace).first()
    if saved is None:
        return dict(evaluation.DEFAULT_WEIGHTS)
    return {c: getattr(saved, c) for c in evaluation.CRITERIA}


def evaluation_revision(workspace: Workspace) -> int | None:
    """The revision of the evaluation (weights and the scores saved with them), None
    before anyone saved one."""
    saved = EvaluationWeights.objects.for_workspace(workspace).only("revision").first()
    return saved.revision if saved else None


def scores_of(tool: AiTool) -> dict[str, int | None]:
    return {c: getattr(tool, field) for c, field in SCORE_FIELDS.items()}


def training_gaps(
    workspace: Workspace, tools: Sequence[AiTool], per_seat: Decimal
) -> tuple[list[dict[str, Any]], int]:
    """For each tool with seats: its skills gap (seats whose users are not yet able) and
    the training that gap needs at `per_seat` (the budget check's cost per seat); and the
    gap in all."""
    gaps = gaps_for(workspace, tools)
    seated = [tool for tool in tools if tool.seats]
    rows = [
        {"tool": tool, "gap": gaps[str(tool.pk)], "training": per_seat * gaps[str(tool.pk)].gap}
        for tool in seated
    ]
    return rows, sum(gaps[str(tool.pk)].gap for tool in seated)
