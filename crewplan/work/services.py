"""Writes to work items: keyword-only, one transaction each, audited; notifications are
created in the same transaction and e-mailed by a task enqueued after it commits, so a
mail server that fails never fails the request (the task is marked failed and logged)."""

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import (
    locked,
    locked_or_created,
    only_fields,
    plain,
    record,
    save_revision,
)
from crewplan.lib.text import single_line
from crewplan.planning.models import BudgetLine, Goal
from crewplan.raci.models import Activity
from crewplan.work import checks, workflow
from crewplan.work.models import (
    Comment,
    ContentRules,
    ItemRole,
    Notification,
    Transition,
    WorkItem,
)
from crewplan.work.roles import Letters, RoleBook, role_book
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Workspace
from crewplan.workspaces.permissions import Action, ItemTarget

Forbidden = PermissionDenied

NOTIFY_KIND = {
    "submit": Notification.Kind.REVIEW_REQUEST,
    "copy_edited": Notification.Kind.REVIEW_REQUEST,
    "approve": Notification.Kind.APPROVED,
    "request_changes": Notification.Kind.CHANGES_REQUESTED,
    "publish": Notification.Kind.PUBLISHED,
}


def person_for(membership: Membership, book: RoleBook, item: WorkItem) -> workflow.Person:
    return workflow.Person(
        user_id=membership.pk,
        is_owner=membership.role == Membership.Role.OWNER,
        roles=book.letters_of(item, membership.pk),
    )


def item_roles(letters: Letters) -> workflow.ItemRoles:
    return workflow.ItemRoles(
        responsible=letters.get("R", frozenset()), accountable=letters.get("A", frozenset())
    )


def item_target(person: workflow.Person) -> ItemTarget:
    """The item as the rule table sees it: the letters this person holds on it."""
    return ItemTarget(letters=person.roles)


def rules_for(workspace: Workspace) -> checks.Rules:
    saved = ContentRules.objects.for_workspace(workspace).first()
    return checks.rules_from_dict(saved.rules) if saved and saved.rules else checks.DEFAULT_RULES


# A stale rules form names what changed by the form's labels for the stored keys.
RULES_LABELS = {
    "checks": gettext_lazy("Checks to run"),
    "product_category": gettext_lazy("What you sell"),
    "glossary": gettext_lazy("Brand glossary"),
    "extra_risky_claims": gettext_lazy("More risky claims"),
    "drop_risky_claims": gettext_lazy("Default claims to ignore"),
    "disclosure_words": gettext_lazy("Disclosure words"),
    "utm_exempt_domains": gettext_lazy("Your own domains"),
    "instagram_hashtag_limit": gettext_lazy("Most hashtags on Instagram"),
}


@transaction.atomic
def rules_save(
    *, workspace: Workspace, actor: Any, rules: dict[str, Any], revision: int | None = None
) -> ContentRules:
    """Store the workspace's own rule keys after checking them with the core, if nobody
    saved the rules since `revision` was read (None: there were none yet); else
    audit.Conflict."""
    try:
        checks.rules_from_dict(rules)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    saved = locked_or_created(
        ContentRules, workspace=workspace, revision=revision, labels=RULES_LABELS
    )
    before = saved.rules
    if before == rules:
        return saved
    saved.rules = rules
    saved.updated_at = timezone.now()
    save_revision(
        saved,
        fields=["rules", "updated_at"],
        actor=actor,
        action=AuditAction.WORK_RULES_CHANGED,
        before=before or None,
        after=rules,
    )
    return saved


def _check_related(workspace: Workspace, fields: Mapping[str, Any]) -> None:
    for name, model in (("activity", Activity), ("goal", Goal), ("budget_line", BudgetLine)):
        value = fields.get(name)
        if value is not None and (
            not isinstance(value, model) or value.workspace_id != workspace.pk
        ):
            raise ValidationError(_("That choice does not belong to this workspace."))


def _run_checks(item: WorkItem) -> list[dict[str, Any]]:
    """The findings as stored with the item: every field of the core's Finding, its
    sentence's key and parameters included, so work/messages.py writes it in the reader's
    language when it is shown."""
    channel = item.channel if item.channel != WorkItem.Channel.OTHER else None
    found = checks.check(item.copy, channel, rules_for(item.workspace), sponsored=item.sponsored)
    return [asdict(f) for f in found]


def highlighted(copy: str, findings: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    """The copy cut into (text, number of the finding marking it or None) segments, so the
    template can mark each offending span; overlapping spans keep the first finding."""
    marks: list[int | None] = [None] * len(copy)
    for number, f in enumerate(findings, start=1):
        start, end = int(f.get("start", 0)), int(f.get("end", 0))
        for i in range(max(0, start), min(len(copy), end)):
            if marks[i] is None:
                marks[i] = number
    segments: list[tuple[str, int | None]] = []
    for i, char in enumerate(copy):
        if segments and segments[-1][1] == marks[i]:
            segments[-1] = (segments[-1][0] + char, marks[i])
        else:
            segments.append((char, marks[i]))
    return segments


def _snapshot(item: WorkItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "state": item.state,
        "channel": item.channel,
        "publish_at": plain(item.publish_at),
        "due_on": plain(item.due_on),
    }


# What a new work item may be given (the rest are the workflow's).
ITEM_FIELDS = (
    "title",
    "kind",
    "activity",
    "channel",
    "brief",
    "copy",
    "sponsored",
    "due_on",
    "publish_at",
    "goal",
    "budget_line",
)


@transaction.atomic
def item_create(
    *, workspace: Workspace, membership: Membership, data: Mapping[str, Any]
) -> WorkItem:
    """A new work item from `data` (some of ITEM_FIELDS; the rest take their defaults)."""
    _check_related(workspace, only_fields(data, ITEM_FIELDS))
    item = WorkItem(workspace=workspace, created_by=membership.user, **data)
    item.full_clean(exclude=["workspace"])
    item.save()
    record(
        workspace=workspace,
        actor=membership.user,
        action=AuditAction.WORK_ITEM_CREATED,
        target=item,
        after=_snapshot(item),
    )
    return item


# A stale item form names a workflow step as a change of the status.
ITEM_LABELS = {"work.item_moved": WorkItem._meta.get_field("state").verbose_name}


def _locked(item: WorkItem, revision: int) -> WorkItem:
    """The item's row, locked, if nobody changed it since `revision` was read (else
    audit.Conflict naming what changed)."""
    current = locked(item, revision=revision, labels=ITEM_LABELS)
    current.workspace = item.workspace
    return current


def _transition(
    item: WorkItem,
    action: str,
    before: str,
    actor: Any,
    note: str = "",
    check_errors: list[str] | None = None,
) -> Transition:
    return Transition.objects.create(
        workspace=item.workspace,
        item=item,
        action=action,
        from_state=before,
        to_state=item.state,
        actor=actor,
        note=note,
        check_errors=check_errors or [],
    )


# Editing these re-runs the content checks: the copy, what it is for and how it counts.
CHECKED_FIELDS = frozenset({"copy", "channel", "kind", "sponsored"})


def _store_checks(item: WorkItem) -> list[dict[str, Any]]:
    """Run the checks on the item's current copy and keep the findings with it (the
    caller saves)."""
    checks = _run_checks(item)
    item.checks, item.checked_at = checks, timezone.now()
    return checks


def error_codes(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The codes of the ERROR findings, each once, in check order: what the gate decides
    on and what a transition records as explained or overridden."""
    codes = {str(f.get("code", "")) for f in findings if f.get("severity") == checks.ERROR}
    return [code for code in checks.CHECKS if code in codes] + sorted(codes - set(checks.CHECKS))


@transaction.atomic
def item_update(
    *, item: WorkItem, membership: Membership, revision: int, data: Mapping[str, Any]
) -> WorkItem:
    """Change the item's fields (`data`: some of ITEM_FIELDS). Editing the copy of an
    approved or scheduled item sends it back to review (its approval was for other
    words) and asks the A and C again;
    editing the copy, channel, kind or sponsored flag re-runs the content checks, so the
    stored findings are always those of the current copy."""
    book = role_book(item.workspace, [item])
    if not can(membership, Action.EDIT_WORK_ITEM, item_target(person_for(membership, book, item))):
        raise Forbidden
    fields = only_fields(data, ITEM_FIELDS)
    _check_related(item.workspace, fields)
    current = _locked(item, revision)
    before = _snapshot(current)
    copy_changed = "copy" in fields and fields["copy"] != current.copy
    edited = {name: value for name, value in fields.items() if getattr(current, name) != value}
    before |= {name: plain(getattr(current, name)) for name in edited}
    for name, value in fields.items():
        setattr(current, name, value)
    reopened = workflow.copy_edited(current.state) if copy_changed else None
    old_state = current.state
    if reopened:
        current.state = reopened
    current.revision += 1
    current.updated_at = timezone.now()
    current.full_clean(exclude=["workspace"])
    if CHECKED_FIELDS & edited.keys():
        _store_checks(current)
    current.save()
    if reopened:
        _transition(current, "copy_edited", old_state, membership.user)
        notify(
            item=current,
            book=book,
            letters="AC",
            kind=NOTIFY_KIND["copy_edited"],
            actor=membership,
        )
    record(
        workspace=current.workspace,
        actor=membership.user,
        action=AuditAction.WORK_ITEM_SAVED,
        target=current,
        before=before,
        after=_snapshot(current) | {name: plain(value) for name, value in edited.items()},
        revision=current.revision,
    )
    item.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def _refresh_checks(item: WorkItem) -> None:
    """Bring the stored findings up to the current copy and rules (no revision, no audit:
    they are derived, as with `item_check`), when they differ."""
    current = WorkItem.objects.select_for_update().get(pk=item.pk, workspace=item.workspace)
    current.workspace = item.workspace
    findings = _run_checks(current)
    if current.checked_at is None or findings != current.checks:
        current.checks, current.checked_at = findings, timezone.now()
        current.save(update_fields=["checks", "checked_at"])
    item.checks, item.checked_at = current.checks, current.checked_at


def item_move(
    *,
    item: WorkItem,
    membership: Membership,
    action: str,
    revision: int,
    note: str = "",
    override: bool = False,
) -> WorkItem:
    """One step of the workflow, as `work/workflow.py` allows it for this person, gated
    by the content checks run here on the item's current copy (so no caller can skip
    them): with ERROR findings, submitting needs the R's `note` explaining them, and
    approving, scheduling or publishing an approver's `override` with its reason in
    `note`; both are kept on the timeline and in the audit log.

    The stored findings are brought up to date first, in their own transaction, so a
    step refused for errors still leaves the person the findings to read; the step
    itself is one transaction that changes nothing when refused."""
    _refresh_checks(item)
    return _item_move(
        item=item,
        membership=membership,
        action=action,
        revision=revision,
        note=note.strip(),
        override=override,
    )


@transaction.atomic
def _item_move(
    *, item: WorkItem, membership: Membership, action: str, revision: int, note: str, override: bool
) -> WorkItem:
    book = role_book(item.workspace, [item])
    current = _locked(item, revision)
    letters = book.of(current)
    errors = error_codes(_store_checks(current))
    new_state = workflow.transition(
        current.state,
        action,
        person_for(membership, book, current),
        item_roles(letters),
        errors=bool(errors),
        note=note,
        override=override,
    )
    gated = errors if workflow.reason_needed(action, bool(errors)) else []
    old_state = current.state
    current.state = new_state
    current.revision += 1
    current.updated_at = timezone.now()
    current.save()
    _transition(current, action, old_state, membership.user, note, gated)
    kind = NOTIFY_KIND.get(action)
    if kind is not None:
        notify(
            item=current,
            book=book,
            letters="".join(sorted(workflow.notify_on(action))),
            kind=kind,
            actor=membership,
        )
    after: dict[str, Any] = {"state": new_state, "action": action, "note": note}
    if gated:  # explained (submit) or overridden (approve, schedule, publish)
        after |= {"check_errors": gated, "override": workflow.GATED[action] == "override"}
    record(
        workspace=current.workspace,
        actor=membership.user,
        action=AuditAction.WORK_ITEM_MOVED,
        target=current,
        before={"state": old_state},
        after=after,
        revision=current.revision,
    )
    item.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def item_check(*, item: WorkItem, membership: Membership) -> list[dict[str, Any]]:
    if not can(membership, Action.RUN_CHECKS):
        raise Forbidden
    current = WorkItem.objects.select_for_update().get(pk=item.pk, workspace=item.workspace)
    current.workspace = item.workspace
    checks = _store_checks(current)
    current.save(update_fields=["checks", "checked_at"])
    item.checks, item.checked_at = current.checks, current.checked_at
    return checks


@transaction.atomic
def item_reschedule(
    *, item: WorkItem, membership: Membership, day: date, revision: int
) -> WorkItem:
    """Move the item to another day, keeping the time of day of its publish time (or
    moving its due date when it has none)."""
    book = role_book(item.workspace, [item])
    if not can(membership, Action.EDIT_WORK_ITEM, item_target(person_for(membership, book, item))):
        raise Forbidden
    current = _locked(item, revision)
    before = _snapshot(current)
    if current.publish_at is not None:
        local = timezone.localtime(current.publish_at)
        current.publish_at = timezone.make_aware(
            datetime.combine(day, local.time()), timezone.get_current_timezone()
        )
    else:
        current.due_on = day
    current.revision += 1
    current.updated_at = timezone.now()
    current.save()
    record(
        workspace=current.workspace,
        actor=membership.user,
        action=AuditAction.WORK_ITEM_RESCHEDULED,
        target=current,
        before=before,
        after=_snapshot(current),
        revision=current.revision,
    )
    item.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def roles_set(
    *, item: WorkItem, membership: Membership, overrides: Mapping[str, Iterable[int]]
) -> None:
    """Replace the item's overrides: for each letter given with people, they replace the
    matrix's; a letter with none follows the matrix again."""
    book = role_book(item.workspace, [item])
    if not can(membership, Action.SET_ITEM_ROLES, item_target(person_for(membership, book, item))):
        raise Forbidden
    wanted = {letter: sorted(set(ids)) for letter, ids in overrides.items() if letter in "RACI"}
    unknown = {i for ids in wanted.values() for i in ids} - set(book.members)
    if unknown:
        raise ValidationError(_("That person is not in this workspace."))
    before = {letter: sorted(ids) for letter, ids in book.overrides.get(item.pk, {}).items()}
    ItemRole.objects.for_workspace(item.workspace).filter(item=item).delete()
    ItemRole.objects.bulk_create(
        ItemRole(workspace=item.workspace, item=item, membership_id=i, role=letter)
        for letter, ids in wanted.items()
        for i in ids
    )
    record(
        workspace=item.workspace,
        actor=membership.user,
        action=AuditAction.WORK_ROLES_CHANGED,
        target=item,
        before=before or None,
        after={letter: ids for letter, ids in wanted.items() if ids} or None,
    )


@transaction.atomic
def comment_add(*, item: WorkItem, membership: Membership, body: str) -> Comment:
    if not can(membership, Action.CREATE_WORK):
        raise Forbidden
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    comment = Comment.objects.create(
        workspace=item.workspace, item=item, author=membership.user, body=body
    )
    # Who commented on what, and when; the words stay on the item, seen only by those who
    # may see the item (the log is read by every manager, the agency's too).
    record(
        workspace=item.workspace,
        actor=membership.user,
        action=AuditAction.WORK_COMMENT_ADDED,
        target=item,
        after={"comment": comment.pk},
    )
    notify(
        item=item,
        book=role_book(item.workspace, [item]),
        letters="RA",
        kind=Notification.Kind.COMMENT,
        actor=membership,
    )
    return comment


def notify(
    *, item: WorkItem, book: RoleBook, letters: str, kind: str, actor: Membership | None
) -> list[Notification]:
    """Tell the people holding `letters` on the item (never the actor); e-mail those who
    want it immediately once the transaction commits."""
    roles = book.of(item)
    recipients: dict[int, Membership] = {}
    for letter in letters:
        for membership_id in roles.get(letter, frozenset()):
            member = book.members.get(membership_id)
            if member is not None and (actor is None or member.pk != actor.pk):
                recipients[member.user_id] = member
    notes = Notification.objects.bulk_create(
        Notification(
            workspace=item.workspace,
            recipient=member.user,
            item=item,
            kind=kind,
            actor_label=actor.user.display_name if actor else "",
        )
        for member in recipients.values()
    )
    immediate = [n for n in notes if n.recipient.email_notifications == "immediate"]
    if immediate:
        ids = [n.pk for n in immediate]
        # robust: even a backend that cannot enqueue only logs, the change is committed.
        transaction.on_commit(lambda: email_notifications.enqueue(ids), robust=True)
    return notes


def _item_url(item: WorkItem) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("work_item", args=[item.workspace.slug, item.pk])


@task
def email_notifications(notification_ids: list[int]) -> None:
    """The task that e-mails notifications; those it could not send stay unsent
    (`emailed_at` empty) for a retry."""
    send_immediately(notification_ids)


def send_immediately(notification_ids: list[int]) -> None:
    """One e-mail per notification, in the recipient's language."""
    notes = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related(
        "recipient", "item", "workspace"
    )
    for note in notes:
        language = note.recipient.language or note.workspace.default_language
        with translation.override(language), timezone.override(note.workspace.time_zone):
            subject = single_line(
                _("[%(workspace)s] %(kind)s: %(title)s")
                % {
                    "workspace": note.workspace.name,
                    "kind": note.get_kind_display(),
                    "title": note.item.title if note.item else "",
                }
            )
            body = render_to_string(
                "work/email_notification.txt",
                {"notes": [note], "url": _item_url(note.item) if note.item else ""},
            )
        send_mail(subject, body, None, [note.recipient.email])
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])


def send_digests(now: datetime | None = None) -> int:
    """One e-mail per person who asked for a daily digest, listing their notifications not
    yet e-mailed; returns how many e-mails went out. Run daily (`crewplan notify digest`)."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at=None, recipient__email_notifications="daily", created_at__lte=now
        )
        .select_related("recipient", "item", "workspace")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict[int, list[Notification]] = {}
    for note in pending:
        by_person.setdefault(note.recipient_id, []).append(note)
    for notes in by_person.values():
        person = notes[0].recipient
        language = person.language or notes[0].workspace.default_language
        with translation.override(language):
            subject = _("crewplan: %(n)s notifications") % {"n": len(notes)}
            body = render_to_string(
                "work/email_notification.txt",
                {"notes": notes, "url": settings.SITE_URL},
            )
        send_mail(subject, body, None, [person.email])
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
    return len(by_person)


def due_reminders(today: date) -> int:
    """Remind R of items due tomorrow that are not yet approved, once per due date. Run
    daily (`crewplan notify`). Queries: a few per workspace with such items, not per item."""
    tomorrow = date.fromordinal(today.toordinal() + 1)
    items = list(
        WorkItem.objects.filter(due_on=tomorrow)
        .exclude(state__in=sorted(workflow.CLEARED_STATES))
        .select_related("workspace")
    )
    # Once per due date: a reschedule (which touches updated_at) earns a new one.
    reminded = {
        (n.item_id, n.created_at)
        for n in Notification.objects.filter(item__in=items, kind=Notification.Kind.DUE_SOON).only(
            "item_id", "created_at"
        )
    }
    due = [
        item
        for item in items
        if not any(i == item.pk and at >= item.updated_at for i, at in reminded)
    ]
    by_workspace: dict[int, list[WorkItem]] = {}
    for item in due:
        by_workspace.setdefault(item.workspace_id, []).append(item)
    created = 0
    for group in by_workspace.values():
        book = role_book(group[0].workspace, group)
        for item in group:
            with transaction.atomic():
                created += len(
                    notify(
                        item=item,
                        book=book,
                        letters="R",
                        kind=Notification.Kind.DUE_SOON,
                        actor=None,
                    )
                )
    return created
