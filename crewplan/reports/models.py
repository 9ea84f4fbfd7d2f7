from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crewplan.reports.collaboration import Thresholds
from crewplan.workspaces.models import SettingsManager, Workspace

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
