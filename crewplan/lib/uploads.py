"""The one way in for a file people upload (the RACI grid, the budget plan, next the
measurements): read it under its `lib/limits.py` size limit, tell from its bytes what kind
of file it is, and carry the preview to the confirmation in a signed token, so nothing is
kept on the server in between.

    upload = read_upload(request.FILES.get("file"), limits.RACI_MATRIX)  # UnusableFile
    result = read_matrix(upload.data)  # the app's reader (a command: read_path(path, …))
    token = sign_preview(purpose="raci.import", workspace=ws.pk, payload=plan)
    # the confirm POST; PreviewRefused when expired, changed or not this workspace's:
    plan = open_preview(purpose="raci.import", workspace=ws.pk, token=token)

Zip bombs and XML entities are `lib/xlsxfile.open_workbook`'s (the readers call it). A
token is good for an hour, for one purpose in one workspace; the import's service makes it
single-use with `audit.services.use_once` inside its transaction. No models here: the
workspace is its primary key."""

import codecs
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from crewplan.lib.encodings import FALLBACKS
from crewplan.lib.limits import FileLimits, too_large
from crewplan.lib.xlsxfile import OLE2_MAGIC, UnusableFile

PREVIEW_MAX_AGE = 60 * 60  # seconds a preview stays valid
SNIFF_BYTES = 8 * 1024  # how much of the file tells text from binary

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, an empty zip
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters that do not occur in CSV or text (tab, line feed, form feed and
# carriage return do; so does the DOS end-of-file mark 0x1a some exports leave).
_BINARY_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13, 26}


class FileKind(StrEnum):
    XLSX = "xlsx"  # a zip; `open_workbook` checks it is a spreadsheet
    TEXT = "text"  # CSV or other text, in UTF-8, UTF-16 with a BOM, or Big5 (cp950, HKSCS)


@dataclass(frozen=True, slots=True)
class Upload:
    name: str  # as the browser sent it, for the preview page only
    data: bytes
    kind: FileKind


class PreviewRefused(Exception):
    """The preview token has expired, was changed, or was signed for another workspace
    or purpose."""

    @property
    def message(self) -> str:
        return gettext("This preview has expired or was changed. Upload the file again.")


def sniff(data: bytes) -> FileKind:
    """What kind of file the bytes are. Raises UnusableFile for an empty file, an .xls
    (or password-protected) workbook, and anything that is neither a zip nor text."""
    if not data:
        raise UnusableFile("empty_file")
    if data.startswith(ZIP_SIGNATURES):
        return FileKind.XLSX
    if data.startswith(OLE2_MAGIC):
        raise UnusableFile("xls_file")
    if _is_text(data[:SNIFF_BYTES]):
        return FileKind.TEXT
    raise UnusableFile("not_spreadsheet")


def _is_text(head: bytes) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    if _BINARY_CONTROLS.intersection(head):
        return False
    for encoding in FALLBACKS:  # the encodings the readers decode (lib/encodings)
        try:
            # Incremental: the head may end inside a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def read_upload(
    upload: "UploadedFile[bytes] | None",
    limits: FileLimits,
    kinds: Collection[FileKind] = (FileKind.XLSX,),
) -> Upload:
    """The uploaded file's bytes and kind, reading at most one byte past `limits.bytes`.
    Raises UnusableFile when there is no file, it is too large, or not of `kinds`."""
    if upload is None:
        raise UnusableFile("no_file")
    if upload.size is not None and upload.size > limits.bytes:
        raise too_large(limits)
    upload.seek(0)
    return _checked(upload.name or "", upload.read(limits.bytes + 1), limits, kinds)


def read_path(
    path: Path, limits: FileLimits, kinds: Collection[FileKind] = (FileKind.XLSX,)
) -> Upload:
    """The same for a file a command is given: OSError when it cannot be read."""
    with path.open("rb") as handle:
        return _checked(path.name, handle.read(limits.bytes + 1), limits, kinds)


def _checked(name: str, data: bytes, limits: FileLimits, kinds: Collection[FileKind]) -> Upload:
    if len(data) > limits.bytes:
        raise too_large(limits)
    kind = sniff(data)
    if kind not in kinds:
        raise UnusableFile("not_zip" if kind is FileKind.TEXT else "not_text")
    return Upload(name=name, data=data, kind=kind)


def megabytes(limits: FileLimits) -> int:
    """The size limit in whole MB, as the upload forms state it."""
    return limits.bytes // (1024 * 1024)


def _salt(purpose: str, workspace: int) -> str:
    return f"crewplan.{purpose}:{workspace}"


def sign_preview(*, purpose: str, workspace: int, payload: Any) -> str:
    """A token carrying `payload` (JSON data) to the confirmation of `purpose` in
    `workspace` (its primary key). Each preview's token is its own, even for the same
    file previewed twice within a second: the single-use check (`audit.use_once`) must
    not refuse the second preview as the first one used again."""
    token = {"payload": payload, "nonce": secrets.token_urlsafe(8)}
    return signing.dumps(token, salt=_salt(purpose, workspace), compress=True)


def open_preview(
    *, purpose: str, workspace: int, token: str, max_age: int = PREVIEW_MAX_AGE
) -> Any:
    """The payload `sign_preview` signed for `purpose` in `workspace`. Raises
    PreviewRefused when the token is older than `max_age` seconds, was changed, or was
    signed for another purpose or workspace."""
    try:
        signed = signing.loads(token, salt=_salt(purpose, workspace), max_age=max_age)
    except signing.BadSignature:
        raise PreviewRefused from None
    if not isinstance(signed, dict) or "payload" not in signed:
        raise PreviewRefused
    return signed["payload"]
