"""The ROI estimate form: the benefits someone expects of a tool. The costs are the tool's
own cost model, so they are not asked for here."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionModelForm
from crewplan.planning.models import AiTool, RoiEstimate
from crewplan.planning.tools import queries as estimates
from crewplan.planning.tools.roi import MAX_HORIZON_MONTHS

NEGATIVE = _("This cannot be negative: enter zero or more.")
HORIZON = _("The horizon is from 1 to 120 months.")
PERCENT = _("Enter a percentage from 0 to 100.")
RAMP_TOO_LONG = _("The ramp-up cannot be longer than the horizon.")


def _field(name: str, *, minimum: int = 0, maximum: int | None = None, **messages: Any) -> Any:
    """The model field's form field (label, help text, digits) with its limits and our
    messages for them."""
    return RoiEstimate._meta.get_field(name).formfield(  # type: ignore[union-attr]
        min_value=minimum,
        max_value=maximum,
        error_messages={"min_value": NEGATIVE, **messages},
    )


def _percent(name: str) -> Any:
    return _field(name, maximum=100, min_value=NEGATIVE, max_value=PERCENT)


class RoiEstimateForm(RevisionModelForm):
    horizon_months = _field(
        "horizon_months",
        minimum=1,
        maximum=MAX_HORIZON_MONTHS,
        min_value=HORIZON,
        max_value=HORIZON,
    )
    ramp_up_months = _field("ramp_up_months", maximum=MAX_HORIZON_MONTHS, max_value=RAMP_TOO_LONG)
    hours_saved_per_month = _field("hours_saved_per_month")
    loaded_hourly_rate = _field("loaded_hourly_rate")
    sessions_per_month = _field("sessions_per_month")
    conversion_rate_lift = _percent("conversion_rate_lift")
    average_order_value = _field("average_order_value")
    gross_margin = _percent("gross_margin")
    costs_avoided_per_month = _field("costs_avoided_per_month")
    spread = _percent("spread")

    class Meta:
        model = RoiEstimate
        fields = list(estimates.ESTIMATE_FIELDS)

    def __init__(self, *args: Any, tool: AiTool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        horizon, ramp = data.get("horizon_months"), data.get("ramp_up_months")
        if horizon is not None and ramp is not None and ramp > horizon:
            self.add_error("ramp_up_months", RAMP_TOO_LONG)
        if not self.errors:
            # Checked here so a tool whose costs the core refuses gives a message, not a 500.
            unsaved = RoiEstimate(**{name: data[name] for name in estimates.ESTIMATE_FIELDS})
            try:
                estimates.assumptions_for(self.tool, unsaved)
            except ValueError:
                self.add_error(None, estimates.TOOL_COSTS_INVALID)
        return data
