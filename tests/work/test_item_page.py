"""What the item page (and the calendar's drawer, the same fragment) tells a new user
(issue 10): the dates its inputs hold in any language, who approves when the matrix gives
the A to a team, and a person's several letters written as the matrix writes them."""

from typing import Any

from crewplan.work.models import ItemRole
from tests.factories import client_for, create


def test_date_inputs_hold_iso_dates_in_chinese(world: Any, raci: dict[str, Any]) -> None:
    """A date input takes yyyy-mm-dd whatever the language; zh-Hant's own format
    (2026/12/10) left the reschedule field empty."""
    alice = client_for(world.people["alice"])
    item = create(alice, raci["social"], publish_at="2026-12-10T12:00", due_on="2026-12-08")
    alice.post("/accounts/language/", {"language": "zh-hant"})
    page = alice.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "改期" in page  # the Chinese page
    reschedule = page.split('id="reschedule-form"')[1].split("</form>")[0]
    assert 'type="date" name="day" value="2026-12-10"' in reschedule
    assert 'name="due_on" value="2026-12-08"' in page
    assert 'name="publish_at" value="2026-12-10T12:00"' in page
    assert "2026/12/10" not in page and "2026/12/08" not in page
    # And the value posted back is read.
    item.refresh_from_db()
    moved = alice.post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "2026-12-11", "revision": item.revision},
    )
    assert moved.status_code == 302
    item.refresh_from_db()
    assert (
        item.publish_at is not None and item.publish_at.isoformat() == "2026-12-11T04:00:00+00:00"
    )


def test_a_team_accountable_is_one_voice(world: Any, raci: dict[str, Any]) -> None:
    """The matrix gives Social posts' A to the in-house team: the item names that team
    and who in it may approve (its owner and manager), not two Accountables."""
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert (
        '<dt>A</dt><dd><span class="role-team">Alpha In-house 甲行銷</span> '
        '<small class="approvers">(approves: Alice 王 or Mike 林)</small></dd>'
    ) in page
    assert "<dt>R</dt><dd>Adam 張、Amy 李</dd>" in page  # R, C, I: the people, as before
    drawer = amy.get(f"/w/alpha/work/items/{item.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "(approves: Alice 王 or Mike 林)" in drawer and "<html" not in drawer

    amy.post("/accounts/language/", {"language": "zh-hant"})
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert (
        'Alpha In-house 甲行銷</span> <small class="approvers">（核准人：Alice 王或Mike 林）'
        in page
    )

    # A person named on the item for A replaces the team: that person alone.
    ItemRole.objects.create(workspace=world.a, item=item, membership=world.member("maya"), role="A")
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "<dt>A</dt><dd>Maya 黃</dd>" in page and "核准人" not in page


def test_several_letters_read_as_in_the_matrix_on_the_page_and_in_the_drawer(
    world: Any, raci: dict[str, Any]
) -> None:
    mike = client_for(world.people["mike"])
    item = create(client_for(world.people["amy"]), raci["social"])
    ItemRole.objects.create(workspace=world.a, item=item, membership=world.member("mike"), role="I")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = mike.get(f"/w/alpha/work/items/{item.pk}/", **headers).content.decode()
        assert "You are A/I on this item." in page  # the matrix's R/A way, never "AI"
        assert "You are AI" not in page
