from django.urls import include, path

from crewplan.work import views as work_views
from crewplan.workspaces import views as workspace_views

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("accounts/", include("crewplan.accounts.urls")),
    path("switch/", workspace_views.switch_workspace, name="switch_workspace"),
    path("invite/<str:token>/", workspace_views.invitation_accept, name="invitation_accept"),
    path("w/<slug:slug>/", include("crewplan.workspaces.urls")),
    path("ical/<str:token>.ics", work_views.ical, name="work_ical"),
]
