"""Data: each workspace's budget amount visibility and health-check thresholds, until now columns of the workspace, copied into its new
BudgetSettings row (and back, when migrating backwards). Plain ORM reads and bulk writes, so the
same on SQLite and PostgreSQL."""

from django.db import migrations

FIELDS = (
    "external_can_see_budget",
    "budget_max_tool_share",
    "budget_min_reserve_share",
    "budget_training_per_seat",
    "budget_pilot_max_months",
)


def copy_into_rows(apps, schema_editor):
    db = schema_editor.connection.alias
    Workspace = apps.get_model("workspaces", "Workspace")
    Settings = apps.get_model("planning", "BudgetSettings")
    have = set(Settings.objects.using(db).values_list("workspace_id", flat=True))
    rows = [
        Settings(workspace_id=values.pop("id"), **values)
        for values in Workspace.objects.using(db).values("id", *FIELDS).iterator()
        if values["id"] not in have
    ]
    Settings.objects.using(db).bulk_create(rows, batch_size=500)


def copy_back(apps, schema_editor):
    db = schema_editor.connection.alias
    Workspace = apps.get_model("workspaces", "Workspace")
    Settings = apps.get_model("planning", "BudgetSettings")
    saved = {
        values.pop("workspace_id"): values
        for values in Settings.objects.using(db).values("workspace_id", *FIELDS).iterator()
    }
    workspaces = list(Workspace.objects.using(db).filter(pk__in=saved).only("id", *FIELDS))
    for workspace in workspaces:
        for name, value in saved[workspace.pk].items():
            setattr(workspace, name, value)
    Workspace.objects.using(db).bulk_update(workspaces, FIELDS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0005_budget_settings"),
        ("workspaces", "0007_membership_revision"),
    ]

    operations = [migrations.RunPython(copy_into_rows, copy_back, elidable=True)]
