"""A fit of the channels' response curves for one budget version and quarter: what was
asked (the outcome and where it comes from), how far it got, and its CURVES document
(docs/optimize.md). Computed by a task (`reallocation.tasks.run_fit`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.workspaces.models import Workspace, WorkspaceOwnedQuerySet


class Fit(models.Model):
    class Outcome(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        CONVERSIONS = "conversions", _("Conversions")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Fitting")
        DONE = "done", _("Fitted")
        FAILED = "failed", _("Failed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        "planning.BudgetVersion", on_delete=models.CASCADE, related_name="+"
    )
    quarter = models.PositiveSmallIntegerField()  # 1–4, of the version's fiscal year
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.REVENUE)
    # The channels whose revenue (or conversions) is the outcome; empty: every channel.
    outcome_channels = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    progress_at = models.DateTimeField(null=True, blank=True)  # last sign of life
    curves = models.JSONField(default=dict, blank=True)  # the CURVES document
    # A digest of the weekly table the fit read: applying it is refused once the imported
    # figures say something else (weekly_queries.WeeklyTable.stamp).
    data_stamp = models.CharField(max_length=64, blank=True)
    message = models.TextField(blank=True)  # why it failed, in the requester's language
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fit")
        verbose_name_plural = _("fits")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "version", "quarter"], name="realloc_fit_version")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realloc_fit_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"fit {self.pk} v{self.version_id} Q{self.quarter} ({self.status})"
