"""Writes of the measure app: channels (more services land here with the imports,
expenses and tool reviews). Each is one transaction with its audit row."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import locked, model_update, only_fields, record, snapshot
from crewplan.lib.params import int_param
from crewplan.measure.import_queries import mapping_key
from crewplan.measure.messages import FIELD_LABELS
from crewplan.measure.models import Channel, ChannelAlias, DailyMetric, ImportMapping
from crewplan.measure.parse import ColumnMap
from crewplan.planning.models import AiTool, BudgetLine
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


CHANNEL_FIELDS = ("name", "kind")


@transaction.atomic
def channel_update(
    *, workspace: Workspace, actor: Any, channel: Channel, revision: int | None, data: Any
) -> Channel:
    """Rename a channel or change its kind, if nobody saved it since `revision` (else
    audit.Conflict); a name taken by another channel (letter case aside) is refused."""
    only_fields(data, CHANNEL_FIELDS)
    fields = dict(data)
    if "name" in fields:
        fields["name"] = " ".join(str(fields["name"]).split())
        if not fields["name"]:
            raise ValidationError(_("Name the channel."))
        taken = Channel.objects.for_workspace(workspace).filter(name__iexact=fields["name"])
        if taken.exclude(pk=channel.pk).exists():
            raise ValidationError(
                _("There is already a channel called “%(name)s”.") % {"name": fields["name"]}
            )
    saved, _after = model_update(
        instance=channel,
        fields=CHANNEL_FIELDS,
        data=fields,
        revision=revision,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_SAVED,
    )
    return saved


def channel_uses(workspace: Workspace, channel: Channel) -> dict[str, int]:
    """What still names the channel: imported days, budget lines, AI tools."""
    return {
        "days": DailyMetric.objects.for_workspace(workspace).filter(channel=channel).count(),
        "lines": BudgetLine.objects.for_workspace(workspace).filter(channel=channel).count(),
        "tools": AiTool.channels.through.objects.filter(channel=channel).count(),
    }


@transaction.atomic
def channel_delete(
    *, workspace: Workspace, actor: Any, channel: Channel, revision: int | None
) -> None:
    """Delete a channel nothing uses any more (else ValidationError saying what does),
    with its aliases."""
    current = locked(channel, revision=revision)
    uses = channel_uses(workspace, current)
    if any(uses.values()):
        raise ValidationError(
            _(
                "“%(name)s” is still used by %(days)s imported days, %(lines)s budget lines "
                "and %(tools)s AI tools. Move those to another channel first."
            )
            % {"name": current.name, **uses}
        )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_DELETED,
        target=current,
        before=snapshot(current, CHANNEL_FIELDS),
    )
    current.delete()


@transaction.atomic
def channel_alias_delete(*, workspace: Workspace, actor: Any, alias: ChannelAlias) -> None:
    """Forget what a file's channel name stands for: the next import asks again."""
    if alias.workspace_id != workspace.pk:
        raise ValidationError(_("Choose a channel name of this workspace."))
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_CHANNEL_ALIAS_DELETED,
        target=alias,
        before={"source_name": alias.source_name, "channel": alias.channel_id},
    )
    alias.delete()


# The currency column is mapped too: a mapped file in another currency needs a rate.
MAPPABLE = ("date", "channel", "campaign", "currency", *FIELD_LABELS)


def column_map_checked(form: Mapping[str, Any]) -> ColumnMap:
    """The mapping page's answer (`column-<i>` = a field or "", `channel` = a fixed
    channel) as a ColumnMap; ValidationError without a date column, without a channel
    (a column or a fixed one) or with a field given twice."""
    columns: dict[str, int] = {}
    for key, value in form.items():
        if not key.startswith("column-") or not value:
            continue
        index = int_param(key.removeprefix("column-"))
        if index is None or index > 1000 or value not in MAPPABLE:
            raise ValidationError(_("This mapping is not one the page offered."))
        if value in columns:
            raise ValidationError(_("Two columns are mapped to the same field."))
        columns[str(value)] = index
    channel = " ".join(str(form.get("channel", "")).split())[:60]
    if "date" not in columns:
        raise ValidationError(_("Say which column holds the date."))
    if "channel" not in columns and not channel:
        raise ValidationError(_("Say which column holds the channel, or name the channel."))
    if not any(f in columns for f in FIELD_LABELS):
        raise ValidationError(_("Say which column holds at least one figure."))
    return ColumnMap(columns, channel)


@transaction.atomic
def mapping_save(
    *, workspace: Workspace, actor: Any, header: Sequence[str], mapping: ColumnMap
) -> ImportMapping:
    """Remember the mapping for files with this header row (replacing an older one)."""
    saved, _created = ImportMapping.objects.update_or_create(
        workspace=workspace,
        signature=mapping_key(header),
        defaults={
            "header": list(header),
            "columns": mapping.columns,
            "channel": mapping.channel,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_MAPPING_SAVED,
        target=saved,
        after={"columns": mapping.columns, "channel": mapping.channel},
    )
    return saved
