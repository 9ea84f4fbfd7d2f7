"""The expenses page: the list with its filters and totals (and as a download), one
expense added, changed or deleted, and expense files imported and rolled back.

Expenses are budget amounts: only people who may see every amount
(`Action.VIEW_BUDGET_AMOUNTS` without a team) see the page or its download; recording
them is `Action.RECORD_EXPENSES`."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.lib import file_messages, uploads
from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.params import int_param
from crewplan.lib.tables import Table
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import expenses as services
from crewplan.measure.expense_file import EXPENSE_FILE, read_expenses
from crewplan.measure.expense_forms import ExpenseFilterForm, ExpenseForm
from crewplan.measure.models import Expense, Import
from crewplan.planning.models import BudgetLine
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action

EXPENSES_PER_PAGE = 100
IMPORTS_SHOWN = 10


def _filtered(request: WorkspaceRequest, form: ExpenseFilterForm) -> QuerySet[Expense]:
    rows = Expense.objects.for_workspace(request.workspace).select_related("line", "line__version")
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data["version"] is not None:  # booked on the version's lines or their copies
        keys = BudgetLine.objects.for_workspace(request.workspace).filter(version=data["version"])
        rows = rows.filter(line__key__in=keys.values("key"))
    if data["line"] is not None:
        rows = rows.filter(line__key=data["line"].key)
    if data["month"]:
        year, month = (int(p) for p in data["month"].split("-"))
        start = date(year, month, 1)
        rows = rows.filter(day__gte=start, day__lt=date(year + month // 12, month % 12 + 1, 1))
    return rows


def _table(rows: QuerySet[Expense]) -> Table:
    return Table(
        title=_("Expenses"),
        columns=(
            _("Date"),
            _("Budget line"),
            _("Category"),
            _("Amount"),
            _("Vendor"),
            _("Invoice number"),
            _("Note"),
        ),
        rows=[
            (
                e.day,
                e.line.item,
                e.line.get_category_display(),
                e.amount,
                e.vendor,
                e.invoice_number,
                e.note,
            )
            for e in rows
        ],
    )


@workspace_view
@require_GET
def expenses(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    workspace = request.workspace
    form = ExpenseFilterForm(request.GET, workspace=workspace)
    rows = _filtered(request, form)
    if file_format := wanted_format(request):
        return table_download(_table(rows), file_format, f"expenses-{workspace.slug}")
    totals = rows.aggregate(total=Sum("amount"), count=Count("id"))
    imports = Import.objects.for_workspace(workspace).filter(kind=Import.Kind.EXPENSES)
    context = {
        "form": form,
        "page": Paginator(rows, EXPENSES_PER_PAGE).get_page(request.GET.get("page")),
        "totals": totals,
        "imports": list(imports[:IMPORTS_SHOWN]),
        "may_record": can(request.membership, Action.RECORD_EXPENSES),
        "query": request.GET.urlencode(),
    }
    return render(request, "measure/expenses.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def expense_edit(request: WorkspaceRequest, expense_id: int | None = None) -> HttpResponse:
    expense = get_owned(request, Expense, expense_id) if expense_id is not None else None
    require(request, Action.RECORD_EXPENSES)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    workspace = request.workspace
    initial = {n: getattr(expense, n) for n in services.EXPENSE_FIELDS} if expense else {}
    if expense is None and (line_id := int_param(request.GET.get("line"))) is not None:
        initial["line"] = line_id
    form = ExpenseForm(request.POST or None, initial=initial, workspace=workspace)
    expect_revision(form, expense.revision if expense else None)
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in services.EXPENSE_FIELDS}
        try:
            services.expense_save(
                workspace=workspace,
                actor=request.user,
                expense=expense,
                revision=form.cleaned_data["revision"],
                data=data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Expense saved."))
            return redirect("measure_expenses", slug=workspace.slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "measure/expense.html", {"form": form, "expense": expense}, status=status
    )


@workspace_view
@require_POST
def expense_delete(request: WorkspaceRequest, expense_id: int) -> HttpResponse:
    expense = get_owned(request, Expense, expense_id)
    require(request, Action.RECORD_EXPENSES)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    try:
        services.expense_delete(
            workspace=request.workspace,
            actor=request.user,
            expense=expense,
            revision=int_param(request.POST.get("revision")),
        )
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Expense deleted."))
    return redirect("measure_expenses", slug=request.workspace.slug)


@workspace_view
@require_http_methods(["GET", "POST"])
def expense_import(request: WorkspaceRequest) -> HttpResponse:
    """Upload an expense file and see every row and its problems; nothing is saved."""
    require(request, Action.RECORD_EXPENSES)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    workspace = request.workspace
    context: dict[str, Any] = {"max_mb": uploads.megabytes(EXPENSE_FILE)}
    if request.method == "GET":
        return render(request, "measure/expense_import.html", context)
    kinds = (uploads.FileKind.XLSX, uploads.FileKind.TEXT)
    try:
        upload = uploads.read_upload(request.FILES.get("file"), EXPENSE_FILE, kinds)
        read = read_expenses(upload.data, spreadsheet=upload.kind is uploads.FileKind.XLSX)
    except UnusableFile as error:
        context["error"] = file_messages.refusal(error, services.FILE_PROBLEMS)
        return render(request, "measure/expense_import.html", context, status=400)
    plan = services.plan_expense_import(workspace, read, file_name=upload.name, data=upload.data)
    ok = bool(plan.rows) and not plan.problems
    context.update(plan=plan, token=services.sign_import(workspace, plan) if ok else "")
    return render(request, "measure/expense_import.html", context, status=200 if ok else 400)


@workspace_view
@require_POST
def expense_import_confirm(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.RECORD_EXPENSES)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    workspace = request.workspace
    preview = request.POST.get("preview", "")
    try:
        data = services.open_import(workspace, preview)
        source = services.import_apply(
            workspace=workspace, actor=request.user, data=data, preview=preview
        )
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("measure_expense_import", slug=workspace.slug)
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
        return redirect("measure_expense_import", slug=workspace.slug)
    messages.success(
        request,
        _("Imported %(count)s expenses from %(file)s.")
        % {"count": source.rows_added, "file": source.file_name},
    )
    return redirect("measure_expenses", slug=workspace.slug)


@workspace_view
@require_POST
def expense_import_rollback(request: WorkspaceRequest, expense_import_id: int) -> HttpResponse:
    source = get_owned(request, Import, expense_import_id, kind=Import.Kind.EXPENSES)
    require(request, Action.RECORD_EXPENSES)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    try:
        count = services.import_rollback(
            workspace=request.workspace, actor=request.user, source=source
        )
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Rolled back: %(count)s expenses deleted.") % {"count": count})
    return redirect("measure_expenses", slug=request.workspace.slug)
