"""Forms of the AI tools: a tool with its cost model; the grid forms of the resources page
and the evaluation matrix (one field per cell, named after the row and column ids, so one
POST saves the whole grid atomically); the ROI estimate form (the benefits someone
expects of a tool: its costs are the tool's own cost model, so they are not asked for)."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField, RevisionModelForm
from crewplan.lib.money import symbol
from crewplan.planning.goals.forms import plain_number
from crewplan.planning.models import AiTool, IntegrationFit, RoiEstimate, SkillLevel, StackItem
from crewplan.planning.tools import evaluation, queries
from crewplan.planning.tools.queries import CATEGORIES, PersonRow
from crewplan.planning.tools.roi import MAX_HORIZON_MONTHS
from crewplan.planning.tools.services import TOOL_FIELDS

HOURS_IN_A_MONTH = 744  # 31 × 24: more is a typo
NOT_ASSESSED = ""
SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]


class PeopleForm(forms.Form):
    """Hours per month and a skill level per AI tool category, for each person."""

    def __init__(self, *args: Any, rows: Sequence[PersonRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.membership.pk
            self.fields[f"hours-{pk}"] = forms.IntegerField(
                label=_("marketing hours per month"),
                min_value=0,
                max_value=HOURS_IN_A_MONTH,
                required=False,
                initial=row.membership.hours_per_month,
            )
            for category in CATEGORIES:
                self.fields[f"skill-{pk}-{category}"] = forms.ChoiceField(
                    label=AiTool.Category(category).label,
                    choices=SkillLevel.choices,
                    initial=row.levels[category],
                )

    def grid(self) -> list[tuple[PersonRow, forms.BoundField, list[forms.BoundField]]]:
        return [
            (
                row,
                self[f"hours-{row.membership.pk}"],
                [self[f"skill-{row.membership.pk}-{c}"] for c in CATEGORIES],
            )
            for row in self.rows
        ]

    def values(self) -> tuple[dict[int, int | None], dict[int, dict[str, str]]]:
        data = self.cleaned_data
        hours = {row.membership.pk: data[f"hours-{row.membership.pk}"] for row in self.rows}
        levels = {
            row.membership.pk: {c: data[f"skill-{row.membership.pk}-{c}"] for c in CATEGORIES}
            for row in self.rows
        }
        return hours, levels


class SystemForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=StackItem.Kind.choices)
    name = forms.CharField(
        label=_("system"),
        max_length=80,
        help_text=_("For example SHOPLINE, CYBERBIZ, 91APP or GA4."),
    )


class FitForm(forms.Form):
    """How each tool fits each system of the stack."""

    def __init__(
        self,
        *args: Any,
        tools: Sequence[AiTool],
        systems: Sequence[StackItem],
        fits: dict[tuple[int, int], str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tools, self.systems = tools, systems
        choices = [(NOT_ASSESSED, _("Not assessed")), *IntegrationFit.choices]
        for tool in tools:
            for system in systems:
                self.fields[f"fit-{tool.pk}-{system.pk}"] = forms.ChoiceField(
                    label=f"{tool.name} × {system.name}",
                    choices=choices,
                    required=False,
                    initial=fits.get((tool.pk, system.pk), NOT_ASSESSED),
                )

    def grid(self) -> list[tuple[AiTool, list[forms.BoundField]]]:
        return [
            (tool, [self[f"fit-{tool.pk}-{system.pk}"] for system in self.systems])
            for tool in self.tools
        ]

    def values(self) -> dict[tuple[int, int], str | None]:
        return {
            (tool.pk, system.pk): self.cleaned_data[f"fit-{tool.pk}-{system.pk}"] or None
            for tool in self.tools
            for system in self.systems
        }


CRITERION_LABELS = {
    "features": _("Features"),
    "cost": _("Cost"),
    "ease": _("Ease of use"),
    "support": _("Support"),
    "integration": _("Integration"),
    "value": _("Long-term value"),
}
CRITERION_HELP = {
    "features": _("Does it do what we need, in Traditional Chinese?"),
    "cost": _("5 is cheap for what it does, 1 is expensive."),
    "ease": _("Can the team use it without the agency?"),
    "support": _("Local support, response times, documentation."),
    "integration": _("How well it fits the systems we already use."),
    "value": _("Will it still be worth it in two years?"),
}


class EvaluationForm(forms.Form):
    """The workspace's weights and the scores of the tools being compared."""

    revision = RevisionField()  # the weights row's, once there is one (expect_revision)

    def __init__(
        self,
        *args: Any,
        tools: Sequence[AiTool],
        weights: dict[str, int],
        scores: dict[int, dict[str, int | None]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tools = tools
        for criterion in evaluation.CRITERIA:
            self.fields[f"weight-{criterion}"] = forms.IntegerField(
                label=CRITERION_LABELS[criterion],
                min_value=0,
                max_value=evaluation.MAX_WEIGHT,
                initial=weights[criterion],
            )
            for tool in tools:
                score = scores[tool.pk][criterion]
                self.fields[f"score-{tool.pk}-{criterion}"] = forms.TypedChoiceField(
                    label=f"{tool.name}: {CRITERION_LABELS[criterion]}",
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial="" if score is None else str(score),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(f"weight-{c}") for c in evaluation.CRITERIA]
        if all(w is not None for w in weights) and not any(weights):
            raise forms.ValidationError(_("Give at least one criterion a weight above 0."))
        return data

    def grid(self) -> list[tuple[str, Any, Any, forms.BoundField, list[forms.BoundField]]]:
        return [
            (
                criterion,
                CRITERION_LABELS[criterion],
                CRITERION_HELP[criterion],
                self[f"weight-{criterion}"],
                [self[f"score-{tool.pk}-{criterion}"] for tool in self.tools],
            )
            for criterion in evaluation.CRITERIA
        ]

    def values(self) -> tuple[dict[str, int], dict[int, dict[str, int | None]]]:
        data = self.cleaned_data
        weights = {c: data[f"weight-{c}"] for c in evaluation.CRITERIA}
        scores = {
            tool.pk: {c: data[f"score-{tool.pk}-{c}"] for c in evaluation.CRITERIA}
            for tool in self.tools
        }
        return weights, scores


class ToolForm(RevisionModelForm):
    class Meta:
        model = AiTool
        fields = list(TOOL_FIELDS)  # the fields the tool service saves, one list

    # The channels whose revenue the tool lifts: its estimate's uplift is realized there.
    channels: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("channels"),
        help_text=_("Where the tool should lift revenue: its results count their revenue."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, kpis: Any, teams: Any, channels: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = kpis  # type: ignore[attr-defined]
        self.fields["owner"].queryset = teams  # type: ignore[attr-defined]
        self.fields["channels"].queryset = channels  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial.setdefault("channels", [c.pk for c in self.instance.channels.all()])


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
        fields = list(queries.ESTIMATE_FIELDS)

    MONEY = ("loaded_hourly_rate", "average_order_value", "costs_avoided_per_month")
    PERCENT = ("gross_margin", "spread")

    def __init__(self, *args: Any, tool: AiTool, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        # Shown beside the input (roi.html): what the number is in.
        units = dict.fromkeys(self.MONEY, symbol(currency)) | dict.fromkeys(self.PERCENT, "%")
        units["conversion_rate_lift"] = str(_("pp"))
        units["hours_saved_per_month"] = str(_("h"))
        for name, field in self.fields.items():
            field.unit = units.get(name, "")  # type: ignore[attr-defined]
            value = self.initial.get(name)
            if isinstance(value, Decimal):  # 60 and 0.05, not the columns' 60.0 and 0.0500
                self.initial[name] = plain_number(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        horizon, ramp = data.get("horizon_months"), data.get("ramp_up_months")
        if horizon is not None and ramp is not None and ramp > horizon:
            self.add_error("ramp_up_months", RAMP_TOO_LONG)
        if not self.errors:
            # Checked here so a tool whose costs the core refuses gives a message, not a 500.
            unsaved = RoiEstimate(**{name: data[name] for name in queries.ESTIMATE_FIELDS})
            try:
                queries.assumptions_for(self.tool, unsaved)
            except ValueError:
                self.add_error(None, queries.TOOL_COSTS_INVALID)
        return data
