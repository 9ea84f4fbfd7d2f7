"""What happened: channels, the daily figures imported from the ad platforms and
analytics, every import (to show and to roll back), the expenses of budget lines that no
platform reports, and the monthly reviews of AI tools.

Money and fractional counts (Google Ads reports 2.5 conversions) are stored as integers
in hundredths of their unit (`*_x100`): sums are exact in SQL on SQLite and PostgreSQL
alike, and a million rows insert as plain integers. `measure.values.from_x100` turns
them back into Decimal."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.workspaces.models import Workspace, WorkspaceOwnedQuerySet


class Channel(models.Model):
    """Where money is spent or attention comes from: Google Ads, Meta, LINE Ads, SEO…"""

    class Kind(models.TextChoices):
        PAID = "paid", _("Paid")
        OWNED = "owned", _("Owned")
        ORGANIC = "organic", _("Organic")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("channel"), max_length=60)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PAID)
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint("workspace", "name", name="measure_channel_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ChannelAlias(models.Model):
    """A channel name as a file writes it ("Paid Search", "Facebook") and the workspace's
    channel it stands for: asked once on the preview, remembered for the next import."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    source_name = models.CharField(max_length=120)  # lib.text.fold()ed: NFKC, casefold
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="aliases")

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", "source_name", name="measure_channel_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.channel_id}"


class Campaign(models.Model):
    """A campaign of a channel as the platform names it; "" for figures without one
    (an analytics channel group)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("campaign"), max_length=255, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "workspace", "channel", "name", name="measure_campaign_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Import(models.Model):
    """One file brought in: who, when, what it was, what it changed. Rolling it back puts
    back exactly the rows it replaced (`ReplacedMetric`) and removes the ones it added."""

    class Kind(models.TextChoices):
        METRICS = "metrics", _("Spend and performance")
        EXPENSES = "expenses", _("Expenses")
        KPI_VALUES = "kpi_values", _("KPI values")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.METRICS)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(max_length=64)  # sha256 of the file's bytes
    layout = models.CharField(_("layout"), max_length=20)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_replaced = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    # When a running import last gave a sign of life: one silent for long was killed
    # with its worker (measure/tasks.recover_stale_imports).
    progress_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)  # why it failed, in the importer's language
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rolled_back_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="measure_import_ws")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


class DailyMetric(models.Model):
    """One day of one campaign of one channel. The key (workspace, day, channel, campaign)
    is unique: importing the same day again replaces the row, never adds to it."""

    # No index of their own on the foreign keys: the two indexes below serve every read
    # (the workspace leads each; a rollback finds its rows by the import's days and its
    # source), and each index more slows a million-row import by a sixth
    # (docs/benchmarks.md). Deleting a channel or an import looks rows up without an
    # index, which is rare and still well under a second.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    spend_x100 = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    conversions_x100 = models.BigIntegerField(default=0)
    revenue_x100 = models.BigIntegerField(default=0)
    # Named extra metrics of the row (sessions, key_events, new_customers, …), hundredths.
    extras = models.JSONField(default=dict, blank=True)
    source = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+", db_index=False)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "workspace", "day", "channel", "campaign", name="measure_daily_key"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "channel", "day"], name="measure_daily_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel_id}/{self.campaign_id}"


class ChannelDay(models.Model):
    """The sums of one channel's imported rows of one day: what the dashboards read when
    they need no campaign (a year of 20 channels is 7,300 of these instead of 73,000
    daily rows). Derived data: `measure.channel_days.refresh` rebuilds the days an import
    wrote or a rollback undid, in the same transaction, from `DailyMetric`, so the sums are
    the rows' sums exactly. A row exists only for a day with rows (`rows` > 0)."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+", db_index=False)
    rows = models.PositiveIntegerField(default=0)  # the DailyMetric rows summed
    spend_x100 = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    conversions_x100 = models.BigIntegerField(default=0)
    revenue_x100 = models.BigIntegerField(default=0)
    # Each named extra a file can bring (`parse.EXTRA_METRICS`) that some row of the day
    # carries, summed (hundredths); absent: no row did.
    extras = models.JSONField(default=dict, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", "day", "channel", name="measure_channel_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel_id}"


class ReplacedMetric(models.Model):
    """A row as it was before an import replaced it: what rolling that import back puts
    back (with the import that had written it)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    replaced_by = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    spend_x100 = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    conversions_x100 = models.BigIntegerField(default=0)
    revenue_x100 = models.BigIntegerField(default=0)
    extras = models.JSONField(default=dict, blank=True)
    source = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+")

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "replaced_by"], name="measure_replaced_import")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel_id}/{self.campaign_id} before {self.replaced_by_id}"


class ReplacedKpiValue(models.Model):
    """A KPI's monthly value as it was before a KPI file import replaced it: what rolling
    that import back puts back (with the import that had written it, None if typed)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    replaced_by = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey("planning.Kpi", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)
    source = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "replaced_by"], name="measure_replaced_kpi_import")
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.month:%Y-%m} before {self.replaced_by_id}"


class ImportMapping(models.Model):
    """The columns a user mapped for a header row no layout recognized: proposed again
    when a file with the same header row (`parse.signature`) comes in."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    header = models.JSONField(default=list)
    columns = models.JSONField(default=dict)  # field -> column index
    channel = models.CharField(max_length=60, blank=True)  # a fixed channel, if any
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", "signature", name="measure_import_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.signature


class Expense(models.Model):
    """Money spent on a budget line that no ad platform reports: an invoice, a
    subscription, a training fee. Counts for the line and for its copies in later versions
    of the plan (the same `BudgetLine.key`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(
        "planning.BudgetLine",
        on_delete=models.CASCADE,
        related_name="expenses",
        verbose_name=_("budget line"),
    )
    day = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["workspace", "day"], name="measure_expense_ws_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.amount}"


class ToolReview(models.Model):
    """A month of an AI tool as the people using it report it: the realized side of its
    ROI estimate."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    tool = models.ForeignKey("planning.AiTool", on_delete=models.CASCADE, related_name="reviews")
    month = models.DateField(_("month"))  # the first day of the month
    active_seats = models.PositiveIntegerField(_("active seats"), default=0)
    hours_saved = models.DecimalField(_("hours saved"), max_digits=8, decimal_places=1, default=0)
    outputs = models.PositiveIntegerField(_("outputs produced"), default=0)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tool review")
        verbose_name_plural = _("tool reviews")
        ordering = ["-month", "tool_id"]
        constraints = [
            models.UniqueConstraint("workspace", "tool", "month", name="measure_review_month"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="measure_review_satisfaction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.month:%Y-%m}"


class ImportFile(models.Model):
    """The bytes of an uploaded file between its preview and its import. The preview token
    carries only this row's id and the file's sha256 (a million rows do not fit in a
    signed token); committing parses the bytes again, so what is imported is exactly what
    the file says, never what a browser sent back. Deleted when its import is done, or
    after a day (`measure.imports.forget_stale_files`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    # What the confirmation chose, for a queued import: channel choices, rate, mapping.
    options = models.JSONField(default=dict, blank=True)
    import_record = models.OneToOneField(
        Import, null=True, blank=True, on_delete=models.CASCADE, related_name="file"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"
