"""Work items need a RACI matrix: the in-house + agency template, plus one activity the
agency holds no role in."""

from typing import Any

import pytest

from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function
from crewplan.raci.queries import team_key
from crewplan.work.models import WorkItem


@pytest.fixture
def raci(world: Any) -> dict[str, Any]:
    """The in-house + agency template (draft: the fallback when nothing is published), and
    one in-house-only activity the agency holds no role in."""
    alice = world.people["alice"]
    draft = raci_services.template_apply(
        workspace=world.a,
        actor=alice,
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    function = Function.objects.get(workspace=world.a, name="Content")
    secret = raci_services.activity_save(
        workspace=world.a,
        actor=alice,
        function=function,
        name="Pricing memo",
        kind="strategy",
        split="",
    )
    raci_services.cell_set(
        version=draft,
        activity=secret,
        party_key=team_key(world.a_in_house.pk),
        text="RA",
        expected="",
        actor=alice,
    )
    return {
        "draft": draft,
        "social": Activity.objects.get(workspace=world.a, name="Social posts"),
        "secret": secret,
    }


def create(client: Any, activity: Activity, **fields: str) -> WorkItem:
    data = {
        "title": "Mooncake pre-order post",
        "kind": "social_post",
        "activity": activity.pk,
        "channel": "facebook_post",
        "brief": "",
        "copy": "中秋月餅預購開跑！",
        "publish_at": "2026-09-20T12:00",
        **fields,
    }
    response = client.post("/w/alpha/work/items/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return WorkItem.objects.latest("pk")


def move(client: Any, item: WorkItem, action: str, **extra: str) -> Any:
    item.refresh_from_db()
    return client.post(
        f"/w/alpha/work/items/{item.pk}/move/",
        {"action": action, "revision": item.revision, **extra},
    )
