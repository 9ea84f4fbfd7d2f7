"""Section 1 of the quarterly report, the one-page summary, built from the other sections'
"headline" entries alone (plain data in, plain data out: no Django), so it states nothing
the sections do not show in full.

The three largest findings: every finding the RACI, collaboration and budget health
sections list, errors before warnings, in the report's order of sections within a
severity; the first three."""

from collections.abc import Mapping
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TOP_FINDINGS = 3
# The sections whose findings compete for the summary, in the report's order, and where
# each keeps them.
FINDING_SOURCES = (
    ("raci", ("findings",)),
    ("collaboration", ("headline", "findings")),
    ("budget_health", ("headline", "top")),
)


def _at(sections: Mapping[str, Any], key: str, path: tuple[str, ...]) -> list[dict[str, Any]]:
    value: Any = sections.get(key) or {}
    for step in path:
        value = value.get(step) if isinstance(value, Mapping) else None
    return list(value or [])


def top_findings(sections: Mapping[str, Any], count: int = TOP_FINDINGS) -> list[dict[str, Any]]:
    found = [
        {"section": key, "code": f["code"], "severity": f["severity"], "message": f["message"]}
        for key, path in FINDING_SOURCES
        for f in _at(sections, key, path)
    ]
    ordered = sorted(  # sorted() is stable: the sections' order within a severity
        enumerate(found), key=lambda pair: (SEVERITY_ORDER.get(pair[1]["severity"], 3), pair[0])
    )
    return [f for _, f in ordered[:count]]


def summary(sections: Mapping[str, Any]) -> dict[str, Any]:
    """The summary's figures: KPIs achieved and missed, spend against budget with its pacing,
    each reviewed AI tool's realized ROI, the largest findings, the reallocation's gain."""

    def headline(key: str) -> dict[str, Any]:
        return dict((sections.get(key) or {}).get("headline") or {})

    findings = top_findings(sections)
    counted = {
        severity: sum(
            1
            for key, path in FINDING_SOURCES
            for f in _at(sections, key, path)
            if f["severity"] == severity
        )
        for severity in ("error", "warning")
    }
    return {
        "kpis": headline("goals"),
        "budget": headline("budget"),
        "tools": headline("roi"),
        "findings": findings,
        "finding_counts": counted,
        "reallocation": headline("reallocation"),
        "actions": headline("actions").get("count", 0),
    }
