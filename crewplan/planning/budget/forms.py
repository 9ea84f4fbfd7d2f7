"""The forms of the budget plan: a version's name and a line."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField
from crewplan.measure.models import Channel
from crewplan.planning.budget.plan import seasonal_weights, spread
from crewplan.planning.budget.queries import MONTH_FIELDS
from crewplan.planning.budget.services import LINE_FIELDS
from crewplan.planning.models import AiTool, BudgetLine, Goal, Kpi
from crewplan.workspaces.models import Team


class VersionNameForm(forms.Form):
    """The name of a new budget version (the year and the version it starts from are
    hidden fields the view reads)."""

    name = forms.CharField(label=_("Version name"), max_length=80, required=False)


class LineForm(forms.Form):
    """A budget line: a yearly amount spread evenly or seasonally, or twelve months by hand."""

    ENTRY = [
        ("even", _("Yearly amount, spread evenly")),
        ("seasonal", _("Yearly amount, spread by season")),
        ("monthly", _("Month by month")),
    ]

    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.CategoryChoices.choices)
    item = forms.CharField(label=_("Item"), max_length=120)
    tool = forms.ModelChoiceField(label=_("Tool"), queryset=AiTool.objects.none(), required=False)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi.objects.none(), required=False)
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        help_text=_(
            "Media spend lines only: the channel's imported spend is the line's actual. "
            "Without a channel, its actual comes from recorded expenses only."
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner team"), queryset=Team.objects.none(), required=False
    )
    entry = forms.ChoiceField(
        label=_("Amounts"), choices=ENTRY, initial="even", widget=forms.RadioSelect
    )
    annual = forms.DecimalField(
        label=_("Yearly amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    committed = forms.DecimalField(
        label=_("Committed"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        help_text=_("Signed contracts and orders."),
    )
    confirm_over = forms.BooleanField(
        label=_("Save even though it exceeds what is left"), required=False
    )
    revision = RevisionField()  # the line's, when editing one (expect_revision)

    def __init__(self, *args: Any, workspace: Any, month_labels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = AiTool.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["goal"].queryset = Goal.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["kpi"].queryset = Kpi.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = Team.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["channel"].queryset = Channel.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        for index, label in enumerate(month_labels, start=1):
            self.fields[f"m{index:02d}"] = forms.DecimalField(
                label=label, min_value=0, max_digits=14, decimal_places=2, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("entry") in ("even", "seasonal") and data.get("annual") is None:
            self.add_error("annual", _("Give the yearly amount."))
        if (
            data.get("channel") is not None
            and data.get("category") != BudgetLine.CategoryChoices.MEDIA
        ):
            self.add_error("channel", _("Only media spend lines have a channel."))
        return data

    def line_fields(self, start_month: int) -> dict[str, Any]:
        """The valid form as `line_save` fields: the twelve months as typed, or the yearly
        amount spread evenly or by the Taiwanese season of a year starting in `start_month`."""
        data = self.cleaned_data
        if data["entry"] == "monthly":
            amounts = tuple(data.get(f"m{m:02d}") or Decimal(0) for m in range(1, 13))
        else:
            seasonal = data["entry"] == "seasonal"
            amounts = spread(data["annual"], seasonal_weights(start_month) if seasonal else None)
        fields = {name: data[name] for name in LINE_FIELDS if name not in MONTH_FIELDS}
        return fields | {f"m{m:02d}": amounts[m - 1] for m in range(1, 13)}
