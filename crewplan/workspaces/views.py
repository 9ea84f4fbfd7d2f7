"""Workspace pages. Each view: decorators, access, form, service, response. Views
render immediately (`render`, not TemplateResponse) because `@workspace_view`
applies the workspace's time zone and language only while the view runs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from crewplan.accounts.requests import SignedInRequest
from crewplan.audit import queries as audit_queries
from crewplan.audit.forms import AuditFilterForm, expect_revision
from crewplan.audit.services import Conflict
from crewplan.planning.budget.queries import budget_summary
from crewplan.raci.queries import matrix_health
from crewplan.work import queries as work_queries
from crewplan.workspaces import queries, services
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.forms import (
    InvitationForm,
    InvitationSignupForm,
    MemberForm,
    SwitchWorkspaceForm,
    TeamForm,
    settings_changes,
    settings_forms,
)
from crewplan.workspaces.models import (
    Invitation,
    Membership,
    Team,
    Workspace,
    WorkspaceOwnedQuerySet,
)
from crewplan.workspaces.permissions import Action, MemberTarget

SESSION_WORKSPACE = "crewplan_workspace"


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    """The last workspace the person switched to, else their first; or a page saying
    how to get into one."""
    memberships = Membership.objects.filter(user=request.user).select_related("workspace")
    chosen = request.session.get(SESSION_WORKSPACE)
    slugs = [m.workspace.slug for m in memberships.order_by("joined_at")]
    if chosen in slugs:
        return redirect("workspace_overview", slug=chosen)
    if slugs:
        return redirect("workspace_overview", slug=slugs[0])
    return render(request, "workspaces/no_workspace.html")


@login_required
@require_POST
def switch_workspace(request: SignedInRequest) -> HttpResponse:
    form = SwitchWorkspaceForm(request.POST)
    if form.is_valid():
        slug = form.cleaned_data["workspace"]
        if Membership.objects.filter(user=request.user, workspace__slug=slug).exists():
            request.session[SESSION_WORKSPACE] = slug
            return redirect("workspace_overview", slug=slug)
    messages.error(request, _("You are not a member of that workspace."))
    return redirect("home")


def _invite_choices(
    request: WorkspaceRequest,
) -> tuple[WorkspaceOwnedQuerySet[Team], list[tuple[str, StrOrPromise]]]:
    """The teams and roles this person may invite into."""
    membership = request.membership
    teams = Team.objects.for_workspace(request.workspace)
    if membership.role != Membership.Role.OWNER:
        teams = teams.filter(pk=membership.team_id)
    roles: list[tuple[str, StrOrPromise]] = [
        (value, label)
        for value, label in Membership.Role.choices
        if can(membership, Action.INVITE, MemberTarget(role=value, team_id=membership.team_id))
    ]
    return teams, roles


@workspace_view
@require_GET
def overview(request: WorkspaceRequest) -> HttpResponse:
    """What waits for this person, the state of the matrix and (for who may see every
    amount) the budget, and, until it is done, the workspace's setup checklist."""
    workspace, membership = request.workspace, request.membership
    today = timezone.localdate()
    steps = queries.setup_steps(workspace) if can(membership, Action.MANAGE_TEAMS) else []
    may_see_budget = can(membership, Action.VIEW_BUDGET_AMOUNTS)
    context = {
        "teams": Team.objects.for_workspace(workspace).annotate(people=Count("memberships")),
        "steps": [] if all(step.done for step in steps) else steps,
        "steps_done": sum(step.done for step in steps),
        "waiting": work_queries.waiting_for(workspace, membership, today),
        "unread": work_queries.unread_count(workspace, request.user),
        "matrix": matrix_health(workspace),
        "budget": budget_summary(workspace, today) if may_see_budget else None,
        "may_see_budget": may_see_budget,
        "may_create_work": can(membership, Action.CREATE_WORK),
    }
    return render(request, "workspaces/overview.html", context)


@workspace_view
@require_GET
def people(request: WorkspaceRequest) -> HttpResponse:
    workspace, membership = request.workspace, request.membership
    teams = queries.team_rows(workspace, membership)
    invite_teams, invite_roles = _invite_choices(request)
    is_owner = membership.role == Membership.Role.OWNER
    context = {
        "teams": teams,
        # What the change forms offer; the rule table still decides on submit.
        "member_teams": [r.team for r in teams if is_owner or r.team.pk == membership.team_id],
        "roles": [
            (v, label)
            for v, label in Membership.Role.choices
            if is_owner or v != Membership.Role.OWNER
        ],
        "invitations": queries.invitation_rows(workspace, membership),
        "invite_form": InvitationForm(teams=invite_teams, roles=invite_roles)
        if invite_roles
        else None,
        "team_form": TeamForm() if can(membership, Action.MANAGE_TEAMS) else None,
        "may_manage_teams": can(membership, Action.MANAGE_TEAMS),
    }
    return render(request, "workspaces/people.html", context)


@workspace_view
@require_POST
def invite(request: WorkspaceRequest) -> HttpResponse:
    teams, roles = _invite_choices(request)
    if not roles:
        require(request, Action.INVITE, None)
    form = InvitationForm(request.POST, teams=teams, roles=roles)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = _("%(label)s: %(error)s") % {"label": label, "error": error}
                messages.error(request, text if label else str(error))
        return redirect("people", slug=request.workspace.slug)
    team, role = form.cleaned_data["team"], form.cleaned_data["role"]
    require(request, Action.INVITE, MemberTarget(role=role, team_id=team.pk))
    try:
        invitation, token = services.invitation_create(
            workspace=request.workspace,
            actor=request.user,
            email=form.cleaned_data["email"],
            team=team,
            role=role,
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            _(
                "Invitation sent to %(email)s. You can also share this link "
                "(it works once, for %(days)s days): %(link)s"
            )
            % {
                "email": invitation.email,
                "days": settings.INVITATION_DAYS,
                "link": services.invitation_link(token),
            },
        )
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_POST
def invitation_revoke(request: WorkspaceRequest, invitation_id: int) -> HttpResponse:
    invitation = get_owned(request, Invitation, invitation_id)
    require(request, Action.REVOKE_INVITATION, invitation)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(
            request, _("Invitation for %(email)s withdrawn.") % {"email": invitation.email}
        )
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_POST
def member_update(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    member = get_owned(request, Membership, membership_id)
    teams = Team.objects.for_workspace(request.workspace)
    form = MemberForm(request.POST, teams=teams, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(
            request, _("Choose a team and a role; a job title has at most 80 characters.")
        )
        return redirect("people", slug=request.workspace.slug)
    team, role = form.cleaned_data["team"], form.cleaned_data["role"]
    target = MemberTarget(
        role=member.role,
        team_id=member.team_id,
        user_id=member.user_id,
        new_role=role,
        new_team_id=team.pk,
    )
    require(request, Action.CHANGE_MEMBER, target)
    try:
        services.membership_change(
            membership=member,
            actor=request.user,
            role=role,
            team=team,
            # A form without the field (an older page) leaves the title alone.
            title=form.cleaned_data["title"] if f"m{member.pk}-title" in request.POST else None,
            revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("%(name)s updated.") % {"name": member.user.display_name})
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_POST
def member_remove(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    member = get_owned(request, Membership, membership_id)
    require(request, Action.REMOVE_MEMBER, member)
    leaving = member.user_id == request.user.pk
    try:
        services.membership_remove(membership=member, actor=request.user)
    except ValidationError as error:
        _fail(request, error)
        return redirect("people", slug=request.workspace.slug)
    if leaving:
        messages.success(
            request, _("You left %(workspace)s.") % {"workspace": request.workspace.name}
        )
        return redirect("home")
    messages.success(request, _("%(name)s removed.") % {"name": member.user.display_name})
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_POST
def team_create(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.MANAGE_TEAMS)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_create(
                workspace=request.workspace,
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
    else:
        messages.error(request, _("A team needs a name and a kind."))
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_http_methods(["GET", "POST"])
def team_edit(request: WorkspaceRequest, team_id: int) -> HttpResponse:
    team = get_owned(request, Team, team_id)
    require(request, Action.MANAGE_TEAMS)
    form = TeamForm(request.POST or None, initial={"name": team.name, "kind": team.kind})
    expect_revision(form, team.revision)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(
                team=team,
                actor=request.user,
                revision=form.cleaned_data["revision"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except Conflict as conflict:
            form.add_error(None, conflict)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Team %(name)s saved.") % {"name": team.name})
            return redirect("people", slug=request.workspace.slug)
    return render(request, "workspaces/team_edit.html", {"team": team, "form": form})


@workspace_view
@require_POST
def team_delete(request: WorkspaceRequest, team_id: int) -> HttpResponse:
    team = get_owned(request, Team, team_id)
    require(request, Action.MANAGE_TEAMS)
    try:
        services.team_delete(team=team, actor=request.user)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Team %(name)s deleted.") % {"name": team.name})
    return redirect("people", slug=request.workspace.slug)


@workspace_view
@require_http_methods(["GET", "POST"])
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's own settings and its apps' settings rows, saved together."""
    require(request, Action.EDIT_SETTINGS)
    workspace = request.workspace
    forms = settings_forms(services.settings_rows(workspace), request.POST or None)
    if request.method == "POST" and all([form.is_valid() for form in forms]):
        revisions, values = settings_changes(forms)
        try:
            services.workspace_update_settings(
                workspace=workspace, actor=request.user, revisions=revisions, data=values
            )
        except ValidationError as error:
            forms[0].add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("workspace_settings", slug=workspace.slug)
    return render(request, "workspaces/settings.html", {"form": forms[0], "forms": forms})


@workspace_view
@require_GET
def audit_log(request: WorkspaceRequest) -> HttpResponse:
    """The log, filtered by the query string's who, kind and dates; a bad filter is
    shown on the form and the log is shown unfiltered."""
    require(request, Action.VIEW_AUDIT)
    workspace = request.workspace
    form = AuditFilterForm(request.GET, people=audit_queries.actor_choices(workspace))
    valid = form.is_valid()
    events = audit_queries.filtered_events(workspace, form.cleaned_data if valid else {})
    amounts_visible = can(request.membership, Action.VIEW_BUDGET_AMOUNTS)
    page, rows = audit_queries.log_page(workspace, events, request.GET.get("page"), amounts_visible)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "rows": rows, "form": form, "query": query.urlencode()}
    return render(request, "workspaces/audit.html", context, status=200 if valid else 400)


@never_cache  # the link is a credential: no shared cache keeps what it shows
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: the token is the credential. GET only shows."""
    invitation = services.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, "workspaces/invitation.html", {"problem": problem}, status=status)
    assert invitation is not None
    if request.user.is_authenticated:
        return _join_signed_in(request, invitation, token)
    return _join_with_new_account(request, invitation, token)


def _join_signed_in(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            _fail(request, error)
            return redirect("invitation_accept", token=token)
        return _welcome(request, membership.workspace)
    context = {
        "invitation": invitation,
        "token": token,
        "email_matches": services.invitation_is_for(invitation, request.user),
    }
    return render(request, "workspaces/invitation.html", context)


def _join_with_new_account(
    request: HttpRequest, invitation: Invitation, token: str
) -> HttpResponse:
    has_account = services.account_exists(invitation.email)  # then the page says: sign in
    posted = request.method == "POST" and not has_account
    form = InvitationSignupForm(request.POST if posted else None, email=invitation.email)
    errors: list[str] = []
    if posted and not form.is_valid():
        errors = form.problems()
    elif posted:
        try:
            user = services.account_create_from_invitation(token=token, **form.cleaned_data)
        except ValidationError as error:
            errors = error.messages
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, invitation.workspace)
    context = {
        "invitation": invitation,
        "token": token,
        "has_account": has_account,
        "full_name": form["full_name"].value() or "",
        "errors": errors,
    }
    return render(request, "workspaces/invitation.html", context, status=400 if errors else 200)


def _welcome(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    request.session[SESSION_WORKSPACE] = workspace.slug
    messages.success(request, _("Welcome to %(workspace)s.") % {"workspace": workspace.name})
    return redirect("workspace_overview", slug=workspace.slug)
