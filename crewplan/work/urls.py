from django.urls import path

from crewplan.work import views

urlpatterns = [
    path("", views.calendar_view, name="work_calendar"),
    path("items/new/", views.item_new, name="work_item_new"),
    path("items/<int:item_id>/", views.item_detail, name="work_item"),
    path("items/<int:item_id>/move/", views.item_move, name="work_item_move"),
    path("items/<int:item_id>/comment/", views.item_comment, name="work_item_comment"),
    path("items/<int:item_id>/roles/", views.item_roles, name="work_item_roles"),
    path("items/<int:item_id>/check/", views.item_check, name="work_item_check"),
    path("items/<int:item_id>/reschedule/", views.item_reschedule, name="work_item_reschedule"),
    path("rules/", views.rules, name="work_rules"),
    path("inbox/", views.inbox, name="work_inbox"),
    path("inbox/read/", views.inbox_read, name="work_inbox_read"),
    path("feed/", views.feed, name="work_feed"),
    path("feed/renew/", views.feed_renew, name="work_feed_renew"),
    path("feed/revoke/", views.feed_revoke, name="work_feed_revoke"),
]
