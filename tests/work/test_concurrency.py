"""No lost updates on work items: the edit form, the workflow buttons and drag-to-
reschedule all post the item's revision; a stale one is refused naming what changed, a
missing or non-integer one is a clear form error, never a skipped check or a 500."""

from typing import Any

import pytest

from crewplan.audit.models import AuditEvent
from crewplan.audit.services import Conflict
from crewplan.work import services
from crewplan.work.models import WorkItem
from tests.factories import client_for, create

OUT_OF_DATE = "This form is incomplete or out of date. Reload the page"


def form_of(item: WorkItem, **changes: Any) -> dict[str, Any]:
    item.refresh_from_db()
    data = {
        "title": item.title,
        "kind": item.kind,
        "activity": item.activity_id,
        "channel": item.channel,
        "brief": item.brief,
        "copy": item.copy,
        "publish_at": "2026-09-20T12:00",
        "revision": item.revision,
    }
    return data | changes


def test_a_stale_item_form_names_what_changed_and_keeps_the_typing(
    world: Any, raci: dict[str, Any]
) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    url = f"/w/alpha/work/items/{item.pk}/"
    amy_form, mike_form = form_of(item), form_of(item)  # both opened the page
    assert f'name="revision" value="{item.revision}"' in mike.get(url).content.decode()
    saved = amy.post(url, amy_form | {"title": "Mooncake pre-order, 300 boxes"})
    assert saved.status_code == 302
    audited = AuditEvent.objects.filter(action="work.item_saved").count()

    stale = mike.post(url, mike_form | {"brief": "Mention the coupon"})
    assert stale.status_code == 400
    message = stale.context["form"].non_field_errors()[0]
    assert "Someone else saved the work item since you opened it: title changed." in message
    assert "Mention the coupon" in stale.content.decode()
    item.refresh_from_db()
    assert item.title == "Mooncake pre-order, 300 boxes" and item.brief == ""
    assert AuditEvent.objects.filter(action="work.item_saved").count() == audited

    # Reloaded, the same change saves.
    resaved = mike.post(url, form_of(item, brief="Mention the coupon"))
    assert resaved.status_code == 302
    item.refresh_from_db()
    assert item.brief == "Mention the coupon" and item.title == "Mooncake pre-order, 300 boxes"


def test_a_workflow_step_on_a_stale_page_names_the_status(world: Any, raci: dict[str, Any]) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    url = f"/w/alpha/work/items/{item.pk}/"
    mike_form = form_of(item)
    assert (
        amy.post(f"{url}move/", {"action": "start", "revision": item.revision}).status_code == 302
    )
    stale = mike.post(url, mike_form | {"title": "Other"})
    assert stale.status_code == 400
    assert "since you opened it: status changed." in stale.context["form"].non_field_errors()[0]


@pytest.mark.parametrize("revision", [None, "", "abc", "0", "2.5"])
def test_an_item_form_without_a_valid_revision_is_a_form_error(
    world: Any, raci: dict[str, Any], revision: str | None
) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    data = form_of(item, title="Changed")
    del data["revision"]
    if revision is not None:
        data["revision"] = revision
    response = amy.post(f"/w/alpha/work/items/{item.pk}/", data)
    assert response.status_code == 400  # was a 500 for "abc"; skipped the check for ""
    assert OUT_OF_DATE in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Mooncake pre-order post" and item.revision == 1


@pytest.mark.parametrize("revision", [None, "", "abc", "0"])
def test_a_workflow_step_without_a_valid_revision_moves_nothing(
    world: Any, raci: dict[str, Any], revision: str | None
) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    data = {"action": "start"} | ({} if revision is None else {"revision": revision})
    response = amy.post(f"/w/alpha/work/items/{item.pk}/move/", data, follow=True)
    assert OUT_OF_DATE in " ".join(str(m) for m in response.context["messages"])
    item.refresh_from_db()
    assert item.state == "idea" and item.revision == 1


@pytest.mark.parametrize("revision", [None, "", "abc"])
def test_a_drag_without_a_valid_revision_is_a_400(
    world: Any, raci: dict[str, Any], revision: str | None
) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    data = {"day": "2026-09-22"} | ({} if revision is None else {"revision": revision})
    response = amy.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/", data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and OUT_OF_DATE in response.content.decode()
    item.refresh_from_db()
    assert item.publish_at.date().isoformat() == "2026-09-20"


def test_a_stale_drag_names_what_changed(world: Any, raci: dict[str, Any]) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    seen = item.revision
    assert (
        amy.post(f"/w/alpha/work/items/{item.pk}/", form_of(item, title="New")).status_code == 302
    )
    response = mike.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-09-22", "revision": seen},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "since you opened it: title changed." in response.content.decode()
    item.refresh_from_db()
    assert item.publish_at.date().isoformat() == "2026-09-20"


def test_the_services_never_skip_the_check(world: Any, raci: dict[str, Any]) -> None:
    """A revision of 0 used to mean "don't check"; now every write compares."""
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    membership = world.member("amy")
    with pytest.raises(Conflict):
        services.item_move(item=item, membership=membership, action="start", revision=0)
    with pytest.raises(Conflict):
        services.item_update(item=item, membership=membership, revision=0, data={"title": "X"})
    with pytest.raises(Conflict):
        services.item_reschedule(
            item=item, membership=membership, day=item.publish_at.date(), revision=0
        )
    item.refresh_from_db()
    assert (item.state, item.title, item.revision) == ("idea", "Mooncake pre-order post", 1)
