from django.urls import path

from crewplan.measure import channel_views, plan_views

urlpatterns = [
    path("plan/", plan_views.plan, name="measure_plan"),
    path("channels/", channel_views.channels, name="measure_channels"),
]
