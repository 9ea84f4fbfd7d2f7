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
    path("activities/<int:activity_id>/move/", views.activity_move, name="raci_activity_move"),
    path("functions/<int:function_id>/", views.function_edit, name="raci_function_edit"),
    path("people/", views.person_column, name="raci_person_column"),
    path("draft/", views.draft_start, name="raci_draft_start"),
    path("versions/<int:version_id>/sign/<int:team_id>/", views.sign_off, name="raci_sign_off"),
    path("versions/<int:version_id>/publish/", views.publish, name="raci_publish"),
    path("versions/", views.versions, name="raci_versions"),
    path("versions/<int:version_id>/export.xlsx", views.export_xlsx, name="raci_export_xlsx"),
    path("versions/<int:version_id>/export.pdf", views.export_pdf, name="raci_export_pdf"),
    path("template.xlsx", views.template_xlsx, name="raci_template_xlsx"),
    path("import/", views.import_upload, name="raci_import"),
    path("import/preview/", views.import_preview, name="raci_import_preview"),
    path("import/confirm/", views.import_confirm, name="raci_import_confirm"),
]
