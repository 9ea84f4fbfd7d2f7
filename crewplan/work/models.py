import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.planning.models import BudgetLine, Goal
from crewplan.raci.models import Activity
from crewplan.work.workflow import STATES
from crewplan.workspaces.models import (
    Membership,
    SettingsManager,
    Workspace,
    WorkspaceOwnedQuerySet,
)

ROLE_LETTERS = ("R", "A", "C", "I")


class WorkItem(models.Model):
    """A piece of work on the shared calendar. Its R, A, C and I come from the RACI matrix
    of its activity unless overridden (`ItemRole`); its state moves only through
    `work/workflow.py`."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("Content piece")
        SOCIAL = "social_post", _("Social post")
        AD = "ad_campaign", _("Ad campaign")
        REPORT = "data_report", _("Data report")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        FACEBOOK = "facebook_post", _("Facebook post")
        INSTAGRAM = "instagram_caption", _("Instagram caption")
        LINE = "line_message", _("LINE message")
        X = "x_post", _("X post")
        GOOGLE_HEADLINE = "google_ads_headline", _("Google Ads headline")
        GOOGLE_DESCRIPTION = "google_ads_description", _("Google Ads description")
        BLOG = "blog", _("Blog or website")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        IDEA = "idea", _("Idea")
        DRAFTING = "drafting", _("Drafting")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default="social_post")
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("activity"),
    )
    channel = models.CharField(
        _("channel"), max_length=24, choices=Channel.choices, default="facebook_post"
    )
    brief = models.TextField(_("brief"), blank=True)
    copy = models.TextField(_("copy"), blank=True)
    sponsored = models.BooleanField(
        _("sponsored"), default=False, help_text=_("Paid partnership: must carry a disclosure.")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True)
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("goal"),
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("budget line"),
    )
    state = models.CharField(_("status"), max_length=18, choices=State.choices, default="idea")
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits
    checks = models.JSONField(default=list, blank=True)  # the last content check's findings
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["publish_at", "due_on", "id"]
        indexes = [
            models.Index(fields=["workspace", "publish_at"], name="work_item_ws_publish"),
            models.Index(fields=["workspace", "due_on"], name="work_item_ws_due"),
            models.Index(fields=["workspace", "state"], name="work_item_ws_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=STATES),
                name="work_item_state_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemRole(models.Model):
    """A per-item override of the RACI: for each letter that has overrides on an item, the
    people listed here replace the ones the matrix gives."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="role_overrides")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=1, choices=[(r, r) for r in ROLE_LETTERS])

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "workspace", "item", "membership", "role", name="item_role_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=ROLE_LETTERS), name="item_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.role} {self.membership_id}"


class Transition(models.Model):
    """Every move of an item's state, with its time: turnaround is measured from these."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=18)
    to_state = models.CharField(max_length=18)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # The codes of the ERROR findings on the copy when a gated step was taken anyway: the
    # R explained them (submit, in `note`) or an approver overrode them (approve,
    # schedule, publish, the reason in `note`). Empty: the copy had no errors.
    check_errors = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["workspace", "item", "at"], name="transition_ws_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_state} → {self.to_state}"


class Comment(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Notification(models.Model):
    class Kind(models.TextChoices):
        REVIEW_REQUEST = "review_request", _("Review requested")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        DUE_SOON = "due_soon", _("Due soon")
        COMMENT = "comment", _("New comment")
        REPORT_READY = "report_ready", _("Quarterly report ready")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    item = models.ForeignKey(
        WorkItem, null=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor_label = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["workspace", "recipient", "read_at"], name="notification_ws_unread"
            ),
            models.Index(fields=["emailed_at", "created_at"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_hash(token: str) -> str:
    """What is stored of a feed token: SHA-256 is enough for a random 256-bit secret (no
    salt or slow hash needed: there is nothing to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret iCalendar URL for one workspace; revoking it makes a new one.
    Only a hash of the token is kept: the URL is shown once, when it is made."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkspaceOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"feed of {self.membership_id}"


class ContentRules(models.Model):
    """The workspace's content-check rules (work/checks.py's rules as JSON), layered over
    the defaults."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    rules = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("content rules")
        verbose_name_plural = _("content rules")

    def __str__(self) -> str:
        return f"content rules of {self.workspace_id}"


class WorkSettings(models.Model):
    """Who sees the workspace's work items. A row of its own rather than a key of
    ContentRules: the content rules are checks on copy, edited on their own page by the
    people who may edit the rules; this is the owner's switch on the settings page, and
    sharing a row (and its revision) would make the two pages refuse each other's saves."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="work_settings"
    )
    external_can_see_all_work = models.BooleanField(
        _("external teams can see all work items"),
        default=False,
        help_text=_(
            "When off, members of external teams see only the work items of activities "
            "their team holds a RACI role in, or where they are named on the item."
        ),
    )
    revision = models.PositiveIntegerField(default=1)  # compare-and-set for concurrent edits

    objects = SettingsManager["WorkSettings"]()

    class Meta:
        verbose_name = _("work settings")
        verbose_name_plural = _("work settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class CalendarDay(models.Model):
    """A day of the government's official office calendar (行政院人事行政總處), imported
    with `crewplan calendar import FILE.csv`; it overrides the holidays package for that
    date. National data, the same for every workspace."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")

    day = models.DateField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=80)  # as the file writes it (Traditional Chinese)
    name_en = models.CharField(max_length=120, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
