"""Schema: the settings that moved to the raci, planning and work apps' own settings models
leave the workspace (reversed: the columns come back with their defaults, then the data
migrations copy the values back)."""

from django.db import migrations


class Migration(migrations.Migration):
    # After each app has copied its settings into its own rows.
    dependencies = [
        ("workspaces", "0007_membership_revision"),
        ("raci", "0004_copy_raci_settings_from_workspaces"),
        ("planning", "0006_copy_budget_settings_from_workspaces"),
        ("work", "0008_copy_work_visibility_from_workspaces"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="workspace",
            name="budget_max_tool_share",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="budget_min_reserve_share",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="budget_pilot_max_months",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="budget_training_per_seat",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="external_can_see_all_work",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="external_can_see_budget",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="raci_max_accountable",
        ),
        migrations.RemoveField(
            model_name="workspace",
            name="raci_max_consulted",
        ),
    ]
