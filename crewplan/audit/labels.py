from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from crewplan.audit.actions import AuditAction
from crewplan.audit.models import AuditEvent

# Actions whose before/after state budget amounts or tool costs: the log shows their details
# only to people who may see every amount (Action.VIEW_BUDGET_AMOUNTS, DESIGN.md A).
AMOUNT_ACTIONS = frozenset(
    {
        AuditAction.PLANNING_TOOL_SAVED,
        AuditAction.PLANNING_BUDGET_LINE_SAVED,
        AuditAction.PLANNING_BUDGET_LINE_DELETED,
        AuditAction.PLANNING_BUDGET_IMPORTED,
        AuditAction.PLANNING_ROI_ESTIMATE_SAVED,
    }
)

# Money fields inside actions that are otherwise not about money: only these values are
# hidden from people who may not see every amount, the rest of the change stays readable.
# (Shares such as budget_max_tool_share are fractions, not amounts.)
# Keyed by the action's value: an event's `action` is the stored string.
AMOUNT_FIELDS: dict[str, frozenset[str]] = {
    AuditAction.WORKSPACE_CREATED: frozenset({"budget_training_per_seat"}),
    AuditAction.WORKSPACE_SETTINGS_CHANGED: frozenset({"budget_training_per_seat"}),
}


def hide_amounts(event: AuditEvent) -> bool:
    """Blank the money in `event` (in memory, for display) for a reader who may not see
    budget amounts: the whole before/after of AMOUNT_ACTIONS (then True: say that the
    amounts are hidden), the AMOUNT_FIELDS of others."""
    if event.action in AMOUNT_ACTIONS:
        event.before = event.after = None
        return True
    fields = AMOUNT_FIELDS.get(event.action, frozenset())
    for side in ("before", "after"):
        values = getattr(event, side)
        if isinstance(values, dict) and fields & values.keys():
            hidden = str(_("(amount hidden)"))
            setattr(event, side, {k: hidden if k in fields else v for k, v in values.items()})
    return False


ACTION_LABELS: dict[str, StrOrPromise] = {
    AuditAction.WORKSPACE_CREATED: gettext_lazy("created the workspace"),
    AuditAction.WORKSPACE_SETTINGS_CHANGED: gettext_lazy("changed the workspace settings"),
    AuditAction.TEAM_CREATED: gettext_lazy("created a team"),
    AuditAction.TEAM_CHANGED: gettext_lazy("changed a team"),
    AuditAction.TEAM_DELETED: gettext_lazy("deleted a team"),
    AuditAction.INVITATION_CREATED: gettext_lazy("invited a person"),
    AuditAction.INVITATION_REVOKED: gettext_lazy("withdrew an invitation"),
    AuditAction.MEMBERSHIP_JOINED: gettext_lazy("joined"),
    AuditAction.MEMBERSHIP_CHANGED: gettext_lazy("changed a person's team or role"),
    AuditAction.MEMBERSHIP_REMOVED: gettext_lazy("removed a person"),
    AuditAction.RACI_DRAFT_STARTED: gettext_lazy("started a RACI draft"),
    AuditAction.RACI_CELL_CHANGED: gettext_lazy("changed a RACI cell"),
    AuditAction.RACI_SIGNOFFS_CLEARED: gettext_lazy(
        "cleared the RACI sign-offs by changing the draft"
    ),
    AuditAction.RACI_FUNCTION_CREATED: gettext_lazy("added a RACI function"),
    AuditAction.RACI_ACTIVITY_SAVED: gettext_lazy("saved a RACI activity"),
    AuditAction.RACI_ACTIVITY_ARCHIVED: gettext_lazy("archived a RACI activity"),
    AuditAction.RACI_TEMPLATE_APPLIED: gettext_lazy("added the in-house + agency template"),
    AuditAction.RACI_SIGNED_OFF: gettext_lazy("signed off the RACI draft"),
    AuditAction.RACI_PUBLISHED: gettext_lazy("published a RACI version"),
    AuditAction.RACI_IMPORTED: gettext_lazy("imported a RACI matrix from a file"),
    AuditAction.RACI_ACTIVITY_MOVED: gettext_lazy("moved a RACI activity"),
    AuditAction.RACI_FUNCTION_MOVED: gettext_lazy("moved a RACI function"),
    AuditAction.RACI_FUNCTION_RENAMED: gettext_lazy("renamed a RACI function"),
    AuditAction.RACI_FUNCTION_ARCHIVED: gettext_lazy("archived a RACI function"),
    AuditAction.PLANNING_KPI_ADDED: gettext_lazy("added a KPI from the catalogue"),
    AuditAction.PLANNING_KPI_SAVED: gettext_lazy("saved a KPI"),
    AuditAction.PLANNING_KPI_HISTORY_CHANGED: gettext_lazy("changed a KPI's history"),
    AuditAction.PLANNING_KPI_TARGETS_CHANGED: gettext_lazy("changed a KPI's targets"),
    AuditAction.PLANNING_GOAL_SAVED: gettext_lazy("saved a goal"),
    AuditAction.PLANNING_GOAL_DELETED: gettext_lazy("deleted a goal"),
    AuditAction.PLANNING_TOOL_SAVED: gettext_lazy("saved an AI tool"),
    AuditAction.PLANNING_BUDGET_VERSION_CREATED: gettext_lazy("started a budget version"),
    AuditAction.PLANNING_BUDGET_LINE_SAVED: gettext_lazy("saved a budget line"),
    AuditAction.PLANNING_BUDGET_LINE_DELETED: gettext_lazy("deleted a budget line"),
    AuditAction.PLANNING_BUDGET_IMPORTED: gettext_lazy("imported a budget plan from a file"),
    AuditAction.PLANNING_ROI_ESTIMATE_SAVED: gettext_lazy("saved an ROI estimate"),
    AuditAction.WORK_ITEM_CREATED: gettext_lazy("created a work item"),
    AuditAction.WORK_ITEM_SAVED: gettext_lazy("saved a work item"),
    AuditAction.WORK_ITEM_MOVED: gettext_lazy("moved a work item along the workflow"),
    AuditAction.WORK_ITEM_RESCHEDULED: gettext_lazy("rescheduled a work item"),
    AuditAction.WORK_ROLES_CHANGED: gettext_lazy("changed who does what on a work item"),
    AuditAction.WORK_RULES_CHANGED: gettext_lazy("changed the content-check rules"),
    AuditAction.WORK_COMMENT_ADDED: gettext_lazy("commented on a work item"),
    AuditAction.WORK_FEED_RENEWED: gettext_lazy("made a new calendar feed address"),
    AuditAction.WORK_FEED_REVOKED: gettext_lazy("turned off their calendar feed"),
    AuditAction.PLANNING_SKILLS_CHANGED: gettext_lazy("changed skills or marketing hours"),
    AuditAction.PLANNING_SYSTEM_ADDED: gettext_lazy("added a system to the software stack"),
    AuditAction.PLANNING_SYSTEM_REMOVED: gettext_lazy("removed a system from the software stack"),
    AuditAction.PLANNING_INTEGRATION_FIT_CHANGED: gettext_lazy(
        "changed how tools fit the software stack"
    ),
    AuditAction.PLANNING_EVALUATION_CHANGED: gettext_lazy("changed the tool evaluation"),
}


def describe(event: AuditEvent) -> str:
    """What happened, in the active language; unknown actions show their code."""
    label = ACTION_LABELS.get(event.action)
    return str(label) if label is not None else _("%(action)s") % {"action": event.action}
