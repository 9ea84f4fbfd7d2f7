from django.urls import path

from crewplan.reports import views

urlpatterns = [
    path("collaboration/", views.collaboration, name="review_collaboration"),
    path("reports/", views.reports, name="review_reports"),
    path("reports/generate/", views.report_generate, name="review_report_generate"),
    path("reports/<int:report_id>/", views.report_page, name="review_report"),
    path("reports/<int:report_id>/progress/", views.report_progress, name="review_report_progress"),
    path("reports/<int:report_id>/pdf/", views.report_pdf, name="review_report_pdf"),
    path("reports/<int:report_id>/sign-off/", views.report_sign_off, name="review_report_sign_off"),
    path(
        "reports/<int:report_id>/actions/<int:action_index>/",
        views.report_action,
        name="review_report_action",
    ),
]
