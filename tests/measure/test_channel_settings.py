"""The channels settings page: a new workspace's default channels, add, rename and change
kind (stale forms refused), delete only what nothing uses, forget aliases; who may."""

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Campaign, Channel, ChannelAlias, DailyMetric, Import
from crewplan.measure.services import DEFAULT_CHANNELS
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool
from tests.factories import client_for, plan_line, summarize

URL = "/w/alpha/results/channels/settings/"


def test_a_new_workspace_has_the_default_channels(world: Any) -> None:
    names = list(Channel.objects.filter(workspace=world.a).values_list("name", flat=True))
    assert names == [name for name, _kind in DEFAULT_CHANNELS]
    page = client_for(world.people["vera"]).get(URL).content.decode()
    assert "LINE Ads" in page and 'id="channel-add"' not in page  # a viewer reads only


def test_add_rename_and_change_kind(world: Any) -> None:
    client = client_for(world.people["mike"])
    assert client.post(URL, {"name": " TikTok  Ads ", "kind": "paid"}).status_code == 302
    tiktok = Channel.objects.get(workspace=world.a, name="TikTok Ads")
    taken = client.post(URL, {"name": "tiktok ads", "kind": "paid"})
    assert taken.status_code == 400 and "already a channel" in taken.content.decode()
    edit = f"{URL}{tiktok.pk}/"
    assert client.post(edit, {"name": "TikTok", "kind": "owned", "revision": 1}).status_code == 302
    tiktok.refresh_from_db()
    assert (tiktok.name, tiktok.kind, tiktok.revision) == ("TikTok", "owned", 2)
    stale = client.post(edit, {"name": "Douyin", "kind": "owned", "revision": 1}, follow=True)
    assert "Someone else saved" in stale.content.decode()
    missing = client.post(edit, {"name": "Douyin", "kind": "owned"}, follow=True)
    assert "out of date" in missing.content.decode()
    tiktok.refresh_from_db()
    assert tiktok.name == "TikTok"


def test_delete_only_what_nothing_uses(world: Any) -> None:
    alice = world.people["alice"]
    client = client_for(alice)
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="P"
    )
    plan_line(version, alice, "Meta ads", "media", channel=meta)
    refused = client.post(f"{URL}{meta.pk}/delete/", {"revision": 1}, follow=True)
    assert "still used by 0 imported days, 1 budget lines" in refused.content.decode()
    assert Channel.objects.filter(pk=meta.pk).exists()
    seo = Channel.objects.get(workspace=world.a, name="SEO")
    assert client.post(f"{URL}{seo.pk}/delete/", {"revision": 1}).status_code == 302
    assert not Channel.objects.filter(pk=seo.pk).exists()


def test_aliases_are_shown_and_forgotten(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    alias = ChannelAlias.objects.create(workspace=world.a, source_name="facebook", channel=meta)
    client = client_for(world.people["alice"])
    assert "facebook" in client.get(URL).content.decode()
    assert client.post(f"{URL}aliases/{alias.pk}/delete/").status_code == 302
    assert not ChannelAlias.objects.exists()


def test_who_may_change(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    for name in ("maya", "vera", "adam", "amy"):
        client = client_for(world.people[name])
        assert client.post(URL, {"name": "X", "kind": "paid"}).status_code == 403
        edit = {"name": "X", "kind": "paid", "revision": 1}
        assert client.post(f"{URL}{meta.pk}/", edit).status_code == 403
        assert client.post(f"{URL}{meta.pk}/delete/", {"revision": 1}).status_code == 403
    assert Channel.objects.get(pk=meta.pk).name == "Meta"


def test_queries_do_not_grow_with_the_data(world: Any) -> None:
    client = client_for(world.people["alice"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    source = Import.objects.create(workspace=world.a, file_name="f", checksum="x", layout="g")
    for channel in Channel.objects.filter(workspace=world.a):
        ChannelAlias.objects.create(
            workspace=world.a, source_name=f"{channel.name} alias", channel=channel
        )
        campaign = Campaign.objects.create(workspace=world.a, channel=channel, name="c")
        DailyMetric.objects.bulk_create(
            DailyMetric(
                workspace=world.a,
                day=date(2026, 1, d),
                channel=channel,
                campaign=campaign,
                source=source,
            )
            for d in range(1, 4)
        )
        summarize(world.a)
        tool = AiTool.objects.create(workspace=world.a, name=f"{channel.name} tool")
        tool.channels.add(channel)
    assert count() == few
    page = client.get(URL).content.decode()
    assert "Meta alias" in page


def test_the_pages_speak_chinese_in_a_chinese_workspace(world: Any) -> None:
    charlie = client_for(world.people["charlie"])  # workspace B works in Chinese
    channels = charlie.get(f"/w/{world.b.slug}/results/channels/settings/").content.decode()
    assert "新增通路" in channels and "已匯入天數" in channels
    assert "Add a channel" not in channels and "Imported days" not in channels
    expenses = charlie.get(f"/w/{world.b.slug}/results/expenses/").content.decode()
    assert "登錄支出" in expenses and "尚未登錄任何支出" in expenses
    assert "Record an expense" not in expenses and "No expenses" not in expenses
    imports = charlie.get(f"/w/{world.b.slug}/results/expenses/import/").content.decode()
    assert "從檔案匯入支出" in imports and "Refunds" not in imports
