"""The demo bakery's reallocation: its current quarter fitted once, so the reallocation
page and the quarterly report's section 9 have a recommendation at first sight (the
page's button fits again)."""

from typing import Any

from django.utils import timezone

from crewplan.planning.budget.queries import fiscal_year_of, versions_of
from crewplan.reallocation import services, tasks
from crewplan.reallocation.models import Fit
from crewplan.workspaces.models import Workspace


def load(bakery: Workspace, owner: Any) -> Fit | None:
    with timezone.override(bakery.time_zone):
        today = timezone.localdate()
    versions = versions_of(bakery, fiscal_year_of(bakery, today))
    if not versions:
        return None
    quarter = (today.month - bakery.fiscal_year_start_month) % 12 // 3 + 1
    fit = services.fit_request(
        workspace=bakery,
        version=versions[0],
        quarter=quarter,
        outcome=Fit.Outcome.REVENUE,
        outcome_channels=[],
        actor=owner,
    )
    tasks.run(fit.pk)  # here, not by the worker: the demo is ready when it is loaded
    fit.refresh_from_db()
    return fit
