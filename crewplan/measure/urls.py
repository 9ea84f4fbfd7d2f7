from django.urls import path

from crewplan.measure import channel_views, plan_views, task_views, teams_views, views

urlpatterns = [
    path("", views.results, name="measure_results"),
    path("plan/", plan_views.plan, name="measure_plan"),
    path("channels/", channel_views.channels, name="measure_channels"),
    path("teams/", teams_views.teams_view, name="measure_teams"),
    path(
        "imports/<int:import_id>/progress/",
        task_views.import_progress,
        name="measure_import_progress",
    ),
]
