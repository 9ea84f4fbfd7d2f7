import hashlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.models import AuditEvent, UsedToken
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


USED_TOKEN_DAYS = 1


def use_once(*, workspace: Workspace, token: str) -> None:
    """Mark a single-use token (an import preview) used, inside the caller's transaction:
    if that transaction rolls back the token stays usable. A token used before raises
    ValidationError, so the caller creates nothing."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    UsedToken.objects.filter(used_at__lt=timezone.now() - timedelta(days=USED_TOKEN_DAYS)).delete()
    try:
        with transaction.atomic():
            UsedToken.objects.create(workspace=workspace, digest=digest)
    except IntegrityError:
        raise ValidationError(
            _("This preview has already been imported. Upload the file again to import it again.")
        ) from None
