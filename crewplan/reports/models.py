from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.reports.collaboration import Thresholds
from crewplan.workspaces.models import SettingsManager, Team, Workspace, WorkspaceOwnedQuerySet

DEFAULTS = Thresholds()


def _threshold(
    label: Any, default: int, least: int = 0, most: int = 100
) -> models.PositiveSmallIntegerField[int, int]:
    """A whole-number threshold from `least` to `most` (a percentage unless told)."""
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(least), MaxValueValidator(most)],
    )


class ReviewSettings(models.Model):
    """The thresholds of the collaboration health check (`reports/collaboration.py`'s
    `Thresholds`; docs/review.md gives each one's reason)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="review_settings"
    )
    review_max_override_pct = _threshold(
        _("Collaboration check: largest share of work items overriding the RACI (%)"),
        DEFAULTS.max_override_pct,
    )
    review_max_silent_approval_pct = _threshold(
        _("Collaboration check: largest share of approvals without a comment or note (%)"),
        DEFAULTS.max_silent_approval_pct,
    )
    review_late_review_hours = _threshold(
        _("Collaboration check: a review is late after (working hours)"),
        DEFAULTS.late_review_hours,
        1,
        500,
    )
    review_unread_days = _threshold(
        _("Collaboration check: a notification counts as left unread after (days)"),
        DEFAULTS.unread_days,
        1,
        90,
    )
    review_max_unread = _threshold(
        _("Collaboration check: most old unread notifications one person may have"),
        DEFAULTS.max_unread,
        0,
        10000,
    )
    review_meeting_months = _threshold(
        _("Collaboration check: months of the quarter that need a review meeting"),
        DEFAULTS.meeting_months,
        0,
        3,
    )
    review_max_unlinked_pct = _threshold(
        _("Collaboration check: largest share of work items linked to no goal or KPI (%)"),
        DEFAULTS.max_unlinked_pct,
    )
    review_max_rework_pct = _threshold(
        _("Collaboration check: highest rework rate (%)"), DEFAULTS.max_rework_pct
    )
    review_max_median_turnaround_hours = _threshold(
        _("Collaboration check: longest median approval turnaround (working hours)"),
        DEFAULTS.max_median_turnaround_hours,
        1,
        500,
    )
    review_max_check_overrides = _threshold(
        _("Collaboration check: most content-check overrides in a quarter"),
        DEFAULTS.max_check_overrides,
        0,
        10000,
    )
    review_bottleneck_pct = _threshold(
        _("Collaboration check: share of the approvals that makes one person a bottleneck (%)"),
        DEFAULTS.bottleneck_pct,
    )
    review_min_seat_usage_pct = _threshold(
        _("Collaboration check: smallest share of an AI tool's seats in use (%)"),
        DEFAULTS.min_seat_usage_pct,
    )
    review_min_satisfaction = _threshold(
        _("Collaboration check: lowest average satisfaction with an AI tool (1–5)"),
        DEFAULTS.min_satisfaction,
        1,
        5,
    )
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = SettingsManager["ReviewSettings"]()

    class Meta:
        verbose_name = _("collaboration check settings")
        verbose_name_plural = _("collaboration check settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def thresholds(self) -> Thresholds:
        return Thresholds(
            **{name: getattr(self, f"review_{name}") for name in Thresholds.__dataclass_fields__}
        )


class Report(models.Model):
    """One generation of a quarter's review report: what was asked, how far it got, and
    (once done) its copies. A report is frozen: regenerating makes another Report; this
    one stays as it was. Computed by a task (`reports.tasks.run_report`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=6)  # "2026Q4", fiscal (reports.collaboration)
    language = models.CharField(max_length=8)  # "zh-hant" | "en"
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    progress_at = models.DateTimeField(null=True, blank=True)  # last sign of life
    message = models.TextField(blank=True)  # why it failed, in the requester's language
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "quarter"], name="report_ws_quarter")]

    def __str__(self) -> str:
        return f"report {self.pk} {self.quarter} ({self.status})"


class ReportCopy(models.Model):
    """What one side may read of a report: the in-house copy (`audience_team` None) or an
    external team's, with the snapshot it was rendered from and the renderings."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="copies")
    audience_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)  # ReportData.to_json()
    html = models.TextField()
    pdf = models.BinaryField()

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report copy")
        verbose_name_plural = _("report copies")
        # The in-house copy's team is NULL, which a unique constraint cannot hold on
        # SQLite: the copies are written together, once, by `services.report_store`.
        constraints = [
            models.UniqueConstraint(
                "workspace", "report", "audience_team", name="report_copy_one_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} copy for {self.audience_team_id or 'in-house'}"


class ReportSignOff(models.Model):
    """A manager's "reviewed" on a report for their side (in-house or external): one per
    side, like the RACI matrix's sign-off; audited."""

    class Side(models.TextChoices):
        INTERNAL = "internal", _("In-house")
        EXTERNAL = "external", _("External")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signoffs")
    side = models.CharField(max_length=8, choices=Side.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_label = models.CharField(max_length=254)
    signed_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report sign-off")
        verbose_name_plural = _("report sign-offs")
        constraints = [
            models.UniqueConstraint(
                "workspace", "report", "side", name="report_signoff_one_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} ({self.user_label})"


class ReportActionItem(models.Model):
    """Which of a report's actions (its stable key, the same in every copy; `index`: its
    place in the copy it was turned from) became which work item: once per report, from
    whichever copy."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="action_items")
    index = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=200)
    item = models.ForeignKey(
        "work.WorkItem", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", "report", "key", name="report_action_item_once")
        ]

    def __str__(self) -> str:
        return f"action {self.key} of report {self.report_id} → item {self.item_id}"
