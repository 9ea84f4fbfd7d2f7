"""The sentences of the quarterly review's work sections (`reports/sections_work.py`) that
no other core already has: the RACI health's own findings (published, signed, reviewed,
per-item overrides) as next quarter's actions. English msgids, zh-Hant in the catalogue,
worded in `language`."""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

from crewplan.lib.active_language import speaking

# code -> (what was found, what to do); the parameters fill both.
FINDINGS: dict[str, tuple[Promise, Promise]] = {
    "raci.unpublished": (
        gettext_lazy("No RACI matrix is published: nothing both sides signed says who does what."),
        gettext_lazy("Have one manager of each side sign the matrix off, and publish it."),
    ),
    "raci.unsigned": (
        gettext_lazy("The published RACI matrix is not signed by both sides (%(missing)s)."),
        gettext_lazy("Ask the other side's manager to sign the next version of the matrix."),
    ),
    "raci.review_overdue": (
        gettext_lazy(
            "The RACI matrix was last reviewed %(days)s days ago, more than two quarters "
            "(%(limit)s days)."
        ),
        gettext_lazy(
            "Review the matrix with both sides at the quarterly meeting and publish it again."
        ),
    ),
    "raci.contradicting_overrides": (
        ngettext_lazy(
            "%(count)s work item of the quarter gives a role to other people than the RACI "
            "matrix does.",
            "%(count)s work items of the quarter give roles to other people than the RACI "
            "matrix does.",
            "count",
        ),
        gettext_lazy(
            "Change the matrix where the items keep overriding it, or stop overriding it."
        ),
    ),
}


def wording(
    code: str, params: Mapping[str, object], language: str | None = None
) -> tuple[str, str]:
    """The finding's message and suggested action."""
    message, fix = FINDINGS[code]
    with speaking(language):
        return str(message % dict(params)), str(fix % dict(params))
