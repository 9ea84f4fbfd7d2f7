import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.planning.budget.plan import Category as BudgetCategory
from crewplan.planning.budget.plan import ToolStatus
from crewplan.planning.goals.kpis import HIGHER, LOWER, Formula
from crewplan.workspaces.models import (
    Membership,
    SettingsManager,
    Team,
    Workspace,
    WorkspaceOwnedQuerySet,
)

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


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
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

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
    # The KPI file import that wrote the value (rolling it back removes or restores
    # it: `measure.kpi_import`); None for a value typed by hand.
    source = models.ForeignKey(
        "measure.Import", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

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
        CANDIDATE = ToolStatus.CANDIDATE.value, _("Candidate")
        PILOT = ToolStatus.PILOT.value, _("Pilot")
        ACTIVE = ToolStatus.ACTIVE.value, _("Active")
        RETIRED = ToolStatus.RETIRED.value, _("Retired")

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
    # The channels whose revenue the tool lifts (its ROI estimate's uplift is realized there).
    channels = models.ManyToManyField(
        "measure.Channel", blank=True, related_name="+", verbose_name=_("channels")
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

    # The evaluation matrix (planning/evaluation.py): 1 (poor) … 5 (excellent), empty until
    # someone rates the tool on that criterion.
    score_features = models.PositiveSmallIntegerField(
        _("features"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_cost = models.PositiveSmallIntegerField(
        _("cost"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_ease = models.PositiveSmallIntegerField(
        _("ease of use"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_support = models.PositiveSmallIntegerField(
        _("support"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_integration = models.PositiveSmallIntegerField(
        _("integration"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_value = models.PositiveSmallIntegerField(
        _("long-term value"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

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
        TOOL_SUBSCRIPTION = BudgetCategory.TOOL_SUBSCRIPTION.value, _("Tool subscriptions")
        INTEGRATION = BudgetCategory.INTEGRATION.value, _("Integration and customization")
        TRAINING = BudgetCategory.TRAINING.value, _("Training")
        DATA_PRIVACY = BudgetCategory.DATA_PRIVACY.value, _("Data processing and privacy")
        EXPERIMENT_RESERVE = BudgetCategory.EXPERIMENT_RESERVE.value, _("Experiment reserve")
        CONSULTING = BudgetCategory.CONSULTING.value, _("Consulting")
        AGENCY_FEES = BudgetCategory.AGENCY_FEES.value, _("Agency fees")
        MEDIA = BudgetCategory.MEDIA.value, _("Media spend")

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
    # Media lines name the channel their money goes to: its imported spend is their actual.
    channel = models.ForeignKey(
        "measure.Channel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    # Shared by a line and its copies in the year's later versions: the expenses booked on
    # one count for all of them.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
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
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

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
    def quarters(self) -> tuple[Decimal, ...]:
        """The fiscal quarters' amounts: fiscal months 1–3, 4–6, 7–9, 10–12."""
        amounts = self.amounts
        return tuple(sum(amounts[q : q + 3], Decimal(0)) for q in range(0, 12, 3))

    @property
    def planned(self) -> Decimal:
        return sum(self.amounts, Decimal(0))

    def available(self, actual: Decimal) -> Decimal:
        """What is left to commit: planned less what is committed or already spent
        (`actual`: `measure.actuals.version_actuals(...).total(line.pk)`)."""
        return self.planned - max(self.committed, actual)


class BudgetSettings(models.Model):
    """Who sees the workspace's budget amounts, and the thresholds of the budget health
    check (`planning/budget/health.py`'s `Thresholds`)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="budget_settings"
    )
    external_can_see_budget = models.BooleanField(
        _("external teams can see budget amounts"),
        default=False,
        help_text=_(
            "When off, members of external teams (agencies, freelancers) see only the "
            "amounts of budget lines their own team owns."
        ),
    )
    budget_max_tool_share = models.DecimalField(
        _("Budget check: most of the AI tool spend one tool may take"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
        help_text=_("A fraction: 0.60 is 60 percent."),
    )
    budget_min_reserve_share = models.DecimalField(
        _("Budget check: smallest experiment reserve"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
        help_text=_("A fraction of the whole plan: 0.05 is 5 percent."),
    )
    budget_training_per_seat = models.DecimalField(
        _("Budget check: training needed per seat whose user is not yet able"),
        max_digits=10,
        decimal_places=0,
        default=Decimal(3000),
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_pilot_max_months = models.PositiveSmallIntegerField(
        _("Budget check: longest a candidate tool may be funded without a pilot (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = SettingsManager["BudgetSettings"]()

    class Meta:
        verbose_name = _("budget settings")
        verbose_name_plural = _("budget settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class EvaluationWeights(models.Model):
    """How much each criterion of the evaluation matrix counts in this workspace (relative
    weights, 0–100; the matrix divides by their sum)."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    features = models.PositiveSmallIntegerField(_("features"), default=25)
    cost = models.PositiveSmallIntegerField(_("cost"), default=20)
    ease = models.PositiveSmallIntegerField(_("ease of use"), default=15)
    support = models.PositiveSmallIntegerField(_("support"), default=10)
    integration = models.PositiveSmallIntegerField(_("integration"), default=15)
    value = models.PositiveSmallIntegerField(_("long-term value"), default=15)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation weights")
        verbose_name_plural = _("evaluation weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(features__lte=100)
                & Q(cost__lte=100)
                & Q(ease__lte=100)
                & Q(support__lte=100)
                & Q(integration__lte=100)
                & Q(value__lte=100),
                name="evaluation_weights_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.workspace} evaluation weights"


class RoiEstimate(models.Model):
    """What someone expects a tool to bring (planning/roi.py's Assumptions); the costs come
    from the tool's own cost model, so they are never typed twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    tool = models.OneToOneField(AiTool, on_delete=models.CASCADE, related_name="roi_estimate")
    horizon_months = models.PositiveSmallIntegerField(
        _("horizon in months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    ramp_up_months = models.PositiveSmallIntegerField(
        _("ramp-up in months"),
        default=0,
        validators=[MaxValueValidator(120)],
        help_text=_("Benefits grow evenly to full strength by this month."),
    )
    hours_saved_per_month = models.DecimalField(
        _("hours saved per month"), max_digits=10, decimal_places=1, default=0
    )
    loaded_hourly_rate = models.DecimalField(
        _("loaded hourly rate"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Salary plus overheads, per hour."),
    )
    sessions_per_month = models.DecimalField(
        _("sessions per month"), max_digits=14, decimal_places=0, default=0
    )
    conversion_rate_lift = models.DecimalField(
        _("conversion-rate lift (percentage points)"),
        max_digits=7,
        decimal_places=4,
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("0.2 means the conversion rate goes from, say, 1.5 to 1.7 percent."),
    )
    average_order_value = models.DecimalField(
        _("average order value"), max_digits=12, decimal_places=2, default=0
    )
    gross_margin = models.DecimalField(
        _("gross margin (percent)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MaxValueValidator(100)],
    )
    costs_avoided_per_month = models.DecimalField(
        _("costs avoided per month"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Agency hours, freelancers or tools this one replaces."),
    )
    spread = models.DecimalField(
        _("scenario spread (percent)"),
        max_digits=5,
        decimal_places=2,
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The conservative and optimistic scenarios move the benefit drivers down and up "
            "by this much."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ROI estimate")
        verbose_name_plural = _("ROI estimates")

    def __str__(self) -> str:
        return f"ROI {self.tool}"


class SkillLevel(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "basic", _("Basic")
    PROFICIENT = "proficient", _("Proficient")
    EXPERT = "expert", _("Expert")


class Skill(models.Model):
    """A person's skill in one category of AI tools (AiTool.Category)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="skills")
    category = models.CharField(_("category"), max_length=20, choices=AiTool.Category.choices)
    level = models.CharField(
        _("skill level"), max_length=10, choices=SkillLevel.choices, default="none"
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                "workspace", "membership", "category", name="skill_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.category}: {self.level}"


class StackItem(models.Model):
    """A piece of the company's existing software stack that AI tools must work with."""

    class Kind(models.TextChoices):
        ESHOP = "eshop", _("E-shop platform")
        MESSAGING = "messaging", _("Messaging (LINE Official Account)")
        ANALYTICS = "analytics", _("Analytics")
        ADS = "ads", _("Ad account")
        CRM = "crm", _("CRM")
        EMAIL = "email", _("E-mail marketing")
        OTHER = "other", _("Other")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("system"), max_length=80, help_text=_("For example SHOPLINE, CYBERBIZ, 91APP or GA4.")
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("system in use")
        verbose_name_plural = _("software stack")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint("workspace", "name", name="stack_item_unique")]

    def __str__(self) -> str:
        return self.name


class IntegrationFit(models.TextChoices):
    NATIVE = "native", _("Built-in integration")
    CONNECTOR = "connector", _("Through a connector (Zapier, Make, API)")
    MANUAL = "manual", _("Manual export and import")
    NONE = "none", _("Does not work with it")


class ToolFit(models.Model):
    """How an AI tool fits one system of the stack."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    tool = models.ForeignKey(AiTool, on_delete=models.CASCADE, related_name="fits")
    system = models.ForeignKey(StackItem, on_delete=models.CASCADE, related_name="fits")
    fit = models.CharField(_("integration fit"), max_length=10, choices=IntegrationFit.choices)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("integration fit")
        verbose_name_plural = _("integration fits")
        constraints = [
            models.UniqueConstraint("workspace", "tool", "system", name="tool_fit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} × {self.system_id}: {self.fit}"
