"""The channels settings page: the workspace's channels with their aliases and what uses
them; add, rename, change kind, delete what nothing uses, forget an alias. Everyone may
look; `Action.EDIT_CHANNELS` changes (owners, in-house managers)."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crewplan.audit.forms import RevisionField
from crewplan.lib.params import int_param
from crewplan.measure import services
from crewplan.measure.models import Channel, ChannelAlias, ChannelDay
from crewplan.planning.models import AiTool, BudgetLine
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Workspace
from crewplan.workspaces.permissions import Action


class ChannelForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Channel"), max_length=60)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Channel.Kind.choices)
    revision = RevisionField()  # the channel's, when editing one


@dataclass
class ChannelRow:
    channel: Channel
    aliases: list[ChannelAlias] = field(default_factory=list)
    days: int = 0
    lines: int = 0
    tools: int = 0

    @property
    def used(self) -> bool:
        return bool(self.days or self.lines or self.tools)


def channel_rows(workspace: Workspace) -> list[ChannelRow]:
    """Every channel with its aliases and uses, in five queries whatever their number."""
    rows = {c.pk: ChannelRow(c) for c in Channel.objects.for_workspace(workspace)}
    for alias in ChannelAlias.objects.for_workspace(workspace).order_by("source_name"):
        rows[alias.channel_id].aliases.append(alias)
    days = (  # one summary row per channel and day with figures
        ChannelDay.objects.for_workspace(workspace)
        .values_list("channel_id")
        .annotate(n=Count("pk"))
    )
    for pk, n in days:
        rows[pk].days = n
    lines = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(channel__isnull=False)
        .values_list("channel_id")
        .annotate(n=Count("id"))
    )
    for pk, n in lines:
        rows[pk].lines = n
    tools = (
        AiTool.channels.through.objects.filter(channel__workspace=workspace)
        .values_list("channel_id")
        .annotate(n=Count("id"))
    )
    for pk, n in tools:
        rows[pk].tools = n
    return list(rows.values())


def _back(request: WorkspaceRequest) -> HttpResponse:
    return redirect("measure_channel_settings", slug=request.workspace.slug)


def _errors(request: WorkspaceRequest, error: ValidationError) -> None:
    for m in error.messages:
        messages.error(request, m)


@workspace_view
@require_http_methods(["GET", "POST"])
def channel_settings(request: WorkspaceRequest) -> HttpResponse:
    """GET: the list; POST: add a channel."""
    workspace = request.workspace
    form = ChannelForm(request.POST or None)
    if request.method == "POST":
        require(request, Action.EDIT_CHANNELS)
        if form.is_valid():
            try:
                services.channel_create(
                    workspace=workspace,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Channel added."))
                return _back(request)
    context = {
        "rows": channel_rows(workspace),
        "form": form,
        "kinds": Channel.Kind.choices,
        "may_edit": can(request.membership, Action.EDIT_CHANNELS),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "measure/channel_settings.html", context, status=status)


@workspace_view
@require_POST
def channel_edit(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = get_owned(request, Channel, channel_id)
    require(request, Action.EDIT_CHANNELS)
    form = ChannelForm(request.POST)
    form.fields["revision"].required = True
    if not form.is_valid():
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, str(m))
        return _back(request)
    try:
        services.channel_update(
            workspace=request.workspace,
            actor=request.user,
            channel=channel,
            revision=form.cleaned_data["revision"],
            data={"name": form.cleaned_data["name"], "kind": form.cleaned_data["kind"]},
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Channel saved."))
    return _back(request)


@workspace_view
@require_POST
def channel_delete(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = get_owned(request, Channel, channel_id)
    require(request, Action.EDIT_CHANNELS)
    try:
        services.channel_delete(
            workspace=request.workspace,
            actor=request.user,
            channel=channel,
            revision=int_param(request.POST.get("revision")),
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Channel deleted."))
    return _back(request)


@workspace_view
@require_POST
def alias_delete(request: WorkspaceRequest, alias_id: int) -> HttpResponse:
    alias = get_owned(request, ChannelAlias, alias_id)
    require(request, Action.EDIT_CHANNELS)
    services.channel_alias_delete(workspace=request.workspace, actor=request.user, alias=alias)
    messages.success(
        request, _("The next import will ask what “%(name)s” means.") % {"name": alias.source_name}
    )
    return _back(request)
