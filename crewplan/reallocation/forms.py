"""The reallocation page's forms: what to fit, the what-if, applying it, and a lift test's
result."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.measure.models import Channel
from crewplan.reallocation.models import Fit
from crewplan.reallocation.recommend import WhatIf
from crewplan.reallocation.services import lift_test_problems
from crewplan.reallocation.split import weekly
from crewplan.workspaces.fields import DateInRangeField

QUARTERS = [(q, f"Q{q}") for q in (1, 2, 3, 4)]


class FitForm(forms.Form):
    # The quarter chosen above the form (the page's own quarter selector).
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, widget=forms.HiddenInput
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Fit.Outcome.choices)
    sources = forms.ModelMultipleChoiceField(
        label=_("Outcome from"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The channels whose revenue (or conversions) is the outcome; none ticked: "
            "every channel. Revenue each ad platform attributes to itself can count one "
            "sale twice when several sources are added up."
        ),
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sources"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Channel.objects.for_workspace(workspace)


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_digits=14, decimal_places=2, required=False
    )


class WhatIfForm(forms.Form):
    """Amounts over the quarter's remaining months, as the page shows them."""

    budget = _amount(_("Total for the remaining months"))
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    minimum = _amount(_("Its minimum"))
    maximum = _amount(_("Its maximum"))
    # Unticked (and absent) counts the carry-over: a link with only some fields keeps it.
    no_carryover_credit = forms.BooleanField(
        label=_(
            "Week by week: leave out what the last weeks' spend still brings after the quarter"
        ),
        required=False,
    )

    def __init__(self, *args: Any, channels: list[str], days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        field = self.fields["channel"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((name, name) for name in channels)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum"), data.get("maximum")
        if (low is not None or high is not None) and not data.get("channel"):
            raise forms.ValidationError(_("Choose the channel whose minimum or maximum changes."))
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The minimum is above the maximum."))
        return data

    def credit_carryover(self) -> bool:
        """Whether the week-by-week plan counts the carry-over out of the quarter."""
        valid = self.is_bound and self.is_valid()
        return not (valid and self.cleaned_data.get("no_carryover_credit"))

    def what_if(self) -> WhatIf:
        data = self.cleaned_data

        def week(amount: Decimal | None) -> float | None:
            return None if amount is None else weekly(amount, self.days)

        return WhatIf(
            budget=week(data.get("budget")),
            channel=data.get("channel") or "",
            minimum=week(data.get("minimum")),
            maximum=week(data.get("maximum")),
        )


class ApplyForm(WhatIfForm):
    name = forms.CharField(label=_("New version's name"), max_length=80)
    stamp = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _figure(label: Any, help_text: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, help_text=help_text)


class LiftTestForm(forms.Form):
    """A lift test's result; the rules are the service's (`lift_test_problems`)."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Fit.Outcome.choices)
    first_day = DateInRangeField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The fit uses whole weeks: the Monday-to-Sunday week holding this day."),
    )
    last_day = DateInRangeField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Up to the Sunday of the week holding this day."),
    )
    spend_change = _figure(
        _("Weekly spend change"),
        _("How much the weekly spend changed during the test, in currency; negative for a cut."),
    )
    incremental = _figure(
        _("Incremental outcome"),
        _(
            "The extra revenue (or conversions) the change caused over the test's weeks and "
            "the carry-over after them; negative for a cut."
        ),
    )
    standard_error = _figure(
        _("Standard error"), _("The incremental outcome's standard error, above 0.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        field = self.fields["channel"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Channel.objects.for_workspace(workspace)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for name, messages in lift_test_problems(self.workspace, data).items():
                for message in messages:
                    self.add_error(name, message)
        return data
