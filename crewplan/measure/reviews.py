"""Writes of the AI tools' monthly reviews: one review per tool and month, created or
changed in one transaction with its audit row (a change goes through the revision the
form read, so two people editing the same month never overwrite each other)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import Conflict, changed_since, model_update, plain, record
from crewplan.measure.models import ToolReview
from crewplan.planning.models import AiTool
from crewplan.workspaces.models import Workspace

REVIEW_FIELDS = ("active_seats", "hours_saved", "outputs", "satisfaction", "note")


@transaction.atomic
def review_save(
    *,
    workspace: Workspace,
    actor: Any,
    tool: AiTool,
    month: date,
    revision: int | None = None,
    data: Mapping[str, Any],
) -> ToolReview:
    """The tool's review of `month` (any day of it: stored as its first day), created, or
    changed if still at `revision` (else audit.Conflict, also when someone else created
    it after the form was read with no revision). `data`: REVIEW_FIELDS."""
    if tool.workspace_id != workspace.pk:
        raise ValidationError(_("That tool does not belong to this workspace."))
    unknown = set(data) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    month = month.replace(day=1)
    existing = ToolReview.objects.for_workspace(workspace).filter(tool=tool, month=month).first()
    if existing is not None:
        if revision is None:  # both opened the month before it had a review
            raise Conflict(
                thing=str(ToolReview._meta.verbose_name), fields=changed_since(existing, 0)
            )
        review, _after = model_update(
            instance=existing,
            fields=REVIEW_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.MEASURE_TOOL_REVIEW_SAVED,
        )
        return review
    review = ToolReview(workspace=workspace, tool=tool, month=month, created_by=actor, **data)
    review.full_clean(exclude=["workspace", "tool", "created_by"])
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # someone else saved this month a moment ago
        raise Conflict(thing=str(ToolReview._meta.verbose_name), fields=[]) from None
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_TOOL_REVIEW_SAVED,
        target=review,
        after={
            "month": plain(month),
            **{name: plain(getattr(review, name)) for name in REVIEW_FIELDS},
        },
        revision=review.revision,
    )
    return review
