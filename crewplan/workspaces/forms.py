import copy
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crewplan.accounts.models import User
from crewplan.audit.forms import RevisionField, RevisionModelForm
from crewplan.planning.models import BudgetSettings
from crewplan.raci.models import RaciSettings
from crewplan.work.models import WorkSettings
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.services import APP_SETTINGS, WORKSPACE_FIELDS


class WorkspaceSettingsForm(RevisionModelForm):
    class Meta:
        model = Workspace
        fields = list(WORKSPACE_FIELDS)


class WorkSettingsForm(RevisionModelForm):
    class Meta:
        model = WorkSettings
        fields = list(APP_SETTINGS[WorkSettings])


class BudgetSettingsForm(RevisionModelForm):
    class Meta:
        model = BudgetSettings
        fields = list(APP_SETTINGS[BudgetSettings])


class RaciSettingsForm(RevisionModelForm):
    class Meta:
        model = RaciSettings
        fields = list(APP_SETTINGS[RaciSettings])


# The settings page's form for each row it edits (services.settings_rows), and its prefix:
# the apps' rows carry revisions of their own, so their fields need names of their own.
SETTINGS_FORMS: dict[type[models.Model], tuple[type[RevisionModelForm], str | None]] = {
    Workspace: (WorkspaceSettingsForm, None),
    WorkSettings: (WorkSettingsForm, "work"),
    BudgetSettings: (BudgetSettingsForm, "budget"),
    RaciSettings: (RaciSettingsForm, "raci"),
}


def settings_forms(rows: Iterable[models.Model], data: QueryDict | None) -> list[RevisionModelForm]:
    """One form per row of the settings page, each on its own copy of the row, so a
    rejected value never shows in the page header nor changes the policy the page is
    drawn with."""
    forms = []
    for row in rows:
        form_class, prefix = SETTINGS_FORMS[type(row)]
        forms.append(form_class(data, instance=copy.copy(row), prefix=prefix))
    return forms


def settings_changes(
    forms: Iterable[RevisionModelForm],
) -> tuple[dict[type[models.Model], int | None], dict[str, Any]]:
    """The valid settings forms' revisions (by model) and values, as
    services.workspace_update_settings takes them."""
    revisions: dict[type[models.Model], int | None] = {}
    values: dict[str, Any] = {}
    for form in forms:
        revisions[form._meta.model] = form.cleaned_data["revision"]
        values |= {k: v for k, v in form.cleaned_data.items() if k != "revision"}
    return revisions, values


class TeamForm(forms.ModelForm):
    # No blank choice: a team is one kind or the other, and a new one is usually an agency.
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices, initial=Team.Kind.EXTERNAL)
    revision = RevisionField()  # the team's, when editing one (expect_revision)

    class Meta:
        model = Team
        fields = ["name", "kind"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose a team")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial="member")

    def __init__(
        self, *args: object, teams: object, roles: list[tuple[str, str]], **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class InvitationSignupForm(forms.Form):
    """A new account for an invited e-mail address: a name and the password twice. The
    service checks the name and the password again (a caller without this form, such as
    the API, gets the same rules); the form reports every problem at once."""

    full_name = forms.CharField(max_length=150, required=False)  # a NUL or a novel: refused
    password = forms.CharField(strip=False, required=False)
    password_again = forms.CharField(strip=False, required=False)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, password = data.get("full_name"), data.get("password", "")
        if name == "":
            self.add_error("full_name", _("Please enter your name."))
        if password != data.get("password_again", ""):
            self.add_error("password_again", _("The two passwords do not match."))
        try:
            password_validation.validate_password(
                password, User(email=self.email, full_name=name or "")
            )
        except ValidationError as error:
            self.add_error("password", error)
        data.pop("password_again", None)  # what the service takes: full_name, password
        return data

    def problems(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]


class MemberForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    title = forms.CharField(label=_("Job title"), max_length=80, required=False)
    revision = RevisionField()

    def __init__(self, *args: object, teams: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["revision"].required = True  # a membership always exists


class SwitchWorkspaceForm(forms.Form):
    workspace = forms.SlugField()
