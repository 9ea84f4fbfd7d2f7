"""Every write to workspaces, teams, memberships and invitations. Keyword-only, one
transaction each, an audit row each; a refused change raises `ValidationError` with
a message meant for the person who asked, and changes nothing."""

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import (
    Conflict,
    changes,
    locked,
    locked_or_created,
    model_update,
    only_fields,
    record,
    snapshot,
)
from crewplan.lib.text import single_line
from crewplan.measure.services import default_channels_create
from crewplan.planning.models import BudgetSettings
from crewplan.raci.models import RaciSettings
from crewplan.reports.models import ReviewSettings
from crewplan.work.models import WorkSettings
from crewplan.workspaces.models import Invitation, Membership, Team, Workspace, hash_token

User = get_user_model()
WORKSPACE_FIELDS = ("name", "currency", "time_zone", "fiscal_year_start_month", "default_language")
# The apps' own settings rows (one per workspace, STYLE.md) that the workspace settings
# page edits with the workspace's fields, in the page's order, and the fields of each.
APP_SETTINGS: dict[type[models.Model], tuple[str, ...]] = {
    WorkSettings: ("external_can_see_all_work",),
    BudgetSettings: (
        "external_can_see_budget",
        "budget_max_tool_share",
        "budget_min_reserve_share",
        "budget_training_per_seat",
        "budget_pilot_max_months",
    ),
    RaciSettings: ("raci_max_accountable", "raci_max_consulted"),
    ReviewSettings: (
        "review_max_override_pct",
        "review_max_silent_approval_pct",
        "review_late_review_hours",
        "review_unread_days",
        "review_max_unread",
        "review_meeting_months",
        "review_max_unlinked_pct",
        "review_max_rework_pct",
        "review_max_median_turnaround_hours",
        "review_max_check_overrides",
        "review_bottleneck_pct",
        "review_min_seat_usage_pct",
        "review_min_satisfaction",
    ),
}
SETTINGS_FIELDS = WORKSPACE_FIELDS + tuple(
    name for names in APP_SETTINGS.values() for name in names
)


def _membership_snapshot(m: Membership) -> dict[str, Any]:
    return {"user": m.user.email, "team": m.team.name, "role": m.role, "title": m.title}


@transaction.atomic
def workspace_create(
    *,
    name: str,
    slug: str,
    owner: Any,
    team_name: str | None = None,
    default_language: str | None = None,
    currency: str | None = None,
    time_zone: str | None = None,
    fiscal_year_start_month: int | None = None,
) -> Workspace:
    """A new workspace with one in-house team, its owner in it, and its apps' settings
    rows. A setting not given (None) takes the model's default."""
    given = {
        "default_language": default_language,
        "currency": currency,
        "time_zone": time_zone,
        "fiscal_year_start_month": fiscal_year_start_month,
    }
    workspace = Workspace(
        name=name, slug=slug, **{key: value for key, value in given.items() if value is not None}
    )
    workspace.full_clean()
    workspace.save()
    after = snapshot(workspace, WORKSPACE_FIELDS)
    for model, names in APP_SETTINGS.items():
        row = model(workspace=workspace)
        row.full_clean(exclude=["workspace"])  # a new workspace: no row of its own yet
        row.save()
        after |= snapshot(row, names)
    with translation.override(workspace.default_language):
        team = Team.objects.create(
            workspace=workspace, name=team_name or _("In-house marketing"), kind=Team.Kind.INTERNAL
        )
    Membership.objects.create(
        workspace=workspace, user=owner, team=team, role=Membership.Role.OWNER
    )
    default_channels_create(workspace)
    record(
        workspace=workspace,
        actor=owner,
        action=AuditAction.WORKSPACE_CREATED,
        target=workspace,
        after=after,
    )
    return workspace


def settings_rows(workspace: Workspace) -> list[models.Model]:
    """What the settings page edits, in its order: the workspace and its apps' settings
    rows (an unsaved row of defaults where one is missing: saving creates it)."""
    # Every APP_SETTINGS model has a SettingsManager; type[Model] only promises a Manager.
    return [workspace, *(model.objects.for_workspace(workspace) for model in APP_SETTINGS)]  # type: ignore[attr-defined]


@transaction.atomic
def workspace_update_settings(
    *,
    workspace: Workspace,
    actor: Any,
    revisions: Mapping[type[models.Model], int | None],
    data: Mapping[str, Any],
) -> Workspace:
    """Change the workspace's settings and its apps' settings rows together, if nobody
    saved any row `data` writes to since its revision in `revisions` (by model; None for
    a row there was none of yet) was read; else one audit.Conflict naming every field
    changed since, and nothing saved. Compares with the rows as stored (locked), not with
    instances a ModelForm may already have changed in memory. One audit row per row
    changed."""
    fields = only_fields(data, SETTINGS_FIELDS)
    rows: list[tuple[models.Model, tuple[str, ...]]] = []
    stale: list[str] | None = None
    targets: list[tuple[type[models.Model], tuple[str, ...]]] = [
        (Workspace, WORKSPACE_FIELDS),
        *APP_SETTINGS.items(),
    ]
    for model, names in targets:
        if not fields.keys() & set(names):
            continue  # a row nothing is written to cannot lose an update
        try:  # lock them all first, so the conflict names what changed in any of them
            if model is Workspace:
                row: models.Model = locked(workspace, revision=revisions.get(Workspace))
            else:
                row = locked_or_created(model, workspace=workspace, revision=revisions.get(model))
        except Conflict as conflict:
            stale = [*(stale or []), *conflict.fields]
            continue
        rows.append((row, names))
    if stale is not None:
        raise Conflict(thing=str(Workspace._meta.verbose_name), fields=stale)
    saved = workspace
    for row, names in rows:
        row, _after = model_update(
            instance=row,
            fields=names,
            data=fields,
            revision=row.revision,  # type: ignore[attr-defined]
            actor=actor,
            action=AuditAction.WORKSPACE_SETTINGS_CHANGED,
        )
        if isinstance(row, Workspace):
            saved = row
    return saved


def _check_team_name(workspace: Workspace, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("A team needs a name."))
    Team(workspace=workspace, name=name, kind=Team.Kind.INTERNAL).full_clean(
        exclude=["workspace"], validate_unique=False, validate_constraints=False
    )  # lengths first: the clash query below cannot take a name of any length
    clash = Team.objects.for_workspace(workspace).filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(_("There is already a team called “%(name)s”.") % {"name": name})
    return name


@transaction.atomic
def team_create(*, workspace: Workspace, actor: Any, name: str, kind: str) -> Team:
    team = Team(workspace=workspace, name=_check_team_name(workspace, name), kind=kind)
    team.full_clean()
    team.save()
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.TEAM_CREATED,
        target=team,
        after={"name": team.name, "kind": team.kind},
    )
    return team


@transaction.atomic
def team_update(*, team: Team, actor: Any, revision: int, name: str, kind: str) -> Team:
    """Rename or re-kind a team if nobody saved it since `revision` (else audit.Conflict)."""
    saved, _after = model_update(
        instance=team,
        fields=("name", "kind"),
        data={"name": _check_team_name(team.workspace, name, exclude_pk=team.pk), "kind": kind},
        revision=revision,
        actor=actor,
        action=AuditAction.TEAM_CHANGED,
    )
    return saved


@transaction.atomic
def team_delete(*, team: Team, actor: Any) -> None:
    if team.memberships.exists():
        raise ValidationError(_("Move or remove the team's people before deleting the team."))
    if Invitation.objects.for_workspace(team.workspace).pending().filter(team=team).exists():
        raise ValidationError(_("Revoke the team's pending invitations before deleting the team."))
    record(
        workspace=team.workspace,
        actor=actor,
        action=AuditAction.TEAM_DELETED,
        target=team,
        before={"name": team.name, "kind": team.kind},
    )
    team.delete()


def normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        ) from None
    return email


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, actor: Any, email: str, team: Team, role: str, send: bool = True
) -> tuple[Invitation, str]:
    """Invite `email` into `team` with `role`. Returns the invitation and its one-time
    token; the link is e-mailed after commit unless `send` is false. Refuses a member and
    a pending invitation."""
    email = normalize_email(email)
    if team.workspace_id != workspace.pk:
        raise ValidationError(_("That team does not belong to this workspace."))
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a valid role."))
    if Membership.objects.for_workspace(workspace).filter(user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this workspace.") % {"email": email}
        )
    pending = Invitation.objects.for_workspace(workspace).pending().filter(email__iexact=email)
    for old in pending.select_for_update():
        if not old.is_expired:
            raise ValidationError(
                _("%(email)s already has a pending invitation. Revoke it first to send a new one.")
                % {"email": email}
            )
        old.revoked_at = timezone.now()  # an expired link is replaced, not left to block
        old.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace=workspace,
        team=team,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean(exclude=["workspace", "team", "invited_by"])
    invitation.save()
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.INVITATION_CREATED,
        target=invitation,
        after={"email": email, "team": team.name, "role": role},
    )
    if send:
        link = invitation_link(token)
        # A task after commit: a failing mail server is logged, never a failed request
        # (the invitation stands, and the page shows the link to share by hand).
        transaction.on_commit(lambda: email_invitation.enqueue(invitation.pk, link), robust=True)
    return invitation, token


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


@task
def email_invitation(invitation_id: int, link: str) -> None:
    """E-mail the invitation link (a task: see invitation_create)."""
    invitation = Invitation.objects.select_related("workspace", "team", "invited_by").get(
        pk=invitation_id
    )
    workspace = invitation.workspace
    with translation.override(workspace.default_language):
        context = {
            "invitation": invitation,
            "workspace": workspace,
            "link": link,
            "inviter": invitation.invited_by,
            "days": settings.INVITATION_DAYS,
        }
        subject = single_line(
            _("You are invited to %(workspace)s on crewplan") % {"workspace": workspace.name}
        )
        body = render_to_string("workspaces/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Any) -> None:
    if not invitation.is_pending:
        raise ValidationError(_("This invitation was already used or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        workspace=invitation.workspace,
        actor=actor,
        action=AuditAction.INVITATION_REVOKED,
        target=invitation,
        before={"email": invitation.email, "team": invitation.team.name},
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("workspace", "team")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted, or None when it can."""
    if invitation is None:
        return _("This invitation link is not valid. Ask for a new one.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn. Ask for a new one.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask for a new one.")
    return None


def invitation_is_for(invitation: Invitation, user: Any) -> bool:
    """Whether `user` is the person invited: only the invited e-mail address may join."""
    return bool(user.email.lower() == invitation.email.lower())


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    """Join the invitation's workspace, team and role as `user` (whose e-mail must be
    the invited one). The token works once."""
    invitation = invitation_by_token(token)
    if invitation is not None:
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("workspace", "team")
            .get(pk=invitation.pk)
        )
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    assert invitation is not None
    if not invitation_is_for(invitation, user):
        raise ValidationError(
            _("This invitation is for %(email)s. Sign out and open the link again.")
            % {"email": invitation.email}
        )
    if Membership.objects.for_workspace(invitation.workspace).filter(user=user).exists():
        raise ValidationError(_("You are already a member of this workspace."))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership = Membership.objects.create(
        workspace=invitation.workspace, user=user, team=invitation.team, role=invitation.role
    )
    record(
        workspace=invitation.workspace,
        actor=user,
        action=AuditAction.MEMBERSHIP_JOINED,
        target=membership,
        after=_membership_snapshot(membership),
    )
    return membership


@transaction.atomic
def account_create_from_invitation(*, token: str, full_name: str, password: str) -> Any:
    """A new account for the invited e-mail, joined to the workspace in one step."""
    invitation = invitation_by_token(token)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    assert invitation is not None
    if account_exists(invitation.email):
        raise ValidationError(
            _("An account for %(email)s exists already: sign in to accept.")
            % {"email": invitation.email}
        )
    if not full_name.strip():
        raise ValidationError(_("Please enter your name."))
    candidate = User(email=invitation.email, full_name=full_name.strip())
    candidate.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    password_validation.validate_password(password, candidate)
    try:
        with transaction.atomic():
            user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    except IntegrityError:
        raise ValidationError(
            _("An account for %(email)s exists already: sign in to accept.")
            % {"email": invitation.email}
        ) from None
    invitation_accept(token=token, user=user)
    return user


def _lock_owners(workspace: Workspace) -> int:
    """Lock the owner rows and count them, so two concurrent demotions cannot both pass."""
    owners = Membership.objects.for_workspace(workspace).filter(role=Membership.Role.OWNER)
    return len(list(owners.select_for_update().values_list("pk", flat=True)))


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    actor: Any,
    role: str | None = None,
    team: Team | None = None,
    title: str | None = None,
    revision: int | None = None,
) -> Membership:
    """Change a person's role, team or job title. With `revision` (a form's), refused
    with audit.Conflict when someone changed the membership since it was read."""
    workspace = membership.workspace
    if revision is not None:
        membership = locked(membership, revision=revision)
        membership.workspace = workspace
    old = _membership_snapshot(membership)
    if role is not None:
        if role not in Membership.Role.values:
            raise ValidationError(_("Choose a valid role."))
        if (
            membership.role == Membership.Role.OWNER
            and role != Membership.Role.OWNER
            and _lock_owners(workspace) <= 1
        ):
            raise ValidationError(
                _("A workspace needs at least one owner. Make someone else owner first.")
            )
        membership.role = role
    if team is not None:
        if team.workspace_id != workspace.pk:
            raise ValidationError(_("That team does not belong to this workspace."))
        membership.team = team
    if title is not None:
        membership.title = " ".join(title.split())
        Membership._meta.get_field("title").clean(membership.title, membership)
    before, after = changes(old, _membership_snapshot(membership))
    if after:
        membership.revision += 1
        membership.save(update_fields=["role", "team", "title", "revision"])
        record(
            workspace=workspace,
            actor=actor,
            action=AuditAction.MEMBERSHIP_CHANGED,
            target=membership,
            before=before,
            after=after,
            revision=membership.revision,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    workspace = membership.workspace
    if membership.role == Membership.Role.OWNER and _lock_owners(workspace) <= 1:
        raise ValidationError(_("You cannot remove the last owner. Make someone else owner first."))
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEMBERSHIP_REMOVED,
        target=membership,
        before=_membership_snapshot(membership),
    )
    membership.delete()
