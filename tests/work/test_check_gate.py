"""Failed content checks stop approval (issue 10): copy with ERROR findings is submitted
only with the R's note explaining them, and approved, scheduled or published only with an
approver's override and its reason; the service computes the findings of the current copy
itself, so a stale stored finding or a caller that skips the page decides nothing."""

from typing import Any

import pytest
from django.utils import timezone

from crewplan.audit.models import AuditEvent
from crewplan.work import services
from crewplan.work.models import Notification, Transition, WorkItem
from crewplan.work.workflow import TransitionRefused
from tests.factories import client_for, move

MAINLAND = "新品視頻上線！中秋禮盒限時預購"  # 視頻: a vocabulary error
FIXED = "新品影片上線！中秋禮盒限時預購"
CLEAN = "中秋月餅預購開跑！"


def make(world: Any, raci: dict[str, Any], copy: str = MAINLAND, **fields: Any) -> WorkItem:
    """An item the agency's Amy (R of Social posts) has started drafting."""
    amy = world.member("amy")
    item = services.item_create(
        workspace=world.a,
        membership=amy,
        data={
            "title": "Mooncake pre-order post",
            "activity": raci["social"],
            "channel": fields.pop("channel", "x_post"),
            "copy": copy,
            **fields,
        },
    )
    services.item_move(item=item, membership=amy, action="start", revision=item.revision)
    return item


def step(world: Any, item: WorkItem, who: str, action: str, **gate: Any) -> WorkItem:
    item.refresh_from_db()
    return services.item_move(
        item=item, membership=world.member(who), action=action, revision=item.revision, **gate
    )


def refused(world: Any, item: WorkItem, who: str, action: str, **gate: Any) -> str:
    """The refusal code, after checking that the refusal changed nothing."""
    item.refresh_from_db()
    state, revision = item.state, item.revision
    counts = (Transition.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    with pytest.raises(TransitionRefused) as refusal:
        step(world, item, who, action, **gate)
    item.refresh_from_db()
    assert (item.state, item.revision) == (state, revision)
    assert counts == (
        Transition.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )
    return refusal.value.code


def moved_event(item: WorkItem) -> AuditEvent:
    return AuditEvent.objects.filter(action="work.item_moved", target_id=str(item.pk)).latest("pk")


def error_codes(item: WorkItem) -> set[str]:
    item.refresh_from_db()
    return {f["code"] for f in item.checks if f["severity"] == "error"}


def test_submitting_copy_with_errors_needs_the_r_note(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci)
    assert refused(world, item, "amy", "submit") == "errors_need_note"
    assert refused(world, item, "amy", "submit", note="   ") == "errors_need_note"
    assert error_codes(item) == {"vocabulary"}  # the page shows why

    step(world, item, "amy", "submit", note="  視頻 is in the client's product name  ")
    assert item.state == "in_review"
    submitted = Transition.objects.get(item=item, action="submit")
    assert submitted.note == "視頻 is in the client's product name"
    assert submitted.check_errors == ["vocabulary"]
    after = moved_event(item).after
    assert after["check_errors"] == ["vocabulary"] and after["override"] is False
    assert after["note"] == "視頻 is in the client's product name"
    # The A and C are asked to review, as for any submit.
    assert Notification.objects.filter(item=item, kind="review_request").exists()


def test_clean_copy_moves_without_writing_anything(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci, copy=FIXED)
    for who, action in (("amy", "submit"), ("mike", "approve"), ("amy", "schedule")):
        step(world, item, who, action)
    step(world, item, "amy", "publish")
    assert item.state == "published"
    assert not Transition.objects.filter(item=item).exclude(check_errors=[]).exists()
    assert "check_errors" not in moved_event(item).after


def test_approving_scheduling_publishing_need_an_override(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci)
    step(world, item, "amy", "submit", note="The client insists")
    assert refused(world, item, "mike", "approve") == "errors_need_override"
    assert refused(world, item, "mike", "approve", note="Fine") == "errors_need_override"
    assert refused(world, item, "mike", "approve", override=True) == "errors_need_override"
    # The R cannot approve either way.
    assert refused(world, item, "amy", "approve", note="x", override=True) == "not_accountable"

    step(world, item, "mike", "approve", note="Brand name, legal agreed", override=True)
    assert item.state == "approved"
    approved = Transition.objects.get(item=item, action="approve")
    assert (approved.note, approved.check_errors) == (
        "Brand name, legal agreed",
        ["vocabulary"],
    )
    event = moved_event(item)
    assert event.actor == world.people["mike"]
    assert event.after == {
        "state": "approved",
        "action": "approve",
        "note": "Brand name, legal agreed",
        "check_errors": ["vocabulary"],
        "override": True,
    }

    # Schedule and publish: the R may not carry copy with errors forward, the A may with
    # the override; each step on its own.
    gate = {"note": "x", "override": True}
    assert refused(world, item, "amy", "schedule", **gate) == "override_not_approver"
    assert refused(world, item, "mike", "schedule") == "errors_need_override"
    step(world, item, "mike", "schedule", note="Launch is fixed", override=True)
    assert refused(world, item, "amy", "publish", **gate) == "override_not_approver"
    assert refused(world, item, "mike", "publish", note="Go") == "errors_need_override"
    step(world, item, "mike", "publish", note="Go", override=True)
    assert item.state == "published"
    assert list(
        Transition.objects.filter(item=item).exclude(check_errors=[]).values_list("action", "note")
    ) == [
        ("submit", "The client insists"),
        ("approve", "Brand name, legal agreed"),
        ("schedule", "Launch is fixed"),
        ("publish", "Go"),
    ]


def test_stepping_back_needs_no_reason(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci)
    step(world, item, "amy", "submit", note="Explained")
    step(world, item, "amy", "withdraw")
    step(world, item, "amy", "submit", note="Explained again")
    step(world, item, "mike", "request_changes", note="Fix 視頻")
    assert item.state == "changes_requested"


def test_editing_the_copy_reruns_the_checks(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci)
    step(world, item, "amy", "submit", note="Will fix")
    assert error_codes(item) == {"vocabulary"}
    item.refresh_from_db()
    checked = item.checked_at
    services.item_update(
        item=item, membership=world.member("amy"), revision=item.revision, data={"copy": FIXED}
    )
    assert error_codes(item) == set() and item.checked_at > checked
    # Fixing the copy removes the need: the A approves without an override.
    step(world, item, "mike", "approve")
    assert item.state == "approved"
    assert Transition.objects.get(item=item, action="approve").check_errors == []


def test_editing_the_channel_reruns_the_checks(world: Any, raci: dict[str, Any]) -> None:
    long = "中秋禮盒限時預購，手工月餅每盒八入"  # 34 wide: over a Google headline's 30
    item = make(world, raci, copy=long, channel="facebook_post")
    assert error_codes(item) == set()
    item.refresh_from_db()
    services.item_update(
        item=item,
        membership=world.member("amy"),
        revision=item.revision,
        data={"channel": "google_ads_headline"},
    )
    assert error_codes(item) == {"length"}
    assert refused(world, item, "amy", "submit") == "errors_need_note"


def test_a_sponsored_item_without_disclosure_is_an_error(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci, copy=CLEAN, channel="facebook_post", sponsored=True)
    assert error_codes(item) == {"disclosure"}
    assert refused(world, item, "amy", "submit") == "errors_need_note"
    item.refresh_from_db()
    services.item_update(
        item=item,
        membership=world.member("amy"),
        revision=item.revision,
        data={"copy": "#業配 " + CLEAN},
    )
    assert error_codes(item) == set()
    step(world, item, "amy", "submit")
    assert item.state == "in_review"

    # Flagging a clean item as sponsored re-runs the checks too.
    other = make(world, raci, copy=CLEAN, channel="facebook_post")
    assert error_codes(other) == set()
    other.refresh_from_db()
    services.item_update(
        item=other,
        membership=world.member("amy"),
        revision=other.revision,
        data={"sponsored": True},
    )
    assert error_codes(other) == {"disclosure"}
    assert refused(world, other, "amy", "submit") == "errors_need_note"


def test_the_gate_decides_on_the_current_copy_not_the_stored_findings(
    world: Any, raci: dict[str, Any]
) -> None:
    item = make(world, raci)
    # Stored findings that say "clean" (as a bulk write or an old row might) decide nothing.
    WorkItem.objects.filter(pk=item.pk).update(checks=[], checked_at=timezone.now())
    assert refused(world, item, "amy", "submit") == "errors_need_note"
    assert error_codes(item) == {"vocabulary"}  # brought up to the current copy

    # Nor do stored errors the current copy no longer has.
    clean = make(world, raci, copy=FIXED)
    stale = [{"code": "length", "severity": "error", "key": "length", "params": {}}]
    WorkItem.objects.filter(pk=clean.pk).update(checks=stale)
    step(world, clean, "amy", "submit")
    assert clean.state == "in_review" and error_codes(clean) == set()


def test_new_workspace_rules_are_applied_at_the_next_step(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci, copy=FIXED)
    step(world, item, "amy", "submit")
    services.rules_save(
        workspace=world.a,
        actor=world.people["alice"],
        rules={"glossary": [{"preferred": "禮盒組", "forbidden": ["禮盒"]}]},
    )
    assert refused(world, item, "mike", "approve") == "errors_need_override"
    assert error_codes(item) == {"glossary"}


# The item page: the fields next to the buttons, in both languages, without JavaScript.


def _form_of(page: str, action: str) -> str:
    end = page.index(f'data-action="{action}"')
    return page[page.rindex("<form", 0, end) : end]


def test_the_page_asks_for_the_note_and_the_override(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci)
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert 'id="gate-notice"' in page
    submit = _form_of(page, "submit")
    assert "Explain the errors (required)" in submit
    assert '<textarea name="note"' in submit and "required" in submit
    assert 'name="override"' not in submit

    # Without the note: refused with the reason, in the reader's language; nothing moved.
    response = move(amy, item, "submit")
    assert response.status_code == 400
    assert "explain them in a note to submit for review" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "drafting"
    amy.post("/accounts/language/", {"language": "zh-hant"})
    response = move(amy, item, "submit")
    assert response.status_code == 400
    text = response.content.decode()
    assert "內容檢查發現這份文案有錯誤：請先修正，或在備註中說明原因後再送審。" in text
    assert "說明這些錯誤（必填）" in text

    assert move(amy, item, "submit", note="客戶指定用語").status_code == 302
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert 'data-gate="note"' in history and "有錯誤仍送審：用語" in history
    assert "客戶指定用語" in history

    # The A: an override box and its reason; the typed reason is kept when refused.
    page = mike.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    approve = _form_of(page, "approve")
    assert "Reason for overriding the errors (required)" in approve
    assert 'type="checkbox" name="override"' in approve and "Override the errors" in approve
    response = move(mike, item, "approve", note="Brand term")
    assert response.status_code == 400
    text = response.content.decode()
    assert "tick “Override the errors” and give your reason" in text
    assert ">Brand term</textarea>" in _form_of(text, "approve")
    assert move(mike, item, "approve", note="Brand term", override="on").status_code == 302
    item.refresh_from_db()
    assert item.state == "approved"
    page = mike.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert 'data-gate="override"' in history and "errors overridden: Vocabulary" in history
    assert "Brand term" in history

    # The R sees no schedule or publish button for copy with errors, and a forged
    # request is refused: only an approver may carry the errors on.
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert 'data-action="publish"' not in page and 'data-action="schedule"' not in page
    response = move(amy, item, "publish", note="x", override="on")
    assert response.status_code == 403
    assert "只有不是這項工作負責人（R）的當責（A）可以略過錯誤並發布" in response.content.decode()
    mike.post("/accounts/language/", {"language": "zh-hant"})
    page = mike.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    publish = _form_of(page, "publish")
    assert "略過錯誤的理由（必填）" in publish and "略過錯誤" in publish
    history = page[page.index('id="history"') :]
    assert "已略過錯誤：用語" in history


def test_clean_copy_shows_no_gate_fields(world: Any, raci: dict[str, Any]) -> None:
    item = make(world, raci, copy=FIXED)
    page = client_for(world.people["amy"]).get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert 'id="gate-notice"' not in page
    assert "Explain the errors" not in page and 'name="override"' not in page
