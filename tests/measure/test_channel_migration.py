"""planning 0007: budget lines' channel texts become channels and typed actuals become
expenses, so nothing a workspace entered is lost; backwards, both come back."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("planning", "0006_copy_budget_settings_from_workspaces"), ("measure", None)]


def migrate(targets: list[tuple[str, str | None]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    moved = {app for app, _name in targets}
    # Every other app at its last applied migration: an app whose migrations depend on the
    # moved ones (reallocation on planning 0007) was unapplied with them.
    applied = set(executor.loader.applied_migrations)
    graph = executor.loader.graph
    parents = {p for n in applied for p in graph.node_map[n].parents if p[0] == n[0]}
    others = [n for n in applied if n[0] not in moved and n not in parents]
    return executor.loader.project_state(others + [t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_channel_texts_become_channels_and_actuals_expenses_and_back() -> None:
    try:
        old = migrate(BEFORE)
        Workspace = old.get_model("workspaces", "Workspace")
        Version = old.get_model("planning", "BudgetVersion")
        Line = old.get_model("planning", "BudgetLine")
        ws = Workspace.objects.create(name="W", slug="w", fiscal_year_start_month=4)
        made = datetime(2026, 5, 20, 1, 0, tzinfo=ZoneInfo("Asia/Taipei"))  # 19 May in UTC
        v1 = Version.objects.create(workspace=ws, fiscal_year=2026, number=1, name="v1")
        v1.created_at = made
        v1.save()
        v2 = Version.objects.create(workspace=ws, fiscal_year=2026, number=2, name="v2")
        v2.created_at = made
        v2.save()
        common = {"workspace": ws, "category": "media", "item": "Meta ads"}
        a = Line.objects.create(version=v1, channel="Meta", actual=Decimal("1200.50"), **common)
        b = Line.objects.create(version=v2, channel="meta", actual=Decimal(0), **common)
        seo = Line.objects.create(
            version=v1, workspace=ws, category="consulting", item="SEO audit", channel="SEO"
        )
        plain = Line.objects.create(version=v1, workspace=ws, category="training", item="Class")

        new = migrate()
        Channel = new.get_model("measure", "Channel")
        Expense = new.get_model("measure", "Expense")
        Line = new.get_model("planning", "BudgetLine")
        assert sorted(Channel.objects.values_list("name", "kind")) == [
            ("Meta", "paid"),
            ("SEO", "organic"),
        ]  # "meta" is the same channel as "Meta"
        lines = {ln.pk: ln for ln in Line.objects.select_related("channel")}
        assert lines[a.pk].channel.name == lines[b.pk].channel.name == "Meta"
        assert lines[seo.pk].channel.name == "SEO" and lines[plain.pk].channel is None
        assert lines[a.pk].key == lines[b.pk].key  # the same line in two versions
        assert len({lines[a.pk].key, lines[seo.pk].key, lines[plain.pk].key}) == 3
        expense = Expense.objects.get()
        assert (expense.line_id, expense.amount) == (a.pk, Decimal("1200.50"))
        assert (
            expense.day == made.date()
        )  # in the workspace's zone, inside fiscal 2026 (April 2026 – March 2027)

        back = migrate(BEFORE)
        Line = back.get_model("planning", "BudgetLine")
        restored = {ln.pk: (ln.channel, ln.actual) for ln in Line.objects.all()}
        assert restored[a.pk] == ("Meta", Decimal("1200.50"))
        assert restored[b.pk] == ("Meta", Decimal(0))
        assert restored[plain.pk] == ("", Decimal(0))
    finally:
        migrate()
