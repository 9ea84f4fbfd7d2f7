"""The shared calendar and work items (DESIGN.md D).

Everyone sees the calendar; external members see only the items of activities their team
holds a role in unless the workspace lets them see all work (`queries.visible_items`).
Who may move an item is decided by `work/workflow.py` from the item's R, A, C and I
(`work/roles.py`)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.audit.services import STALE_FORM
from crewplan.lib import dates
from crewplan.lib.active_language import active_language
from crewplan.lib.params import int_param
from crewplan.planning.models import BudgetLine, BudgetVersion, Goal
from crewplan.raci.models import Activity
from crewplan.raci.validation import Role, format_cell
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
from crewplan.work.roles import Letters, RoleBook, role_book
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action

# A refused step answers 403 (not yours to take), except these; a missing reason is
# input the person can add.
REFUSAL_STATUS = {"invalid_transition": 409, "errors_need_note": 400, "errors_need_override": 400}


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
    name = queries.day_name(infos.get(day), active_language())
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
    """The month grid, the week, or the agenda (?view=agenda: the days with items, which
    narrow screens show instead of the grid, by CSS alone)."""
    workspace = request.workspace
    mode = request.GET.get("view") if request.GET.get("view") in ("week", "agenda") else "month"
    span = queries.calendar_span(_anchor(request), "week" if mode == "week" else "month")
    filters = _filters(request)
    rows = queries.calendar_rows(workspace, request.membership, span, filters)
    query = request.GET.copy()
    query.pop("d", None)
    return render(
        request,
        "work/calendar.html",
        {
            "mode": mode,
            "anchor": span.anchor,
            "rows": rows,
            "agenda": queries.agenda(rows),
            "weekdays": queries.weekday_headers(),
            "previous": span.previous,
            "following": span.following,
            "query": query.urlencode(),
            "filters": filters,
            **queries.calendar_choices(workspace),
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
    form = ItemForm(
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
    if item is None and not form.fields["activity"].queryset.exists():  # type: ignore[attr-defined]
        form.fields["activity"].help_text = work_messages.no_activities(workspace.slug)
    return form


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


def _actions(
    item: WorkItem, person: workflow.Person, letters: Letters, errors: bool
) -> list[dict[str, Any]]:
    """The buttons this person has, each with the reason the content-check gate asks
    for ("note" or "override", else None) and its field's label."""
    actions = []
    for a in workflow.allowed_actions(
        item.state, person, services.item_roles(letters), errors=errors
    ):
        reason = workflow.reason_needed(a.name, errors)
        label = work_messages.REASON_LABELS[reason] if reason else ""
        actions.append(
            {
                "code": a.name,
                "label": work_messages.action_label(a.name),
                "reason": reason,
                "reason_label": label,
            }
        )
    return actions


def _roles_form(
    request: WorkspaceRequest, book: RoleBook, item: WorkItem, person: workflow.Person
) -> RolesForm | None:
    if not can(request.membership, Action.SET_ITEM_ROLES, services.item_target(person)):
        return None
    return RolesForm(
        members=sorted(book.members.values(), key=lambda m: (m.team.name, m.user.display_name)),
        current={letter: sorted(ids) for letter, ids in book.overrides.get(item.pk, {}).items()},
    )


def _item_context(
    request: WorkspaceRequest, item: WorkItem, book: RoleBook, **extra: Any
) -> dict[str, Any]:
    person = services.person_for(request.membership, book, item)
    findings = work_messages.findings_for_display(item.checks)
    errors = bool(services.error_codes(item.checks))
    return {
        "item": item,
        "roles": queries.role_people(book, item),
        # Written as the matrix writes a cell (A/I), by its own function.
        "my_letters": format_cell(Role(letter) for letter in person.roles),
        "actions": _actions(item, person, book.of(item), errors),
        "has_errors": errors,
        "override_label": work_messages.OVERRIDE_LABEL,
        "may_edit": can(request.membership, Action.EDIT_WORK_ITEM, services.item_target(person)),
        "may_comment": can(request.membership, Action.CREATE_WORK),
        "may_check": can(request.membership, Action.RUN_CHECKS),
        "roles_form": _roles_form(request, book, item, person),
        "transitions": queries.timeline(item),
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
                    data=data,
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
        services.item_move(item=item, membership=request.membership, **form.cleaned_data)
    except workflow.TransitionRefused as refused:
        messages.error(request, work_messages.refusal_message(refused))
        # Refused: nothing changed but the findings, brought up to the current copy (on
        # `item`), so the roles read above still hold; what they typed is kept.
        context = _item_context(
            request, item, book, form=_item_form(request, None, item), typed=form.cleaned_data
        )
        return render(
            request, "work/item.html", context, status=REFUSAL_STATUS.get(refused.code, 403)
        )
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
        if note is not None and note.kind == Notification.Kind.REPORT_READY:
            return redirect("review_reports", slug=request.workspace.slug)
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
            "claims": queries.own_claims(active),
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
