"""Writes of the measure app: channels (more services land here with the imports,
expenses and tool reviews). Each is one transaction with its audit row."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record
from crewplan.measure.models import Channel
from crewplan.workspaces.models import Workspace

# The channels a new workspace starts with (DESIGN.md E): name, kind.
DEFAULT_CHANNELS = (
    ("Google Ads", Channel.Kind.PAID),
    ("Meta", Channel.Kind.PAID),
    ("LINE Ads", Channel.Kind.PAID),
    ("YouTube", Channel.Kind.PAID),
    ("SEO", Channel.Kind.ORGANIC),
    ("E-mail", Channel.Kind.OWNED),
    ("LINE OA", Channel.Kind.OWNED),
    ("Offline", Channel.Kind.PAID),
)


def default_channels_create(workspace: Workspace) -> list[Channel]:
    """A new workspace's DEFAULT_CHANNELS, in one insert: the plan's media lines and the
    imports have channels to name from the first day (the workspace's creation is audited
    as a whole by `workspace_create`, its caller)."""
    return Channel.objects.bulk_create(
        Channel(workspace=workspace, name=name, kind=kind, position=i)
        for i, (name, kind) in enumerate(DEFAULT_CHANNELS, start=1)
    )


@transaction.atomic
def channel_create(
    *, workspace: Workspace, actor: Any, name: str, kind: str = Channel.Kind.PAID
) -> Channel:
    """A new channel of the workspace; ValidationError for an empty, too long or taken
    name (letter case aside)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Name the channel."))
    if Channel.objects.for_workspace(workspace).filter(name__iexact=name).exists():
        raise ValidationError(_("There is already a channel called “%(name)s”.") % {"name": name})
    last = Channel.objects.for_workspace(workspace).aggregate(n=Max("position"))["n"]
    channel = Channel(workspace=workspace, name=name, kind=kind, position=(last or 0) + 1)
    channel.full_clean(exclude=["workspace"])
    channel.save()
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_SAVED,
        target=channel,
        after={"name": name, "kind": kind},
        revision=channel.revision,
    )
    return channel
