from collections.abc import Mapping
from typing import Any

from django.db import models

from crewplan.audit.models import AuditEvent
from crewplan.workspaces.models import Workspace


def record(
    *,
    workspace: Workspace,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. Call it inside the service's transaction, so the change and
    its record land together or not at all. `actor` is a user or None (the system)."""
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None else "",
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def changes(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ between two snapshots, as (before, after)."""
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
