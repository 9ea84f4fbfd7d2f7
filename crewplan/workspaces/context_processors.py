from typing import Any

from django.http import HttpRequest

from crewplan.workspaces.models import Membership
from crewplan.workspaces.permissions import Action


def workspace_nav(request: HttpRequest) -> dict[str, Any]:
    """What the header needs: the workspaces to switch between and what the current
    person may open. Lazy, so pages that never show a header pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)

    def switchable() -> list[Membership]:
        return list(
            Membership.objects.filter(user=user)
            .select_related("workspace")
            .order_by("workspace__name")
        )

    context: dict[str, Any] = {"nav_memberships": switchable}
    if membership is not None:
        from crewplan.work.feeds import unread_count
        from crewplan.workspaces.access import can

        context.update(
            current_workspace=membership.workspace,
            current_membership=membership,
            nav_may_view_audit=can(membership, Action.VIEW_AUDIT),
            nav_may_edit_settings=can(membership, Action.EDIT_SETTINGS),
            nav_unread=lambda: unread_count(membership),
        )
    return context
