from django.urls import include, path

from crewplan.workspaces import views

# Every URL below /w/<slug>/ goes through @workspace_view; ids are loaded with
# access.get_owned(), so they resolve only inside the current workspace.
urlpatterns = [
    path("", views.overview, name="workspace_overview"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:membership_id>/update/", views.member_update, name="member_update"),
    path("people/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/delete/", views.team_delete, name="team_delete"),
    path("settings/", views.workspace_settings, name="workspace_settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("raci/", include("crewplan.raci.urls")),
    path("plan/", include("crewplan.planning.urls")),
    path("work/", include("crewplan.work.urls")),
    path("results/", include("crewplan.measure.urls")),
    path("review/", include("crewplan.reports.urls")),
    path("reallocation/", include("crewplan.reallocation.urls")),
]
