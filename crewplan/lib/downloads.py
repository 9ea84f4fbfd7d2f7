"""A dashboard table as a download: `?format=csv` or `?format=xlsx` on the page's own URL
gives the table the page shows (the same query, the same visibility rules)."""

from django.http import HttpRequest, HttpResponse

from crewplan.lib.tables import CSV_TYPE, XLSX_TYPE, Table

FORMATS = ("csv", "xlsx")


def wanted_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the request asks for a file, else None (the page)."""
    value = request.GET.get("format")
    return value if value in FORMATS else None


def table_download(table: Table, file_format: str, name: str) -> HttpResponse:
    """The table as an attachment called `name`.csv / `name`.xlsx (`name`: ASCII, e.g.
    "channels-maixiang-2026-11")."""
    if file_format == "csv":
        response = HttpResponse(table.csv(), content_type=CSV_TYPE)
    else:
        response = HttpResponse(table.xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
