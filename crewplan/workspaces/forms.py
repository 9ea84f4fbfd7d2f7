from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField, RevisionModelForm
from crewplan.workspaces.models import Membership, Team, Workspace


class WorkspaceSettingsForm(RevisionModelForm):
    class Meta:
        model = Workspace
        fields = [
            "name",
            "currency",
            "time_zone",
            "fiscal_year_start_month",
            "default_language",
            "external_can_see_budget",
            "external_can_see_all_work",
            "raci_max_accountable",
            "raci_max_consulted",
            "budget_max_tool_share",
            "budget_min_reserve_share",
            "budget_training_per_seat",
            "budget_pilot_max_months",
        ]


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


class MemberForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    revision = RevisionField()

    def __init__(self, *args: object, teams: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["revision"].required = True  # a membership always exists


class SwitchWorkspaceForm(forms.Form):
    workspace = forms.SlugField()
