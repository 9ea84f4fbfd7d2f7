"""The one upload pipeline (`lib/uploads.py`): the size limit read no further than one byte
past it, the kind of file told from its bytes, and the signed preview token that works for
one purpose in one workspace for an hour. Each refusal is one clear sentence in English and
Traditional Chinese, and the RACI and budget import pages and commands say it."""

import codecs
import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from openpyxl import Workbook

from crewplan.lib import file_messages, uploads
from crewplan.lib.limits import FileLimits
from crewplan.lib.uploads import FileKind, PreviewRefused
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.planning.models import BudgetVersion
from tests.factories import client_for

LIMITS = FileLimits(bytes=1024 * 1024, rows=10, columns=10)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # the header of an .xls file


def workbook_bytes() -> bytes:
    book = Workbook()
    assert book.active is not None
    book.active.append(["Category", "Item", "Annual"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def strict_ooxml() -> bytes:
    """A workbook whose package relationships are Strict Open XML's, as Excel writes when
    saved as "Strict Open XML Spreadsheet"."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "_rels/.rels":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                    b"http://purl.oclc.org/ooxml/officeDocument/relationships/",
                )
            target.writestr(item, data)
    return out.getvalue()


def refused(data: bytes, kinds: tuple[FileKind, ...] = (FileKind.XLSX,)) -> UnusableFile:
    with pytest.raises(UnusableFile) as error:
        uploads.read_upload(SimpleUploadedFile("file.xlsx", data), LIMITS, kinds)
    return error.value


class CountingFile(io.BytesIO):
    """An upload whose size the browser did not state; counts the bytes read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


def test_the_size_limit_is_checked_reading_one_byte_past_it() -> None:
    limit = LIMITS.bytes
    at_limit = SimpleUploadedFile("a.csv", b"a" * limit)
    assert len(uploads.read_upload(at_limit, LIMITS, [FileKind.TEXT]).data) == limit
    assert refused(b"a" * (limit + 1)).code == "file_too_large"
    endless = CountingFile(b"a" * (3 * limit))
    with pytest.raises(UnusableFile) as error:
        uploads.read_upload(UploadedFile(endless, "big.csv", size=None), LIMITS, [FileKind.TEXT])
    assert endless.taken == limit + 1
    assert file_messages.unusable(error.value, "en") == (
        "the file is larger than 1 MB; crewplan reads files of at most 1 MB"
    )
    stated = CountingFile(b"a" * (3 * limit))
    with pytest.raises(UnusableFile):
        uploads.read_upload(UploadedFile(stated, "big.csv", size=3 * limit), LIMITS)
    assert stated.taken == 0  # the stated size is enough to refuse it


def test_commands_read_files_under_the_same_limit(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes())
    big = FileLimits(bytes=len(path.read_bytes()), rows=10, columns=10)
    assert uploads.read_path(path, big).kind is FileKind.XLSX
    small = FileLimits(bytes=big.bytes - 1, rows=10, columns=10)
    with pytest.raises(UnusableFile) as error:
        uploads.read_path(path, small)
    assert "larger than" in file_messages.unusable(error.value, "en")
    with pytest.raises(FileNotFoundError):
        uploads.read_path(tmp_path / "missing.xlsx", big)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (workbook_bytes(), FileKind.XLSX),
        (b"PK\x05\x06" + b"\x00" * 18, FileKind.XLSX),  # an empty zip: open_workbook refuses it
        ("類別,項目,全年\nmedia,Meta,1200\n".encode(), FileKind.TEXT),
        ("\ufeff類別,項目\r\n".encode(), FileKind.TEXT),  # Excel's "CSV UTF-8"
        ("類別,項目,全年\n媒體,廣告,1200\n".encode("cp950"), FileKind.TEXT),  # Big5
        (codecs.BOM_UTF16_LE + "類別\t項目\n".encode("utf-16-le"), FileKind.TEXT),
        (("a" * 8191 + "類").encode(), FileKind.TEXT),  # the first 8 KiB end inside a character
    ],
)
def test_sniffing_tells_spreadsheets_from_text(data: bytes, kind: FileKind) -> None:
    assert uploads.sniff(data) is kind


@pytest.mark.parametrize(
    ("data", "code", "english", "chinese"),
    [
        (b"", "empty_file", "the file is empty", "檔案是空的"),
        (OLE2, "xls_file", "save it as .xlsx", "另存為 .xlsx"),
        (
            bytes(range(256)) * 4,
            "not_spreadsheet",
            "neither an .xlsx file nor CSV text",
            "不是試算表",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_spreadsheet", "not a spreadsheet", "CSV"),
    ],
)
def test_files_of_no_kind_crewplan_reads_are_refused(
    data: bytes, code: str, english: str, chinese: str
) -> None:
    error = refused(data, (FileKind.XLSX, FileKind.TEXT))
    assert error.code == code
    assert english in file_messages.unusable(error, "en")
    assert chinese in file_messages.unusable(error, "zh-hant")


def test_a_kind_the_import_does_not_read_is_refused() -> None:
    not_xlsx = refused(b"Category,Item\nmedia,Meta\n")
    assert "not a zip archive" in file_messages.unusable(not_xlsx, "en")
    assert refused(workbook_bytes(), (FileKind.TEXT,)).code == "not_text"
    accepted = uploads.read_upload(
        SimpleUploadedFile("plan.csv", b"a,b\n"), LIMITS, (FileKind.XLSX, FileKind.TEXT)
    )
    assert (accepted.name, accepted.data, accepted.kind) == ("plan.csv", b"a,b\n", FileKind.TEXT)
    with pytest.raises(UnusableFile) as error:
        uploads.read_upload(None, LIMITS)
    assert file_messages.refusal(error.value) == "Choose an .xlsx file."


def test_strict_open_xml_is_read_with_its_names_rewritten() -> None:
    data = strict_ooxml()
    assert uploads.sniff(data) is FileKind.XLSX
    strict, plain = open_workbook(data), open_workbook(workbook_bytes())
    try:
        assert strict.sheetnames == plain.sheetnames
        assert [list(r) for r in strict.active.iter_rows(values_only=True)] == [
            list(r) for r in plain.active.iter_rows(values_only=True)
        ]
    finally:
        strict.close()
        plain.close()
    # Refused with what to do where even then it cannot be read.
    error = UnusableFile("strict_ooxml")
    assert "save it as .xlsx (Excel Workbook)" in file_messages.unusable(error, "en")
    assert "另存為 .xlsx（Excel 活頁簿）" in file_messages.unusable(error, "zh-hant")


def test_refusals_are_worded_from_code_and_params_in_one_place() -> None:
    error = UnusableFile("too_many_rows", params={"rows": 20_000, "sheet": "預算"})
    assert error.params == {"rows": 20_000, "sheet": "預算"}
    assert file_messages.unusable(error, "en") == (
        "the file has more than 20,000 rows in sheet “預算”; crewplan reads at most 20,000 rows"
    )
    assert file_messages.unusable(error, "zh-hant") == (
        "檔案的「預算」工作表超過 20,000 列；crewplan 最多讀取 20,000 列"
    )
    no_sheet = UnusableFile("too_many_columns", params={"columns": 64, "sheet": ""})
    assert file_messages.unusable(no_sheet, "zh-hant") == "檔案超過 64 欄；crewplan 最多讀取 64 欄"
    damaged = UnusableFile("damaged", "KeyError")
    assert file_messages.unusable(damaged, "en") == "the .xlsx is damaged: KeyError"
    own = {"no_sheet": "the workbook has no sheet"}
    assert file_messages.unusable(UnusableFile("no_sheet"), "en", own) == own["no_sheet"]
    assert str(UnusableFile("some_readers_code")) == "some_readers_code"
    assert str(damaged) == "damaged: KeyError"  # logs and tracebacks: the code, no Django


def test_a_preview_token_opens_for_its_purpose_and_workspace_only() -> None:
    payload = {"lines": [{"item": "Meta ads", "amounts": ["100.00"]}], "new_tools": []}
    token = uploads.sign_preview(purpose="planning.import", workspace=7, payload=payload)
    assert uploads.open_preview(purpose="planning.import", workspace=7, token=token) == payload
    for purpose, workspace, changed in [
        ("planning.import", 8, token),  # another workspace
        ("raci.import", 7, token),  # another import
        ("planning.import", 7, token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")),
        ("planning.import", 7, ""),
        ("planning.import", 7, "x" * 40),
    ]:
        with pytest.raises(PreviewRefused):
            uploads.open_preview(purpose=purpose, workspace=workspace, token=changed)


def test_a_preview_token_expires_after_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    signed_at = 1_900_000_000.0
    monkeypatch.setattr(time, "time", lambda: signed_at)
    token = uploads.sign_preview(purpose="raci.import", workspace=1, payload=[1, 2])
    monkeypatch.setattr(time, "time", lambda: signed_at + uploads.PREVIEW_MAX_AGE)
    assert uploads.open_preview(purpose="raci.import", workspace=1, token=token) == [1, 2]
    monkeypatch.setattr(time, "time", lambda: signed_at + uploads.PREVIEW_MAX_AGE + 1)
    with pytest.raises(PreviewRefused) as refusal:
        uploads.open_preview(purpose="raci.import", workspace=1, token=token)
    assert refusal.value.message == (
        "This preview has expired or was changed. Upload the file again."
    )
    assert uploads.open_preview(purpose="raci.import", workspace=1, token=token, max_age=7200)


def as_upload(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.mark.parametrize(
    "url", ["/w/alpha/raci/import/", "/w/alpha/plan/budget/import/"], ids=["raci", "budget"]
)
def test_import_pages_refuse_an_xls_file_saying_what_to_do(world: Any, url: str) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(url, {"file": as_upload(OLE2, "plan.xls")})
    assert response.status_code == 400
    assert response.context["error"].startswith("This file cannot be used: an Excel 97–2003")
    assert "save it as .xlsx" in response.context["error"]
    nothing = alice.post(url, {})
    assert nothing.status_code == 400 and nothing.context["error"] == "Choose an .xlsx file."
    assert not BudgetVersion.objects.filter(workspace=world.a).exists()


def test_import_pages_word_refusals_in_the_workspace_language(world: Any) -> None:
    charlie = client_for(world.people["charlie"])  # workspace B works in Chinese
    response = charlie.post("/w/beta/plan/budget/import/", {"file": as_upload(OLE2, "p.xls")})
    assert response.status_code == 400
    assert response.context["error"].startswith("無法使用這個檔案：這是 Excel 97–2003")


def test_check_commands_say_the_same_sentences(tmp_path: Path) -> None:
    xls = tmp_path / "plan.xls"
    xls.write_bytes(OLE2)
    for tool in ("raci", "budget"):
        for language, sentence in [
            ("en", "an Excel 97–2003 .xls file"),
            ("zh-hant", "這是 Excel 97–2003 的 .xls 檔案"),
        ]:
            result = subprocess.run(
                [sys.executable, "-m", "crewplan", tool, "check", str(xls), "--language", language],
                capture_output=True,
                text=True,
                env={
                    "PATH": "/usr/bin:/bin",
                    "CREWPLAN_DATA_DIR": str(tmp_path / "data"),
                    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
                },
            )
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith(f"{xls}: {sentence}"), result.stderr
            assert result.stderr.count("\n") == 1
