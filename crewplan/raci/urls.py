from django.urls import path

from crewplan.raci import views

urlpatterns = [
    path("", views.matrix, name="raci_matrix"),
    path("cells/", views.cells, name="raci_cells"),
    path("template/", views.template_apply, name="raci_template_apply"),
    path("activities/new/", views.activity_create, name="raci_activity_create"),
    path("activities/<int:activity_id>/", views.activity_edit, name="raci_activity_edit"),
    path(
        "activities/<int:activity_id>/archive/",
        views.activity_archive,
        name="raci_activity_archive",
    ),
    path("people/", views.person_column, name="raci_person_column"),
    path("draft/", views.draft_start, name="raci_draft_start"),
    path("versions/<int:version_id>/sign/<int:team_id>/", views.sign_off, name="raci_sign_off"),
    path("versions/<int:version_id>/publish/", views.publish, name="raci_publish"),
]
