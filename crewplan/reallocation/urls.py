from django.urls import path

from crewplan.reallocation import views

urlpatterns = [
    path("", views.reallocation, name="reallocation"),
    path("fit/", views.fit_start, name="reallocation_fit_start"),
    path("weekly.csv", views.weekly_csv, name="reallocation_weekly_csv"),
    path("fits/<int:fit_id>/", views.fit_page, name="reallocation_fit"),
    path("fits/<int:fit_id>/progress/", views.fit_progress, name="reallocation_progress"),
    path("fits/<int:fit_id>/what-if/", views.what_if, name="reallocation_what_if"),
    path("fits/<int:fit_id>/apply/", views.apply, name="reallocation_apply"),
    path("lift-tests/", views.lift_tests, name="reallocation_lift_tests"),
    path(
        "lift-tests/<int:lift_test_id>/delete/",
        views.lift_test_delete,
        name="reallocation_lift_test_delete",
    ),
]
