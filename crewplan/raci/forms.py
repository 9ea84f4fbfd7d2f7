from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField
from crewplan.raci.models import Activity
from crewplan.workspaces.models import Membership, Team


class ActivityForm(forms.Form):
    function = forms.ChoiceField(label=_("Function"), required=False)
    new_function = forms.CharField(label=_("or a new function"), max_length=80, required=False)
    name = forms.CharField(label=_("Activity"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Activity.KindChoices.choices, initial="execution"
    )
    split = forms.CharField(
        label=_("Split"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When in-house and agency share R: who does which part."),
    )
    revision = RevisionField()  # required when editing (expect_revision)

    def __init__(self, *args: Any, functions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [("", "—")] + [(str(f.pk), f.name) for f in functions]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("function") and not (data.get("new_function") or "").strip():
            raise forms.ValidationError(_("Choose a function or name a new one."))
        return data


class FunctionForm(forms.Form):
    name = forms.CharField(label=_("Function"), max_length=80)
    revision = RevisionField()


class TemplateForm(forms.Form):
    in_house = forms.ModelChoiceField(
        label=_("In-house team"), queryset=Team.objects.none(), empty_label=None
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Choose the agency team"),
    )
    new_agency = forms.CharField(
        label=_("or a new agency team"),
        max_length=80,
        required=False,
        help_text=_("An external team of this name is created with the template."),
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["in_house"].queryset = teams  # type: ignore[attr-defined]
        self.fields["agency"].queryset = teams  # type: ignore[attr-defined]
        internal = next((t for t in teams if t.kind == Team.Kind.INTERNAL), None)
        # Never the in-house team for both sides: a workspace without an external team
        # starts with no agency chosen, and the new agency field beside it.
        external = next((t for t in teams if t.kind == Team.Kind.EXTERNAL and t != internal), None)
        self.fields["in_house"].initial = internal.pk if internal else None
        self.fields["agency"].initial = external.pk if external else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["new_agency"] = (data.get("new_agency") or "").strip()
        if data.get("agency") and data["new_agency"]:
            raise forms.ValidationError(_("Choose the agency team or name a new one, not both."))
        if not data.get("agency") and not data["new_agency"]:
            raise forms.ValidationError(_("Choose the agency team or name a new one."))
        return data


class MemberChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name} ({obj.team.name})"


class PersonColumnForm(forms.Form):
    membership = MemberChoiceField(
        label=_("Person"), queryset=Membership.objects.none(), empty_label=_("Choose a person")
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, MemberChoiceField)
        field.queryset = members
