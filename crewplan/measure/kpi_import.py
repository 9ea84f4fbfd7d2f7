"""KPI actuals imported from a file (date, KPI, value) through the one upload pipeline:
read (`lib/uploads`), previewed with every problem, confirmed with a signed single-use
token, stored as the KPIs' monthly values with an `Import` of kind kpi_values and its
audit row. Which KPIs add up their days: those whose formula sums a metric.

Like a metrics import, each value it writes names it (`KpiValue.source`) and each value it
replaces is kept (`ReplacedKpiValue`), so rolling it back is exact; like an expense
import, its rollback goes through `imports.locked_for_rollback` / `mark_rolled_back`."""

import csv
import hashlib
import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record, use_once
from crewplan.lib import limits, uploads
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.text import fold
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.measure.imports import locked_for_rollback, mark_rolled_back
from crewplan.measure.kpi_file import KpiFile, KpiSpec, read_kpi_rows
from crewplan.measure.models import Import, ReplacedKpiValue
from crewplan.planning.goals.kpis import Formula
from crewplan.planning.models import Kpi, KpiValue
from crewplan.workspaces.models import Workspace

PURPOSE = "measure.kpi_values"


def file_rows(upload: uploads.Upload) -> tuple[list[list[str]], str]:
    """The file's rows as text cells, and its encoding ("" for a workbook)."""
    encoding = ""
    if upload.kind == uploads.FileKind.XLSX:
        sheet = open_workbook(upload.data).worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text, encoding = decode_text(upload.data)
        except NotText:
            raise UnusableFile("not_spreadsheet") from None
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    if len(rows) > limits.KPI_VALUES.rows:
        raise limits.too_many_rows(limits.KPI_VALUES)
    return [row[: limits.KPI_VALUES.columns] for row in rows], encoding


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_kpi_file(workspace: Workspace, rows: list[list[str]]) -> KpiFile:
    specs = {
        fold(k.name): KpiSpec(key=k.pk, additive=k.formula == Formula.SUM)
        for k in Kpi.objects.for_workspace(workspace)
    }
    return read_kpi_rows(rows, specs)


def sign(workspace: Workspace, name: str, checksum: str, found: KpiFile) -> str:
    payload = {
        "name": name,
        "checksum": checksum,
        "rows": found.rows_read,
        "values": [[k, m.isoformat(), str(v)] for (k, m), v in sorted(found.values.items())],
    }
    return uploads.sign_preview(purpose=PURPOSE, workspace=workspace.pk, payload=payload)


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def kpi_values_import(*, workspace: Workspace, actor: Any, token: str) -> Import:
    """Store the previewed values (PreviewRefused for a bad token, ValidationError when it
    was used already): each (KPI, month) value created or replaced, linked to the import;
    a replaced value is kept as a `ReplacedKpiValue` so a rollback puts it back."""
    payload: Mapping[str, Any] = uploads.open_preview(
        purpose=PURPOSE, workspace=workspace.pk, token=token
    )
    use_once(workspace=workspace, token=token)
    kpis = {k.pk: k for k in Kpi.objects.for_workspace(workspace)}
    values = {
        (int(k), date.fromisoformat(m)): Decimal(v)
        for k, m, v in payload["values"]
        if int(k) in kpis  # a KPI deleted since the preview
    }
    months = [m for _k, m in values]
    done = Import.objects.create(
        workspace=workspace,
        kind=Import.Kind.KPI_VALUES,
        status=Import.Status.DONE,
        file_name=payload["name"][:255],
        checksum=payload["checksum"],
        layout="kpi_values",
        rows_read=payload["rows"],
        date_from=min(months, default=None),
        date_to=max(months, default=None),
        progress=100,
        created_by=actor,
        finished_at=timezone.now(),
    )
    existing = {
        (v.kpi_id, v.month): v
        for v in KpiValue.objects.for_workspace(workspace).filter(kpi__in=kpis).select_for_update()
    }
    added: list[KpiValue] = []
    replaced: list[KpiValue] = []
    for (kpi, month), value in values.items():
        row = existing.get((kpi, month))
        if row is None:
            added.append(
                KpiValue(workspace=workspace, kpi=kpis[kpi], month=month, value=value, source=done)
            )
        elif row.value != value:
            replaced.append(row)
            ReplacedKpiValue.objects.create(
                workspace=workspace,
                replaced_by=done,
                kpi_id=kpi,
                month=month,
                value=row.value,
                source_id=row.source_id,
            )
            row.value, row.source = value, done
    KpiValue.objects.bulk_create(added)
    KpiValue.objects.bulk_update(replaced, ["value", "source"])
    done.rows_added, done.rows_replaced = len(added), len(replaced)
    done.rows_unchanged = len(values) - len(added) - len(replaced)
    done.save(update_fields=["rows_added", "rows_replaced", "rows_unchanged"])
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_IMPORTED,
        target=done,
        after={
            "file": done.file_name,
            "added": done.rows_added,
            "replaced": done.rows_replaced,
            "unchanged": done.rows_unchanged,
        },
    )
    return done


@transaction.atomic
def kpi_values_rollback(*, workspace: Workspace, actor: Any, import_record: Import) -> int:
    """Undo a KPI file import: the values it added are removed, those it replaced come
    back exactly (with the import that had written them, or as typed). A value typed by
    hand over one of its values since is the person's later decision and stays.
    ValidationError, nothing changed, when it is not this workspace's finished KPI import,
    or a later import replaced some of its values (that one is rolled back first).
    Returns how many values were removed or restored."""
    found = locked_for_rollback(workspace, import_record, Import.Kind.KPI_VALUES)
    replaced = ReplacedKpiValue.objects.for_workspace(workspace)
    later = (
        replaced.filter(source=found)
        .exclude(replaced_by=found)
        .order_by("-replaced_by__created_at")
        .values_list("replaced_by__file_name", flat=True)
        .first()
    )
    if later is not None:
        raise ValidationError(
            _(
                "A later import (%(file)s) has replaced some of these KPI values: roll that "
                "one back first."
            )
            % {"file": later}
        )
    removed, _kinds = KpiValue.objects.for_workspace(workspace).filter(source=found).delete()
    typed_since = set(
        KpiValue.objects.for_workspace(workspace)
        .filter(kpi__in=replaced.filter(replaced_by=found).values("kpi"))
        .values_list("kpi_id", "month")
    )
    restore = [
        KpiValue(
            workspace=workspace,
            kpi_id=r.kpi_id,
            month=r.month,
            value=r.value,
            source_id=r.source_id,
        )
        for r in replaced.filter(replaced_by=found)
        if (r.kpi_id, r.month) not in typed_since
    ]
    KpiValue.objects.bulk_create(restore)
    replaced.filter(replaced_by=found).delete()
    mark_rolled_back(
        found=found,
        actor=actor,
        after={"values_removed": removed, "values_restored": len(restore)},
    )
    return removed + len(restore)
