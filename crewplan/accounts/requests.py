"""The request a signed-in view receives, typed for mypy."""

from django.http import HttpRequest

from crewplan.accounts.models import User


class SignedInRequest(HttpRequest):
    """An HttpRequest that went through `@login_required` (or `@workspace_view`): its
    `user` is a User, never the anonymous one."""

    user: User
