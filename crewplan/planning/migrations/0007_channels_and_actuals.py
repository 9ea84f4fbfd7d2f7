"""Budget lines name a channel of the workspace instead of a free text, and their actual
comes from imported spend and recorded expenses instead of a typed number.

Forward: every workspace's distinct channel texts become `measure.Channel` rows (the kind
guessed from the name, editable later), each line points to its channel; a typed actual
becomes one expense on the line, so no spent money disappears; lines of one fiscal year
with the same category and item (the first with the first, …) share one `key` (their expenses count for every version).
Backward: the channel's name goes back into the text and a line's expenses are summed
into `actual`."""

import uuid
import zoneinfo
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

ORGANIC_WORDS = ("seo", "organic", "自然", "搜尋引擎最佳化")
OWNED_WORDS = ("e-mail", "email", "newsletter", "電子報", "line oa", "line 官方", "官網", "blog")
TYPED_ACTUAL_NOTE = "原手動輸入的實際支出 / actual typed in by hand before expenses were recorded"


def kind_of(name: str) -> str:
    folded = name.casefold()
    if any(w in folded for w in ORGANIC_WORDS):
        return "organic"
    if any(w in folded for w in OWNED_WORDS):
        return "owned"
    return "paid"


def forward(apps: Any, schema_editor: Any) -> None:
    BudgetLine = apps.get_model("planning", "BudgetLine")
    Channel = apps.get_model("measure", "Channel")
    Expense = apps.get_model("measure", "Expense")
    channels: dict[tuple[int, str], Any] = {}
    keys: dict[tuple[int, int, str, str, int], uuid.UUID] = {}
    seen: dict[tuple[int, str, str], int] = defaultdict(int)  # twins within one version
    lines = BudgetLine.objects.select_related("version", "version__workspace").order_by("pk")
    for line in lines:
        nth = seen[(line.version_id, line.category, line.item)]
        seen[(line.version_id, line.category, line.item)] += 1
        group = (line.workspace_id, line.version.fiscal_year, line.category, line.item, nth)
        line.key = keys.setdefault(group, uuid.uuid4())
        name = line.channel_text.strip()
        if name:
            found = channels.get((line.workspace_id, name.casefold()))
            if found is None:
                found = Channel.objects.create(
                    workspace_id=line.workspace_id,
                    name=name,
                    kind=kind_of(name),
                    position=len([k for k in channels if k[0] == line.workspace_id]),
                )
                channels[(line.workspace_id, name.casefold())] = found
            line.channel = found
        line.save(update_fields=["key", "channel"])
        if line.actual:
            start = line.version.workspace.fiscal_year_start_month
            first = date(line.version.fiscal_year, start, 1)
            zone = zoneinfo.ZoneInfo(line.version.workspace.time_zone)
            made = line.version.created_at.astimezone(zone).date()
            last = date(first.year + 1, first.month, 1).replace(day=1)
            day = min(max(made, first), date.fromordinal(last.toordinal() - 1))
            Expense.objects.create(
                workspace_id=line.workspace_id,
                line=line,
                day=day,
                amount=line.actual,
                note=TYPED_ACTUAL_NOTE,
            )


def backward(apps: Any, schema_editor: Any) -> None:
    BudgetLine = apps.get_model("planning", "BudgetLine")
    Expense = apps.get_model("measure", "Expense")
    spent: dict[int, Decimal] = defaultdict(Decimal)
    for line_id, amount in Expense.objects.values_list("line_id", "amount"):
        spent[line_id] += amount
    for line in BudgetLine.objects.select_related("channel"):
        line.channel_text = line.channel.name if line.channel else ""
        line.actual = spent.get(line.pk, Decimal(0))
        line.save(update_fields=["channel_text", "actual"])


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_copy_budget_settings_from_workspaces"),
        ("measure", "0001_channels_metrics_imports"),
    ]

    operations = [
        migrations.RenameField("budgetline", "channel", "channel_text"),
        migrations.AddField(
            model_name="budgetline",
            name="channel",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="measure.channel",
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            model_name="budgetline",
            name="key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.AlterField(
            model_name="budgetline",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.RemoveField("budgetline", "channel_text"),
        migrations.RemoveField("budgetline", "actual"),
        migrations.AddField(
            model_name="aitool",
            name="channels",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="measure.channel", verbose_name="channels"
            ),
        ),
    ]
