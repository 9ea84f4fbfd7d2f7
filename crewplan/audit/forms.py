from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.labels import kind_choices
from crewplan.audit.services import STALE_FORM
from crewplan.workspaces.fields import DateInRangeField


class RevisionField(forms.IntegerField):
    """The hidden revision of the row an edit form was read from, posted back so the
    service can refuse a stale save (`audit.services.model_update`). Required once the
    form edits a saved row (`expect_revision`); a missing or non-integer one is a form
    error, never a skipped check."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        messages = {"required": STALE_FORM, "invalid": STALE_FORM, "min_value": STALE_FORM}
        super().__init__(min_value=1, required=False, error_messages=messages, **kwargs)


def expect_revision(form: forms.BaseForm, revision: int | None) -> None:
    """Make `form`'s `revision` field required and show `revision` (the row's revision
    now) when it edits a saved row; a form for a new row needs none."""
    field = form.fields["revision"]
    field.required = revision is not None
    if revision is not None:
        form.initial.setdefault("revision", revision)


class RevisionModelForm(forms.ModelForm[Any]):
    """A ModelForm whose saved instance's revision travels with it (see RevisionField).
    Its subclasses edit models of every app, each with an integer `revision`."""

    revision = RevisionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expect_revision(self, self.instance.revision if self.instance.pk else None)


class AuditFilterForm(forms.Form):
    """The audit log's filters, read from the query string: who, what kind of change (a
    part of crewplan or one kind), and a date range in the workspace's time zone."""

    who = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("What"), required=False)
    since = DateInRangeField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateInRangeField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", _("Anyone")), *people]  # type: ignore[attr-defined]
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]
        for name in ("since", "until"):  # ISO in the date picker, whatever the language
            self.fields[name].widget.format = "%Y-%m-%d"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
