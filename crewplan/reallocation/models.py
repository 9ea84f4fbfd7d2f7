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


class LiftTest(models.Model):
    """An experiment's result on one channel, which a fit takes as a lift test
    (optimize/fit.py `LiftTest`): the weekly spend changed by `spend_change` from
    `first_day` to `last_day` (dates of the workspace's calendar, like the imported days)
    and caused `incremental` extra outcome (± `standard_error`) over those weeks and the
    carry-over after them, in `outcome` (revenue in the workspace currency, or
    conversions). A fit reads whole weeks: the test covers the ISO week (Monday to Sunday)
    holding `first_day` through the one holding `last_day`, so a mid-week date stands for
    its whole week."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # Deleting a channel (measure.services.channel_delete, only when nothing else uses it)
    # takes its lift tests with it: they say nothing without it.
    channel = models.ForeignKey(
        "measure.Channel", on_delete=models.CASCADE, related_name="+", verbose_name=_("channel")
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Fit.Outcome.choices, default=Fit.Outcome.REVENUE
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    # Amounts as planning's (Decimal, two places): the spend change in currency per week,
    # the incremental outcome and its standard error in the outcome's unit.
    spend_change = models.DecimalField(_("weekly spend change"), max_digits=14, decimal_places=2)
    incremental = models.DecimalField(_("incremental outcome"), max_digits=14, decimal_places=2)
    standard_error = models.DecimalField(_("standard error"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lift test")
        verbose_name_plural = _("lift tests")
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["workspace", "first_day"], name="realloc_lift_ws_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="realloc_lift_days_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(standard_error__gt=0), name="realloc_lift_error_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(spend_change=0), name="realloc_lift_spend_changes"
            ),
        ]

    def __str__(self) -> str:
        # The audit log's label: the channel is loaded with the row wherever one is written.
        return f"{self.channel.name} {self.first_day}–{self.last_day}"
