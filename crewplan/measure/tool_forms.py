"""The monthly review form of an AI tool: the month and what the people using it report."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField
from crewplan.measure.models import ToolReview


class MonthField(forms.DateField):
    """A calendar month typed as YYYY-MM (the browser's month picker), kept as its first
    day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class ReviewForm(forms.ModelForm[ToolReview]):
    month = MonthField(label=_("month"))
    revision = RevisionField()

    class Meta:
        model = ToolReview
        fields = ["month", "active_seats", "hours_saved", "outputs", "satisfaction", "note"]
        labels = {"hours_saved": _("hours saved, as the people using it report them")}
        widgets = {"satisfaction": forms.NumberInput(attrs={"min": 1, "max": 5})}
