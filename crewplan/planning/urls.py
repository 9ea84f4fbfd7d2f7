from django.urls import path

from crewplan.planning.budget import views as budget_views
from crewplan.planning.goals import views
from crewplan.planning.tools import roi_views
from crewplan.planning.tools import views as resource_views

urlpatterns = [
    path("goals/", views.goals, name="planning_goals"),
    path("goals/new/", views.goal_edit, name="planning_goal_new"),
    path("goals/check/", views.goal_check, name="planning_goal_check"),
    path("goals/<int:goal_id>/", views.goal_edit, name="planning_goal"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="planning_goal_delete"),
    path("kpis/add/", views.kpis_add, name="planning_kpis_add"),
    path("kpis/new/", views.kpi_edit, name="planning_kpi_new"),
    path("kpis/<int:kpi_id>/", views.kpi_edit, name="planning_kpi"),
    path("tools/", budget_views.tools, name="planning_tools"),
    path("tools/new/", budget_views.tool_edit, name="planning_tool_new"),
    path("tools/compare/", resource_views.compare, name="planning_tools_compare"),
    path("tools/<int:tool_id>/", budget_views.tool_edit, name="planning_tool"),
    path("tools/<int:tool_id>/roi/", roi_views.tool_roi, name="planning_tool_roi"),
    path(
        "tools/<int:tool_id>/roi/preview/",
        roi_views.tool_roi_preview,
        name="planning_tool_roi_preview",
    ),
    path("resources/", resource_views.resources_page, name="planning_resources"),
    path("resources/people/", resource_views.people_save, name="planning_people_save"),
    path("resources/fit/", resource_views.fit_save, name="planning_fit_save"),
    path("resources/systems/", resource_views.system_add, name="planning_system_add"),
    path(
        "resources/systems/<int:system_id>/delete/",
        resource_views.system_delete,
        name="planning_system_delete",
    ),
    path("budget/", budget_views.budget, name="planning_budget"),
    path("budget/versions/", budget_views.version_create, name="planning_version_create"),
    path("budget/export.xlsx", budget_views.budget_export, name="planning_budget_export"),
    path("budget/import/", budget_views.budget_import, name="planning_budget_import"),
    path(
        "budget/import/confirm/",
        budget_views.budget_import_confirm,
        name="planning_budget_import_confirm",
    ),
    path(
        "budget/<int:budget_version_id>/lines/new/",
        budget_views.line_edit,
        name="planning_line_new",
    ),
    path(
        "budget/<int:budget_version_id>/lines/<int:line_id>/",
        budget_views.line_edit,
        name="planning_line",
    ),
    path(
        "budget/<int:budget_version_id>/lines/<int:line_id>/delete/",
        budget_views.line_delete,
        name="planning_line_delete",
    ),
]
