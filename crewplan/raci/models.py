from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.raci.validation import Kind
from crewplan.workspaces.models import (
    Membership,
    SettingsManager,
    Team,
    Workspace,
    WorkspaceOwnedQuerySet,
)


class Function(models.Model):
    """A marketing function: content, ads, social, data, or the workspace's own."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("function"), max_length=80)
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("workspace", "name", name="raci_function_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class KindChoices(models.TextChoices):
        STRATEGY = Kind.STRATEGY.value, _("Strategy")
        BUDGET = Kind.BUDGET.value, _("Budget")
        EXECUTION = Kind.EXECUTION.value, _("Execution")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(_("activity"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=KindChoices.choices, default="execution"
    )
    split = models.TextField(
        _("split"),
        blank=True,
        help_text=_("When in-house and agency share R: who does which part."),
    )
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["function__position", "function_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                "workspace", "function", "name", name="raci_activity_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="raci_activity_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MatrixVersion(models.Model):
    """One version of the workspace's matrix. At most one draft (being edited) and one
    published (signed, frozen: `snapshot` holds it as published) at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    people = models.JSONField(default=list, blank=True)  # membership ids shown as columns
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("matrix version")
        verbose_name_plural = _("matrix versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint("workspace", "number", name="raci_version_number_unique"),
            models.UniqueConstraint(
                "workspace", condition=Q(status="draft"), name="raci_one_draft_per_workspace"
            ),
            models.UniqueConstraint(
                "workspace",
                condition=Q(status="published"),
                name="raci_one_published_per_workspace",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Assignment(models.Model):
    """The roles one party (a team, or a person) holds on one activity in one version."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(MatrixVersion, on_delete=models.CASCADE, related_name="assignments")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    roles = models.CharField(max_length=4)  # letters of R, A, C, I in that order, e.g. "RA"
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, membership__isnull=True)
                | Q(team__isnull=True, membership__isnull=False),
                name="raci_assignment_one_party",
            ),
            models.UniqueConstraint(
                "workspace",
                "version",
                "activity",
                "team",
                condition=Q(team__isnull=False),
                name="raci_cell_team_unique",
            ),
            models.UniqueConstraint(
                "workspace",
                "version",
                "activity",
                "membership",
                condition=Q(membership__isnull=False),
                name="raci_cell_person_unique",
            ),
            models.CheckConstraint(condition=~Q(roles=""), name="raci_assignment_not_empty"),
        ]
        indexes = [models.Index(fields=["workspace", "version"], name="raci_assignment_ws_version")]

    def __str__(self) -> str:
        return f"{self.party_key}: {self.roles}"

    @property
    def party_key(self) -> str:
        return f"team-{self.team_id}" if self.team_id else f"person-{self.membership_id}"


class SignOff(models.Model):
    """A manager's sign-off of a draft for their team. Any change to the draft clears it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(MatrixVersion, on_delete=models.CASCADE, related_name="signoffs")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_label = models.CharField(max_length=254)
    signed_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(
                "workspace", "version", "team", name="raci_signoff_one_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} ({self.user_label})"


class RaciSettings(models.Model):
    """The workspace's limits for the matrix check (`raci/validation.py`'s `Rules`)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="raci_settings"
    )
    raci_max_accountable = models.PositiveSmallIntegerField(
        _("RACI: most activities one person may be Accountable for"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    raci_max_consulted = models.PositiveSmallIntegerField(
        _("RACI: most parties consulted on one activity"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = SettingsManager["RaciSettings"]()

    class Meta:
        verbose_name = _("RACI settings")
        verbose_name_plural = _("RACI settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class ColumnMapping(models.Model):
    """What a party column of imported RACI sheets becomes in this workspace, as the last
    confirmed import mapped it: a team, a person, or neither (the column is ignored). The
    next import proposes it before matching the header to names. `header` is the
    column's header as `raci.imports.header_key` compares it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    header = models.CharField(max_length=200)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        constraints = [
            models.UniqueConstraint("workspace", "header", name="raci_column_mapping_unique"),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(membership__isnull=True),
                name="raci_column_mapping_one_party",
            ),
        ]

    def __str__(self) -> str:
        return self.header
