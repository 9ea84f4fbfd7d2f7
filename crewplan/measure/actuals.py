"""A budget version's actuals, from the one source of truth: a media line with a channel
spends what that channel's imported figures say, and every line spends its recorded
expenses (booked on it or on its copy in another version of the year: the same `key`).

Several media lines of one version on the same channel share its spend in proportion to
what they plan that month (equally when none plans anything), so the version's total is
the channel's spend exactly, never counted twice. Two queries whatever the amount of
data: one sum per channel and day (of `ChannelDay`, the imported rows summed per channel
and day), one list of the year's expenses."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from crewplan.measure.models import ChannelDay, Expense
from crewplan.planning.models import BudgetLine, BudgetVersion

HUNDREDTH = Decimal("0.01")
ZERO_MONTHS = (Decimal(0),) * 12


def fiscal_months(fiscal_year: int, start_month: int) -> tuple[date, ...]:
    """The first days of the fiscal year's twelve months, in order."""
    return tuple(
        date(fiscal_year + (start_month + i - 1) // 12, (start_month + i - 1) % 12 + 1, 1)
        for i in range(12)
    )


@dataclass
class Actuals:
    """Per line (its primary key): twelve fiscal months of actual spend."""

    by_line: dict[int, tuple[Decimal, ...]] = field(default_factory=dict)
    # Lines sharing one channel's spend with another line of the version: the page says so.
    shared_channel: set[int] = field(default_factory=set)

    def of(self, line_pk: int) -> tuple[Decimal, ...]:
        return self.by_line.get(line_pk, ZERO_MONTHS)

    def total(self, line_pk: int) -> Decimal:
        return sum(self.of(line_pk), Decimal(0))

    def to_date(self, line_pk: int, months: int) -> Decimal:
        """Spent in the first `months` fiscal months."""
        return sum(self.of(line_pk)[:months], Decimal(0))


def split_exactly(total: int, weights: list[Decimal]) -> list[int]:
    """`total` (hundredths) in parts proportional to `weights` that add up to `total`
    exactly: largest remainders get the leftover hundredths. Equal parts without weights."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights)
    shares = [Decimal(total) * w / whole for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def version_actuals(version: BudgetVersion) -> Actuals:
    """What each line of the version has spent per fiscal month (see the module)."""
    workspace = version.workspace
    months = fiscal_months(version.fiscal_year, workspace.fiscal_year_start_month)
    index = {m: i for i, m in enumerate(months)}
    end = date(months[-1].year + (months[-1].month == 12), months[-1].month % 12 + 1, 1)
    lines = list(
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .values_list("pk", "key", "channel_id", "category", *(f"m{m:02d}" for m in range(1, 13)))
    )
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * 12)  # hundredths
    media: dict[int, list[tuple[int, tuple[Decimal, ...]]]] = defaultdict(list)
    for pk, _key, channel_id, category, *amounts in lines:
        if channel_id is not None and category == "media":
            media[channel_id].append((pk, tuple(amounts)))
    if media:
        # Read per channel and day from the summary (at most channels × 366 rows), into
        # months here: a month function would run row by row on SQLite.
        spent = (
            ChannelDay.objects.for_workspace(workspace)
            .filter(channel_id__in=media, day__gte=months[0], day__lt=end)
            .values_list("channel_id", "day")
            .annotate(spend=Sum("spend_x100"))
            .order_by()
        )
        per_month: dict[tuple[int, int], int] = defaultdict(int)
        for channel_id, day, spend in spent:
            per_month[(channel_id, index[day.replace(day=1)])] += int(spend or 0)
        for (channel_id, i), spend in per_month.items():
            sharing = media[channel_id]
            parts = split_exactly(spend, [a[i] for _p, a in sharing])
            for (pk, _amounts), part in zip(sharing, parts, strict=True):
                sums[pk][i] += part
    result = Actuals(
        shared_channel={pk for sharing in media.values() if len(sharing) > 1 for pk, _a in sharing}
    )
    by_key = {key: pk for pk, key, *_rest in lines}
    expenses = (
        Expense.objects.for_workspace(workspace)
        .filter(line__key__in=by_key, day__gte=months[0], day__lt=end)
        .values_list("line__key", "day", "amount")
    )
    extra: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
    for key, day, amount in expenses:
        extra[by_key[key]][index[day.replace(day=1)]] += amount
    for pk in {*sums, *extra}:
        spend = sums.get(pk, [0] * 12)
        booked = extra.get(pk, [Decimal(0)] * 12)
        result.by_line[pk] = tuple(
            (Decimal(s) * HUNDREDTH + b).quantize(HUNDREDTH)
            for s, b in zip(spend, booked, strict=True)
        )
    return result
