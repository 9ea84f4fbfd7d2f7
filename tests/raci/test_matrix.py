"""The RACI matrix in the database: template wizard, cell editing with conflicts,
sign-off and publishing, and the grid page."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crewplan.audit.models import AuditEvent
from crewplan.raci import services
from crewplan.raci.models import Activity, Assignment, Function, MatrixVersion, SignOff
from crewplan.raci.queries import draft_of, load_grid, required_teams
from crewplan.raci.template import template_activities
from tests.factories import client_for, join, make_user


@pytest.fixture
def draft(world: Any) -> MatrixVersion:
    return services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="zh-hant",
    )


def cell_name(activity: Activity, party: str) -> str:
    return f"c:{activity.pk}:{party}"


def post_cell(client: Any, activity: Activity, party: str, value: str, expected: str) -> Any:
    name = cell_name(activity, party)
    return client.post(
        "/w/alpha/raci/cells/",
        {"cell": name, name: value, "e" + name[1:]: expected},
        headers={"HX-Request": "true"},
    )


def test_template_wizard_builds_a_clean_draft(world: Any, draft: MatrixVersion) -> None:
    grid = load_grid(draft, "zh-hant")
    assert len(grid.matrix.activities) == len(template_activities())
    assert [f.code for f in grid.findings] == []
    assert [name for name, _ in grid.functions] == ["內容", "廣告", "社群", "數據"]
    assert required_teams(grid.matrix) == {world.a_in_house.pk, world.a_agency.pk}
    assert AuditEvent.objects.filter(workspace=world.a, action="raci.template_applied").exists()


def test_template_through_the_page(world: Any) -> None:
    alice = client_for(world.people["alice"])
    empty = alice.get("/w/alpha/raci/")
    assert b'id="template-form"' in empty.content
    response = alice.post(
        "/w/alpha/raci/template/", {"in_house": world.a_in_house.pk, "agency": world.a_agency.pk}
    )
    assert response.status_code == 302
    page = alice.get("/w/alpha/raci/").content.decode()
    assert (
        "Content strategy" in page and world.a_agency.name in page
    )  # workspace A works in English


def test_cell_edit_validates_and_audits(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    agency = f"team-{world.a_agency.pk}"
    response = post_cell(alice, blog, agency, "ｒ, c", "R")
    assert response.status_code == 200
    assert 'value="R/C"' in response.content.decode()
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "RC"
    event = AuditEvent.objects.filter(action="raci.cell_changed").latest("id")
    assert (event.before["roles"], event.after["roles"]) == ("R", "R/C")

    bad = post_cell(alice, blog, agency, "X?", "R/C")
    assert bad.status_code == 422
    assert "not a combination of R, A, C and I" in bad.content.decode()
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "RC"


def test_second_writer_of_a_stale_cell_gets_the_conflict(world: Any, draft: MatrixVersion) -> None:
    alice, mike = client_for(world.people["alice"]), client_for(world.people["mike"])
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    agency = f"team-{world.a_agency.pk}"
    # Both loaded the grid when the cell read "R".
    first = post_cell(alice, blog, agency, "R/C", "R")
    second = post_cell(mike, blog, agency, "I", "R")
    assert first.status_code == 200
    assert second.status_code == 409
    body = second.content.decode()
    assert (
        "someone changed this cell" in body and 'value="R/C"' in body
    )  # the current value, to redo from
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "RC"


def test_conflict_when_both_create_an_empty_cell(world: Any, draft: MatrixVersion) -> None:
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    person = f"person-{world.member('maya').pk}"
    services.cell_set(
        version=draft,
        activity=blog,
        party_key=person,
        text="C",
        expected="",
        actor=world.people["alice"],
    )
    with pytest.raises(services.CellConflict) as conflict:
        services.cell_set(
            version=draft,
            activity=blog,
            party_key=person,
            text="I",
            expected="",
            actor=world.people["mike"],
        )
    assert conflict.value.current == "C"


def test_whole_grid_form_saves_changed_cells_atomically(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    seo = Activity.objects.get(workspace=world.a, name="SEO 優化")
    agency = f"team-{world.a_agency.pk}"
    data = {
        cell_name(blog, agency): "R/C",
        "e" + cell_name(blog, agency)[1:]: "R",
        cell_name(seo, agency): "nonsense",
        "e" + cell_name(seo, agency)[1:]: "R",
    }
    response = alice.post("/w/alpha/raci/cells/", data, follow=True)
    assert any("nonsense" in str(m) for m in response.context["messages"])
    assert (
        Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "R"
    )  # rolled back
    data[cell_name(seo, agency)] = "R"
    alice.post("/w/alpha/raci/cells/", data)
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "RC"


def test_foreign_ids_in_cells_are_refused(world: Any, draft: MatrixVersion) -> None:
    charlie_team = f"team-{world.b_team.pk}"
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    alice = client_for(world.people["alice"])
    response = post_cell(alice, blog, charlie_team, "R", "")
    assert response.status_code == 422 and "Unknown column" in response.content.decode()
    assert not Assignment.objects.filter(team=world.b_team).exists()


def test_members_and_viewers_cannot_edit(world: Any, draft: MatrixVersion) -> None:
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    for name in ("maya", "vera", "amy"):
        response = post_cell(
            client_for(world.people[name]), blog, f"team-{world.a_agency.pk}", "I", "R"
        )
        assert response.status_code == 403
        assert b"cell-input" not in client_for(world.people[name]).get("/w/alpha/raci/").content
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "R"


def sign(client: Any, version: MatrixVersion, team: Any) -> Any:
    return client.post(f"/w/alpha/raci/versions/{version.pk}/sign/{team.pk}/", follow=True)


def test_sign_off_and_publish(world: Any, draft: MatrixVersion) -> None:
    alice, adam = client_for(world.people["alice"]), client_for(world.people["adam"])
    # Nobody signs for the other side.
    assert (
        alice.post(f"/w/alpha/raci/versions/{draft.pk}/sign/{world.a_agency.pk}/").status_code
        == 403
    )
    sign(alice, draft, world.a_in_house)
    publish = alice.post(f"/w/alpha/raci/versions/{draft.pk}/publish/", follow=True)
    assert any(
        "Waiting for the sign-off of: Alpha Agency" in str(m) for m in publish.context["messages"]
    )
    sign(adam, draft, world.a_agency)
    assert SignOff.objects.filter(version=draft).count() == 2
    assert (
        adam.post(f"/w/alpha/raci/versions/{draft.pk}/publish/").status_code == 403
    )  # the company publishes
    alice.post(f"/w/alpha/raci/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "published" and draft.snapshot is not None
    assert len(draft.snapshot["activities"]) == len(template_activities())
    # Frozen: cells of a published version cannot change.
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    with translation.override("en"), pytest.raises(ValidationError, match="frozen"):
        services.cell_set(
            version=draft,
            activity=blog,
            party_key=f"team-{world.a_agency.pk}",
            text="I",
            expected="R",
            actor=world.people["alice"],
        )
    # Renaming an activity later does not change what was signed.
    services.activity_save(
        workspace=world.a,
        actor=world.people["alice"],
        function=blog.function,
        name="Blog posts",
        kind="execution",
        split="",
        activity=blog,
        revision=blog.revision,
    )
    assert "部落格文章撰寫" in [a.name for a in load_grid(draft, "en").matrix.activities]


def test_change_clears_sign_offs(world: Any, draft: MatrixVersion) -> None:
    services.sign_off(version=draft, team=world.a_in_house, actor=world.people["alice"])
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    services.cell_set(
        version=draft,
        activity=blog,
        party_key=f"team-{world.a_agency.pk}",
        text="R/C",
        expected="R",
        actor=world.people["adam"],
    )
    assert not SignOff.objects.filter(version=draft).exists()
    assert AuditEvent.objects.filter(action="raci.signoffs_cleared").exists()


def test_errors_block_sign_off_and_publish(world: Any, draft: MatrixVersion) -> None:
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    services.cell_set(
        version=draft,
        activity=blog,
        party_key=f"team-{world.a_in_house.pk}",
        text="",
        expected="A",
        actor=world.people["alice"],
    )
    with pytest.raises(ValidationError, match="Fix the errors"):
        services.sign_off(version=draft, team=world.a_in_house, actor=world.people["alice"])
    with pytest.raises(ValidationError, match="Fix the errors"):
        services.publish(version=draft, actor=world.people["alice"])


def test_new_draft_starts_from_the_published_version(world: Any, draft: MatrixVersion) -> None:
    services.sign_off(version=draft, team=world.a_in_house, actor=world.people["alice"])
    services.sign_off(version=draft, team=world.a_agency, actor=world.people["adam"])
    services.publish(version=draft, actor=world.people["alice"])
    assert draft_of(world.a) is None
    new = services.draft_start(workspace=world.a, actor=world.people["mike"])
    assert (new.number, new.based_on_id) == (2, draft.pk)
    assert (
        Assignment.objects.filter(version=new).count()
        == Assignment.objects.filter(version=draft).count()
    )


def test_grid_queries_do_not_grow_with_activities(
    world: Any,
    draft: MatrixVersion,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    alice = client_for(world.people["alice"])
    services.person_column_add(
        version=draft, membership=world.member("maya"), actor=world.people["alice"]
    )
    alice.get("/w/alpha/raci/")
    with django_assert_max_num_queries(30) as small:
        page = alice.get("/w/alpha/raci/")
    assert page.status_code == 200
    assert page.content.count(b'class="cell-input"') == 18 * (2 + 1)
    function = Activity.objects.filter(workspace=world.a).first().function
    for i in range(40):
        activity = Activity.objects.create(
            workspace=world.a, function=function, name=f"Extra {i}", position=100 + i
        )
        Assignment.objects.create(
            workspace=world.a, version=draft, activity=activity, team=world.a_in_house, roles="RA"
        )
    for i in range(3):
        person = join(
            world.a,
            world.people["alice"],
            world.a_agency,
            make_user(f"x{i}@agency.example", f"X{i}"),
            "member",
        )
        services.person_column_add(version=draft, membership=person, actor=world.people["alice"])
    with django_assert_num_queries(len(small.captured_queries)):
        page = alice.get("/w/alpha/raci/")
    assert page.status_code == 200
    assert page.content.count(b'class="cell-input"') == (18 + 40) * (2 + 1 + 3)


def test_reorder_rename_and_archive(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    content = Activity.objects.get(workspace=world.a, name="內容策略").function
    order = lambda: list(  # noqa: E731
        Activity.objects.filter(function=content, archived_at__isnull=True)
        .order_by("position")
        .values_list("name", flat=True)
    )
    first, second = order()[:2]
    blog = Activity.objects.get(workspace=world.a, name=second)
    alice.post(f"/w/alpha/raci/activities/{blog.pk}/move/", {"direction": "up"})
    assert order()[:2] == [second, first]
    alice.post(
        f"/w/alpha/raci/activities/{blog.pk}/move/", {"direction": "up"}
    )  # already first: no change
    assert order()[:2] == [second, first]
    assert (
        alice.post(
            f"/w/alpha/raci/activities/{blog.pk}/move/", {"direction": "sideways"}
        ).status_code
        == 403
    )

    alice.post(f"/w/alpha/raci/functions/{content.pk}/", {"name": "內容行銷", "revision": 1})
    content.refresh_from_db()
    assert content.name == "內容行銷"
    response = alice.post(
        f"/w/alpha/raci/functions/{content.pk}/", {"name": "廣告", "revision": 2}, follow=True
    )
    assert any("already a function" in str(m) for m in response.context["messages"])
    response = alice.post(f"/w/alpha/raci/functions/{content.pk}/", {"archive": "1"}, follow=True)
    assert any("activities first" in str(m) for m in response.context["messages"])
    content.refresh_from_db()
    assert content.archived_at is None and content.name == "內容行銷"
    grid = load_grid(draft, "en")
    assert grid.functions[0][0] == "內容行銷"


def test_cell_changes_reads_the_grid_form() -> None:
    posted = {
        "c:1:team-2": "R/C",
        "e:1:team-2": "R",
        "c:1:team-3": " A ",  # unchanged but for spaces: not a change
        "e:1:team-3": "A",
        "c:4": "I",  # no party: kept, the service refuses it
        "revision": "3",
    }
    changes = services.cell_changes(posted)
    assert [(c.activity_key, c.party_key, c.value, c.expected) for c in changes] == [
        ("1", "team-2", "R/C", "R"),
        ("4", "", "I", ""),
    ]
    # The grid's script posts one named cell: that one only, even unchanged.
    only = services.cell_changes(posted, only="c:1:team-3")
    assert [(c.key, c.value) for c in only] == [(("1", "team-3"), " A ")]


def test_cells_set_is_all_or_nothing_without_the_page(world: Any, draft: MatrixVersion) -> None:
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    seo = Activity.objects.get(workspace=world.a, name="SEO 優化")
    agency = f"team-{world.a_agency.pk}"
    alice = world.people["alice"]
    good = services.CellChange(str(blog.pk), agency, "R/C", "R")
    stale = services.CellChange(str(seo.pk), agency, "C", "A")  # it holds R
    result = services.cells_set(version=draft, changes=[good, stale], actor=alice)
    assert result.saved == {}
    assert result.conflicts == {stale.key: "R"}
    assert len(result.problems) == 1 and "SEO 優化" in result.problems[0]
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "R"
    unknown = services.CellChange("x", agency, "R", "")
    result = services.cells_set(version=draft, changes=[good, unknown], actor=alice)
    assert result.saved == {} and result.problems == ["Unknown activity."]
    result = services.cells_set(version=draft, changes=[good], actor=alice)
    assert result.saved == {good.key: "R/C"} and not result.problems
    assert Assignment.objects.get(version=draft, activity=blog, team=world.a_agency).roles == "RC"
    foreign = services.CellChange(str(10**9), agency, "R", "")
    with pytest.raises(Activity.DoesNotExist):
        services.cells_set(version=draft, changes=[foreign], actor=alice)


def test_an_activity_with_a_new_function_is_added_whole_or_not_at_all(world: Any) -> None:
    alice = world.people["alice"]
    assert draft_of(world.a) is None
    with pytest.raises(ValidationError):
        services.activity_add(
            workspace=world.a, actor=alice, function="直播", name="  ", kind="execution", split=""
        )
    # Refused: neither the new function nor a draft is left behind.
    assert not Function.objects.filter(workspace=world.a, name="直播").exists()
    assert draft_of(world.a) is None
    added = services.activity_add(
        workspace=world.a, actor=alice, function="直播", name="直播腳本", kind="execution", split=""
    )
    assert added.function.name == "直播" and added.function.workspace_id == world.a.pk
    assert draft_of(world.a) is not None
    response = client_for(alice).post(
        "/w/alpha/raci/activities/new/",
        {"function": "", "new_function": "活動", "name": "快閃店", "kind": "execution"},
    )
    assert response.status_code == 302
    assert Activity.objects.get(workspace=world.a, name="快閃店").function.name == "活動"
