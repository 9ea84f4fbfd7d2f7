from django.urls import path

from crewplan.measure import kpi_views, tool_views

urlpatterns = [
    path("kpis/", kpi_views.kpis, name="measure_kpis"),
    path("kpis/import/", kpi_views.kpi_import, name="measure_kpi_import"),
    path("kpis/import/confirm/", kpi_views.kpi_import_confirm, name="measure_kpi_import_confirm"),
    path("tools/", tool_views.tools, name="measure_tools"),
    path("tools/<int:tool_id>/reviews/", tool_views.tool_reviews, name="measure_tool_reviews"),
]
