from django.urls import path

from crewplan.measure import kpi_views, tool_views

urlpatterns = [
    path("kpis/", kpi_views.kpis, name="measure_kpis"),
    path("tools/", tool_views.tools, name="measure_tools"),
    path("tools/<int:tool_id>/reviews/", tool_views.tool_reviews, name="measure_tool_reviews"),
]
