from django.urls import path

from crewplan.measure import (
    channel_views,
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
    path(
        "imports/<int:import_id>/progress/",
        task_views.import_progress,
        name="measure_import_progress",
    ),
]
