"""KPI actuals imported from a file (date, KPI, value) through the one upload pipeline:
read (`lib/uploads`), previewed with every problem, confirmed with a signed single-use
token, stored as the KPIs' monthly values with an `Import` of kind kpi_values and its
audit row. Which KPIs add up their days: those whose formula sums a metric."""

import csv
import hashlib
import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record, use_once
from crewplan.lib import limits, uploads
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.measure.kpi_file import KpiFile, KpiSpec, fold, read_kpi_rows
from crewplan.measure.models import Import
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
    was used already): each (KPI, month) value created or replaced."""
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
    existing = {
        (v.kpi_id, v.month): v
        for v in KpiValue.objects.for_workspace(workspace).filter(kpi__in=kpis)
    }
    added = replaced = unchanged = 0
    for (kpi, month), value in values.items():
        row = existing.get((kpi, month))
        if row is None:
            KpiValue.objects.create(workspace=workspace, kpi=kpis[kpi], month=month, value=value)
            added += 1
        elif row.value == value:
            unchanged += 1
        else:
            row.value = value
            row.save(update_fields=["value"])
            replaced += 1
    months = [m for _k, m in values]
    done = Import.objects.create(
        workspace=workspace,
        kind=Import.Kind.KPI_VALUES,
        status=Import.Status.DONE,
        file_name=payload["name"][:255],
        checksum=payload["checksum"],
        layout="kpi_values",
        rows_read=payload["rows"],
        rows_added=added,
        rows_replaced=replaced,
        rows_unchanged=unchanged,
        date_from=min(months, default=None),
        date_to=max(months, default=None),
        progress=100,
        created_by=actor,
        finished_at=timezone.now(),
    )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.MEASURE_IMPORTED,
        target=done,
        after={"file": done.file_name, "added": added, "replaced": replaced},
    )
    return done
