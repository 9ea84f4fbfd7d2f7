import copy
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from crewplan.accounts.models import User
from crewplan.audit.forms import RevisionField, RevisionModelForm
from crewplan.lib.money import symbol
from crewplan.planning.models import BudgetSettings
from crewplan.raci.models import RaciSettings
from crewplan.reports.models import ReviewSettings
from crewplan.work.models import WorkSettings
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.services import APP_SETTINGS, WORKSPACE_FIELDS


def time_zone_choices() -> list[tuple[str, str]]:
    """Every zone the server knows, Asia/Taipei first (where nearly every workspace is)."""
    zones = sorted(zoneinfo.available_timezones() - {"Asia/Taipei"})
    return [(zone, zone) for zone in ["Asia/Taipei", *zones]]


class WorkspaceSettingsForm(RevisionModelForm):
    class Meta:
        model = Workspace
        fields = list(WORKSPACE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = self.fields["time_zone"].label
        self.fields["time_zone"] = forms.ChoiceField(label=label, choices=time_zone_choices())


class PercentField(forms.DecimalField):
    """A share the model keeps as a fraction (0.60), typed and shown as a whole percentage
    (60); `minimum` and `maximum` are percentages too."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(
            min_value=Decimal(minimum), max_value=Decimal(maximum), decimal_places=0, **kwargs
        )
        self.unit = "%"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):  # the model's fraction; typed text is shown as typed
            return f"{value * 100:.0f}"
        return value

    def clean(self, value: Any) -> Any:
        percent = super().clean(value)
        return None if percent is None else (percent / 100).quantize(Decimal("0.01"))


class WorkSettingsForm(RevisionModelForm):
    class Meta:
        model = WorkSettings
        fields = list(APP_SETTINGS[WorkSettings])


class BudgetSettingsForm(RevisionModelForm):
    budget_max_tool_share = PercentField(
        label=BudgetSettings._meta.get_field("budget_max_tool_share").verbose_name,
        minimum=10,
        maximum=100,
        help_text=_("A percentage of the AI tool spend, from 10 to 100."),
    )
    budget_min_reserve_share = PercentField(
        label=BudgetSettings._meta.get_field("budget_min_reserve_share").verbose_name,
        minimum=0,
        maximum=50,
        help_text=_("A percentage of the whole plan, from 0 to 50."),
    )

    class Meta:
        model = BudgetSettings
        fields = list(APP_SETTINGS[BudgetSettings])

    def __init__(self, *args: Any, currency: str = "TWD", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_training_per_seat"].unit = symbol(currency)  # type: ignore[attr-defined]


class RaciSettingsForm(RevisionModelForm):
    class Meta:
        model = RaciSettings
        fields = list(APP_SETTINGS[RaciSettings])


class ReviewSettingsForm(RevisionModelForm):
    class Meta:
        model = ReviewSettings
        fields = list(APP_SETTINGS[ReviewSettings])


# The settings page's form for each row it edits (services.settings_rows), and its prefix:
# the apps' rows carry revisions of their own, so their fields need names of their own.
SETTINGS_FORMS: dict[type[models.Model], tuple[type[RevisionModelForm], str | None]] = {
    Workspace: (WorkspaceSettingsForm, None),
    WorkSettings: (WorkSettingsForm, "work"),
    BudgetSettings: (BudgetSettingsForm, "budget"),
    RaciSettings: (RaciSettingsForm, "raci"),
    ReviewSettings: (ReviewSettingsForm, "review"),
}


def settings_forms(rows: Iterable[models.Model], data: QueryDict | None) -> list[RevisionModelForm]:
    """One form per row of the settings page, each on its own copy of the row, so a
    rejected value never shows in the page header nor changes the policy the page is
    drawn with."""
    rows = list(rows)
    currency = next(row.currency for row in rows if isinstance(row, Workspace))
    forms = []
    for row in rows:
        form_class, prefix = SETTINGS_FORMS[type(row)]
        extra = {"currency": currency} if form_class is BudgetSettingsForm else {}
        forms.append(form_class(data, instance=copy.copy(row), prefix=prefix, **extra))
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


class TeamForm(forms.ModelForm[Team]):
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
        self, *args: object, teams: object, roles: list[tuple[str, StrOrPromise]], **kwargs: object
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
        return [str(message) for errors in self.errors.values() for message in errors]


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
