"""A version's actuals come from imported spend (media lines with a channel) and from
expenses (any line, and its copies in later versions), exactly and never twice."""

from datetime import date
from decimal import Decimal
from typing import Any

from crewplan.measure.actuals import fiscal_months, split_exactly, version_actuals
from crewplan.measure.models import Campaign, Channel, DailyMetric, Expense, Import
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import BudgetLine
from tests.factories import summarize

D = Decimal


def line(
    version: Any, actor: Any, item: str, category: str, channel: Any, months: dict[int, int]
) -> BudgetLine:
    amounts = {f"m{m:02d}": D(months.get(m, 0)) for m in range(1, 13)}
    return budget_services.line_save(
        version=version,
        actor=actor,
        data={"item": item, "category": category, "channel": channel, "committed": D(0), **amounts},
    )


def spend(ws: Any, channel: Channel, day: date, amount_x100: int, source: Import) -> None:
    campaign, _ = Campaign.objects.get_or_create(workspace=ws, channel=channel, name="c")
    DailyMetric.objects.create(
        workspace=ws,
        day=day,
        channel=channel,
        campaign=campaign,
        spend_x100=amount_x100,
        source=source,
    )
    summarize(ws)  # as an import sums its rows per channel and day


def test_fiscal_months_start_at_the_workspaces_month() -> None:
    months = fiscal_months(2026, 4)
    assert months[0] == date(2026, 4, 1) and months[9] == date(2027, 1, 1)
    assert months[-1] == date(2027, 3, 1)


def test_split_exactly_adds_up_and_follows_the_weights() -> None:
    assert split_exactly(100, [D(1), D(1), D(1)]) == [34, 33, 33]
    assert split_exactly(1001, [D(3), D(1)]) == [751, 250]
    assert split_exactly(7, [D(0), D(0)]) == [4, 3]  # nothing planned: equal parts


def test_media_spend_and_expenses_per_fiscal_month(world: Any) -> None:
    ws, alice = world.a, world.people["alice"]
    meta = Channel.objects.get(workspace=ws, name="Meta")  # a default channel
    source = Import.objects.create(workspace=ws, file_name="f.csv", checksum="x", layout="generic")
    version = budget_services.version_create(workspace=ws, actor=alice, fiscal_year=2026, name="v1")
    awareness = line(version, alice, "Meta awareness", "media", meta, {1: 3000})
    sales = line(version, alice, "Meta sales", "media", meta, {1: 1000})
    training = line(version, alice, "Class", "training", None, {2: 500})
    spend(ws, meta, date(2026, 1, 3), 100_001, source)  # fiscal month 1 (January start)
    spend(ws, meta, date(2026, 1, 20), 99_999, source)
    spend(ws, meta, date(2027, 1, 5), 55_500, source)  # another fiscal year
    Expense.objects.create(workspace=ws, line=training, day=date(2026, 2, 14), amount=D("480.50"))
    Expense.objects.create(workspace=ws, line=training, day=date(2025, 12, 31), amount=D(99))

    actuals = version_actuals(version)
    # 2,000.00 spent on Meta in January, shared 3:1 as the lines plan it.
    assert actuals.of(awareness.pk)[0] == D("1500.00")
    assert actuals.of(sales.pk)[0] == D("500.00")
    assert actuals.total(awareness.pk) + actuals.total(sales.pk) == D("2000.00")
    assert actuals.of(training.pk)[1] == D("480.50") and actuals.total(training.pk) == D("480.50")
    assert actuals.shared_channel == {awareness.pk, sales.pk}

    # A re-forecast's copy of the line counts the expenses booked on the original.
    copy = budget_services.version_create(
        workspace=ws, actor=alice, fiscal_year=2026, name="v2", based_on=version
    )
    copied = BudgetLine.objects.get(version=copy, item="Class")
    assert version_actuals(copy).total(copied.pk) == D("480.50")


def test_other_workspaces_spend_never_counts(world: Any) -> None:
    alice, charlie = world.people["alice"], world.people["charlie"]
    mine = Channel.objects.get(workspace=world.a, name="Meta")
    theirs = Channel.objects.get(workspace=world.b, name="Meta")
    source = Import.objects.create(
        workspace=world.b, file_name="f.csv", checksum="x", layout="generic"
    )
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="v1"
    )
    ads = line(version, alice, "Ads", "media", mine, {1: 100})
    spend(world.b, theirs, date(2026, 1, 3), 500_00, source)
    assert charlie is not None and version_actuals(version).total(ads.pk) == 0
