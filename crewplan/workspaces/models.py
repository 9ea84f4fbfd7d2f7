import hashlib
import zoneinfo
from typing import Self

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from crewplan.workspaces import permissions

CURRENCIES = [
    ("TWD", _("New Taiwan dollar (TWD)")),
    ("USD", _("US dollar (USD)")),
    ("HKD", _("Hong Kong dollar (HKD)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("SGD", _("Singapore dollar (SGD)")),
    ("MYR", _("Malaysian ringgit (MYR)")),
    ("EUR", _("Euro (EUR)")),
]


slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$",
    _("Use 1–40 lower-case letters, digits and dashes, not starting or ending with a dash."),
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Workspace(models.Model):
    """One company. Everything else belongs to exactly one workspace."""

    name = models.CharField(_("company name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=40, unique=True, validators=[slug_validator])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="TWD")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_time_zone]
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"),
        choices=list(MONTHS.items()),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="zh-hant"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="workspace_fiscal_month_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkspaceOwnedQuerySet[M: models.Model](models.QuerySet[M]):
    def for_workspace(self, workspace: Workspace) -> Self:
        """The one way to read workspace-owned rows: scoped to one workspace."""
        return self.filter(workspace=workspace)


class SettingsManager[M: models.Model](models.Manager[M]):
    """The manager of an app's settings model: its thresholds and switches, one row per
    workspace (`workspace`, a OneToOneField), created with the workspace
    (`workspaces.services.workspace_create`) and saved through
    `audit.services.locked_or_created`."""

    def for_workspace(self, workspace: Workspace) -> M:
        """The workspace's row: the one loaded with the workspace (the access layer's
        `select_related`, no query), else the stored one, else an unsaved row of the
        defaults. Never None and never a write, so any page may read it."""
        field = self.model._meta.get_field("workspace")
        assert isinstance(field, models.OneToOneField)
        accessor = field.remote_field.get_accessor_name()
        assert accessor is not None
        try:
            row: M = getattr(workspace, accessor)
        except ObjectDoesNotExist:  # the reverse accessor's RelatedObjectDoesNotExist
            return self.model(workspace=workspace)
        return row


class Team(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = permissions.INTERNAL, _("In-house")
        EXTERNAL = permissions.EXTERNAL, _("External (agency, freelancer)")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint("workspace", "name", name="team_name_unique_in_workspace"),
            models.CheckConstraint(
                condition=Q(kind__in=[permissions.INTERNAL, permissions.EXTERNAL]),
                name="team_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.kind == self.Kind.EXTERNAL


class Membership(models.Model):
    """A person's place in a workspace: one team, one role."""

    class Role(models.TextChoices):
        OWNER = permissions.OWNER, _("Owner")
        MANAGER = permissions.MANAGER, _("Manager")
        MEMBER = permissions.MEMBER, _("Member")
        VIEWER = permissions.VIEWER, _("Viewer")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits
    joined_at = models.DateTimeField(default=timezone.now, editable=False)
    title = models.CharField(
        _("job title"),
        max_length=80,
        blank=True,
        help_text=_("What this person does, as their colleagues would say it."),
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("marketing hours per month"),
        null=True,
        blank=True,
        help_text=_("Hours this person can give to marketing in a month."),
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint("workspace", "user", name="membership_one_per_workspace"),
            models.CheckConstraint(
                condition=Q(role__in=permissions.ROLES), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "team"], name="membership_ws_team")]

    def __str__(self) -> str:
        return f"{self.user} ({self.team}, {self.get_role_display()})"

    @property
    def actor(self) -> permissions.Actor:
        return permissions.Actor(
            user_id=self.user_id, role=self.role, team_id=self.team_id, team_kind=self.team.kind
        )

    @property
    def as_target(self) -> permissions.MemberTarget:
        return permissions.MemberTarget(role=self.role, team_id=self.team_id, user_id=self.user_id)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(WorkspaceOwnedQuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked (possibly expired: expiry is shown, not hidden)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A single-use, expiring link that brings a person into one team with one role.
    Only the SHA-256 of the token is stored: the link itself is shown and mailed once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                "email",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(role__in=permissions.ROLES), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def as_target(self) -> permissions.MemberTarget:
        return permissions.MemberTarget(role=self.role, team_id=self.team_id)
