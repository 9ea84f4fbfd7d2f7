from django.urls import path

from crewplan.measure import task_views

urlpatterns = [
    path(
        "imports/<int:import_id>/progress/",
        task_views.import_progress,
        name="measure_import_progress",
    ),
]
