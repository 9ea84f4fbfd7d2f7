"""A row of collaboration check settings, with the defaults, for every workspace made
before the check existed (new workspaces get theirs in `workspace_create`)."""

from typing import Any

from django.db import migrations


def create_rows(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection.alias
    Workspace = apps.get_model("workspaces", "Workspace")
    ReviewSettings = apps.get_model("reports", "ReviewSettings")
    have = set(ReviewSettings.objects.using(db).values_list("workspace_id", flat=True))
    ReviewSettings.objects.using(db).bulk_create(
        [
            ReviewSettings(workspace_id=pk)
            for pk in Workspace.objects.using(db).values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_review_settings")]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop, elidable=True)]
