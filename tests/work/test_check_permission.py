"""Running the content checks stores findings with the item: a write, so viewers may not."""

from typing import Any

from crewplan.work.models import WorkItem
from tests.factories import client_for, create


def test_viewer_cannot_rerun_checks(world: Any, raci: dict[str, Any]) -> None:
    item = create(client_for(world.people["amy"]), raci["social"])
    WorkItem.objects.filter(pk=item.pk).update(checks=[{"code": "kept"}], checked_at=None)
    vera = client_for(world.people["vera"])
    assert vera.post(f"/w/alpha/work/items/{item.pk}/check/").status_code == 403
    item.refresh_from_db()
    assert item.checks == [{"code": "kept"}] and item.checked_at is None
    assert 'id="run-checks"' not in vera.get(f"/w/alpha/work/items/{item.pk}/").content.decode()


def test_member_reruns_checks(world: Any, raci: dict[str, Any]) -> None:
    item = create(client_for(world.people["amy"]), raci["social"])
    WorkItem.objects.filter(pk=item.pk).update(checks=[{"code": "kept"}], checked_at=None)
    maya = client_for(world.people["maya"])
    assert 'id="run-checks"' in maya.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert maya.post(f"/w/alpha/work/items/{item.pk}/check/").status_code == 302
    item.refresh_from_db()
    assert item.checked_at is not None and {"code": "kept"} not in item.checks
