import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_stubs_ext import StrOrPromise

from crewplan.audit.actions import AuditAction
from crewplan.audit.models import AuditEvent, UsedToken
from crewplan.workspaces.models import Workspace

# A form that comes back without the revision it was read at cannot be checked for a
# conflict, so it is refused, never saved over whatever is there now.
STALE_FORM = gettext_lazy(
    "This form is incomplete or out of date. Reload the page and enter your changes again."
)


def record(
    *,
    workspace: Workspace,
    actor: Any,
    action: AuditAction,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    revision: int | None = None,
) -> AuditEvent:
    """Write one audit row. Call it inside the service's transaction, so the change and
    its record land together or not at all. `actor` is a user or None (the system);
    `revision` is the target's revision after the change, for rows that have one."""
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None else "",
        action=action,
        target_type=(target._meta.model_name or "") if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        target_revision=revision,
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


def plain(value: Any) -> Any:
    """A field value as the audit log's JSON keeps it: text for Decimals (without
    trailing zeros), dates and related rows (their name); text, numbers, booleans and None
    as they are."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, Decimal):  # typed 20 and stored 20.0 are the same figure
        return f"{value.normalize():f}"
    if isinstance(value, datetime) and value.tzinfo is not None:  # one instant, one text
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """`instance`'s `fields` as the audit log keeps them (`plain`): one convention for a
    row's creation, change and deletion."""
    return {name: plain(getattr(instance, name)) for name in fields}


def only_fields(data: Mapping[str, Any], fields: Iterable[str]) -> Mapping[str, Any]:
    """`data` when each of its keys is one of `fields`, the fields a save service takes;
    else TypeError naming the others (a caller's mistake, not a person's)."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"not one of the fields: {', '.join(sorted(unknown))}")
    return data


def model_create[M: models.Model](
    *,
    instance: M,
    fields: Iterable[str],
    actor: Any,
    action: AuditAction,
    exclude: Iterable[str] = ("workspace",),
) -> M:
    """Validate and save a new row, and record `action` with its `fields` as `after`, in
    the caller's transaction: the create half of `model_update`."""
    instance.full_clean(exclude=list(exclude))
    instance.save()
    record(
        workspace=_workspace_of(instance),
        actor=actor,
        action=action,
        target=instance,
        after=snapshot(instance, fields),
    )
    return instance


class Conflict(ValidationError):
    """Someone else saved the row after the form was read (its revision moved on).
    `fields` names what they changed, in the active language; nothing was written."""

    def __init__(self, *, thing: str, fields: Iterable[str]) -> None:
        self.fields = list(fields)
        if self.fields:
            message = _(
                "Someone else saved the %(thing)s since you opened it: %(fields)s changed. "
                "Your changes were not saved; reload to see theirs."
            ) % {"thing": thing, "fields": pgettext("list separator", ", ").join(self.fields)}
        else:
            message = _(
                "Someone else saved the %(thing)s since you opened it. "
                "Your changes were not saved; reload to see theirs."
            ) % {"thing": thing}
        super().__init__(message, code="conflict")


def _workspace_of(instance: models.Model) -> Workspace:
    return instance if isinstance(instance, Workspace) else instance.workspace  # type: ignore[attr-defined]


def _label(
    model: type[models.Model], key: str, action: str, labels: Mapping[str, StrOrPromise]
) -> str:
    if key in labels:
        return str(labels[key])
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:  # a key of another audit row of the target, e.g. a month
        return str(labels.get(action, key))
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    return str(labels.get(action, key))  # a reverse relation has no verbose name


def changed_since(
    instance: models.Model, revision: int, labels: Mapping[str, StrOrPromise] | None = None
) -> list[str]:
    """What the audited changes of `instance` after `revision` touched: field labels in
    the order first changed, once each. `labels` names keys better than their fields do
    (twelve month fields are one "amounts"), and names the keys of the target's other
    audit rows (a KPI's targets by month) by their action."""
    events = (
        AuditEvent.objects.for_workspace(_workspace_of(instance))
        .filter(
            target_type=instance._meta.model_name,
            target_id=str(instance.pk),
            target_revision__gt=revision,
        )
        .order_by("created_at", "id")
    )
    names: list[str] = []
    # The model's field order, not the JSON's: PostgreSQL's jsonb does not keep key order.
    order = {f.name: i for i, f in enumerate(instance._meta.concrete_fields)}
    for event in events:
        before, after = event.before or {}, event.after or {}
        keys = sorted({*after, *before}, key=lambda k: (order.get(k, len(order)), k))
        for key in keys:
            if key in before and key in after and before[key] == after[key]:
                continue  # a snapshot of the whole row: only what differs changed
            name = _label(type(instance), key, event.action, labels or {})
            if name not in names:
                names.append(name)
    return names


def locked[M: models.Model](
    instance: M, *, revision: int | None, labels: Mapping[str, StrOrPromise] | None = None
) -> M:
    """`instance`'s row as stored now, locked until the transaction ends, if nobody saved
    it since `revision` was read; otherwise Conflict, naming what changed since. The row
    is looked up inside the instance's workspace. No revision (None, a form that carried
    none) is refused, never taken as "skip the check"."""
    model = type(instance)
    rows = model._default_manager.select_for_update()
    if not isinstance(instance, Workspace):
        rows = rows.filter(workspace=_workspace_of(instance))
    thing = str(model._meta.verbose_name)
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise ValidationError(str(STALE_FORM), code="no_revision")  # never "skip the check"
    current = rows.filter(pk=instance.pk).first()
    if current is None:
        raise ValidationError(
            _("Someone else deleted the %(thing)s since you opened it.") % {"thing": thing}
        )
    if current.revision != revision:  # type: ignore[attr-defined]
        raise Conflict(thing=thing, fields=changed_since(current, revision, labels))
    return current


def locked_or_created[M: models.Model](
    model: type[M],
    *,
    workspace: Workspace,
    revision: int | None,
    labels: Mapping[str, StrOrPromise] | None = None,
    **defaults: Any,
) -> M:
    """The workspace's one `model` row (settings kept one per workspace), locked, if it is
    still at `revision`; created from `defaults` when the form was read before there was
    one (`revision` None). Conflict when someone else saved or created it meanwhile."""
    thing = str(model._meta.verbose_name)
    row = model._default_manager.filter(workspace=workspace).first()
    if row is None and revision is None:
        try:
            with transaction.atomic():
                row = model._default_manager.create(workspace=workspace, **defaults)
        except IntegrityError:  # someone else saved the first one a moment ago
            raise Conflict(thing=thing, fields=[]) from None
        revision = row.revision  # type: ignore[attr-defined]
    elif row is None or revision is None:
        raise Conflict(thing=thing, fields=changed_since(row, 0, labels) if row else [])
    return locked(row, revision=revision, labels=labels)


def model_update[M: models.Model](
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    revision: int | None,
    actor: Any,
    action: AuditAction,
    labels: Mapping[str, StrOrPromise] | None = None,
    touched: bool = False,
) -> tuple[M, dict[str, Any]]:
    """Set `fields` of `instance` from `data`, if the row is still at `revision` (else
    Conflict, see `locked`): lock the row, validate, save only the fields that change,
    bump the revision and record `action` with before → after of what changed, all in
    the caller's transaction. `touched`: something saved with the row in the same
    transaction changed (a KPI's targets, audited on their own), so the revision moves on
    even if no field did. Returns the row as saved and the audit's `after` (empty when no
    field changed: no audit row, and no write unless `touched`)."""
    current = locked(instance, revision=revision, labels=labels)
    names = [name for name in fields if name in data]
    before, after = {}, {}
    for name in names:
        old = getattr(current, name)
        if old != data[name]:
            before[name], after[name] = plain(old), plain(data[name])
            setattr(current, name, data[name])
    if not after and not touched:
        return current, {}
    editable = {f.name for f in current._meta.concrete_fields}
    current.full_clean(exclude=sorted(editable - set(names)))
    save_revision(
        current, fields=list(after), actor=actor, action=action, before=before, after=after
    )
    return current, after


def save_revision(
    current: models.Model,
    *,
    fields: Iterable[str],
    actor: Any,
    action: AuditAction,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
) -> None:
    """Save `fields` of a row that `locked` returned, as its next revision, and record
    `action` (before → after) stamped with that revision; no audit row when `after` is
    empty (only something saved with the row changed)."""
    current.revision += 1  # type: ignore[attr-defined]
    current.save(update_fields=[*fields, "revision"])
    if after:
        record(
            workspace=_workspace_of(current),
            actor=actor,
            action=action,
            target=current,
            before=before,
            after=after,
            revision=current.revision,  # type: ignore[attr-defined]
        )
