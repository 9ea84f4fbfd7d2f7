from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.work.models import WorkItem


class ItemForm(forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = [
            "title",
            "kind",
            "activity",
            "channel",
            "brief",
            "copy",
            "sponsored",
            "due_on",
            "publish_at",
            "goal",
            "budget_line",
        ]
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 3}),
            "copy": forms.Textarea(attrs={"rows": 6}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(
        self, *args: Any, activities: Any, goals: Any, budget_lines: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["budget_line"].queryset = budget_lines  # type: ignore[attr-defined]
        self.fields["activity"].empty_label = _("Choose the RACI activity")  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = _("No goal")  # type: ignore[attr-defined]
        self.fields["budget_line"].empty_label = _("No budget line")  # type: ignore[attr-defined]
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due, publish = data.get("due_on"), data.get("publish_at")
        if isinstance(due, date) and isinstance(publish, datetime) and publish.date() < due:
            self.add_error("publish_at", _("The publish time is before the due date."))
        return data


class RescheduleForm(forms.Form):
    """Drag and drop, or the keyboard fallback: a new day, the time of day kept."""

    day = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    action = forms.CharField(max_length=24)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    revision = forms.IntegerField(min_value=1)
