"""The RACI import's column mapping (issue 10): the preview shows how the file was read
and what each of its columns becomes (an existing team or person, a new team, or
nothing); people change that and see the preview again from the same signed file; the
import creates the new teams with the grid in one transaction; the mapping is
remembered for the next import; every choice is checked on the server."""

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from crewplan.audit.models import AuditEvent, UsedToken
from crewplan.raci import imports, services
from crewplan.raci.models import Activity, Assignment, ColumnMapping
from crewplan.raci.queries import draft_of
from crewplan.raci.xlsx import read_matrix
from crewplan.workspaces import services as workspace_services
from crewplan.workspaces.models import Membership, Team
from tests.factories import client_for

# A sheet of people's own: a title, a legend, a blank row, then the header (row 4), a
# section and three tasks. It says nothing of in-house or external.
SHEET = (
    "RACI matrix — spring campaign,,,,\n"
    "R = Responsible,A = Accountable,C = Consulted,I = Informed,\n"
    ",,,,\n"
    "Task,Marketing,Our agency,Mike,Finance\n"
    "Content,,,,\n"
    "Blog post,A,R,C,\n"
    "Newsletter,A,R,,I\n"
    "Spring sale budget,A,C,,R\n"
)
MARKETING, AGENCY, MIKE, FINANCE = range(4)  # the sheet's party columns


def upload(client: Any, text: str = SHEET, name: str = "spring.csv") -> Any:
    f = io.BytesIO(text.encode())
    f.name = name
    return client.post("/w/alpha/raci/import/", {"file": f})


def form(choices: dict[int, str]) -> dict[str, str]:
    return {f"column-{i}": v for i, v in choices.items()}


def mapped(client: Any, step: str, token: str, choices: dict[int, str]) -> Any:
    """Post the mapping form: `step` is "preview" (update) or "confirm"."""
    return client.post(f"/w/alpha/raci/import/{step}/", {"plan": token, **form(choices)})


def proposed(response: Any) -> list[str]:
    return [t.choice for t in response.context["mapping"]]


def grid(world: Any) -> dict[tuple[str, str], str]:
    """The draft's cells: (activity, team name or person's name) -> letters."""
    draft = draft_of(world.a)
    if draft is None:
        return {}
    cells = Assignment.objects.filter(version=draft).select_related(
        "activity", "team", "membership__user"
    )
    return {
        (c.activity.name, c.team.name if c.team else c.membership.user.display_name): c.roles
        for c in cells
    }


def counts() -> dict[str, int]:
    models = (Team, Assignment, Activity, ColumnMapping, AuditEvent, UsedToken, Membership)
    return {m.__name__: m.objects.count() for m in models}


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_preview_shows_how_the_sheet_was_read_and_saves_nothing(world: Any) -> None:
    alice = client_for(world.people["alice"])
    before = counts()
    response = upload(alice)
    assert response.status_code == 200, response.context["plan"].problems
    page = response.content.decode()
    for line in (
        "CSV (utf-8, “,”), header on row 4.",
        "Activities: column A (“Task”).",
        "Roles: B Marketing, C Our agency, D Mike, E Finance.",
        "guessed from their names until they are mapped to teams",
    ):
        assert line in page
    skipped = {(s["row"], s["why"]) for s in response.context["layout"]["skipped"]}
    assert skipped == {
        (1, "above the header (a title or a note)"),
        (2, "a legend of the letters"),
        (5, "a section: the function of the activities below"),
    }
    assert 'data-skipped="2"' in page and "<details" in page
    # Nothing matches by name: the owner is offered new teams of the guessed kinds.
    assert proposed(response) == ["new-internal", "new-external", "new-internal", "new-internal"]
    assert page.index('id="import-layout"') < page.index('class="raci-grid"')
    assert counts() == before


def test_many_skipped_rows_are_listed_collapsed(world: Any) -> None:
    notes = "".join(f"Note {n},,,,\n" for n in range(12))
    response = upload(client_for(world.people["alice"]), notes + SHEET)
    assert response.context["layout"]["collapsed"] is True
    assert len(response.context["layout"]["skipped"]) == 15
    assert '<details id="skipped-rows">' in response.content.decode()  # not open


def test_columns_mapped_to_a_team_a_person_and_ignored(world: Any) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    choices = {
        MARKETING: f"team-{world.a_in_house.pk}",
        AGENCY: f"team-{world.a_agency.pk}",
        MIKE: f"person-{world.member('mike').pk}",
        FINANCE: "ignore",
    }
    teams = Team.objects.count()
    preview = mapped(alice, "preview", token, choices)
    assert preview.status_code == 200 and 'id="import-confirm"' in preview.content.decode()
    assert proposed(preview) == list(choices.values())  # the page keeps what was chosen
    assert preview.context["columns"] == [
        world.a_in_house.name,
        world.a_agency.name,
        f"Mike 林 ({world.a_in_house.name})",
    ]
    assert not Assignment.objects.exists()  # updating the preview saves nothing
    done = mapped(alice, "confirm", token, choices)
    assert done.status_code == 302
    home, agency = world.a_in_house.name, world.a_agency.name
    assert grid(world) == {
        ("Blog post", home): "A",
        ("Blog post", agency): "R",
        ("Blog post", "Mike 林"): "C",
        ("Newsletter", home): "A",
        ("Newsletter", agency): "R",
        ("Spring sale budget", home): "A",
        ("Spring sale budget", agency): "C",
    }
    assert Team.objects.count() == teams
    assert draft_of(world.a).people == [world.member("mike").pk]  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action="raci.imported")
    assert event.after["columns"] == {
        "Marketing": home,
        "Our agency": agency,
        "Mike": f"Mike 林 ({home})",
        "Finance": None,
    }


def test_a_new_external_team_is_created_with_the_grid(world: Any) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    choices = {MARKETING: f"team-{world.a_in_house.pk}", MIKE: "ignore", FINANCE: "ignore"}
    # The agency column keeps its proposal: a new external team.
    preview = mapped(alice, "preview", token, choices)
    assert preview.context["columns"][1] == "Our agency (new external team)"
    assert "Team “Our agency” is created when you import." in preview.content.decode()
    assert not Team.objects.filter(name="Our agency").exists()
    assert mapped(alice, "confirm", token, choices).status_code == 302
    team = Team.objects.get(workspace=world.a, name="Our agency")
    assert team.kind == Team.Kind.EXTERNAL
    assert grid(world)[("Newsletter", "Our agency")] == "R"
    created = AuditEvent.objects.get(action="team.created", target_id=str(team.pk))
    assert created.workspace == world.a and created.actor == world.people["alice"]
    assert created.after == {"name": "Our agency", "kind": "external"}
    assert AuditEvent.objects.filter(action="raci.imported").count() == 1


def test_a_failing_import_creates_no_team(world: Any) -> None:
    """The new team is created in the import's transaction: an activity the database
    refuses (a name past 120 characters) takes the team, the mapping and the token back."""
    alice = client_for(world.people["alice"])
    sheet = SHEET.replace("Newsletter", "Newsletter " + "長" * 130)
    token = upload(alice, sheet).context["token"]
    before = counts()
    response = mapped(alice, "confirm", token, {MIKE: "ignore", FINANCE: "ignore"})
    assert response["Location"] == "/w/alpha/raci/import/"
    assert "at most 120 characters" in messages_of(alice.get(response["Location"]))
    assert not Team.objects.filter(name__in=["Our agency", "Marketing"]).exists()
    assert counts() == before


@pytest.mark.parametrize(
    "choice",
    [
        "team-{b_team}",  # another workspace's team
        "person-{charlie}",  # another workspace's person
        "team-99999999",
        "team-²",
        f"person-{2**63}",
        "team-",
        "new-sideways",
        "DROP TABLE",
    ],
)
def test_a_tampered_or_foreign_choice_is_refused_and_nothing_changes(
    world: Any, choice: str
) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    value = choice.format(
        b_team=world.b_team.pk, charlie=Membership.objects.get(user=world.people["charlie"]).pk
    )
    before = counts()
    response = mapped(alice, "confirm", token, {MARKETING: value})
    assert response.status_code == 400
    assert 'id="import-confirm"' not in response.content.decode()
    assert (
        "Column “Marketing”: choose one of the teams or people listed, or “Ignore this column”."
        in response.context["plan"].problems[0][1]
    )
    assert proposed(response)[MARKETING] == ""  # shown as "choose", not as the value posted
    assert counts() == before
    # The service checks again inside its transaction, for any caller.
    read = imports.open_read(world.a, token)
    with pytest.raises(ValidationError):
        services.import_apply(
            workspace=world.a,
            actor=world.people["alice"],
            read=read,
            choices=[value, "new-external", "ignore", "ignore"],
            may_create_teams=True,
            preview=token,
        )
    assert counts() == before


def test_two_columns_on_one_team_or_every_column_ignored_is_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    home = f"team-{world.a_in_house.pk}"
    before = counts()
    twice = mapped(alice, "confirm", token, {MARKETING: home, FINANCE: home})
    assert twice.status_code == 400
    assert (
        f"Columns “Marketing” and “Finance” are both mapped to {world.a_in_house.name}"
        in " ".join(m for _r, m in twice.context["plan"].problems)
    )
    nothing = mapped(alice, "confirm", token, dict.fromkeys(range(4), "ignore"))
    assert nothing.status_code == 400
    assert "Every column is ignored" in nothing.content.decode()
    workspace_services.team_create(
        workspace=world.a, actor=world.people["alice"], name="marketing", kind="internal"
    )
    before = counts()
    taken = mapped(alice, "confirm", token, {MARKETING: "new-internal"})
    assert taken.status_code == 400
    assert "there is already a team of that name" in taken.content.decode()
    assert counts() == before


def test_a_stated_kind_that_contradicts_the_team_is_a_problem(world: Any) -> None:
    """crewplan's own layout states kinds: mapping an external column to an in-house
    team is refused until the file or the mapping agrees."""
    alice = client_for(world.people["alice"])
    own = (
        f"Function,Activity,Studio X,{world.a_in_house.name}\n"
        ",,external,internal\n"
        "Content,Blog post,R,A\n"
    )
    response = upload(alice, own, "own.csv")
    assert proposed(response) == ["new-external", f"team-{world.a_in_house.pk}"]
    assert response.status_code == 200
    wrong = mapped(alice, "preview", response.context["token"], {0: f"team-{world.a_in_house.pk}"})
    assert wrong.status_code == 400
    assert "Column “Studio X” says external, but the team is internal." in (wrong.content.decode())


def test_the_remembered_mapping_is_proposed_next_time(world: Any) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    choices = {
        MARKETING: f"team-{world.a_in_house.pk}",
        AGENCY: f"team-{world.a_agency.pk}",
        MIKE: f"person-{world.member('mike').pk}",
        FINANCE: "ignore",
    }
    assert mapped(alice, "confirm", token, choices).status_code == 302
    remembered = {m.header: (m.team_id, m.membership_id) for m in ColumnMapping.objects.all()}
    assert remembered == {
        "marketing": (world.a_in_house.pk, None),
        "our agency": (world.a_agency.pk, None),
        "mike": (None, world.member("mike").pk),
        "finance": (None, None),
    }
    # The remembered mapping comes before a team whose name is the header.
    workspace_services.team_create(
        workspace=world.a, actor=world.people["alice"], name="Marketing", kind="internal"
    )
    again = upload(alice, SHEET.replace("Our agency", "OUR  AGENCY"))
    assert proposed(again) == list(choices.values())
    # Another workspace remembers nothing of A's.
    assert not ColumnMapping.objects.filter(workspace=world.b).exists()


def test_a_later_import_replaces_the_remembered_mapping(world: Any) -> None:
    alice = client_for(world.people["alice"])
    ignore_all_but_marketing = {AGENCY: "ignore", MIKE: "ignore", FINANCE: "ignore"}
    first = upload(alice).context["token"]
    assert mapped(alice, "confirm", first, ignore_all_but_marketing).status_code == 302
    marketing = Team.objects.get(workspace=world.a, name="Marketing")  # created as proposed
    second = upload(alice)
    assert proposed(second) == [f"team-{marketing.pk}", "ignore", "ignore", "ignore"]
    choices = {MARKETING: f"team-{world.a_in_house.pk}", AGENCY: "new-external"}
    done = mapped(alice, "confirm", second.context["token"], choices)
    assert done["Location"] == "/w/alpha/raci/", messages_of(alice.get(done["Location"]))
    agency = Team.objects.get(workspace=world.a, name="Our agency")
    third = upload(alice)
    assert proposed(third) == [f"team-{world.a_in_house.pk}", f"team-{agency.pk}"] + ["ignore"] * 2


@pytest.mark.parametrize("name", ["vera", "amy", "charlie"])
def test_people_who_may_not_edit_the_matrix_are_refused(world: Any, name: str) -> None:
    token = upload(client_for(world.people["alice"])).context["token"]
    other = client_for(world.people[name])
    before = counts()
    assert upload(other).status_code in (403, 404)
    assert mapped(other, "preview", token, {}).status_code in (403, 404)
    assert mapped(other, "confirm", token, {}).status_code in (403, 404)
    assert counts() == before


def test_an_agency_manager_maps_to_existing_teams_but_creates_none(world: Any) -> None:
    """Adam manages the agency's team: he edits the matrix but may not create teams."""
    adam = client_for(world.people["adam"])
    response = upload(adam)
    assert response.status_code == 400  # no column matches, and no new team is offered
    assert proposed(response) == ["", "", "", ""]
    assert "Column “Our agency”: there is no team of that name in this workspace." in (
        response.content.decode()
    )
    assert 'value="new-external"' not in response.content.decode()
    token = response.context["token"]
    before = counts()
    refused = mapped(adam, "confirm", token, {AGENCY: "new-external"})
    assert refused.status_code == 400
    assert "only the workspace's owners and in-house managers may create teams" in " ".join(
        m for _row, m in refused.context["plan"].problems
    )
    read = imports.open_read(world.a, token)
    with pytest.raises(ValidationError):
        services.import_apply(
            workspace=world.a,
            actor=world.people["adam"],
            read=read,
            choices=["ignore", "new-external", "ignore", "ignore"],
            may_create_teams=False,
            preview=token,
        )
    assert counts() == before
    choices = {
        MARKETING: f"team-{world.a_in_house.pk}",
        AGENCY: f"team-{world.a_agency.pk}",
        MIKE: "ignore",
        FINANCE: "ignore",
    }
    assert mapped(adam, "confirm", token, choices).status_code == 302
    assert grid(world)[("Blog post", world.a_agency.name)] == "R"
    assert Team.objects.count() == before["Team"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["How the file was read", "What each column becomes", "Update preview"]),
        (
            "zh-hant",
            [
                "檔案的讀法",
                "每一欄的對應",
                "更新預覽",
                "CSV（utf-8，分隔符號「,」），表頭在第 4 列。",
                "新增外部團隊",
                "略過這一欄",
            ],
        ),
    ],
)
def test_the_mapping_page_in_both_languages(world: Any, language: str, words: list[str]) -> None:
    alice = world.people["alice"]
    alice.language = language
    alice.save(update_fields=["language"])
    page = upload(client_for(alice)).content.decode()
    for word in words:
        assert word in page


def test_update_preview_with_a_changed_token_is_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    token = upload(alice).context["token"]
    response = alice.post(
        "/w/alpha/raci/import/preview/", {"plan": token[:-3] + "xyz"}, follow=True
    )
    assert "expired or was changed" in messages_of(response)
    charlie = client_for(world.people["charlie"])
    foreign = charlie.post("/w/beta/raci/import/preview/", {"plan": token}, follow=True)
    assert "已過期或已變更" in messages_of(foreign)  # B works in Chinese; A's token is no use
    assert foreign.redirect_chain == [("/w/beta/raci/import/", 302)]


def test_the_whole_flow_with_a_sheet_of_peoples_own(world: Any) -> None:
    """Upload a sheet with a title and a legend, correct the mapping twice, import, and
    import the next month's file with the mapping remembered."""
    alice = client_for(world.people["alice"])
    first = upload(alice)
    token = first.context["token"]
    assert first.context["plan"].problems == []
    # First try: Mike as a team of his own is not what was meant.
    step = mapped(alice, "preview", token, {MIKE: f"person-{world.member('mike').pk}"})
    assert step.status_code == 200
    # Then: Marketing is the in-house team, Finance is not part of this matrix.
    choices = {
        MARKETING: f"team-{world.a_in_house.pk}",
        AGENCY: "new-external",
        MIKE: f"person-{world.member('mike').pk}",
        FINANCE: "ignore",
    }
    step = mapped(alice, "preview", token, choices)
    assert step.context["columns"] == [
        world.a_in_house.name,
        "Our agency (new external team)",
        f"Mike 林 ({world.a_in_house.name})",
    ]
    rows = {r["name"]: r["cells"] for r in step.context["preview"]}
    assert rows == {
        "Blog post": ["A", "R", "C"],
        "Newsletter": ["A", "R", ""],
        "Spring sale budget": ["A", "C", ""],
    }
    done = alice.post("/w/alpha/raci/import/confirm/", {"plan": token, **form(choices)})
    assert done.status_code == 302 and done["Location"] == "/w/alpha/raci/"
    agency = Team.objects.get(workspace=world.a, name="Our agency")
    activities = Activity.objects.filter(workspace=world.a, archived_at__isnull=True)
    assert {(a.function.name, a.name, a.kind) for a in activities} == {
        ("Content", "Blog post", "execution"),
        ("Content", "Newsletter", "execution"),
        ("Content", "Spring sale budget", "budget"),
    }
    assert grid(world)[("Blog post", "Our agency")] == "R"
    assert grid(world)[("Blog post", "Mike 林")] == "C"
    # The same preview cannot be imported twice.
    again = alice.post("/w/alpha/raci/import/confirm/", {"plan": token}, follow=True)
    assert "already been imported" in messages_of(again)
    # Next month's file, with an extra task: the mapping is proposed as remembered.
    later = upload(alice, SHEET + "Launch event,A,R,I,\n")
    assert proposed(later) == [
        f"team-{world.a_in_house.pk}",
        f"team-{agency.pk}",
        f"person-{world.member('mike').pk}",
        "ignore",
    ]
    assert (
        alice.post("/w/alpha/raci/import/confirm/", {"plan": later.context["token"]}).status_code
        == 302
    )
    assert grid(world)[("Launch event", "Mike 林")] == "I"
    assert Team.objects.filter(workspace=world.a, name="Our agency").count() == 1


def test_read_sheet_survives_the_signed_preview(world: Any) -> None:
    """What the token carries is what was read: layout, columns, cells and problems."""
    result = read_matrix(
        SHEET.replace("Blog post,A,R,C,", "Blog post,A,R,S,").encode(), name="s.csv"
    )
    read = imports.sheet_read(result, "s.csv")
    back = imports.open_read(world.a, imports.sign_read(world.a, read))
    assert back == read
