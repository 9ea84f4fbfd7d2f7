from decimal import Decimal

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


class AiTool(models.Model):
    """An AI marketing tool the company uses or considers, with its cost model."""

    class Category(models.TextChoices):
        CONTENT = "content_generation", _("Content generation")
        SEO = "seo", _("SEO")
        SOCIAL = "social_management", _("Social media management")
        DATA = "data_analysis", _("Data analysis")
        ADS = "ad_optimization", _("Ad optimization")
        CHATBOT = "chatbot", _("Chatbot")
        CRM = "crm", _("CRM")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        PILOT = "pilot", _("Pilot")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tool"), max_length=80)
    vendor = models.CharField(_("vendor"), max_length=80, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default="content_generation"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default="candidate"
    )
    owner = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner team"),
    )
    kpi = models.ForeignKey(
        Kpi,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("KPI"),
    )
    customer_data = models.BooleanField(_("processes customer data"), default=False)
    seats = models.PositiveIntegerField(_("seats"), default=0)
    price_per_seat = models.DecimalField(
        _("price per seat and month"), max_digits=12, decimal_places=2, default=0
    )
    flat_fee = models.DecimalField(
        _("flat fee per month"), max_digits=12, decimal_places=2, default=0
    )
    integration = models.DecimalField(
        _("integration (one-off)"), max_digits=12, decimal_places=2, default=0
    )
    training_hours = models.DecimalField(
        _("training hours"), max_digits=8, decimal_places=1, default=0
    )
    training_rate = models.DecimalField(
        _("training cost per hour"), max_digits=10, decimal_places=2, default=0
    )
    training_fees = models.DecimalField(
        _("training fees"), max_digits=12, decimal_places=2, default=0
    )
    data_preparation = models.DecimalField(
        _("data preparation and privacy (one-off)"), max_digits=12, decimal_places=2, default=0
    )
    privacy_per_month = models.DecimalField(
        _("privacy compliance per month"), max_digits=12, decimal_places=2, default=0
    )
    renewal_change = models.DecimalField(
        _("yearly renewal change"),
        max_digits=5,
        decimal_places=3,
        default=0,
        help_text=_("0.1 means the subscription costs a tenth more each year."),
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("AI tool")
        verbose_name_plural = _("AI tools")
        ordering = ["name"]
        constraints = [models.UniqueConstraint("workspace", "name", name="aitool_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def monthly_cost(self) -> Decimal:
        return self.seats * self.price_per_seat + self.flat_fee + self.privacy_per_month

    @property
    def one_off_cost(self) -> Decimal:
        return (
            self.integration
            + self.training_hours * self.training_rate
            + self.training_fees
            + self.data_preparation
        )


class BudgetVersion(models.Model):
    """A version of one fiscal year's plan: the original, then re-forecasts."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("version"), max_length=80)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        ordering = ["-fiscal_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                "workspace", "fiscal_year", "number", name="budget_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} v{self.number} {self.name}"


class BudgetLine(models.Model):
    class CategoryChoices(models.TextChoices):
        TOOL_SUBSCRIPTION = "tool_subscription", _("Tool subscriptions")
        INTEGRATION = "integration", _("Integration and customization")
        TRAINING = "training", _("Training")
        DATA_PRIVACY = "data_privacy", _("Data processing and privacy")
        EXPERIMENT_RESERVE = "experiment_reserve", _("Experiment reserve")
        CONSULTING = "consulting", _("Consulting")
        AGENCY_FEES = "agency_fees", _("Agency fees")
        MEDIA = "media", _("Media spend")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=20, choices=CategoryChoices.choices)
    item = models.CharField(_("item"), max_length=120)
    tool = models.ForeignKey(
        AiTool,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tool"),
    )
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("goal"),
    )
    kpi = models.ForeignKey(
        Kpi,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("KPI"),
    )
    channel = models.CharField(_("channel"), max_length=60, blank=True)
    owner = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner team"),
    )
    # One amount per fiscal month (m01 is the first month of the workspace's fiscal year).
    m01 = models.DecimalField("1", max_digits=14, decimal_places=2, default=0)
    m02 = models.DecimalField("2", max_digits=14, decimal_places=2, default=0)
    m03 = models.DecimalField("3", max_digits=14, decimal_places=2, default=0)
    m04 = models.DecimalField("4", max_digits=14, decimal_places=2, default=0)
    m05 = models.DecimalField("5", max_digits=14, decimal_places=2, default=0)
    m06 = models.DecimalField("6", max_digits=14, decimal_places=2, default=0)
    m07 = models.DecimalField("7", max_digits=14, decimal_places=2, default=0)
    m08 = models.DecimalField("8", max_digits=14, decimal_places=2, default=0)
    m09 = models.DecimalField("9", max_digits=14, decimal_places=2, default=0)
    m10 = models.DecimalField("10", max_digits=14, decimal_places=2, default=0)
    m11 = models.DecimalField("11", max_digits=14, decimal_places=2, default=0)
    m12 = models.DecimalField("12", max_digits=14, decimal_places=2, default=0)
    committed = models.DecimalField(
        _("committed"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("Signed contracts and orders."),
    )
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, default=0)
    position = models.PositiveIntegerField(default=0)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["workspace", "version"], name="budget_line_ws_version")]

    def __str__(self) -> str:
        return self.item

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        return tuple(getattr(self, f"m{m:02d}") for m in range(1, 13))

    @property
    def planned(self) -> Decimal:
        return sum(self.amounts, Decimal(0))

    @property
    def available(self) -> Decimal:
        """What is left to commit: planned less what is committed or already spent."""
        return self.planned - max(self.committed, self.actual)
