"""Reads of the import pages: the workspace's imports, a remembered column mapping, the
fields a column can be mapped to."""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crewplan.measure.messages import FIELD_LABELS
from crewplan.measure.models import Import, ImportMapping
from crewplan.measure.parse import ColumnMap, signature
from crewplan.workspaces.models import Workspace

RECENT_IMPORTS = 100


def import_rows(
    workspace: Workspace, *, kind: str = "", limit: int = RECENT_IMPORTS
) -> list[Import]:
    """The newest imports first (of one kind, if given), with who made them (one query)."""
    rows = Import.objects.for_workspace(workspace)
    if kind:
        rows = rows.filter(kind=kind)
    return list(
        rows.select_related("created_by", "rolled_back_by").order_by("-created_at", "-id")[:limit]
    )


def mapping_for(workspace: Workspace, header: Sequence[str]) -> ColumnMap | None:
    """The mapping a person gave last time for this header row, if any."""
    found = (
        ImportMapping.objects.for_workspace(workspace).filter(signature=mapping_key(header)).first()
    )
    if found is None:
        return None
    return ColumnMap({str(k): int(v) for k, v in found.columns.items()}, found.channel)


def _digest(header: Sequence[str]) -> str:
    return hashlib.sha256(signature(header).encode()).hexdigest()


def mapping_key(header: Sequence[str]) -> str:
    """ImportMapping.signature for a header: the header's signature, hashed when long."""
    text = signature(header)
    return text if len(text) <= 64 else _digest(header)


def mapping_choices() -> list[tuple[str, Any]]:
    """What a column can be: nothing (ignored), the date, the channel, the campaign, the
    currency code, or a figure."""
    return [
        ("", _("(ignore)")),
        ("date", pgettext_lazy("import field", "date")),
        ("channel", pgettext_lazy("import field", "channel")),
        ("campaign", pgettext_lazy("import field", "campaign")),
        ("currency", pgettext_lazy("import field", "currency code")),
        *FIELD_LABELS.items(),
    ]


LAYOUT_LABELS = {
    "google_ads": _("a Google Ads report"),
    "meta_ads": _("a Meta Ads Manager export"),
    "ga4": _("a GA4 export"),
    "line_ads": _("a LINE Ads report"),
    "generic": _("crewplan's daily template"),
    "mapped": _("the columns you mapped"),
    "unknown": _("a file with unknown columns"),
}

# The encodings `lib/encodings` and parse.py name, as people know them.
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp950": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "xlsx": _("Excel workbook"),
}
