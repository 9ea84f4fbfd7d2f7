from django.urls import path

from crewplan.planning.budget import views as budget
from crewplan.planning.goals import views as goals
from crewplan.planning.tools import views as tools

urlpatterns = [
    path("goals/", goals.goals, name="planning_goals"),
    path("goals/new/", goals.goal_edit, name="planning_goal_new"),
    path("goals/check/", goals.goal_check, name="planning_goal_check"),
    path("goals/<int:goal_id>/", goals.goal_edit, name="planning_goal"),
    path("goals/<int:goal_id>/delete/", goals.goal_delete, name="planning_goal_delete"),
    path("kpis/add/", goals.kpis_add, name="planning_kpis_add"),
    path("kpis/new/", goals.kpi_edit, name="planning_kpi_new"),
    path("kpis/<int:kpi_id>/", goals.kpi_edit, name="planning_kpi"),
    path("tools/", tools.tools, name="planning_tools"),
    path("tools/new/", tools.tool_edit, name="planning_tool_new"),
    path("tools/compare/", tools.compare, name="planning_tools_compare"),
    path("tools/<int:tool_id>/", tools.tool_edit, name="planning_tool"),
    path("tools/<int:tool_id>/roi/", tools.tool_roi, name="planning_tool_roi"),
    path(
        "tools/<int:tool_id>/roi/preview/",
        tools.tool_roi_preview,
        name="planning_tool_roi_preview",
    ),
    path("resources/", tools.resources_page, name="planning_resources"),
    path("resources/people/", tools.people_save, name="planning_people_save"),
    path("resources/fit/", tools.fit_save, name="planning_fit_save"),
    path("resources/systems/", tools.system_add, name="planning_system_add"),
    path(
        "resources/systems/<int:system_id>/delete/",
        tools.system_delete,
        name="planning_system_delete",
    ),
    path("budget/", budget.budget, name="planning_budget"),
    path("budget/versions/", budget.version_create, name="planning_version_create"),
    path("budget/export.xlsx", budget.budget_export, name="planning_budget_export"),
    path("budget/import/", budget.budget_import, name="planning_budget_import"),
    path(
        "budget/import/confirm/",
        budget.budget_import_confirm,
        name="planning_budget_import_confirm",
    ),
    path(
        "budget/<int:budget_version_id>/lines/new/",
        budget.line_edit,
        name="planning_line_new",
    ),
    path(
        "budget/<int:budget_version_id>/lines/<int:line_id>/",
        budget.line_edit,
        name="planning_line",
    ),
    path(
        "budget/<int:budget_version_id>/lines/<int:line_id>/delete/",
        budget.line_delete,
        name="planning_line_delete",
    ),
]
