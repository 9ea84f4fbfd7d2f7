"""Work items need a RACI matrix: the in-house + agency template, plus one activity the
agency holds no role in."""

from typing import Any

import pytest

from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Function
from crewplan.raci.queries import team_key


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
