"""Sum the daily rows already imported into `ChannelDay`, workspace by workspace (each
workspace's days from its first to its last row); backwards there is nothing to undo (the
table goes with 0004)."""

from typing import Any

from django.db import migrations
from django.db.models import Max, Min


def fill(apps: Any, schema_editor: Any) -> None:
    from crewplan.measure.channel_days import refresh

    DailyMetric = apps.get_model("measure", "DailyMetric")
    spans = (
        DailyMetric.objects.using(schema_editor.connection.alias)
        .values_list("workspace_id")
        .annotate(first=Min("day"), last=Max("day"))
        .order_by()
    )
    for workspace_id, first, last in spans:
        refresh(
            workspace_id=workspace_id,
            first=first,
            last=last,
            using=schema_editor.connection.alias,
        )


class Migration(migrations.Migration):
    dependencies = [("measure", "0005_channel_days")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
