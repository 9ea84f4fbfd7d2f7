from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.models import AuditEvent

# Actions whose before/after state budget amounts or tool costs: the log shows their details
# only to people who may see every amount (Action.VIEW_BUDGET_AMOUNTS, DESIGN.md A).
AMOUNT_ACTIONS = frozenset(
    {
        "planning.tool_saved",
        "planning.budget_line_saved",
        "planning.budget_line_deleted",
        "planning.budget_imported",
        "planning.roi_estimate_saved",
    }
)

# Money fields inside actions that are otherwise not about money: only these values are
# hidden from people who may not see every amount, the rest of the change stays readable.
# (Shares such as budget_max_tool_share are fractions, not amounts.)
AMOUNT_FIELDS = {
    "workspace.created": frozenset({"budget_training_per_seat"}),
    "workspace.settings_changed": frozenset({"budget_training_per_seat"}),
}


def hide_amounts(event: AuditEvent) -> None:
    """Blank the money in `event` (in memory, for display) for a reader who may not see
    budget amounts: the whole before/after of AMOUNT_ACTIONS, the AMOUNT_FIELDS of others."""
    if event.action in AMOUNT_ACTIONS:
        event.before = event.after = None
        event.amounts_hidden = True  # type: ignore[attr-defined]
        return
    fields = AMOUNT_FIELDS.get(event.action, frozenset())
    for side in ("before", "after"):
        values = getattr(event, side)
        if isinstance(values, dict) and fields & values.keys():
            hidden = str(_("(amount hidden)"))
            setattr(event, side, {k: hidden if k in fields else v for k, v in values.items()})


ACTION_LABELS = {
    "workspace.created": gettext_lazy("created the workspace"),
    "workspace.settings_changed": gettext_lazy("changed the workspace settings"),
    "team.created": gettext_lazy("created a team"),
    "team.changed": gettext_lazy("changed a team"),
    "team.deleted": gettext_lazy("deleted a team"),
    "invitation.created": gettext_lazy("invited a person"),
    "invitation.revoked": gettext_lazy("withdrew an invitation"),
    "membership.joined": gettext_lazy("joined"),
    "membership.changed": gettext_lazy("changed a person's team or role"),
    "membership.removed": gettext_lazy("removed a person"),
    "raci.draft_started": gettext_lazy("started a RACI draft"),
    "raci.cell_changed": gettext_lazy("changed a RACI cell"),
    "raci.signoffs_cleared": gettext_lazy("cleared the RACI sign-offs by changing the draft"),
    "raci.function_created": gettext_lazy("added a RACI function"),
    "raci.activity_saved": gettext_lazy("saved a RACI activity"),
    "raci.activity_archived": gettext_lazy("archived a RACI activity"),
    "raci.template_applied": gettext_lazy("added the in-house + agency template"),
    "raci.signed_off": gettext_lazy("signed off the RACI draft"),
    "raci.published": gettext_lazy("published a RACI version"),
    "raci.imported": gettext_lazy("imported a RACI matrix from a file"),
    "raci.activity_moved": gettext_lazy("moved a RACI activity"),
    "raci.function_moved": gettext_lazy("moved a RACI function"),
    "raci.function_renamed": gettext_lazy("renamed a RACI function"),
    "raci.function_archived": gettext_lazy("archived a RACI function"),
    "planning.kpi_added": gettext_lazy("added a KPI from the catalogue"),
    "planning.kpi_saved": gettext_lazy("saved a KPI"),
    "planning.kpi_history_changed": gettext_lazy("changed a KPI's history"),
    "planning.kpi_targets_changed": gettext_lazy("changed a KPI's targets"),
    "planning.goal_saved": gettext_lazy("saved a goal"),
    "planning.goal_deleted": gettext_lazy("deleted a goal"),
    "planning.tool_saved": gettext_lazy("saved an AI tool"),
    "planning.budget_version_created": gettext_lazy("started a budget version"),
    "planning.budget_line_saved": gettext_lazy("saved a budget line"),
    "planning.budget_line_deleted": gettext_lazy("deleted a budget line"),
    "planning.budget_imported": gettext_lazy("imported a budget plan from a file"),
    "planning.roi_estimate_saved": gettext_lazy("saved an ROI estimate"),
    "work.item_created": gettext_lazy("created a work item"),
    "work.item_saved": gettext_lazy("saved a work item"),
    "work.item_moved": gettext_lazy("moved a work item along the workflow"),
    "work.item_rescheduled": gettext_lazy("rescheduled a work item"),
    "work.roles_changed": gettext_lazy("changed who does what on a work item"),
    "work.rules_changed": gettext_lazy("changed the content-check rules"),
    "work.comment_added": gettext_lazy("commented on a work item"),
    "work.feed_renewed": gettext_lazy("made a new calendar feed address"),
    "work.feed_revoked": gettext_lazy("turned off their calendar feed"),
    "planning.skills_changed": gettext_lazy("changed skills or marketing hours"),
    "planning.system_added": gettext_lazy("added a system to the software stack"),
    "planning.system_removed": gettext_lazy("removed a system from the software stack"),
    "planning.integration_fit_changed": gettext_lazy("changed how tools fit the software stack"),
    "planning.evaluation_changed": gettext_lazy("changed the tool evaluation"),
}


def describe(event: AuditEvent) -> str:
    """What happened, in the active language; unknown actions show their code."""
    label = ACTION_LABELS.get(event.action)
    return str(label) if label is not None else _("%(action)s") % {"action": event.action}
