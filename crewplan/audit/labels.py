from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.models import AuditEvent

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
}


def describe(event: AuditEvent) -> str:
    """What happened, in the active language; unknown actions show their code."""
    label = ACTION_LABELS.get(event.action)
    return str(label) if label is not None else _("%(action)s") % {"action": event.action}
