from django.urls import path

from crewplan.planning import views

urlpatterns = [
    path("goals/", views.goals, name="planning_goals"),
    path("goals/new/", views.goal_edit, name="planning_goal_new"),
    path("goals/check/", views.goal_check, name="planning_goal_check"),
    path("goals/<int:goal_id>/", views.goal_edit, name="planning_goal"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="planning_goal_delete"),
    path("kpis/add/", views.kpis_add, name="planning_kpis_add"),
    path("kpis/new/", views.kpi_edit, name="planning_kpi_new"),
    path("kpis/<int:kpi_id>/", views.kpi_edit, name="planning_kpi"),
]
