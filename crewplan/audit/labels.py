"""What the audit log shows people: each kind of change as a sentence, and each field
name and value of a change as a translated label (field verbose names, choice labels,
"(empty)" for None, dates in the active time zone: the workspace's in its pages)."""

from datetime import date, datetime
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_stubs_ext import StrOrPromise

from crewplan.audit.actions import AuditAction
from crewplan.audit.models import AuditEvent

# Actions whose before/after state budget amounts or tool costs: the log shows their details
# only to people who may see every amount (Action.VIEW_BUDGET_AMOUNTS, DESIGN.md A).
AMOUNT_ACTIONS = frozenset(
    {
        AuditAction.PLANNING_TOOL_SAVED,
        AuditAction.PLANNING_BUDGET_LINE_SAVED,
        AuditAction.PLANNING_BUDGET_LINE_DELETED,
        AuditAction.PLANNING_BUDGET_IMPORTED,
        AuditAction.REALLOCATION_APPLIED,
        AuditAction.REALLOCATION_LIFT_TEST_ADDED,
        AuditAction.REALLOCATION_LIFT_TEST_DELETED,
        AuditAction.PLANNING_ROI_ESTIMATE_SAVED,
        AuditAction.MEASURE_IMPORTED,
        AuditAction.MEASURE_IMPORT_ROLLED_BACK,
        AuditAction.MEASURE_EXPENSE_SAVED,
        AuditAction.MEASURE_EXPENSE_DELETED,
    }
)

# Money fields inside actions that are otherwise not about money: only these values are
# hidden from people who may not see every amount, the rest of the change stays readable.
# (Shares such as budget_max_tool_share are fractions, not amounts.)
# Keyed by the action's value: an event's `action` is the stored string.
AMOUNT_FIELDS: dict[str, frozenset[str]] = {
    AuditAction.WORKSPACE_CREATED: frozenset({"budget_training_per_seat"}),
    AuditAction.WORKSPACE_SETTINGS_CHANGED: frozenset({"budget_training_per_seat"}),
}


def hide_amounts(event: AuditEvent) -> bool:
    """Blank the money in `event` (in memory, for display) for a reader who may not see
    budget amounts: the whole before/after of AMOUNT_ACTIONS (then True: say that the
    amounts are hidden), the AMOUNT_FIELDS of others."""
    if event.action in AMOUNT_ACTIONS:
        event.before = event.after = None
        return True
    fields = AMOUNT_FIELDS.get(event.action, frozenset())
    for side in ("before", "after"):
        values = getattr(event, side)
        if isinstance(values, dict) and fields & values.keys():
            hidden = str(_("(amount hidden)"))
            setattr(event, side, {k: hidden if k in fields else v for k, v in values.items()})
    return False


ACTION_LABELS: dict[str, StrOrPromise] = {
    AuditAction.WORKSPACE_CREATED: gettext_lazy("created the workspace"),
    AuditAction.WORKSPACE_SETTINGS_CHANGED: gettext_lazy("changed the workspace settings"),
    AuditAction.TEAM_CREATED: gettext_lazy("created a team"),
    AuditAction.TEAM_CHANGED: gettext_lazy("changed a team"),
    AuditAction.TEAM_DELETED: gettext_lazy("deleted a team"),
    AuditAction.INVITATION_CREATED: gettext_lazy("invited a person"),
    AuditAction.INVITATION_REVOKED: gettext_lazy("withdrew an invitation"),
    AuditAction.MEMBERSHIP_JOINED: gettext_lazy("joined"),
    AuditAction.MEMBERSHIP_CHANGED: gettext_lazy("changed a person's team, role or job title"),
    AuditAction.MEMBERSHIP_REMOVED: gettext_lazy("removed a person"),
    AuditAction.RACI_DRAFT_STARTED: gettext_lazy("started a RACI draft"),
    AuditAction.RACI_CELL_CHANGED: gettext_lazy("changed a RACI cell"),
    AuditAction.RACI_SIGNOFFS_CLEARED: gettext_lazy(
        "cleared the RACI sign-offs by changing the draft"
    ),
    AuditAction.RACI_FUNCTION_CREATED: gettext_lazy("added a RACI function"),
    AuditAction.RACI_ACTIVITY_SAVED: gettext_lazy("saved a RACI activity"),
    AuditAction.RACI_ACTIVITY_ARCHIVED: gettext_lazy("archived a RACI activity"),
    AuditAction.RACI_TEMPLATE_APPLIED: gettext_lazy("added the in-house + agency template"),
    AuditAction.RACI_SIGNED_OFF: gettext_lazy("signed off the RACI draft"),
    AuditAction.RACI_PUBLISHED: gettext_lazy("published a RACI version"),
    AuditAction.RACI_IMPORTED: gettext_lazy("imported a RACI matrix from a file"),
    AuditAction.RACI_ACTIVITY_MOVED: gettext_lazy("moved a RACI activity"),
    AuditAction.RACI_FUNCTION_MOVED: gettext_lazy("moved a RACI function"),
    AuditAction.RACI_FUNCTION_RENAMED: gettext_lazy("renamed a RACI function"),
    AuditAction.RACI_FUNCTION_ARCHIVED: gettext_lazy("archived a RACI function"),
    AuditAction.PLANNING_KPI_ADDED: gettext_lazy("added a KPI from the catalogue"),
    AuditAction.PLANNING_KPI_SAVED: gettext_lazy("saved a KPI"),
    AuditAction.PLANNING_KPI_HISTORY_CHANGED: gettext_lazy("changed a KPI's history"),
    AuditAction.PLANNING_KPI_TARGETS_CHANGED: gettext_lazy("changed a KPI's targets"),
    AuditAction.PLANNING_GOAL_SAVED: gettext_lazy("saved a goal"),
    AuditAction.PLANNING_GOAL_DELETED: gettext_lazy("deleted a goal"),
    AuditAction.PLANNING_TOOL_SAVED: gettext_lazy("saved an AI tool"),
    AuditAction.PLANNING_BUDGET_VERSION_CREATED: gettext_lazy("started a budget version"),
    AuditAction.PLANNING_BUDGET_LINE_SAVED: gettext_lazy("saved a budget line"),
    AuditAction.PLANNING_BUDGET_LINE_DELETED: gettext_lazy("deleted a budget line"),
    AuditAction.PLANNING_BUDGET_IMPORTED: gettext_lazy("imported a budget plan from a file"),
    AuditAction.REALLOCATION_APPLIED: gettext_lazy(
        "applied a recommended reallocation as a new budget version"
    ),
    AuditAction.REALLOCATION_LIFT_TEST_ADDED: gettext_lazy("recorded a lift test's result"),
    AuditAction.REALLOCATION_LIFT_TEST_DELETED: gettext_lazy("deleted a lift test"),
    AuditAction.REPORT_REQUESTED: gettext_lazy("asked for a quarterly report"),
    AuditAction.REPORT_SIGNED_OFF: gettext_lazy("marked a quarterly report reviewed"),
    AuditAction.REPORT_ACTION_PLANNED: gettext_lazy(
        "turned a quarterly report's action into a work item"
    ),
    AuditAction.PLANNING_ROI_ESTIMATE_SAVED: gettext_lazy("saved an ROI estimate"),
    AuditAction.WORK_ITEM_CREATED: gettext_lazy("created a work item"),
    AuditAction.WORK_ITEM_SAVED: gettext_lazy("saved a work item"),
    AuditAction.WORK_ITEM_MOVED: gettext_lazy("moved a work item along the workflow"),
    AuditAction.WORK_ITEM_RESCHEDULED: gettext_lazy("rescheduled a work item"),
    AuditAction.WORK_ROLES_CHANGED: gettext_lazy("changed who does what on a work item"),
    AuditAction.WORK_RULES_CHANGED: gettext_lazy("changed the content-check rules"),
    AuditAction.WORK_COMMENT_ADDED: gettext_lazy("commented on a work item"),
    AuditAction.WORK_FEED_RENEWED: gettext_lazy("made a new calendar feed address"),
    AuditAction.WORK_FEED_REVOKED: gettext_lazy("turned off their calendar feed"),
    AuditAction.PLANNING_SKILLS_CHANGED: gettext_lazy("changed skills or marketing hours"),
    AuditAction.PLANNING_SYSTEM_ADDED: gettext_lazy("added a system to the software stack"),
    AuditAction.PLANNING_SYSTEM_REMOVED: gettext_lazy("removed a system from the software stack"),
    AuditAction.PLANNING_INTEGRATION_FIT_CHANGED: gettext_lazy(
        "changed how tools fit the software stack"
    ),
    AuditAction.PLANNING_EVALUATION_CHANGED: gettext_lazy("changed the tool evaluation"),
    AuditAction.MEASURE_CHANNEL_SAVED: gettext_lazy("saved a channel"),
    AuditAction.MEASURE_CHANNEL_ALIAS_SAVED: gettext_lazy("said which channel a file's name means"),
    AuditAction.MEASURE_CHANNEL_ALIAS_DELETED: gettext_lazy(
        "forgot what a file's channel name means"
    ),
    AuditAction.MEASURE_CHANNEL_DELETED: gettext_lazy("deleted a channel"),
    AuditAction.MEASURE_MAPPING_SAVED: gettext_lazy("mapped the columns of an import file"),
    AuditAction.MEASURE_IMPORTED: gettext_lazy("imported figures from a file"),
    AuditAction.MEASURE_IMPORT_ROLLED_BACK: gettext_lazy("rolled an import back"),
    AuditAction.MEASURE_EXPENSE_SAVED: gettext_lazy("recorded an expense"),
    AuditAction.MEASURE_EXPENSE_DELETED: gettext_lazy("deleted an expense"),
    AuditAction.MEASURE_TOOL_REVIEW_SAVED: gettext_lazy("reviewed an AI tool's month"),
}


def describe(event: AuditEvent) -> str:
    """What happened, in the active language; unknown actions show their code."""
    label = ACTION_LABELS.get(event.action)
    return str(label) if label is not None else _("%(action)s") % {"action": event.action}


# Keys some services record that are not a field of the target's model.
EXTRA_FIELDS = {
    "lines": gettext_lazy("lines"),
    "new_tools": gettext_lazy("new AI tools"),
    "teams": gettext_lazy("teams"),
    "team": gettext_lazy("team"),
    "number": gettext_lazy("version number"),
    "based_on": gettext_lazy("based on version"),
    "party": gettext_lazy("team or person"),
    "roles": gettext_lazy("roles"),
    "in_house": gettext_lazy("in-house team"),
    "agency": gettext_lazy("agency team"),
    "activities_added": gettext_lazy("activities added"),
    "activities": gettext_lazy("activities"),
    "cells": gettext_lazy("cells"),
    "archived": gettext_lazy("archived"),
    "direction": gettext_lazy("direction"),
    "comment": gettext_lazy("comment"),
    "user": gettext_lazy("person"),
    "function": gettext_lazy("function"),
    "action": gettext_lazy("workflow step"),
    "note": gettext_lazy("Note"),
    "R": gettext_lazy("Responsible (R)"),
    "A": gettext_lazy("Accountable (A)"),
    "C": gettext_lazy("Consulted (C)"),
    "I": gettext_lazy("Informed (I)"),
    # Imports of figures (measure): what they read and changed.
    "file_name": gettext_lazy("file"),
    "file": gettext_lazy("file"),
    "rows_added": gettext_lazy("rows added"),
    "rows_replaced": gettext_lazy("rows replaced"),
    "rows_unchanged": gettext_lazy("rows unchanged"),
    "rows_rejected": gettext_lazy("rows rejected"),
    "rows_restored": gettext_lazy("rows restored"),
    "rows_removed": gettext_lazy("rows removed"),
    "spend": gettext_lazy("spend"),
    "columns": gettext_lazy("columns"),
    "expenses": gettext_lazy("expenses"),
}
EXTRA_VALUES = {
    "direction": {"up": gettext_lazy("up"), "down": gettext_lazy("down")},
}
# Work items' role changes record membership ids under the letters.
PEOPLE_KEYS = frozenset({"R", "A", "C", "I"})


@cache
def _models_by_name() -> dict[str, type[models.Model]]:
    return {
        m._meta.model_name or "": m
        for m in apps.get_models()
        if m.__module__.startswith("crewplan.")
    }


# The workspace's one-of-a-kind rows: their name is the kind of thing, in the reader's
# language (what was stored is the row's English __str__, "content rules of 5").
ONE_PER_WORKSPACE = frozenset(
    {"contentrules", "evaluationweights", "racisettings", "budgetsettings", "worksettings"}
)


def target_label(event: AuditEvent) -> str:
    """What the event changed, as the log names it."""
    model = _models_by_name().get(event.target_type) if event.target_type else None
    if model is not None and event.target_type in ONE_PER_WORKSPACE:
        return capfirst(str(model._meta.verbose_name)) or ""
    return event.target_label


@cache
def _any_field(name: str) -> "models.Field[Any, Any] | None":
    """A crewplan model field called `name` (the workspace settings event records the
    fields of the apps' settings rows against the workspace)."""
    for model in _models_by_name().values():
        try:
            return model._meta.get_field(name)  # type: ignore[return-value]
        except FieldDoesNotExist:
            continue
    return None


def _field(target_type: str, name: str) -> "models.Field[Any, Any] | None":
    model = _models_by_name().get(target_type)
    if model is not None:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            found = None
        if isinstance(found, models.Field):
            return found
    found = _any_field(name)
    return found if isinstance(found, models.Field) else None


def _form_field(target_type: str, name: str) -> Any:
    """The content rules are one JSON field: their keys are named by the rules form."""
    if target_type != "contentrules":
        return None
    from crewplan.work.forms import RulesForm  # work's forms import audit's: no cycle here

    return RulesForm.base_fields.get(name)


def field_label(target_type: str, name: str) -> str:
    """The translated name of field `name` of an audit row's target."""
    if name in EXTRA_FIELDS:
        return str(EXTRA_FIELDS[name])
    form_field = _form_field(target_type, name)
    if form_field is not None and form_field.label:
        return str(form_field.label)
    try:  # a KPI's history and targets are recorded by month
        return date_format(date.fromisoformat(name), "YEAR_MONTH_FORMAT")
    except ValueError:
        pass
    field = _field(target_type, name)
    if field is not None and field.verbose_name:
        return str(field.verbose_name)
    return name.replace("_", " ")


def _when(field: "models.Field[Any, Any] | None", value: str) -> str | None:
    """An ISO date or instant as people read it, else None."""
    try:
        if isinstance(field, models.DateTimeField):
            instant = datetime.fromisoformat(value)
            if timezone.is_aware(instant):
                instant = timezone.localtime(instant)
            return date_format(instant, "DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return None
    return None


def value_label(
    target_type: str, name: str, value: Any, people: dict[int, str] | None = None
) -> str:
    """The value of field `name` as people read it: choice labels, yes/no, dates in the
    active time zone, "(empty)" for nothing, lists joined."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if name in PEOPLE_KEYS and isinstance(value, list):
        names = [(people or {}).get(v, str(v)) if isinstance(v, int) else str(v) for v in value]
        return pgettext("list separator", ", ").join(names)
    if (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, dict) for v in value)
    ):  # [before, after] of a group of fields (a tool's evaluation scores): what changed
        old, new = value
        return pgettext("list separator", ", ").join(
            f"{field_label(target_type, k)} {value_label(target_type, k, old.get(k))} → "
            f"{value_label(target_type, k, v)}"
            for k, v in new.items()
            if old.get(k) != v
        ) or _("(empty)")
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(
            value_label(target_type, name, v, people) for v in value
        )
    if isinstance(value, dict):  # e.g. a glossary term: its values in order
        return " · ".join(value_label(target_type, k, v, people) for k, v in value.items())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in EXTRA_VALUES and value in EXTRA_VALUES[name]:
        return str(EXTRA_VALUES[name][value])
    if name == "action" and target_type == "workitem" and isinstance(value, str):
        from crewplan.work.messages import action_label  # the workflow's verbs

        return action_label(value)
    field = _field(target_type, name)
    if field is not None and field.choices:
        for key, label in field.flatchoices:
            if str(key) == str(value):
                return str(label)
    form_field = _form_field(target_type, name)
    for key, label in getattr(form_field, "choices", None) or ():
        if str(key) == str(value):
            return str(label)
    if isinstance(value, str):
        return _when(field, value) or value
    return str(value)


def changed_fields(
    event: AuditEvent, side: str, people: dict[int, str] | None = None
) -> list[tuple[str, str]]:
    """The (label, value) pairs of the event's `before` or `after`, for display."""
    values = getattr(event, side)
    if not isinstance(values, dict):
        return []
    return [
        (field_label(event.target_type, k), value_label(event.target_type, k, v, people))
        for k, v in values.items()
    ]


def people_ids(events: list[AuditEvent]) -> set[int]:
    """The membership ids work items' role changes name, to look up in one query."""
    ids: set[int] = set()
    for event in events:
        for side in (event.before, event.after):
            if isinstance(side, dict):
                for key in PEOPLE_KEYS & side.keys():
                    if isinstance(side[key], list):
                        ids.update(v for v in side[key] if isinstance(v, int))
    return ids


# The parts of crewplan, by the prefix of their actions' values, for the log's filter.
AREAS = {
    "people": (
        gettext_lazy("People, teams and settings"),
        ("workspace.", "team.", "invitation.", "membership."),
    ),
    "raci": (gettext_lazy("Who does what (RACI)"), ("raci.",)),
    "planning": (gettext_lazy("Goals, tools and budget"), ("planning.",)),
    "work": (gettext_lazy("Calendar and work items"), ("work.",)),
}


def kind_choices() -> list[Any]:
    """Each part of crewplan (all its kinds of change), then its kinds one by one."""
    choices: list[Any] = [("", _("Any change"))]
    for key, (label, prefixes) in AREAS.items():
        kinds = [
            (action.value, str(ACTION_LABELS.get(action, action.value)))
            for action in AuditAction
            if action.value.startswith(prefixes)
        ]
        everything = _("All: %(area)s") % {"area": label}
        choices.append((str(label), [(key, everything), *sorted(kinds, key=lambda k: k[1])]))
    return choices


def kind_filter(kind: str) -> Q:
    """The filter on `action` that a value of `kind_choices` stands for."""
    if kind in AREAS:
        wanted = Q()
        for prefix in AREAS[kind][1]:
            wanted |= Q(action__startswith=prefix)
        return wanted
    return Q(action=kind)


# Changes recorded as {"<id>.<id or field>": [before, after]} against the workspace: the
# skills grid (membership id . skill category, or "hours") and the integration fit grid
# (tool id . system id). Their names are looked up per page (audit/queries.py).
SKILLS = AuditAction.PLANNING_SKILLS_CHANGED
FITS = AuditAction.PLANNING_INTEGRATION_FIT_CHANGED


def grid_keys(event: AuditEvent) -> list[tuple[int, str]]:
    """The (id, rest) pairs of a grid change's keys; [] for other events."""
    if event.action not in (SKILLS, FITS) or not isinstance(event.after, dict):
        return []
    found = []
    for key in event.after:
        head, _dot, rest = str(key).partition(".")
        if head.isdigit():
            found.append((int(head), rest))
    return found


def _choice(model: str, field: str, value: Any) -> str:
    return value_label(model, field, value) if value is not None else _("(empty)")


def grid_changes(event: AuditEvent, names: dict[str, dict[int, str]]) -> list[tuple[str, str]]:
    """A grid change as (whose or which pair, "before → after") rows, by name."""
    rows = []
    for key, pair in (event.after or {}).items():
        head, _dot, rest = str(key).partition(".")
        if not (head.isdigit() and isinstance(pair, list) and len(pair) == 2):
            return []
        if event.action == SKILLS:
            who = names.get("people", {}).get(int(head), head)
            if rest == "hours":
                what = field_label("membership", "hours_per_month")
                values = [str(v) if v is not None else _("(empty)") for v in pair]
            else:
                what = value_label("skill", "category", rest)
                values = [_choice("skill", "level", v) for v in pair]
        else:
            who = names.get("tools", {}).get(int(head), head)
            what = names.get("systems", {}).get(int(rest), rest) if rest.isdigit() else rest
            values = [_choice("toolfit", "fit", v) for v in pair]
        rows.append((f"{who} · {what}", f"{values[0]} → {values[1]}"))
    return rows
