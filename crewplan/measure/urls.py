from django.urls import path

from crewplan.measure import teams_views

urlpatterns = [
    path("teams/", teams_views.teams_view, name="measure_teams"),
]
