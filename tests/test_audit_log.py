"""The audit log people read: field names and values as labels in their language, dates
in the workspace's time zone, filters by who, kind and dates (bad values get a message,
not an error page), pages that keep the filters."""

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone, translation

from crewplan.audit.labels import field_label, value_label
from crewplan.audit.models import AuditEvent
from crewplan.audit.queries import EVENTS_PER_PAGE
from crewplan.planning.tools import services as tool_services
from crewplan.work import services as work_services
from crewplan.workspaces import services
from crewplan.workspaces.models import Team
from tests.factories import client_for


def test_values_are_labels_in_both_languages() -> None:
    with translation.override("en"):
        assert field_label("workitem", "publish_at") == "publish time"
        assert value_label("workitem", "publish_at", None) == "(empty)"
        assert value_label("workitem", "state", "idea") == "Idea"
        assert value_label("kpi", "direction", "higher") == "Higher is better"
        assert value_label("aitool", "customer_data", False) == "no"
        assert field_label("kpi", "2026-03-01") == "Mar 2026"
        scores = [{"features": None, "ease": 2}, {"features": 4, "ease": 2}]  # a tool's
        assert value_label("evaluationweights", "Jasper", scores) == "features (empty) → 4"
    with translation.override("zh-hant"):
        assert field_label("workitem", "title") == "標題"
        assert value_label("workitem", "publish_at", None) == "（空白）"
        assert value_label("workitem", "state", "idea") == "構想"
        assert value_label("workitem", "channel", "blog") == "部落格或網站"
        assert value_label("kpi", "formula", "ratio") == "兩個指標的比率"
        assert value_label("workitem", "due_on", "2026-12-10") == "2026年12月10日（星期四）"
        assert field_label("kpi", "2026-03-01") == "2026年3月"
        # The content rules' keys and values, named by the rules form.
        assert field_label("contentrules", "glossary") == "品牌用語表"
        assert value_label("contentrules", "product_category", "food") == "食品"
        term = [{"preferred": "麥香烘焙坊", "forbidden": ["麦香烘焙坊", "麥香麵包店"]}]
        assert (
            value_label("contentrules", "glossary", term) == "麥香烘焙坊 · 麦香烘焙坊、麥香麵包店"
        )


def test_instants_are_shown_in_the_active_time_zone() -> None:
    instant = datetime(2026, 12, 10, 4, 0, tzinfo=UTC).isoformat()
    with translation.override("en"), timezone.override("Asia/Taipei"):
        assert value_label("workitem", "publish_at", instant) == "Thu 10 Dec 2026, 12:00"


def test_the_log_page_shows_labels_not_field_names(world: Any) -> None:
    alice = client_for(world.people["alice"])
    services.team_create(
        workspace=world.a, actor=world.people["alice"], name="Photo", kind=Team.Kind.EXTERNAL
    )
    page = alice.get("/w/alpha/audit/").content.decode()
    assert "<dt>team name</dt><dd>Photo</dd>" in page
    assert "<dt>kind</dt><dd>External (agency, freelancer)</dd>" in page
    assert "<dd>external</dd>" not in page and "<dt>name</dt>" not in page


def test_a_chinese_workspace_reads_in_chinese_with_full_width_colons(world: Any) -> None:
    charlie = client_for(world.people["charlie"])
    services.team_create(
        workspace=world.b, actor=world.people["charlie"], name="攝影", kind=Team.Kind.EXTERNAL
    )
    page = charlie.get("/w/beta/audit/").content.decode()
    assert "<dt>團隊名稱</dt><dd>攝影</dd>" in page
    assert "<dt>類型</dt><dd>外部（代理商、接案者）</dd>" in page
    assert "建立了團隊：攝影" in page and "建立了團隊: " not in page


def test_filters_by_who_kind_and_dates(world: Any) -> None:
    alice = client_for(world.people["alice"])
    mike = world.people["mike"]
    services.team_create(workspace=world.a, actor=mike, name="Mike's", kind=Team.Kind.INTERNAL)
    everything = AuditEvent.objects.for_workspace(world.a).count()

    by_mike = alice.get("/w/alpha/audit/", {"who": mike.pk})
    assert by_mike.status_code == 200
    shown = by_mike.context["page"].object_list
    assert [e.action for e in shown] == ["team.created", "membership.joined"]  # he joined
    assert {e.actor_id for e in shown} == {mike.pk}

    people = alice.get("/w/alpha/audit/", {"kind": "people"}).context["page"].paginator.count
    assert people == everything  # the fixture only makes people, teams and settings
    teams = alice.get("/w/alpha/audit/", {"kind": "team.created"}).context["page"]
    assert {e.action for e in teams.object_list} == {"team.created"}
    assert teams.paginator.count == 2
    assert alice.get("/w/alpha/audit/", {"kind": "raci"}).context["page"].paginator.count == 0

    today = AuditEvent.objects.latest("pk").created_at.astimezone().date().isoformat()
    dated = alice.get("/w/alpha/audit/", {"since": "2000-01-01", "until": today})
    assert dated.context["page"].paginator.count == everything
    before = alice.get("/w/alpha/audit/", {"until": "2001-01-01"})
    assert before.context["page"].paginator.count == 0
    assert "No change matches these filters" in before.content.decode()


def test_bad_filter_values_get_a_message_and_no_error_page(world: Any) -> None:
    alice = client_for(world.people["alice"])
    everything = AuditEvent.objects.for_workspace(world.a).count()
    outsider = world.people["charlie"].pk  # not a member of alpha
    for params, message in [
        ({"who": "abc"}, "Select a valid choice"),
        ({"who": str(outsider)}, "Select a valid choice"),
        ({"kind": "nope"}, "Select a valid choice"),
        ({"since": "2026-13-45"}, "Enter a valid date"),
        ({"since": "0001-01-01"}, "Enter a date between"),
        ({"since": "2026-12-10", "until": "2026-12-01"}, "The start date is after the end date"),
    ]:
        response = alice.get("/w/alpha/audit/", params)
        assert response.status_code == 400, params
        assert message in response.content.decode(), params
        assert response.context["page"].paginator.count == everything  # shown unfiltered


def test_pages_keep_the_filters(world: Any) -> None:
    alice = world.people["alice"]
    for n in range(EVENTS_PER_PAGE + 5):
        services.team_create(workspace=world.a, actor=alice, name=f"T{n}", kind="internal")
    client = client_for(alice)
    first = client.get("/w/alpha/audit/", {"kind": "team.created"})
    assert first.context["page"].paginator.num_pages == 2
    assert "?kind=team.created&amp;page=2" in first.content.decode()
    second = client.get("/w/alpha/audit/", {"kind": "team.created", "page": "2"})
    assert len(second.context["page"].object_list) == 6  # 55 new teams and the agency


def test_audit_log_queries_do_not_grow_with_events(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    alice = world.people["alice"]
    client = client_for(alice)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/w/alpha/audit/").status_code == 200
    small = len(few.captured_queries)
    for n in range(60):
        services.team_create(workspace=world.a, actor=alice, name=f"T{n}", kind="internal")
    with django_assert_max_num_queries(small):
        page = client.get("/w/alpha/audit/")
    assert page.status_code == 200 and len(page.context["page"].object_list) == EVENTS_PER_PAGE


def test_grid_changes_read_by_name(world: Any) -> None:
    """The skills grid records membership ids: the log names the person, the skill and
    its levels, before → after."""
    maya = world.member("maya")
    tool_services.people_save(
        workspace=world.a,
        actor=world.people["alice"],
        hours={maya.pk: 40},
        levels={maya.pk: {"seo": "basic"}},
    )
    page = client_for(world.people["alice"]).get("/w/alpha/audit/").content.decode()
    assert "<dt>Maya 黃 · marketing hours per month</dt><dd>(empty) → 40</dd>" in page
    assert f"{maya.pk}.hours" not in page and f"{maya.pk}.seo" not in page
    assert "<dt>Maya 黃 · SEO</dt><dd>None → Basic</dd>" in page  # the levels' labels


def test_the_workspaces_one_of_a_kind_rows_are_named_in_the_readers_language(world: Any) -> None:
    alice = world.people["alice"]
    with translation.override("en"):  # stored while someone works in English
        work_services.rules_save(
            workspace=world.a, actor=alice, rules={"instagram_hashtag_limit": 5}
        )
    stored = AuditEvent.objects.get(workspace=world.a, target_type="contentrules")
    assert stored.target_label.startswith("content rules of")
    pages = {}
    for language in ("zh-hant", "en"):
        alice.language = language
        alice.save(update_fields=["language"])
        pages[language] = client_for(alice).get("/w/alpha/audit/").content.decode()
    assert "內容檢查規則" in pages["zh-hant"] and "content rules of" not in pages["zh-hant"]
    assert "Content rules" in pages["en"] and "content rules of" not in pages["en"]
