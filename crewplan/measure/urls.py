from django.urls import path

from crewplan.measure import (
    channel_settings_views,
    channel_views,
    expense_views,
    import_views,
    kpi_views,
    plan_views,
    task_views,
    teams_views,
    tool_views,
    views,
)

urlpatterns = [
    path("", views.results, name="measure_results"),
    path("plan/", plan_views.plan, name="measure_plan"),
    path("channels/", channel_views.channels, name="measure_channels"),
    path("kpis/", kpi_views.kpis, name="measure_kpis"),
    path("kpis/import/", kpi_views.kpi_import, name="measure_kpi_import"),
    path("kpis/import/confirm/", kpi_views.kpi_import_confirm, name="measure_kpi_import_confirm"),
    path("tools/", tool_views.tools, name="measure_tools"),
    path("tools/<int:tool_id>/reviews/", tool_views.tool_reviews, name="measure_tool_reviews"),
    path("teams/", teams_views.teams_view, name="measure_teams"),
    path("imports/", import_views.imports_page, name="measure_imports"),
    path("imports/template.csv", import_views.import_template, name="measure_import_template"),
    path("imports/upload/", import_views.import_upload, name="measure_import_upload"),
    path("imports/mapping/", import_views.import_mapping, name="measure_import_mapping"),
    path("imports/confirm/", import_views.import_confirm, name="measure_import_confirm"),
    path("imports/<int:import_id>/", import_views.import_detail, name="measure_import"),
    path(
        "imports/<int:import_id>/rollback/",
        import_views.import_rollback,
        name="measure_import_rollback",
    ),
    path(
        "imports/<int:import_id>/progress/",
        task_views.import_progress,
        name="measure_import_progress",
    ),
    path(
        "channels/settings/",
        channel_settings_views.channel_settings,
        name="measure_channel_settings",
    ),
    path(
        "channels/settings/<int:channel_id>/",
        channel_settings_views.channel_edit,
        name="measure_channel_edit",
    ),
    path(
        "channels/settings/<int:channel_id>/delete/",
        channel_settings_views.channel_delete,
        name="measure_channel_delete",
    ),
    path(
        "channels/settings/aliases/<int:alias_id>/delete/",
        channel_settings_views.alias_delete,
        name="measure_channel_alias_delete",
    ),
    path("expenses/", expense_views.expenses, name="measure_expenses"),
    path("expenses/new/", expense_views.expense_edit, name="measure_expense_new"),
    path("expenses/<int:expense_id>/", expense_views.expense_edit, name="measure_expense_edit"),
    path(
        "expenses/<int:expense_id>/delete/",
        expense_views.expense_delete,
        name="measure_expense_delete",
    ),
    path("expenses/import/", expense_views.expense_import, name="measure_expense_import"),
    path(
        "expenses/import/confirm/",
        expense_views.expense_import_confirm,
        name="measure_expense_import_confirm",
    ),
    path(
        "expenses/imports/<int:expense_import_id>/rollback/",
        expense_views.expense_import_rollback,
        name="measure_expense_import_rollback",
    ),
]
