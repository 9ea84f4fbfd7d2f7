"""Expenses: the actuals of budget lines that no ad platform reports, typed one by one or
imported from a file (`measure/expense_file.py` reads it). Each write is one transaction
with its audit row; an import is an `Import` of kind expenses, and rolling it back deletes
exactly the expenses it added."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import (
    locked,
    model_create,
    model_update,
    only_fields,
    record,
    snapshot,
    use_once,
)
from crewplan.lib import uploads
from crewplan.lib.dates import in_range
from crewplan.lib.text import fold_spaceless
from crewplan.measure.expense_file import ExpenseRow, ReadExpenses
from crewplan.measure.imports import locked_for_rollback, mark_rolled_back
from crewplan.measure.models import Expense, Import
from crewplan.planning.models import BudgetLine
from crewplan.workspaces.models import Workspace

EXPENSE_FIELDS = ("line", "day", "amount", "vendor", "invoice_number", "note")
PURPOSE = "measure.expenses"  # of the signed preview

# Why a file cannot be used at all (UnusableFile codes of expense_file).
FILE_PROBLEMS: dict[str, str] = {
    "expense_header": gettext_noop(
        "it needs a header row with 日期/Date, 預算項目/Budget line and 金額/Amount"
    ),
}
# What is wrong with a row of the file.
ROW_PROBLEMS = {
    "bad_date": gettext_lazy("the date is not a date between 1990 and 2100"),
    "bad_amount": gettext_lazy("the amount is not a number such as 1,200 or NT$1,200.50"),
    "zero_amount": gettext_lazy("the amount is zero"),
    "no_line": gettext_lazy("no budget line is named"),
    "unknown_line": gettext_lazy("no line of that fiscal year's plan has this item"),
    "ambiguous_line": gettext_lazy("several lines have this item: add their category"),
    "duplicate_invoice": gettext_lazy("the invoice number comes twice in the file"),
    "recorded_invoice": gettext_lazy("an expense with this invoice number is recorded already"),
    "too_long": gettext_lazy("the vendor, invoice number or note is too long"),
}


def _fiscal_year(workspace: Workspace, day: date) -> int:
    return day.year if day.month >= workspace.fiscal_year_start_month else day.year - 1


def _check(workspace: Workspace, data: Mapping[str, Any], expense: Expense | None) -> None:
    """ValidationError for what no expense may be: a line of another workspace, a zero
    amount (a refund is negative), a date outside 1990–2100, an invoice number already
    recorded on another expense."""
    line = data.get("line")
    if line is not None and line.workspace_id != workspace.pk:
        raise ValidationError(_("Choose a budget line of this workspace."))
    if "amount" in data and (data["amount"] is None or data["amount"] == 0):
        raise ValidationError(_("Enter an amount other than zero (a refund is negative)."))
    if "day" in data and (data["day"] is None or not in_range(data["day"])):
        raise ValidationError(_("Enter a date between 1990-01-01 and 2100-12-31."))
    number = data.get("invoice_number") or ""
    if number:
        taken = Expense.objects.for_workspace(workspace).filter(invoice_number__iexact=number)
        if expense is not None:
            taken = taken.exclude(pk=expense.pk)
        if taken.exists():
            raise ValidationError(
                _("An expense with invoice number %(number)s is recorded already.")
                % {"number": number}
            )


@transaction.atomic
def expense_save(
    *,
    workspace: Workspace,
    actor: Any,
    expense: Expense | None = None,
    revision: int | None = None,
    data: Mapping[str, Any],
) -> Expense:
    """Record an expense, or change one still at `revision` (else audit.Conflict).
    `data`: the EXPENSE_FIELDS to set (all of them for a new one)."""
    only_fields(data, EXPENSE_FIELDS)
    _check(workspace, data, expense)
    if expense is not None:
        saved, _after = model_update(
            instance=expense,
            fields=EXPENSE_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.MEASURE_EXPENSE_SAVED,
        )
        return saved
    return model_create(
        instance=Expense(workspace=workspace, created_by=actor, **data),
        fields=EXPENSE_FIELDS,
        actor=actor,
        action=AuditAction.MEASURE_EXPENSE_SAVED,
        exclude=["workspace", "line", "source", "created_by"],
    )


@transaction.atomic
def expense_delete(
    *, workspace: Workspace, actor: Any, expense: Expense, revision: int | None
) -> None:
    """Delete an expense nobody changed since `revision` (else audit.Conflict)."""
    if expense.workspace_id != workspace.pk:
        raise ValidationError(_("Choose an expense of this workspace."))
    current = locked(expense, revision=revision)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_EXPENSE_DELETED,
        target=current,
        before=snapshot(current, EXPENSE_FIELDS),
    )
    current.delete()


# Importing a file.


@dataclass
class PreviewRow:
    """A row of the file as the preview shows it, with the line it matched."""

    row: ExpenseRow
    line: BudgetLine | None = None
    problems: list[str] = field(default_factory=list)  # sentences, in the active language


@dataclass
class ExpenseImport:
    rows: list[PreviewRow]
    file_name: str
    checksum: str

    @property
    def problems(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def total(self) -> Decimal:
        return sum((r.row.amount or Decimal(0) for r in self.rows), Decimal(0))


@cache
def _category_names(code: str) -> frozenset[str]:
    """The words a file may name a category by: its code, its label in either language."""
    names = {fold_spaceless(code)}
    label = BudgetLine.CategoryChoices(code).label
    for language in ("en", "zh-hant"):
        with translation.override(language):
            names.add(fold_spaceless(str(label)))
    return frozenset(names)


def _line_book(workspace: Workspace, years: set[int]) -> dict[tuple[int, str], list[BudgetLine]]:
    """The lines of the fiscal years' plans by (year, folded item), latest version first."""
    book: dict[tuple[int, str], list[BudgetLine]] = {}
    lines = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version__fiscal_year__in=years)
        .select_related("version")
        .order_by("-version__number", "position", "pk")
    )
    for line in lines:
        book.setdefault((line.version.fiscal_year, fold_spaceless(line.item)), []).append(line)
    return book


def _match(candidates: list[BudgetLine], category: str) -> tuple[BudgetLine | None, str]:
    """The line a row names: among the candidates of its year and item, those of its
    category if it gives one; copies of one line (the same key) are one line, the latest
    version's copy taken."""
    if category:
        wanted = fold_spaceless(category)
        candidates = [c for c in candidates if wanted in _category_names(c.category)]
    if not candidates:
        return None, "unknown_line"
    if len({c.key for c in candidates}) > 1:
        return None, "ambiguous_line"
    return candidates[0], ""


def plan_expense_import(
    workspace: Workspace, read: ReadExpenses, *, file_name: str, data: bytes
) -> ExpenseImport:
    """What importing the file would record, every row with its problems (three queries)."""
    rows = read.rows
    book = _line_book(workspace, {_fiscal_year(workspace, r.day) for r in rows if r.day})
    numbers = [fold_spaceless(r.invoice_number) for r in rows if r.invoice_number]
    recorded = {
        fold_spaceless(n)
        for n in Expense.objects.for_workspace(workspace)
        .filter(invoice_number__in={r.invoice_number for r in rows if r.invoice_number})
        .values_list("invoice_number", flat=True)
    }
    preview = []
    for row in rows:
        codes = list(row.problems)
        line = None
        if row.day is not None and row.line:
            candidates = book.get((_fiscal_year(workspace, row.day), fold_spaceless(row.line)), [])
            line, code = _match(candidates, row.category)
            codes += [code] if code else []
        if row.invoice_number:
            number = fold_spaceless(row.invoice_number)
            if numbers.count(number) > 1:
                codes.append("duplicate_invoice")
            if number in recorded:
                codes.append("recorded_invoice")
        if len(row.vendor) > 120 or len(row.invoice_number) > 40 or len(row.note) > 500:
            codes.append("too_long")
        preview.append(
            PreviewRow(row=row, line=line, problems=[str(ROW_PROBLEMS[c]) for c in codes])
        )
    checksum = hashlib.sha256(data).hexdigest()
    return ExpenseImport(rows=preview, file_name=file_name[:255], checksum=checksum)


def sign_import(workspace: Workspace, plan: ExpenseImport) -> str:
    """The preview's token: what the confirmation records, signed (no problems left)."""
    payload = {
        "file": plan.file_name,
        "checksum": plan.checksum,
        "rows": [
            [
                r.line.pk if r.line else None,
                r.row.day.isoformat() if r.row.day else "",
                str(r.row.amount),
                r.row.vendor,
                r.row.invoice_number,
                r.row.note,
            ]
            for r in plan.rows
        ],
    }
    return uploads.sign_preview(purpose=PURPOSE, workspace=workspace.pk, payload=payload)


def open_import(workspace: Workspace, token: str) -> dict[str, Any]:
    """The signed preview (uploads.PreviewRefused when expired, changed or another's)."""
    data: dict[str, Any] = uploads.open_preview(
        purpose=PURPOSE, workspace=workspace.pk, token=token
    )
    return data


@transaction.atomic
def import_apply(
    *, workspace: Workspace, actor: Any, data: Mapping[str, Any], preview: str
) -> Import:
    """Record the previewed expenses as one Import of kind expenses, all or nothing; the
    preview token is used once. Lines deleted or invoice numbers recorded since the
    preview refuse the whole import."""
    use_once(workspace=workspace, token=preview)
    rows = data["rows"]
    lines = BudgetLine.objects.for_workspace(workspace).in_bulk({r[0] for r in rows})
    if any(r[0] not in lines for r in rows):
        raise ValidationError(_("A budget line of the file was deleted since the preview."))
    numbers = {r[4] for r in rows if r[4]}
    if Expense.objects.for_workspace(workspace).filter(invoice_number__in=numbers).exists():
        raise ValidationError(_("Some invoice numbers were recorded since the preview."))
    days = [date.fromisoformat(r[1]) for r in rows]
    source = Import.objects.create(
        workspace=workspace,
        kind=Import.Kind.EXPENSES,
        status=Import.Status.DONE,
        file_name=data["file"],
        checksum=data["checksum"],
        layout="expenses",
        rows_read=len(rows),
        rows_added=len(rows),
        date_from=min(days, default=None),
        date_to=max(days, default=None),
        progress=100,
        created_by=actor,
        finished_at=timezone.now(),
    )
    Expense.objects.bulk_create(
        Expense(
            workspace=workspace,
            line=lines[line_pk],
            day=day,
            amount=Decimal(amount),
            vendor=vendor,
            invoice_number=number,
            note=note,
            source=source,
            created_by=actor,
        )
        for (line_pk, _day, amount, vendor, number, note), day in zip(rows, days, strict=True)
    )
    total = sum((Decimal(r[2]) for r in rows), Decimal(0))
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_IMPORTED,
        target=source,
        after={"kind": "expenses", "rows": len(rows), "total": f"{total.normalize():f}"},
    )
    return source


@transaction.atomic
def import_rollback(*, workspace: Workspace, actor: Any, source: Import) -> int:
    """Delete exactly the expenses the import added (also those edited since); the import
    stays listed as rolled back. Returns how many were deleted."""
    current = locked_for_rollback(workspace, source, Import.Kind.EXPENSES)
    deleted, _by_model = Expense.objects.for_workspace(workspace).filter(source=current).delete()
    mark_rolled_back(found=current, actor=actor, after={"rows": deleted})
    return deleted
