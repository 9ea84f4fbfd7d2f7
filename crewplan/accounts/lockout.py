"""How django-axes counts failed sign-ins (settings.py points it here).

- The account is the normalized e-mail (`login_key`), so case variants share one count.
- The address is the client's, found `CREWPLAN_PROXY_COUNT` entries from the right of
  X-Forwarded-For: each trusted proxy appends the address it received the request from,
  so entries further left were written by the client and prove nothing. With no proxy
  configured the header is ignored and the peer address (REMOTE_ADDR) counts.
- Failures lock the pair (account, address): someone failing on the owner's account from
  one address does not stop the owner signing in from another. Against password spraying
  (a few guesses at many accounts) an address is also locked, for every account, after
  `CREWPLAN_LOGIN_ADDRESS_FAILURE_LIMIT` failures in the cool-off period (0: off).
"""

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from crewplan.accounts.models import login_key


def client_address(request: HttpRequest) -> str | None:
    """The address failed sign-ins are counted against (AXES_CLIENT_IP_CALLABLE)."""
    peer = request.META.get("REMOTE_ADDR")
    depth: int = settings.PROXY_COUNT
    if depth <= 0:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if not hops:
        return peer
    # Fewer entries than proxies: the request skipped a proxy; the leftmost is then the
    # first one a proxy wrote.
    candidate = hops[max(len(hops) - depth, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a broken or hostile header, not a client
        return peer


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account failed sign-ins are counted against (AXES_USERNAME_CALLABLE)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else request.POST.get(field)
    return login_key(raw) if isinstance(raw, str) else None


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped: its base is Any
    """axes' database handler plus the per-address limit against password spraying (axes
    combines lockout parameters but has one limit for all of them)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        address_limit: int = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if address_limit <= 0 or not request.axes_ip_address:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= address_limit:
            limit: int = get_failure_limit(request, credentials)  # axes is untyped
            return max(failures, limit)
        return failures
