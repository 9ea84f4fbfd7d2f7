"""Reads for the workspace's own pages: the setup checklist a new workspace follows,
each step ticked from the data itself."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crewplan.planning.models import BudgetLine, Goal
from crewplan.raci.models import Activity
from crewplan.workspaces.models import Invitation, Membership, Team, Workspace


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: Promise
    hint: Promise
    done: bool
    url: str


def setup_steps(workspace: Workspace) -> list[SetupStep]:
    """The five steps of setting a workspace up, in order, each ticked when the data
    shows it done (one query)."""

    def owned(model: type) -> Exists:
        return Exists(model.objects.filter(workspace=OuterRef("pk")))  # type: ignore[attr-defined]

    others = Membership.objects.filter(workspace=OuterRef("pk")).exclude(role="owner")
    invited = Invitation.objects.filter(workspace=OuterRef("pk")).pending()
    facts = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            agency=Exists(Team.objects.filter(workspace=OuterRef("pk"), kind=Team.Kind.EXTERNAL)),
            matrix=owned(Activity),
            people=Exists(others) | Exists(invited),
            goal=owned(Goal),
            budget=owned(BudgetLine),
        )
        .values("agency", "matrix", "people", "goal", "budget")
        .get()
    )
    slug = workspace.slug
    people = reverse("people", args=[slug])
    return [
        SetupStep(
            "agency",
            _("Create the agency team"),
            _("An external team for your agency or freelancers, so the matrix can name them."),
            facts["agency"],
            people + "#team-form",
        ),
        SetupStep(
            "matrix",
            _("Apply the RACI template"),
            _("Who does, approves, is consulted and told, for every marketing activity."),
            facts["matrix"],
            reverse("raci_template_apply", args=[slug]),
        ),
        SetupStep(
            "people",
            _("Invite people"),
            _("Your colleagues and the agency's people, each in their team with a role."),
            facts["people"],
            people + "#invite-form",
        ),
        SetupStep(
            "goal",
            _("Set a goal"),
            _("A SMART goal with a KPI, so the work and the budget have a purpose."),
            facts["goal"],
            reverse("planning_goals", args=[slug]),
        ),
        SetupStep(
            "budget",
            _("Plan the budget"),
            _("This year's budget by month, with a health check of the plan."),
            facts["budget"],
            reverse("planning_budget", args=[slug]),
        ),
    ]
