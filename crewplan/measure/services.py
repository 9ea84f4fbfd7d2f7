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
from crewplan.audit.services import record
from crewplan.lib.params import int_param
from crewplan.measure.import_queries import mapping_key
from crewplan.measure.messages import FIELD_LABELS
from crewplan.measure.models import Channel, ImportMapping
from crewplan.measure.parse import ColumnMap
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


MAPPABLE = ("date", "channel", "campaign", *FIELD_LABELS)


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
    if not any(f in columns for f in MAPPABLE[3:]):
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
