"""ROI estimates in the database: the bridge from `RoiEstimate` and the tool's own cost
model to the pure core's `roi.Assumptions`, the results the page shows, and the write
(keyword-only, one transaction, audited).

Units. The model stores the conversion-rate lift in percentage points (0.2 = +0.2 pp),
the gross margin and the scenario spread in percent (40 = 40 %); the core takes
fractions (0.002, 0.4, 0.3). The conversion moves the decimal point (`scaleb`), so it is
exact: no float, no rounding."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.services import Conflict, changed_since, locked, model_update, record
from crewplan.planning.models import AiTool, RoiEstimate
from crewplan.planning.tools import roi
from crewplan.workspaces.models import Workspace

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


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):  # typed 20 and stored 20.0 are the same figure
        return f"{value.normalize():f}"
    return value


def _snapshot(estimate: RoiEstimate) -> dict[str, Any]:
    return {name: _plain(getattr(estimate, name)) for name in ESTIMATE_FIELDS}


@transaction.atomic
def estimate_save(
    *, workspace: Workspace, actor: Any, tool: AiTool, revision: int | None = None, **fields: Any
) -> RoiEstimate:
    """Create the tool's one ROI estimate, or change it if it is still at `revision`
    (else audit.Conflict, also when someone else created it meanwhile)."""
    if tool.workspace_id != workspace.pk:
        raise ValidationError(_("That tool does not belong to this workspace."))
    unknown = set(fields) - set(ESTIMATE_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    existing = RoiEstimate.objects.for_workspace(workspace).filter(tool=tool).first()
    if existing is not None and revision is None:  # both opened the page before it existed
        raise Conflict(thing=str(RoiEstimate._meta.verbose_name), fields=changed_since(existing, 0))
    current = locked(existing, revision=revision) if existing else None  # type: ignore[arg-type]
    merged = RoiEstimate(
        workspace=workspace,
        tool=tool,
        **{name: getattr(current, name) for name in ESTIMATE_FIELDS} if current else {},
    )
    for name, value in fields.items():
        setattr(merged, name, value)
    merged.full_clean(exclude=["workspace", "tool", "updated_by"])
    if any(getattr(merged, name) < 0 for name in ESTIMATE_FIELDS):
        raise ValidationError(_("Figures cannot be negative."))
    if merged.ramp_up_months > merged.horizon_months:
        raise ValidationError(_("The ramp-up cannot be longer than the horizon."))
    try:
        assumptions_for(tool, merged)
    except ValueError:
        raise ValidationError(TOOL_COSTS_INVALID) from None
    if current is not None:
        saved, after = model_update(
            instance=current,
            fields=ESTIMATE_FIELDS,
            data=fields,
            revision=revision,  # type: ignore[arg-type]
            actor=actor,
            action="planning.roi_estimate_saved",
        )
        if after:
            saved.updated_by, saved.updated_at = actor, timezone.now()
            saved.save(update_fields=["updated_by", "updated_at"])
        return saved
    merged.updated_by, merged.updated_at = actor, timezone.now()
    try:
        with transaction.atomic():
            merged.save()
    except IntegrityError:  # someone else created it a moment ago
        raise Conflict(thing=str(RoiEstimate._meta.verbose_name), fields=[]) from None
    record(
        workspace=workspace,
        actor=actor,
        action="planning.roi_estimate_saved",
        target=merged,
        after=_snapshot(merged),
        revision=merged.revision,
    )
    return merged
