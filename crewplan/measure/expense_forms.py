"""The forms of the expenses page: one expense, and the list's filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.workspaces.fields import DateInRangeField


class LineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A budget line named with its plan, since copies share their item."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.item} ({obj.version.fiscal_year} {obj.version.name})"


def _lines(workspace: Any) -> Any:
    return (
        BudgetLine.objects.for_workspace(workspace)
        .select_related("version")
        .order_by("-version__fiscal_year", "-version__number", "position", "pk")
    )


class ExpenseForm(forms.Form):
    line = LineChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    day = DateInRangeField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        help_text=_("A refund is a negative amount."),
    )
    vendor = forms.CharField(label=_("Vendor"), max_length=120, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    revision = RevisionField()  # the expense's, when editing one (expect_revision)

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = _lines(workspace)  # type: ignore[attr-defined]

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(
                _("Enter an amount other than zero (a refund is negative).")
            )
        return amount


class ExpenseFilterForm(forms.Form):
    """?version=, ?line=, ?month=YYYY-MM: which expenses the list (and its download) shows."""

    version = forms.ModelChoiceField(
        label=_("Plan version"), queryset=BudgetVersion.objects.none(), required=False
    )
    line = LineChoiceField(
        label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False
    )
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^(199\d|20\d\d|2100)-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = BudgetVersion.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["line"].queryset = _lines(workspace)  # type: ignore[attr-defined]
