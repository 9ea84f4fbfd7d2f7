"""The demo workspace: a Taiwanese bakery chain with an e-shop, its in-house marketing
team of three and its digital agency of four, plus a second client of the same agency
(so the workspace switcher has something to switch). Built through the services, like
real data, so the audit log reads as it would."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from crewplan.accounts.models import User
from crewplan.workspaces import services
from crewplan.workspaces.models import Membership, Team, Workspace

DEMO_SLUG = "maixiang"
DEMO_PASSWORD = "crewplan-demo"  # noqa: S105 -- printed to the user: demo data only


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    title: str
    role: str


IN_HOUSE = [
    DemoPerson("owner@maixiang.example", "陳志明", "老闆", Membership.Role.OWNER),
    DemoPerson("marketing@maixiang.example", "林佳蓉", "行銷經理", Membership.Role.MANAGER),
    DemoPerson("ecommerce@maixiang.example", "黃怡君", "電商行銷專員", Membership.Role.MEMBER),
]
AGENCY = [
    DemoPerson("account@sparkdigital.example", "張家豪", "客戶經理", Membership.Role.MANAGER),
    DemoPerson("content@sparkdigital.example", "李雅婷", "內容企劃", Membership.Role.MEMBER),
    DemoPerson("ads@sparkdigital.example", "吳宗翰", "廣告投放", Membership.Role.MEMBER),
    DemoPerson("data@sparkdigital.example", "蔡欣怡", "數據分析", Membership.Role.VIEWER),
]
PEOPLE = IN_HOUSE + AGENCY


def demo_exists() -> bool:
    return Workspace.objects.filter(slug=DEMO_SLUG).exists()


def _user(person: DemoPerson) -> User:
    user = User.objects.filter(email=person.email).first()
    return user or User.objects.create_user(person.email, DEMO_PASSWORD, full_name=person.name)


def _join(workspace: Workspace, actor: User, team: Team, person: DemoPerson) -> None:
    user = _user(person)
    _, token = services.invitation_create(
        workspace=workspace,
        actor=actor,
        email=person.email,
        team=team,
        role=person.role,
        send=False,
    )
    membership = services.invitation_accept(token=token, user=user)
    services.membership_change(membership=membership, actor=user, title=person.title)


@transaction.atomic
def load_demo() -> Workspace:
    owner = _user(IN_HOUSE[0])
    bakery = services.workspace_create(
        name="麥香烘焙坊",
        slug=DEMO_SLUG,
        owner=owner,
        team_name="品牌行銷部",
        fiscal_year_start_month=1,
    )
    in_house = Team.objects.for_workspace(bakery).get()
    services.membership_change(
        membership=Membership.objects.for_workspace(bakery).get(user=owner),
        actor=owner,
        title=IN_HOUSE[0].title,
    )
    agency = services.team_create(
        workspace=bakery, actor=owner, name="星火數位行銷", kind=Team.Kind.EXTERNAL
    )
    for person in IN_HOUSE[1:]:
        _join(bakery, owner, in_house, person)
    for person in AGENCY:
        _join(bakery, owner, agency, person)
    services.invitation_create(
        workspace=bakery,
        actor=owner,
        email="photo@freelance.example",
        team=agency,
        role=Membership.Role.MEMBER,
        send=False,
    )

    _demo_raci(bakery, in_house, agency)
    _demo_goals(bakery, in_house, owner)
    from crewplan.planning import demo as planning_demo  # planning builds on workspaces

    planning_demo.load(bakery, in_house, agency, owner)
    from crewplan.work import demo as work_demo

    work_demo.load(bakery)
    from crewplan.measure import demo as measure_demo  # results of the plan and the work

    measure_demo.load(bakery)
    from crewplan.reallocation import demo as reallocation_demo  # fitted on those results

    reallocation_demo.load(bakery, owner)

    # The agency's other client: the same account manager works in both.
    tea_owner = _user(DemoPerson("owner@shanlan.example", "許文華", "老闆", Membership.Role.OWNER))
    tea = services.workspace_create(
        name="山嵐茶飲", slug="shanlan", owner=tea_owner, team_name="行銷部"
    )
    tea_agency = services.team_create(
        workspace=tea, actor=tea_owner, name="星火數位行銷", kind=Team.Kind.EXTERNAL
    )
    _join(tea, tea_owner, tea_agency, AGENCY[0])
    return bakery


def _demo_raci(bakery: Workspace, in_house: Team, agency: Team) -> None:
    """v1 signed by both sides and published; v2 in draft with a new activity that still
    lacks its A, so the demo shows a finding to fix."""
    from crewplan.raci import services as raci
    from crewplan.raci.models import Function

    members = {
        m.user.email: m for m in Membership.objects.for_workspace(bakery).select_related("user")
    }
    lin, zhang = members[IN_HOUSE[1].email].user, members[AGENCY[0].email].user
    v1 = raci.template_apply(
        workspace=bakery, actor=lin, in_house=in_house, agency=agency, language="zh-hant"
    )
    raci.sign_off(version=v1, team=in_house, actor=lin)
    raci.sign_off(version=v1, team=agency, actor=zhang)
    raci.publish(version=v1, actor=lin)
    v2 = raci.draft_start(workspace=bakery, actor=lin)
    social = next(f for f in Function.objects.for_workspace(bakery) if f.name == "社群")
    pop = raci.activity_save(
        workspace=bakery,
        actor=lin,
        function=social,
        name="門市 POP 與 LINE 推播",
        kind="execution",
        split="",
    )
    raci.cell_set(
        version=v2, activity=pop, party_key=f"team-{agency.pk}", text="R", expected="", actor=zhang
    )


def _months_from(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _demo_goals(bakery: Workspace, in_house: Team, owner: User) -> None:
    """Two catalogue KPIs with a year of history, one SMART goal and one still vague."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from crewplan.planning.goals import services as planning
    from crewplan.planning.goals.forms import last_months

    conversion, roas = planning.kpis_add_from_catalogue(
        workspace=bakery, actor=owner, keys=["conversion_rate", "roas"], language="zh-hant"
    )
    today = timezone.localdate()
    months = last_months(today)
    rates = [
        "1.52",
        "1.55",
        "1.49",
        "1.58",
        "1.61",
        "1.6",
        "1.66",
        "1.7",
        "1.68",
        "1.74",
        "1.78",
        "1.8",
    ]
    planning.kpi_history_set(
        kpi=conversion, actor=owner, values=dict(zip(months, map(Decimal, rates), strict=True))
    )
    # Targets the quarterly review judges: the conversion rate stepping towards the goal's
    # 2.1 % from three months back, month by month; a ROAS of 8 for this fiscal quarter
    # and the one before (a money KPI: left out of the agency's copy).
    this_month = today.replace(day=1)
    steps = ["1.8", "1.85", "1.9", "1.95", "2.0", "2.05", "2.1"]
    planning.kpi_targets_set(
        kpi=conversion,
        actor=owner,
        values={
            ("month", _months_from(this_month, i - 3)): Decimal(step)
            for i, step in enumerate(steps)
        },
    )
    offset = (this_month.month - bakery.fiscal_year_start_month) % 3
    quarter = _months_from(this_month, -offset)
    planning.kpi_targets_set(
        kpi=roas,
        actor=owner,
        values={
            ("quarter", _months_from(quarter, -3)): Decimal(8),
            ("quarter", quarter): Decimal(8),
        },
    )
    planning.goal_save(
        workspace=bakery,
        actor=owner,
        data={
            "text": "官網轉換率在 6 個月內從 1.8% 提升到 2.1%，以會員回購為主",
            "kpi": conversion,
            "baseline": Decimal("1.8"),
            "target": Decimal("2.1"),
            "deadline": today + timedelta(days=183),
            "objective": "線上營收占比在明年底達到 30%",
            "owner": in_house,
        },
    )
    planning.goal_save(
        workspace=bakery,
        actor=owner,
        data={
            "text": "提升 IG 聲量",
            "kpi": roas,
            "baseline": None,
            "target": None,
            "deadline": None,
            "objective": "",
            "owner": None,
        },
    )
