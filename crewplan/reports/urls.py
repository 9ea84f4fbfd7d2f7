from django.urls import path

from crewplan.reports import views

urlpatterns = [
    path("collaboration/", views.collaboration, name="review_collaboration"),
]
