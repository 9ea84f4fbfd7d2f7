"""The shared calendar and work items (DESIGN.md D).

Everyone sees the calendar; external members see only the items of activities their team
holds a role in unless the workspace lets them see all work (`queries.visible_items`).
Who may move an item is decided by `work/workflow.py` from the item's R, A, C and I
(`work/roles.py`)."""

import calendar as pycalendar
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.audit.services import STALE_FORM
from crewplan.lib import dates
from crewplan.lib import language as languages
from crewplan.lib.params import int_param
from crewplan.planning.models import BudgetLine, BudgetVersion, Goal
from crewplan.raci.models import Activity, Function
from crewplan.work import calendar_tw, checks, feeds, queries, services, workflow
from crewplan.work import messages as work_messages
from crewplan.work.forms import (
    CommentForm,
    ItemForm,
    MoveForm,
    RescheduleForm,
    RolesForm,
    RulesForm,
    rules_initial,
)
from crewplan.work.models import CalendarFeed, ContentRules, Notification, WorkItem
from crewplan.work.roles import RoleBook, role_book
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Team
from crewplan.workspaces.permissions import Action

SUNDAY_FIRST = pycalendar.Calendar(firstweekday=6)  # as Taiwanese wall calendars run
STATE_LABELS = dict(WorkItem.State.choices)


def _anchor(request: WorkspaceRequest) -> date:
    """The day the calendar shows (?d=), moved into the accepted range: at the ends of
    Python's dates the month and week arithmetic would overflow."""
    try:
        return dates.clamp(date.fromisoformat(request.GET.get("d", "")))
    except ValueError:
        return timezone.localdate()


def _filters(request: WorkspaceRequest) -> queries.Filters:
    channel = request.GET.get("channel", "")
    state = request.GET.get("status", "")
    return queries.Filters(
        team=int_param(request.GET.get("team")),
        channel=channel if channel in WorkItem.Channel.values else "",
        function=int_param(request.GET.get("function")),
        state=state if state in WorkItem.State.values else "",
    )


def warn_about_day(request: WorkspaceRequest, item: WorkItem) -> None:
    """Tell the person when the item's day is a holiday, a make-up workday or in a long
    weekend: nobody schedules a launch into one by accident."""
    day = queries.local_day(item)
    if day is None:
        return
    infos = queries.calendar_days(day, day)  # the imported official calendar included
    name = services.day_name(infos.get(day), languages.active())
    texts = {
        "holiday": _(
            "%(day)s is a public holiday (%(name)s): few people will see it, and "
            "nobody may be there to approve it."
        ),
        "makeup_workday": _("%(day)s is a make-up workday (補班)."),
        "long_weekend": _("%(day)s is in or next to a long weekend."),
    }
    for code in calendar_tw.warnings_for(day, infos):
        messages.warning(request, texts[code] % {"day": day.isoformat(), "name": name})


def visible_item(request: WorkspaceRequest, item_id: int) -> tuple[WorkItem, RoleBook]:
    """The item if it is in this workspace and this person may see it, else 404, with its
    roles (loaded once, for the checks here and the page)."""
    item = get_owned(request, WorkItem, item_id)
    book = role_book(request.workspace, [item])
    if (
        not queries.visible_items(request.workspace, request.membership, book)
        .filter(pk=item.pk)
        .exists()
    ):
        raise Http404
    return item, book


@workspace_view
@require_GET
def calendar_view(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    anchor = _anchor(request)
    mode = "week" if request.GET.get("view") == "week" else "month"
    if mode == "month":
        weeks = SUNDAY_FIRST.monthdatescalendar(anchor.year, anchor.month)
        previous = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        start = anchor - timedelta(days=(anchor.weekday() + 1) % 7)
        weeks = [[start + timedelta(days=i) for i in range(7)]]
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    first, last = weeks[0][0], weeks[-1][-1]
    filters = _filters(request)
    items = queries.calendar_items(workspace, request.membership, first, last, filters)
    per_day = queries.by_day(items)
    special = queries.calendar_days(first, last)
    today = timezone.localdate()
    now = timezone.now()
    language = languages.active()
    rows = [
        [
            {
                "day": day,
                "in_month": mode == "week" or day.month == anchor.month,
                "today": day == today,
                "special": special.get(day),
                "special_name": services.day_name(special.get(day), language),
                "items": [
                    {"item": item, "overdue": workflow.is_overdue(item.state, item.publish_at, now)}
                    for item in per_day.get(day, [])
                ],
            }
            for day in week
        ]
        for week in weeks
    ]
    query = request.GET.copy()
    query.pop("d", None)
    return render(
        request,
        "work/calendar.html",
        {
            "mode": mode,
            "anchor": anchor,
            "rows": rows,
            "weekdays": [WEEKDAYS_ABBR[(i + 6) % 7] for i in range(7)],
            "previous": previous,
            "following": following,
            "query": query.urlencode(),
            "filters": filters,
            "teams": Team.objects.for_workspace(workspace),
            "functions": Function.objects.for_workspace(workspace).filter(archived_at=None),
            "channels": WorkItem.Channel.choices,
            "states": WorkItem.State.choices,
            "may_create": can(request.membership, Action.CREATE_WORK),
            # One reverse() instead of three per item: the month view has hundreds.
            "items_url": reverse("work_item_new", args=[workspace.slug]).removesuffix("new/"),
        },
    )


def _item_form(
    request: WorkspaceRequest, data: Any = None, item: WorkItem | None = None
) -> ItemForm:
    workspace = request.workspace
    newest = BudgetVersion.objects.for_workspace(workspace).order_by("-fiscal_year", "-number")
    latest = newest.first()
    return ItemForm(
        data,
        instance=item,
        activities=Activity.objects.for_workspace(workspace)
        .filter(archived_at=None)
        .select_related("function"),
        goals=Goal.objects.for_workspace(workspace),
        budget_lines=BudgetLine.objects.for_workspace(workspace).filter(version=latest)
        if latest
        else BudgetLine.objects.none(),
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def item_new(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.CREATE_WORK)
    initial_day = request.GET.get("d", "")
    form = _item_form(request, request.POST or None)
    if request.method == "GET" and initial_day:
        form.initial["due_on"] = initial_day
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
        try:
            item = services.item_create(
                workspace=request.workspace, membership=request.membership, data=data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Work item %(title)s created.") % {"title": item.title})
            warn_about_day(request, item)
            return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    return render(
        request,
        "work/item_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _item_context(
    request: WorkspaceRequest, item: WorkItem, book: RoleBook, **extra: Any
) -> dict[str, Any]:
    letters = book.of(item)
    person = services.person_for(request.membership, book, item)
    people = {
        letter: [book.members[m] for m in sorted(ids) if m in book.members]
        for letter, ids in letters.items()
    }
    findings = work_messages.findings_for_display(item.checks)
    return {
        "item": item,
        "roles": people,
        "my_letters": "/".join(sorted(person.roles, key="RACI".index)),  # A/I, as in the matrix
        "actions": [
            {"code": a.name, "label": work_messages.action_label(a.name)}
            for a in workflow.allowed_actions(item.state, person, services.item_roles(letters))
        ],
        "may_edit": can(request.membership, Action.EDIT_WORK_ITEM, services.item_target(person)),
        "may_comment": can(request.membership, Action.CREATE_WORK),
        "may_check": can(request.membership, Action.RUN_CHECKS),
        "roles_form": RolesForm(
            members=sorted(book.members.values(), key=lambda m: (m.team.name, m.user.display_name)),
            current={
                letter: sorted(ids) for letter, ids in book.overrides.get(item.pk, {}).items()
            },
        )
        if can(request.membership, Action.SET_ITEM_ROLES, services.item_target(person))
        else None,
        "transitions": [
            {
                "t": t,
                "from": STATE_LABELS.get(t.from_state, t.from_state),
                "to": STATE_LABELS.get(t.to_state, t.to_state),
            }
            for t in item.transitions.select_related("actor")
        ],
        "comments": item.comments.select_related("author"),
        "findings": findings,
        "segments": services.highlighted(item.copy, findings),
        "overdue": workflow.is_overdue(item.state, item.publish_at, timezone.now()),
        "comment_form": CommentForm(),
        "reschedule_form": RescheduleForm(
            initial={"day": queries.local_day(item), "revision": item.revision}
        ),
        **extra,
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def item_detail(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    """The item page; with HX-Request, the same as the calendar's drawer fragment."""
    item, book = visible_item(request, item_id)
    form = _item_form(request, request.POST or None, item)
    context = _item_context(request, item, book)
    if request.method == "POST":
        if not context["may_edit"]:
            raise services.Forbidden
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
            try:
                services.item_update(
                    item=item,
                    membership=request.membership,
                    revision=form.cleaned_data["revision"],
                    **data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Work item saved."))
                warn_about_day(request, item)
                return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    context["form"] = form
    template = "work/item.html#drawer" if request.headers.get("HX-Request") else "work/item.html"
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@workspace_view
@require_POST
def item_move(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item, book = visible_item(request, item_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        stale = "revision" in form.errors  # missing or not a number: never moved unchecked
        messages.error(request, str(STALE_FORM) if stale else _("That action is not possible."))
        return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    try:
        services.item_move(
            item=item,
            membership=request.membership,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            revision=form.cleaned_data["revision"],
        )
    except workflow.TransitionRefused as refused:
        messages.error(request, work_messages.refusal_message(refused))
        status = 403 if refused.code != "invalid_transition" else 409
        # Refused: nothing changed, so the roles read above still hold.
        context = _item_context(request, item, book, form=_item_form(request, None, item))
        return render(request, "work/item.html", context, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    messages.success(request, _("Status: %(state)s.") % {"state": item.get_state_display()})
    return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)


@workspace_view
@require_POST
def item_comment(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item, _book = visible_item(request, item_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            item=item, membership=request.membership, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(reverse("work_item", args=[request.workspace.slug, item.pk]) + "#comments")


@workspace_view
@require_POST
def item_check(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    """Run the content checks now and store the findings with the item."""
    item, _book = visible_item(request, item_id)
    services.item_check(item=item, membership=request.membership)
    return redirect(reverse("work_item", args=[request.workspace.slug, item.pk]) + "#checks")


@workspace_view
@require_POST
def item_reschedule(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    """Drag and drop on the calendar (htmx) or the form on the item page."""
    item, _book = visible_item(request, item_id)
    form = RescheduleForm(request.POST)
    htmx = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        problem = str(STALE_FORM) if "revision" in form.errors else _("Choose a date.")
        if htmx:
            return HttpResponse(problem, status=400)
        messages.error(request, problem)
        return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    try:
        services.item_reschedule(
            item=item,
            membership=request.membership,
            day=form.cleaned_data["day"],
            revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        if htmx:
            return HttpResponse(" ".join(error.messages), status=409)
        messages.error(request, " ".join(error.messages))
        return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
    messages.success(request, _("Moved to %(day)s.") % {"day": form.cleaned_data["day"]})
    warn_about_day(request, item)
    if htmx:  # the calendar reloads and shows the messages
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)


@workspace_view
@require_GET
def inbox(request: WorkspaceRequest) -> HttpResponse:
    notes = (
        Notification.objects.for_workspace(request.workspace)
        .filter(recipient=request.user)
        .select_related("item")[:200]
    )
    return render(request, "work/inbox.html", {"notes": notes})


@workspace_view
@require_POST
def inbox_read(request: WorkspaceRequest) -> HttpResponse:
    """Mark the person's notifications read: one (?n=<id>, then open its item) or all."""
    notes = Notification.objects.for_workspace(request.workspace).filter(
        recipient=request.user, read_at=None
    )
    wanted = int_param(request.POST.get("n"))
    if wanted is not None:
        note = notes.filter(pk=wanted).select_related("item").first()
        notes.filter(pk=wanted).update(read_at=timezone.now())
        if note is not None and note.item_id:
            return redirect("work_item", slug=request.workspace.slug, item_id=note.item_id)
    else:
        notes.update(read_at=timezone.now())
    return redirect("work_inbox", slug=request.workspace.slug)


def _feed_page(request: WorkspaceRequest, url: str = "") -> HttpResponse:
    current = (
        CalendarFeed.objects.for_workspace(request.workspace)
        .filter(membership=request.membership)
        .first()
    )
    return render(request, "work/feed.html", {"feed": current, "url": url})


@workspace_view
@require_GET
def feed(request: WorkspaceRequest) -> HttpResponse:
    return _feed_page(request)


@workspace_view
@require_POST
def feed_renew(request: WorkspaceRequest) -> HttpResponse:
    """Answered with the page itself, not a redirect: the address is shown this once and
    is kept nowhere (not in the session, not in the database: only its hash)."""
    token = feeds.feed_renew(membership=request.membership)
    messages.success(
        request, _("Your calendar has a new secret address; the old one no longer works.")
    )
    return _feed_page(request, url=feeds.feed_url(token))


@workspace_view
@require_POST
def feed_revoke(request: WorkspaceRequest) -> HttpResponse:
    feeds.feed_revoke(membership=request.membership)
    messages.success(request, _("Calendar address revoked."))
    return redirect("work_feed", slug=request.workspace.slug)


@require_GET
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login (calendar apps cannot sign in); the secret token is the
    credential, and a revoked one is a 404."""
    current = feeds.feed_by_token(token)
    if current is None:
        raise Http404
    membership = current.membership
    with (
        timezone.override(membership.workspace.time_zone),
        translation.override(membership.user.language or membership.workspace.default_language),
    ):
        body = feeds.ical(membership)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="crewplan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@workspace_view
@require_http_methods(["GET", "POST"])
def rules(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's content-check rules; everyone may read them, owners and in-house
    managers change them."""
    workspace = request.workspace
    saved = ContentRules.objects.for_workspace(workspace).first()
    own = saved.rules if saved else {}
    may_edit = can(request.membership, Action.EDIT_CONTENT_RULES)
    defaults = checks.rules_to_dict(checks.DEFAULT_RULES)
    form = RulesForm(request.POST or None, initial=rules_initial(own, defaults))
    expect_revision(form, saved.revision if saved else None)
    if request.method == "POST":
        require(request, Action.EDIT_CONTENT_RULES)
        if form.is_valid():
            try:
                services.rules_save(
                    workspace=workspace,
                    actor=request.user,
                    rules=form.to_dict(),
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Content rules saved."))
                return redirect("work_rules", slug=workspace.slug)
    active = services.rules_for(workspace)
    return render(
        request,
        "work/rules.html",
        {
            "form": form,
            "may_edit": may_edit,
            "claims": active.risky_claims,
            "claim_kinds": queries.claim_kinds(active) if active.builtin_claims else [],
            "disclaimer": work_messages.CLAIMS_DISCLAIMER,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view
@require_POST
def item_roles(request: WorkspaceRequest, item_id: int) -> HttpResponse:
    item, book = visible_item(request, item_id)
    form = RolesForm(request.POST, members=list(book.members.values()), current={})
    if not form.is_valid():
        messages.error(request, _("Choose people of this workspace."))
        return redirect(reverse("work_item", args=[request.workspace.slug, item.pk]) + "#roles")
    try:
        services.roles_set(
            item=item,
            membership=request.membership,
            overrides={letter: form.cleaned_data[letter] for letter in "RACI"},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Roles on this item saved."))
    return redirect(reverse("work_item", args=[request.workspace.slug, item.pk]) + "#roles")
