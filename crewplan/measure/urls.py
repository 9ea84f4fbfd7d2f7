from django.urls import path

from crewplan.measure import import_views, task_views, teams_views, views

urlpatterns = [
    path("", views.results, name="measure_results"),
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
]
