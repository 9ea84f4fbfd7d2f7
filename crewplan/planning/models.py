from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.planning.kpis import HIGHER, LOWER, Formula
from crewplan.workspaces.models import Team, Workspace, WorkspaceOwnedQuerySet


class Kpi(models.Model):
    """A KPI of the workspace: a definition over imported metrics (see planning/kpis.py)."""

    class Direction(models.TextChoices):
        HIGHER = HIGHER, _("Higher is better")
        LOWER = LOWER, _("Lower is better")

    class FormulaChoices(models.TextChoices):
        SUM = Formula.SUM.value, _("Sum of a metric")
        AVERAGE = Formula.AVERAGE.value, _("Average of a metric")
        RATIO = Formula.RATIO.value, _("Ratio of two metrics")
        GROWTH = Formula.GROWTH.value, _("Growth of a metric over the previous period")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("KPI"), max_length=80)
    unit = models.CharField(
        _("unit"), max_length=20, help_text=_("For example TWD, x, pieces or percent.")
    )
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=HIGHER
    )
    formula = models.CharField(
        _("formula"), max_length=8, choices=FormulaChoices.choices, default="ratio"
    )
    metric = models.CharField(_("metric (numerator)"), max_length=40)
    denominator = models.CharField(_("denominator metric"), max_length=40, blank=True)
    scale = models.DecimalField(_("scale"), max_digits=12, decimal_places=4, default=1)
    catalogue_key = models.CharField(max_length=40, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("workspace", "name", name="kpi_name_unique"),
            models.CheckConstraint(
                condition=~Q(formula="ratio") | ~Q(denominator=""), name="kpi_ratio_has_denominator"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KpiValue(models.Model):
    """A KPI's value for one month: its history, entered by hand or computed from imports."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(_("month"))  # the first day of the month
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint("workspace", "kpi", "month", name="kpi_value_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="kpi_value_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.month:%Y-%m}: {self.value}"


class KpiTarget(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=7, choices=Period.choices)
    starts = models.DateField(_("starts"))  # first day of the month or quarter
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["starts"]
        constraints = [
            models.UniqueConstraint(
                "workspace", "kpi", "period", "starts", name="kpi_target_one_per_period"
            ),
            models.CheckConstraint(condition=Q(starts__day=1), name="kpi_target_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.period} {self.starts}: {self.value}"


class Goal(models.Model):
    """A marketing goal, checked letter by letter against SMART (planning/smart.py)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("goal"))
    kpi = models.ForeignKey(
        Kpi,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name=_("KPI"),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    objective = models.CharField(_("business objective"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner team"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["workspace", "deadline"], name="goal_ws_deadline")]

    def __str__(self) -> str:
        return self.text[:80]
