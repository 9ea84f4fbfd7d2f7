"""Text files people keep in Taiwan, decoded (pure, no Django): the order of TAIWAN.md §4.

A byte-order mark decides first (UTF-8 with BOM is what Excel's "CSV UTF-8" writes;
UTF-16 is what older Google Ads exports were). Without one, strict UTF-8, then cp950
(Excel's "CSV (逗號分隔)" on zh-TW Windows; a superset of big5 with the ETen block and
€), then big5hkscs (Hong Kong characters cp950 lacks). A file none of them decode is not
guessed at: `NotText` lets the caller say so in its own words."""

from typing import Final

BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
FALLBACKS: Final = ("utf-8", "cp950", "big5hkscs")


class NotText(ValueError):
    """The bytes are not UTF-8, UTF-16 with a BOM, cp950 or big5hkscs text."""


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding that read it (e.g. "cp950")."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise NotText(encoding) from None
    for encoding in FALLBACKS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise NotText("unknown")
