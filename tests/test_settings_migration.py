"""The apps' settings moved off Workspace into their own rows: the data migrations copy
every workspace's values into its new rows, and back when migrating backwards."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("workspaces", "0007_membership_revision"),
    ("raci", "0002_revision_for_concurrent_edits"),
    ("planning", "0004_revision_for_concurrent_edits"),
    ("work", "0006_transition_check_errors"),
]

CHOSEN = {
    "external_can_see_budget": True,
    "external_can_see_all_work": True,
    "raci_max_accountable": 12,
    "raci_max_consulted": 5,
    "budget_max_tool_share": Decimal("0.75"),
    "budget_min_reserve_share": Decimal("0.10"),
    "budget_training_per_seat": Decimal(4500),
    "budget_pilot_max_months": 6,
}
ROWS = {
    ("raci", "RaciSettings"): ("raci_max_accountable", "raci_max_consulted"),
    ("planning", "BudgetSettings"): (
        "external_can_see_budget",
        "budget_max_tool_share",
        "budget_min_reserve_share",
        "budget_training_per_seat",
        "budget_pilot_max_months",
    ),
    ("work", "WorkSettings"): ("external_can_see_all_work",),
}


def migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    """Migrate to `targets` (default: every app's latest) and give the models there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_workspaces_settings_move_into_its_apps_rows_and_back() -> None:
    try:
        old = migrate(BEFORE)
        Workspace = old.get_model("workspaces", "Workspace")
        chosen = Workspace.objects.create(name="Chosen", slug="chosen", **CHOSEN)
        plain = Workspace.objects.create(name="Plain", slug="plain")

        new = migrate()
        for (app, model), fields in ROWS.items():
            rows = new.get_model(app, model).objects
            assert rows.count() == 2, model  # one row for every workspace
            saved = rows.get(workspace_id=chosen.pk)
            assert {f: getattr(saved, f) for f in fields} == {f: CHOSEN[f] for f in fields}
            assert rows.get(workspace_id=plain.pk).revision == 1
        assert (
            new.get_model("raci", "RaciSettings")
            .objects.get(workspace_id=plain.pk)
            .raci_max_accountable
            == 8
        )  # the defaults the columns had

        back = migrate(BEFORE)
        restored = back.get_model("workspaces", "Workspace").objects.get(pk=chosen.pk)
        assert {f: getattr(restored, f) for f in CHOSEN} == CHOSEN
    finally:
        migrate()  # the schema the other tests expect (the test's rows are flushed)
