"""The access layer: the only way views (and later the API) reach workspace-owned data.

- `@workspace_view` turns the URL's `slug` into `request.workspace` and
  `request.membership` for a member, and answers 404 to anyone else, so a URL of a
  workspace you are not in looks exactly like one that does not exist.
- `get_owned(request, Model, pk)` loads one object of the current workspace (404
  otherwise): an id from another workspace is never found.
- `require(request, action, target)` asks the rule table (`permissions.py`) and
  answers 403; `can(membership, action, target)` asks it for templates.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from crewplan.accounts.requests import SignedInRequest
from crewplan.planning.models import BudgetSettings
from crewplan.work.models import WorkSettings
from crewplan.workspaces.models import Membership, Workspace
from crewplan.workspaces.permissions import Action, Policy, Target, is_allowed

# The apps' settings rows, loaded with the membership in the same query: the policy and
# the pages' checks read them without one of their own.
SETTINGS_ROWS = (
    "workspace__raci_settings",
    "workspace__budget_settings",
    "workspace__work_settings",
    "workspace__review_settings",
)


class WorkspaceRequest(SignedInRequest):
    """An HttpRequest that went through `@workspace_view`."""

    workspace: Workspace
    membership: Membership


class _HasTarget(Protocol):
    @property
    def as_target(self) -> Target: ...


def membership_for(user: Any, slug: str) -> Membership:
    """The user's membership of the workspace at `slug`, or 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related(*SETTINGS_ROWS, "team", "user").get(
            workspace__slug=slug, user=user
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def workspace_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = membership_for(request.user, slug)
        # The same request, given the two attributes that make it a WorkspaceRequest.
        wrequest: WorkspaceRequest = request  # type: ignore[assignment]
        wrequest.workspace = membership.workspace
        wrequest.membership = membership
        with timezone.override(membership.workspace.time_zone):
            if getattr(request.user, "language", ""):
                return view(wrequest, *args, **kwargs)
            with translation.override(membership.workspace.default_language):
                request.LANGUAGE_CODE = membership.workspace.default_language
                return view(wrequest, *args, **kwargs)

    return wrapper


def get_owned[M: models.Model](
    request: WorkspaceRequest, model: type[M], pk: Any, **filters: Any
) -> M:
    """One `model` row of the current workspace, or 404. The row's `workspace` is the
    request's (already loaded), so nothing that follows queries it again."""
    manager = model._default_manager
    found = get_object_or_404(manager.filter(workspace=request.workspace, **filters), pk=pk)
    # Every workspace-owned model has `workspace`; a bare Model type says nothing of it.
    found.workspace = request.workspace  # type: ignore[attr-defined]
    return found


def policy_of(workspace: Workspace) -> Policy:
    """The workspace's switches the rule table reads: who outside the company sees budget
    amounts (the budget settings) and all work items (the work settings)."""
    return Policy(
        external_can_see_budget=BudgetSettings.objects.for_workspace(
            workspace
        ).external_can_see_budget,
        external_can_see_all_work=WorkSettings.objects.for_workspace(
            workspace
        ).external_can_see_all_work,
    )


def can(membership: Membership, action: Action, target: Target | _HasTarget = None) -> bool:
    if target is not None and hasattr(target, "as_target"):
        target = target.as_target
    return is_allowed(membership.actor, action, target, policy_of(membership.workspace))


def require(request: WorkspaceRequest, action: Action, target: Target | _HasTarget = None) -> None:
    if not can(request.membership, action, target):
        raise PermissionDenied
