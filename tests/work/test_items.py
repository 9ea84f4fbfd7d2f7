"""Work items through the pages: roles from the RACI matrix, the workflow by role,
no self-approval, copy edits re-opening review, notifications, visibility for the agency,
the calendar and rescheduling."""

from datetime import UTC, date, datetime
from typing import Any

from crewplan.audit.models import AuditEvent
from crewplan.raci.models import Activity, Function
from crewplan.work.models import ItemRole, Notification, Transition, WorkItem
from crewplan.workspaces.models import Membership
from tests.factories import change_settings, client_for, create, move, posts_in_september


def test_agency_drafts_in_house_approves(world: Any, raci: dict[str, Any]) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "You are R on this item." in page  # R from the agency's cell of Social posts

    assert move(amy, item, "start").status_code == 302
    assert move(amy, item, "submit").status_code == 302
    item.refresh_from_db()
    assert item.state == "in_review" and item.checked_at is not None  # checked on submit
    review = Notification.objects.filter(item=item, kind="review_request")
    # A of Social posts is the in-house team: its owner and manager, not maya or vera.
    assert {n.recipient.email for n in review} == {"alice@a.example", "mike@a.example"}

    # The R cannot approve; a C or I could not either (nobody else on this item).
    refused = move(amy, item, "approve")
    assert refused.status_code == 403 and "Only the Accountable" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == "in_review"

    assert move(mike, item, "request_changes", note="Add the price").status_code == 302
    changes = Notification.objects.get(
        item=item, kind="changes_requested", recipient__email="amy@agency.example"
    )
    assert changes.actor_label == world.people["mike"].display_name
    assert move(amy, item, "submit").status_code == 302
    assert move(mike, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.state == "approved"
    assert list(Transition.objects.filter(item=item).values_list("action", flat=True)) == [
        "start",
        "submit",
        "request_changes",
        "submit",
        "approve",
    ]
    assert Transition.objects.get(item=item, action="request_changes").note == "Add the price"
    assert AuditEvent.objects.filter(action="work.item_moved", target_id=str(item.pk)).count() == 5
    # An invalid transition is refused with a clear message, nothing changes.
    again = move(mike, item, "approve")
    assert (
        again.status_code == 409
        and "You cannot approve an item that is approved" in again.content.decode()
    )


def test_no_self_approval_and_owner_stands_in(world: Any, raci: dict[str, Any]) -> None:
    mike, alice = client_for(world.people["mike"]), client_for(world.people["alice"])
    item = create(mike, raci["social"])
    # Mike is both R and the only A on this item.
    for role in "RA":
        ItemRole.objects.create(
            workspace=world.a, item=item, membership=world.member("mike"), role=role
        )
    move(mike, item, "start")
    move(mike, item, "submit")
    refused = move(mike, item, "approve")
    assert refused.status_code == 403 and "cannot approve" in refused.content.decode()
    assert move(alice, item, "approve").status_code == 302  # the owner stands in
    item.refresh_from_db()
    assert item.state == "approved"


def test_editing_approved_copy_reopens_review(world: Any, raci: dict[str, Any]) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    for action, who in (("start", amy), ("submit", amy), ("approve", mike)):
        assert move(who, item, action).status_code == 302
    item.refresh_from_db()
    data = {
        "title": item.title,
        "kind": item.kind,
        "activity": item.activity_id,
        "channel": item.channel,
        "brief": "",
        "copy": "中秋月餅預購開跑！限量 300 盒",
        "publish_at": "2026-09-20T12:00",
        "revision": item.revision,
    }
    assert amy.post(f"/w/alpha/work/items/{item.pk}/", data).status_code == 302
    item.refresh_from_db()
    assert item.state == "in_review"
    assert Transition.objects.filter(item=item).last().action == "copy_edited"
    # A stale form (the revision read before that save) is refused, nothing changes.
    stale = amy.post(f"/w/alpha/work/items/{item.pk}/", data | {"title": "Other"})
    assert stale.status_code == 400
    assert "Someone else saved the work item since you opened it" in stale.text
    assert "copy" in stale.context["form"].non_field_errors()[0]  # what they changed
    item.refresh_from_db()
    assert item.title == "Mooncake pre-order post"


def test_bad_input_changes_nothing(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    before = WorkItem.objects.count()
    for bad in (
        {"title": ""},
        {"channel": "fax"},
        {"publish_at": "someday"},
        {"due_on": "2026-09-21", "publish_at": "2026-09-20T12:00"},
    ):
        data = {
            "title": "X",
            "kind": "social_post",
            "channel": "facebook_post",
            "copy": "",
            "brief": "",
        }
        response = amy.post("/w/alpha/work/items/new/", data | bad)
        assert response.status_code == 400
    other = Activity.objects.create(
        workspace=world.b, function=Function.objects.create(workspace=world.b, name="F"), name="B's"
    )
    data = {"title": "X", "kind": "social_post", "channel": "facebook_post", "activity": other.pk}
    assert amy.post("/w/alpha/work/items/new/", data).status_code == 400
    assert WorkItem.objects.count() == before
    assert (
        client_for(world.people["vera"]).post("/w/alpha/work/items/new/", data).status_code == 403
    )


def test_agency_sees_only_activities_it_holds_a_role_in(world: Any, raci: dict[str, Any]) -> None:
    alice, amy = client_for(world.people["alice"]), client_for(world.people["amy"])
    create(alice, raci["secret"], title="Price rise memo", publish_at="2026-09-10T09:00")
    create(alice, raci["social"], title="Mooncake post", publish_at="2026-09-10T10:00")
    secret = WorkItem.objects.get(title="Price rise memo")
    month = amy.get("/w/alpha/work/?d=2026-09-01").content.decode()
    assert "Mooncake post" in month and "Price rise memo" not in month
    assert amy.get(f"/w/alpha/work/items/{secret.pk}/").status_code == 404
    assert move(amy, secret, "start").status_code == 404
    assert "Price rise memo" in alice.get("/w/alpha/work/?d=2026-09-01").content.decode()
    # Named on the item: then they see it.
    ItemRole.objects.create(
        workspace=world.a, item=secret, membership=world.member("amy"), role="C"
    )
    assert amy.get(f"/w/alpha/work/items/{secret.pk}/").status_code == 200
    # Or the workspace lets external teams see all work.
    ItemRole.objects.all().delete()
    change_settings(world.a, world.people["alice"], external_can_see_all_work=True)
    assert "Price rise memo" in amy.get("/w/alpha/work/?d=2026-09-01").content.decode()


def test_calendar_marks_holidays_and_reschedules(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], publish_at="2026-09-20T12:00")
    page = amy.get("/w/alpha/work/?d=2026-09-01").content.decode()
    assert 'data-day="2026-09-25"' in page
    assert "Mid-Autumn" in page  # 中秋節 2026-09-25, in English for workspace A
    item.refresh_from_db()
    response = amy.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-09-22", "revision": item.revision},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    item.refresh_from_db()
    # 12:00 in Taipei, kept on the new day.
    assert item.publish_at == datetime(2026, 9, 22, 4, 0, tzinfo=UTC)
    stale = amy.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-09-23", "revision": item.revision - 1},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.publish_at.date() == date(2026, 9, 22)
    # The week view shows it on its new day.
    week = amy.get("/w/alpha/work/?view=week&d=2026-09-22").content.decode()
    assert "Mooncake pre-order post" in week


def test_calendar_queries_do_not_grow(
    world: Any,
    raci: dict[str, Any],
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    alice = client_for(world.people["alice"])

    def add(n: int) -> None:
        posts_in_september(world.a, raci["social"], n)

    add(3)
    alice.get("/w/alpha/work/?d=2026-09-01")  # warm the session
    with django_assert_max_num_queries(16) as small:
        page = alice.get("/w/alpha/work/?d=2026-09-01")
    assert page.status_code == 200 and page.content.decode().count('class="item ') == 3
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        page = alice.get("/w/alpha/work/?d=2026-09-01")
    assert page.status_code == 200
    assert page.content.decode().count('class="item ') == 63


def test_checks_run_on_submit_and_mark_the_copy(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], copy="新品視頻上線，下載我們的軟件", channel="x_post")
    move(amy, item, "start")
    assert move(amy, item, "submit", note="Quoted from the client's brief").status_code == 302
    item.refresh_from_db()
    codes = {f["code"] for f in item.checks}
    assert "vocabulary" in codes
    flagged = {item.copy[f["start"] : f["end"]] for f in item.checks if f["code"] == "vocabulary"}
    assert {"視頻", "軟件"} <= flagged
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "<mark" in page and ">視頻</mark>" in page
    # On demand too, after a fix (the copy is edited while in review: it stays in review).
    data = {
        "title": item.title,
        "kind": item.kind,
        "activity": item.activity_id,
        "channel": "x_post",
        "brief": "",
        "copy": "新品影片上線，下載我們的軟體",
        "publish_at": "2026-09-20T12:00",
        "revision": item.revision,
    }
    assert amy.post(f"/w/alpha/work/items/{item.pk}/", data).status_code == 302
    assert amy.post(f"/w/alpha/work/items/{item.pk}/check/").status_code == 302
    item.refresh_from_db()
    assert not [f for f in item.checks if f["code"] == "vocabulary"]
    assert 'id="checks-ok"' in amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()


def test_scheduling_on_a_holiday_warns(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], publish_at="2026-09-20T12:00")
    item.refresh_from_db()
    response = amy.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-09-25", "revision": item.revision},
        follow=True,
    )
    page = response.content.decode()
    assert "2026-09-25 is a public holiday (Mid-Autumn" in page
    item.refresh_from_db()
    assert item.publish_at == datetime(2026, 9, 25, 4, 0, tzinfo=UTC)
    # An ordinary Tuesday: no warning.
    response = amy.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-09-22", "revision": item.revision},
        follow=True,
    )
    assert "public holiday" not in response.content.decode()


def test_a_consulted_person_cannot_approve(world: Any, raci: dict[str, Any]) -> None:
    amy, maya = client_for(world.people["amy"]), client_for(world.people["maya"])
    item = create(amy, raci["social"])
    ItemRole.objects.create(workspace=world.a, item=item, membership=world.member("maya"), role="C")
    move(amy, item, "start")
    move(amy, item, "submit")
    assert Notification.objects.filter(
        item=item, kind="review_request", recipient=world.people["maya"]
    ).exists()  # C gets a review request
    page = maya.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert 'data-action="approve"' not in page
    assert move(maya, item, "approve").status_code == 403
    assert (
        maya.post(f"/w/alpha/work/items/{item.pk}/comment/", {"body": "價格要含稅嗎？"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.state == "in_review" and item.comments.count() == 1


def test_workspace_content_rules(world: Any, raci: dict[str, Any]) -> None:
    alice, amy = client_for(world.people["alice"]), client_for(world.people["amy"])
    page = alice.get("/w/alpha/work/rules/").content.decode()
    assert 'data-kind="medical"' in page and "not legal advice" in page
    # Not set yet: the rule to name is unknown and built-in claims are warnings.
    medical = page.split('data-kind="medical"')[1].split("</li>")[0]
    assert "sev-warning" in medical and "say what the product is" in medical
    data = {
        "checks": ["glossary", "risky_claim", "vocabulary"],
        "product_category": "food",
        "glossary": "LINE 官方帳號: LINE@, Line 官方帳號",
        "extra_claims": "一週瘦五公斤 | 幫助維持體態",
        "drop_claims": "美白",
        "disclosure_words": "廣告, 合作",
        "utm_exempt_domains": "alpha.example",
        "instagram_hashtag_limit": "5",
    }
    # The agency may read the rules but not change them.
    assert amy.post("/w/alpha/work/rules/", data).status_code == 403
    assert alice.post("/w/alpha/work/rules/", data).status_code == 302
    item = create(amy, raci["social"], copy="加入 LINE@ 領券，一週瘦五公斤還能美白")
    assert amy.post(f"/w/alpha/work/items/{item.pk}/check/").status_code == 302
    item.refresh_from_db()
    found = {(f["code"], item.copy[f["start"] : f["end"]]) for f in item.checks}
    assert ("glossary", "LINE@") in found
    assert ("risky_claim", "一週瘦五公斤") in found
    assert not any(text == "美白" for _code, text in found)  # dropped for this workspace
    page = alice.get("/w/alpha/work/rules/").content.decode()
    medical = page.split('data-kind="medical"')[1].split("</li>")[0]
    assert "sev-error" in medical and "art. 28(2)" in medical  # food: 食安法 §28(2)
    assert 'data-claim="一週瘦五公斤"' in page
    assert AuditEvent.objects.filter(action="work.rules_changed").count() == 1
    # A bad value: nothing saved.
    bad = alice.post("/w/alpha/work/rules/", data | {"instagram_hashtag_limit": "-1"})
    assert bad.status_code == 400
    page = alice.get("/w/alpha/work/rules/").content.decode()
    assert "LINE 官方帳號: LINE@, Line 官方帳號" in page


def test_roles_overridden_per_item(world: Any, raci: dict[str, Any]) -> None:
    amy, alice = client_for(world.people["amy"]), client_for(world.people["alice"])
    item = create(amy, raci["social"])
    maya, vera = world.member("maya"), world.member("vera")
    # The R (agency member) may not change who approves.
    assert amy.post(f"/w/alpha/work/items/{item.pk}/roles/", {"A": [maya.pk]}).status_code == 403
    assert not ItemRole.objects.exists()
    response = alice.post(f"/w/alpha/work/items/{item.pk}/roles/", {"A": [maya.pk], "I": [vera.pk]})
    assert response.status_code == 302
    page = alice.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "<dt>A</dt><dd>Maya 黃</dd>" in page and "<dt>I</dt><dd>Vera 蔡</dd>" in page
    assert "<dt>R</dt><dd>Adam 張、Amy 李</dd>" in page  # R still from the matrix
    # Maya now approves; Mike (A by the matrix) no longer can.
    move(amy, item, "start")
    move(amy, item, "submit")
    assert move(client_for(world.people["mike"]), item, "approve").status_code == 403
    assert move(client_for(world.people["maya"]), item, "approve").status_code == 302
    # Someone of another workspace cannot be named; nothing changes.
    charlie = Membership.objects.get(user=world.people["charlie"])
    bad = alice.post(f"/w/alpha/work/items/{item.pk}/roles/", {"A": [charlie.pk]})
    assert bad.status_code == 302
    assert set(ItemRole.objects.values_list("role", "membership_id")) == {
        ("A", maya.pk),
        ("I", vera.pk),
    }
    # Empty letters: the matrix again.
    assert alice.post(f"/w/alpha/work/items/{item.pk}/roles/", {}).status_code == 302
    assert not ItemRole.objects.exists()
    assert AuditEvent.objects.filter(action="work.roles_changed").count() == 2


def test_the_item_page_writes_several_letters_as_the_matrix_does(
    world: Any, raci: dict[str, Any]
) -> None:
    mike = client_for(world.people["mike"])
    item = create(client_for(world.people["amy"]), raci["social"])
    ItemRole.objects.create(workspace=world.a, item=item, membership=world.member("mike"), role="I")
    page = mike.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "You are A/I on this item." in page  # not "AI"
