"""Money in the audit log of changes that are not otherwise about money (workspace
settings): hidden field by field from those who may not see budget amounts."""

from decimal import Decimal
from typing import Any

from tests.factories import change_settings, client_for


def change_money_settings(world: Any) -> None:
    change_settings(
        world.a,
        world.people["alice"],
        budget_training_per_seat=Decimal(24680),
        raci_max_consulted=4,
    )


def test_agency_manager_sees_the_settings_change_but_not_the_amount(world: Any) -> None:
    change_money_settings(world)
    page = client_for(world.people["adam"]).get("/w/alpha/audit/").content.decode()
    # The fields by their labels (audit/labels.py), not their names.
    assert "RACI: most parties consulted on one activity" in page
    assert "Budget check: training needed per seat whose user is not yet able" in page
    assert "raci_max_consulted" not in page and "budget_training_per_seat" not in page
    assert "24680" not in page and "3000" not in page  # neither after nor before
    assert "(amount hidden)" in page


def test_in_house_manager_sees_the_amount(world: Any) -> None:
    change_money_settings(world)
    page = client_for(world.people["mike"]).get("/w/alpha/audit/").content.decode()
    assert "24680" in page and "(amount hidden)" not in page


def test_agency_sees_the_amount_when_the_owner_allows_it(world: Any) -> None:
    change_money_settings(world)
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    page = client_for(world.people["adam"]).get("/w/alpha/audit/").content.decode()
    assert "24680" in page
