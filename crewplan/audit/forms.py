from typing import Any

from django import forms

from crewplan.audit.services import STALE_FORM


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
