"""The import pages as a person uses them: upload, map an unknown file's columns,
preview, confirm, see the import, roll it back; refusals change nothing."""

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Channel, DailyMetric, Import, ImportMapping
from tests.factories import client_for

URL = "/w/alpha/results/imports/"

GOOGLE = (
    "Campaign report\n"
    '"November 1, 2026 - November 2, 2026"\n'
    "Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n"
    '2026-11-01,雙11 限時優惠,TWD,"1,234.50","12,000",300,12.50,"15,600.00"\n'
    "2026-11-02,雙11 限時優惠,TWD,2000.00,20100,410,20.00,26000.00\n"
    'Total: Account,,TWD,"3,234.50",32100,710,32.50,41600.00\n'
)
UNKNOWN = "Tag,Kanal,Kosten,Klicks\n2026-11-01,Meta,1000,10\n2026-11-02,Meta,500,5\n"


def upload(client: Any, text: str, name: str = "report.csv") -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(URL + "upload/", {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def test_upload_preview_confirm_and_roll_back(world: Any) -> None:
    client = client_for(world.people["alice"])
    page = upload(client, GOOGLE)
    assert "Read as a Google Ads report (UTF-8): 2 rows." in page
    # The spend of the two days, grouped as the file writes it; the total row is no row.
    assert 'data-channel="Google Ads"' in page and "3,234.50" in page and "6,469.00" not in page
    assert DailyMetric.objects.count() == 0  # nothing before the confirmation
    response = client.post(URL + "confirm/", {"token": token(page), "channel-0": "new"})
    record = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{record.pk}/"
    assert record.status == Import.Status.DONE and record.rows_added == 2
    assert Channel.objects.filter(workspace=world.a, name="Google Ads").exists()
    assert sum(DailyMetric.objects.values_list("spend_x100", flat=True)) == 323450
    detail = client.get(f"{URL}{record.pk}/").content.decode()
    assert 'id="rollback-form"' in detail
    # The same token cannot import twice.
    again = client.post(URL + "confirm/", {"token": token(page), "channel-0": "new"}, follow=True)
    assert Import.objects.count() == 1 and "message" in again.content.decode()
    client.post(f"{URL}{record.pk}/rollback/")
    record.refresh_from_db()
    assert record.status == Import.Status.ROLLED_BACK and DailyMetric.objects.count() == 0
    listing = client.get(URL).content.decode()
    assert f'data-import="{record.pk}"' in listing


def test_unknown_columns_are_mapped_once_and_remembered(world: Any) -> None:
    client = client_for(world.people["alice"])
    page = upload(client, UNKNOWN, "export.csv")
    assert 'id="mapping-form"' in page and "Kosten" in page
    mapped = {"token": token(page), "column-0": "date", "column-1": "channel", "column-2": "spend"}
    preview = client.post(URL + "mapping/", mapped).content.decode()
    assert "the columns you mapped" in preview and 'data-channel="Meta"' in preview
    assert ImportMapping.objects.filter(workspace=world.a).count() == 1
    # The same header again: read with the remembered mapping, straight to the preview.
    second = upload(client, UNKNOWN, "export-2.csv")
    assert 'id="import-confirm"' in second and 'id="mapping-form"' not in second


# A Google Ads report whose date column was renamed: no layout fits without a date.
RENAMED = (
    "廣告活動報表\n"
    "報表日期,廣告活動,貨幣代碼,費用,曝光\n"
    '2026-11-01,雙11 限時優惠,TWD,"1,234.50",12000\n'
    '總計：帳戶,,TWD,"1,234.50",12000\n'
)


def test_what_was_recognized_comes_filled_in_and_a_refusal_keeps_the_choices(
    world: Any,
) -> None:
    client = client_for(world.people["alice"])
    page = upload(client, RENAMED)

    def row(html: str, index: int) -> str:
        found = re.search(rf'<tr data-column="{index}"(.*?)</tr>', html, re.S)
        assert found, html[:2000]
        return found.group(1)

    date_row = row(page, 0)
    assert 'class="unknown-column"' in date_row and "does not know this header" in date_row
    assert "2026-11-01" in date_row and "總計" not in date_row  # a total is no sample
    assert '<option value="campaign" selected>' in row(page, 1)
    assert '<option value="currency" selected>' in row(page, 2)
    assert '<option value="spend" selected>' in row(page, 3)
    # No channel named: the same page again, with what they chose, nothing saved.
    choices = {"token": token(page), "column-0": "date", "column-1": "campaign"}
    choices["column-2"] = "currency"
    refused = client.post(URL + "mapping/", {**choices, "column-3": "spend"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "name the channel" in body
    assert '<option value="date" selected>' in row(body, 0)
    assert '<option value="spend" selected>' in row(body, 3)
    assert ImportMapping.objects.count() == 0
    mapped = {**choices, "token": token(body), "column-3": "spend", "channel": "Google Ads"}
    preview = client.post(URL + "mapping/", mapped).content.decode()
    assert "the columns you mapped" in preview and "1,234.50" in preview


def test_a_mapped_file_in_another_currency_needs_a_rate(world: Any) -> None:
    client = client_for(world.people["alice"])
    page = upload(client, RENAMED.replace("TWD", "USD"))
    mapped = {"token": token(page), "column-0": "date", "column-2": "currency"}
    mapped |= {"column-3": "spend", "channel": "Google Ads"}
    preview = client.post(URL + "mapping/", mapped).content.decode()
    assert "The amounts of this file are in USD" in preview and 'id="import-rate"' in preview


def test_a_mapping_without_a_date_is_refused(world: Any) -> None:
    client = client_for(world.people["alice"])
    page = upload(client, UNKNOWN)
    response = client.post(
        URL + "mapping/",
        {"token": token(page), "column-1": "channel", "column-2": "spend"},
        follow=True,
    )
    assert "Say which column holds the date." in response.content.decode()
    assert ImportMapping.objects.count() == 0 and DailyMetric.objects.count() == 0


def test_unusable_files_get_a_reason_and_change_nothing(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.people["alice"])
    meta = (
        "Reporting starts,Reporting ends,Campaign name,Amount spent (TWD)\n"
        "2026-11-01,2026-11-30,a,100\n"
    )
    response = client.post(
        URL + "upload/", {"file": SimpleUploadedFile("m.csv", meta.encode())}, follow=True
    )
    assert "Day breakdown" in response.content.decode()
    response = client.post(
        URL + "upload/", {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk")}, follow=True
    )
    assert "cannot be imported" in response.content.decode()
    assert Import.objects.count() == 0 and DailyMetric.objects.count() == 0


def test_who_may_import(world: Any) -> None:
    assert client_for(world.people["maya"]).get(URL).status_code == 403  # a member
    assert client_for(world.people["adam"]).get(URL).status_code == 200  # the agency's manager
    assert client_for(world.people["charlie"]).get(URL).status_code == 404
    template = client_for(world.people["alice"]).get(URL + "template.csv")
    assert template.content.startswith(b"\xef\xbb\xbf") and b"channel" in template.content


def test_another_workspaces_import_is_not_found(world: Any) -> None:
    theirs = Import.objects.create(
        workspace=world.b, file_name="t.csv", checksum="x", layout="generic", status="done"
    )
    client = client_for(world.people["alice"])
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/rollback/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "done"


def test_the_list_runs_the_same_queries_for_1_and_30_imports(world: Any) -> None:
    alice, adam = world.people["alice"], world.people["adam"]
    client = client_for(alice)

    def imported(n: int) -> None:
        Import.objects.create(
            workspace=world.a,
            file_name=f"ads-{n}.csv",
            checksum="x",
            layout="generic",
            status="rolled_back" if n % 2 else "done",
            created_by=adam if n % 3 else alice,
            rolled_back_by=alice if n % 2 else None,
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    imported(0)
    few = count()
    for n in range(1, 30):
        imported(n)
    assert count() == few
    assert "ads-29.csv" in client.get(URL).content.decode()
