from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crewplan.workspaces.models import Workspace, WorkspaceOwnedQuerySet


class AuditEvent(models.Model):
    """One change, as it happened. Rows are only ever added. `actor_label` and
    `target_label` keep the names as they were, so the log still reads right after
    people and objects are renamed or removed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=254, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # The target's revision this change produced (rows with optimistic concurrency only):
    # a stale form is told which fields the changes after its revision touched.
    target_revision = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WorkspaceOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="audit_ws_created")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"


class UsedToken(models.Model):
    """A single-use token that has been used, such as the signed preview of an import.
    Only its SHA-256 digest is kept; the unique constraint makes a second use fail even
    when two confirms race. Rows older than a day are purged (every preview token
    expires well before that)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("used token")
        verbose_name_plural = _("used tokens")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "digest"], name="audit_usedtoken_once"),
        ]

    def __str__(self) -> str:
        return f"{self.digest[:12]}… {self.used_at:%Y-%m-%d %H:%M}"
