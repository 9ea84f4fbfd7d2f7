"""Hostile input never gives a 500 and never half-saves (issue 8).

The walk finds every form of the project the way a person meets them: every workspace
page (from the URL patterns, like tests/test_tenant_isolation.py) is fetched once as
alice, the owner of a populated workspace; every <form> in its HTML is collected with
the values the page filled in. Each form is then submitted once per field and hostile
value, the other fields kept at the page's own values. Every page is also fetched with
hostile values in each query parameter its view reads. Each submission runs in a
transaction that is rolled back afterwards, so all of them start from the same data.

Asserted for every request: no 5xx. For a refused submission (an error status, a page
shown again, or an error message) the row counts of every workspace-owned table are
unchanged; for an accepted one every stored text fits its column, holds no NUL and every
stored date lies in the sane range.
"""

import inspect
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.test import Client
from django.urls import resolve

from crewplan.lib.params import int_param, year_param
from crewplan.lib.text import single_line
from crewplan.measure import expenses as expense_services
from crewplan.measure.expense_file import read_expenses
from crewplan.measure.models import Channel, ChannelAlias, Expense
from crewplan.optimize import document
from crewplan.optimize.curves import ChannelCurve, Hill
from crewplan.planning.budget import services as budget_services
from crewplan.planning.goals import services as planning_services
from crewplan.planning.models import BudgetVersion, Goal
from crewplan.planning.tools import services as tool_services
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Assignment, Function, MatrixVersion
from crewplan.reallocation import services as reallocation_services
from crewplan.reallocation.models import Fit
from crewplan.reports.report import ReportAction
from crewplan.work import feeds
from crewplan.work import services as work_services
from crewplan.work.models import WorkItem
from crewplan.workspaces import services
from tests.factories import build, client_for, queued_import, stored_report, walk

HOSTILE = {
    "negative": "-1",
    "huge": str(10**30),
    "past int64": str(2**63),
    "exponent": "1e308",
    "nan": "NaN",
    "infinity": "Infinity",
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "year 10000": "10000-01-01",
    "datetime year 1": "0001-01-01T00:00",
    "datetime year 9999": "9999-12-31T23:59",
    "100k characters": "長" * 100_000,
    "NUL": "a\x00b",
    "emoji": "👩‍👩‍👧‍👦🎉",
    "combining marks": "e\u0301\u0302\u0303\u0304",
    "superscript digit": "²",
    "RTL marks": "\u202eevil\u200f",
    "formula": "=cmd|' /C calc'!A0",
    "CR/LF": "a\r\nBcc: x@y.example",
}
# Which values each kind of input gets, to keep the walk under a minute: the attacks on
# its kind of parsing, and the few that break any parsing (², NUL, 100k characters,
# numbers past 64 bits). Every value of HOSTILE is sent to some kind of field.
ANY = ["superscript digit", "NUL", "100k characters", "huge", "negative"]
TEXT = [*ANY, "emoji", "combining marks", "RTL marks", "formula", "CR/LF", "year 9999"]
NUMBER = [*ANY, "past int64", "exponent", "nan", "infinity", "year 1", "year 10000"]
DATE = [*ANY, "year 1", "year 9999", "year 10000", "datetime year 1", "datetime year 9999"]
CHOICE = [*ANY, "past int64"]
VALUES_FOR = {"text": TEXT, "textarea": TEXT, "email": TEXT, "search": TEXT, "choice": CHOICE}
VALUES_FOR |= {"date": DATE, "datetime-local": DATE}  # number, hidden and the rest: NUMBER
# Query parameters: ids, years, dates and choices.
QUERY = [*NUMBER, "year 9999", "RTL marks"]
SANE_YEARS = range(1990, 2101)
ACCEPTED = {204, 301, 302, 303}
# Done, and answered with a page rather than a redirect: the new feed address is shown
# this once (only its hash is stored), so there is nothing to redirect to.
ANSWERED_WITH_A_PAGE = {"work_feed_renew"}
# Forms that end the session or leave the workspace for good are not the subject here.
SKIPPED_ACTIONS = {"accounts:logout"}


@dataclass
class Form:
    page: str
    method: str
    action: str
    hx_post: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type, "choice", ...


class FormParser(HTMLParser):
    """Every <form> of a page with the values a browser would submit (the first named
    submit button included: some forms say what to do by the button)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, bool, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.option_value: str | None = None
        self.textarea: str | None = None
        self.text = ""
        self.button_taken = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            self.form = Form(
                page=self.page,
                method=attrs.get("method", "get").lower(),
                action=attrs.get("action", "") or self.page,
                hx_post=attrs.get("hx-post", ""),
            )
            self.button_taken = False
            return
        if self.form is None:
            return
        name = attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                self.form.kinds[name] = "choice"
                if "checked" in attrs:
                    self.form.fields.append((name, attrs.get("value", "on")))
            elif kind in {"submit", "button", "image"}:
                self._button(name, attrs)
            elif kind not in {"file", "reset"}:
                self.form.kinds[name] = kind
                self.form.fields.append((name, attrs.get("value", "")))
        elif tag == "button" and name:
            self._button(name, attrs)
        elif tag == "textarea" and name:
            self.form.kinds[name] = "textarea"
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.form.kinds[name] = "choice"
            self.select, self.options = (name, "multiple" in attrs, "required" in attrs), []
        elif tag == "option" and self.select:
            self.option_value = attrs.get("value")
            self.options.append((attrs.get("value", ""), "selected" in attrs))
            self.text = ""

    def _button(self, name: str, attrs: dict[str, str]) -> None:
        if self.form is not None and not self.button_taken:
            self.form.fields.append((name, attrs.get("value", "")))
            self.form.kinds[name] = "choice"
            self.button_taken = True

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.select and self.option_value is None and self.options:
            self.options[-1] = (self.text.strip(), self.options[-1][1])
        if tag == "textarea" and self.form is not None and self.textarea:
            self.form.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.form is not None and self.select:
            name, multiple, required = self.select
            chosen = [v for v, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                # The browser's default is the first option; of a required list, a person
                # picks the first real one, so the form can succeed.
                real = [v for v, _selected in self.options if v or not required]
                chosen = [real[0] if real else self.options[0][0]]
            self.form.fields += [(name, v) for v in chosen]
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


def populate(world: Any) -> dict[str, Any]:
    """Workspace A with something on every page, built through the services; the ids
    every URL pattern needs."""
    a, alice = world.a, world.people["alice"]
    invitation, _token = services.invitation_create(
        workspace=a,
        actor=alice,
        email="pending@a.example",
        team=world.a_agency,
        role="member",
        send=False,
    )
    draft = raci_services.template_apply(
        workspace=a, actor=alice, in_house=world.a_in_house, agency=world.a_agency, language="en"
    )
    (kpi, *_more) = planning_services.kpis_add_from_catalogue(
        workspace=a, actor=alice, keys=["conversion_rate", "traffic_growth"], language="en"
    )
    goal = planning_services.goal_save(
        workspace=a,
        actor=alice,
        data={
            "text": "Conversion to 2.2% by June",
            "kpi": kpi,
            "baseline": Decimal("1.8"),
            "target": Decimal("2.2"),
            "deadline": date(2026, 6, 30),
            "objective": "Online revenue",
            "owner": world.a_in_house,
        },
    )
    tool = tool_services.tool_save(
        workspace=a,
        actor=alice,
        data={
            "name": "Copy assistant",
            "vendor": "Vendor",
            "category": "content_generation",
            "status": "pilot",
            "owner": world.a_in_house,
            "kpi": kpi,
            "customer_data": True,
            "seats": 3,
            "price_per_seat": Decimal(600),
            "flat_fee": Decimal(0),
            "integration": Decimal(5000),
            "training_hours": Decimal(4),
            "training_rate": Decimal(800),
            "training_fees": Decimal(0),
            "data_preparation": Decimal(0),
            "privacy_per_month": Decimal(0),
            "renewal_change": Decimal(0),
        },
    )
    tool_services.estimate_save(
        workspace=a, actor=alice, tool=tool, data={"hours_saved_per_month": Decimal(10)}
    )
    version = budget_services.version_create(
        workspace=a, actor=alice, fiscal_year=2026, name="Original"
    )
    line = budget_services.line_save(
        version=version,
        actor=alice,
        data={
            "category": "tool_subscription",
            "item": "Copy assistant seats",
            "tool": tool,
            "goal": goal,
            "kpi": kpi,
            "channel": None,
            "owner": world.a_in_house,
            "committed": Decimal(0),
            **{f"m{m:02d}": Decimal(1800) for m in range(1, 13)},
        },
    )
    budget_services.version_create(
        workspace=a, actor=alice, fiscal_year=2026, name="Q2 re-forecast", based_on=version
    )
    system = tool_services.system_add(workspace=a, actor=alice, kind="eshop", name="SHOPLINE")
    social = Activity.objects.get(workspace=a, name="Social posts")
    item = work_services.item_create(
        workspace=a,
        membership=world.member("maya"),
        data={
            "title": "Mooncake post",
            "kind": "social_post",
            "activity": social,
            "channel": "facebook_post",
            "copy": "中秋月餅預購開跑！",
            "publish_at": datetime.fromisoformat("2026-09-20T12:00+08:00"),
            "due_on": date(2026, 9, 18),
        },
    )
    work_services.comment_add(item=item, membership=world.member("maya"), body="Draft ready")
    feeds.feed_renew(membership=world.member("alice"))
    an_import = queued_import(a, alice, file_name="ads.csv")
    meta = Channel.objects.get(workspace=a, name="Meta")
    alias = ChannelAlias.objects.create(workspace=a, source_name="facebook", channel=meta)
    expense_services.expense_save(
        workspace=a,
        actor=alice,
        data={
            "line": line,
            "day": date(2026, 3, 5),
            "amount": Decimal(1800),
            "vendor": "Vendor",
            "invoice_number": "AB-00000001",
            "note": "",
        },
    )
    read = read_expenses(
        b"Date,Budget line,Amount\n2026-04-01,Copy assistant seats,900\n", spreadsheet=False
    )
    plan = expense_services.plan_expense_import(a, read, file_name="e.csv", data=b"x")
    token = expense_services.sign_import(a, plan)
    source = expense_services.import_apply(
        workspace=a, actor=alice, data=expense_services.open_import(a, token), preview=token
    )
    curves = document.Curves(
        channels=(ChannelCurve("Meta", Hill(50000, 20000, 1.0), observed_max=30000.0),),
        fit={"weeks": 52, "observed": {"Meta": [10000.0, 20000.0]}},
    )
    fit = Fit.objects.create(
        workspace=a, version=version, quarter=4, status="done", curves=document.dump(curves)
    )
    report = stored_report(a, alice, [ReportAction("k", "Train the team", "")])
    lift_test = reallocation_services.lift_test_add(
        workspace=a,
        actor=alice,
        data={
            "channel": meta,
            "outcome": "revenue",
            "first_day": date(2026, 3, 2),
            "last_day": date(2026, 3, 29),
            "spend_change": Decimal(-1000),
            "incremental": Decimal(-500),
            "standard_error": Decimal(50),
            "note": "Paused in March",
        },
    )
    return {
        "lift_test_id": lift_test.pk,
        "slug": a.slug,
        "fit_id": fit.pk,
        "report_id": report.pk,
        "action_index": 0,
        "import_id": an_import.pk,
        "system_id": system.pk,
        "item_id": item.pk,
        "tool_id": tool.pk,
        "budget_version_id": version.pk,
        "line_id": line.pk,
        "kpi_id": kpi.pk,
        "goal_id": goal.pk,
        "activity_id": social.pk,
        "function_id": Function.objects.get(workspace=a, name="Content").pk,
        "version_id": draft.pk,
        "membership_id": world.member("amy").pk,
        "team_id": world.a_agency.pk,
        "invitation_id": invitation.pk,
        "channel_id": meta.pk,
        "alias_id": alias.pk,
        "expense_id": Expense.objects.filter(workspace=a, source=None).get().pk,
        "expense_import_id": source.pk,
    }


def workspace_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("crewplan.")
        and any(f.name == "workspace" for f in m._meta.get_fields())
    ]


def row_counts() -> tuple[int, ...]:
    """The row count of every workspace-owned table, in one query."""
    tables = [m._meta.db_table for m in workspace_models()]
    sql = "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)  # noqa: S608 -- model tables
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _problem_queries() -> list[str]:
    """One SQL test per text and date column of the project: text past max_length or with
    NUL, dates out of the sane range."""
    queries = []
    low, high = f"{SANE_YEARS.start}-01-01", f"{SANE_YEARS.stop}-01-01"
    for model in apps.get_models():
        if not model.__module__.startswith("crewplan."):
            continue
        table = model._meta.db_table
        for f in model._meta.concrete_fields:
            column, where = f.column, f"{model._meta.label}.{f.name}"
            if isinstance(f, models.CharField | models.TextField):
                tests = [f'LENGTH("{column}") > {f.max_length}'] if f.max_length else []
                if connection.vendor == "sqlite":  # PostgreSQL refuses to store a NUL at all
                    tests.append(f'INSTR("{column}", CHAR(0)) > 0')
                if not tests:
                    continue
                test = " OR ".join(tests)
            elif isinstance(f, models.DateField):  # DateTimeField included
                test = f"\"{column}\" < '{low}' OR \"{column}\" >= '{high}'"
            else:
                continue
            queries.append(f"SELECT '{where}' FROM \"{table}\" WHERE {test}")  # noqa: S608
    return queries


def stored_problems() -> list[str]:
    """The columns holding a value no column should hold (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(_problem_queries()))
        return sorted(row[0] for row in cursor.fetchall())


def refused(response: Any) -> bool:
    done = resolve(response.wsgi_request.path).url_name in ANSWERED_WITH_A_PAGE
    if response.status_code not in ACCEPTED and not (done and response.status_code == 200):
        return True
    queued = getattr(response.wsgi_request, "_messages", None)
    return any(m.level >= message_levels.ERROR for m in getattr(queued, "_queued_messages", []))


def submit(client: Client, url: str, method: str, data: Any, **headers: Any) -> Any:
    if method == "post":
        return client.post(url, data, headers=headers)
    return client.get(url, data, headers=headers)


def workspace_pages(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (name, build(route, values)) for route, name in walk() if route.startswith("w/<slug:slug>/")
    ]


def collect_forms(client: Client, pages: list[tuple[str, str]]) -> list[tuple[Form, int, int]]:
    """Every form once (the same form on every page, like the language switch, or on
    every row counts once), as (form, i, n): the i-th of n forms of one view with the same
    fields (a "new" and an "edit" page), which share the hostile values between them."""
    seen: set[tuple[str, str, str, frozenset[str]]] = set()
    found: list[Form] = []
    for _name, url in [*pages, ("accounts:profile", "/accounts/profile/")]:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(form.action).path
            if resolve(action).view_name in SKIPPED_ACTIONS:
                continue
            shape = frozenset(re.sub(r"\d+", "#", n) for n, _v in form.fields)
            key = (form.method, re.sub(r"\d+", "#", action), form.hx_post and "hx", shape)
            if key not in seen:
                seen.add(key)
                found.append(form)
    groups: dict[tuple[Any, ...], list[Form]] = {}
    for form in found:
        view = resolve(urlsplit(form.action).path).func
        shape = frozenset(re.sub(r"\d+", "#", n) for n, _v in form.fields)
        groups.setdefault((view, form.method, form.hx_post and "hx", shape), []).append(form)
    return [(f, i, len(group)) for group in groups.values() for i, f in enumerate(group)]


def field_samples(form: Form) -> list[str]:
    """Each field name once; of a grid's many cells of one shape, the first."""
    names: list[str] = []
    per_shape: dict[str, int] = {}
    for name, _value in form.fields:
        shape = re.sub(r"\d+", "#", name)
        if name in names or per_shape.get(shape, 0) >= 1:
            continue
        per_shape[shape] = per_shape.get(shape, 0) + 1
        names.append(name)
    return names


def with_value(fields: list[tuple[str, str]], name: str, value: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, current in fields:
        data.setdefault(key, []).append(value if key == name else current)
    if name not in data:
        data[name] = [value]
    return data


def query_params(view: Any) -> set[str]:
    """The query parameters a view reads (request.GET.get("x") and the like), in its own
    code and in the functions of its module it calls, and theirs."""
    module = sys.modules[view.__module__]
    helpers = {
        name: inspect.getsource(f)
        for name, f in vars(module).items()
        if inspect.isfunction(f) and f.__module__ == module.__name__
    }
    sources, todo = [], [inspect.getsource(inspect.unwrap(view))]
    while todo:
        source = todo.pop()
        sources.append(source)
        todo += [helpers.pop(name) for name in list(helpers) if re.search(rf"\b{name}\(", source)]
    pattern = r"(?:GET|query)\.(?:get|getlist)\(\s*\"(\w+)\""
    return {p for source in sources for p in re.findall(pattern, source)}


def check(
    client: Client, url: str, method: str, data: Any, before: tuple[int, ...], **hx: Any
) -> str:
    """One hostile request in a rolled-back transaction; a problem described, or ""."""
    problem = ""
    with transaction.atomic():
        response = submit(client, url, method, data, **hx)
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else None
            problem = f"{response.status_code} {error!r}"[:300]
        elif method == "post" and refused(response):
            if row_counts() != before:
                problem = "refused but rows changed"
        elif method == "post":
            found = stored_problems()
            if found:
                problem = "stored " + "; ".join(found[:3])
        transaction.set_rollback(True)
    return problem


@pytest.fixture
def populated(world: Any) -> tuple[Client, dict[str, Any]]:
    values = populate(world)
    client = client_for(world.people["alice"])
    client.raise_request_exception = False  # a 500 is a finding to list, with the others
    return client, values


def test_every_form_survives_hostile_values(populated: Any) -> None:
    client, values = populated
    forms = collect_forms(client, workspace_pages(values))
    before = row_counts()
    assert not stored_problems()
    failures = []
    submitted = 0
    for form, share, shares in forms:
        targets = [(form.action, {})]
        if form.hx_post:
            targets.append((form.hx_post, {"HX-Request": "true"}))
        for name in field_samples(form):
            for label in VALUES_FOR.get(form.kinds.get(name, ""), NUMBER)[share::shares]:
                value = HOSTILE[label]
                for url, headers in targets:
                    data = with_value(form.fields, name, value)
                    problem = check(client, url, form.method, data, before, **headers)
                    submitted += 1
                    if problem:
                        failures.append(f"{form.method.upper()} {url} {name}={label}: {problem}")
    # Control: the walk reached the real forms of the populated workspace.
    actions = {resolve(urlsplit(f.action).path).view_name for f, _i, _n in forms}
    assert {"raci_cells", "work_item", "planning_line", "planning_kpi", "invite"} <= actions
    assert {"reallocation_lift_tests", "reallocation_lift_test_delete"} <= actions
    assert submitted > 600
    assert not failures, "\n".join(failures)


def test_every_page_survives_hostile_query_parameters(populated: Any) -> None:
    client, values = populated
    before = row_counts()
    failures = []
    reached = 0
    for name, url in workspace_pages(values):
        if name == "raci_export_pdf":
            continue  # reads no parameter; a PDF per value would only make the test slow
        match = resolve(url)
        if client.get(url).status_code == 405:
            continue  # POST only
        reached += 1
        params = query_params(match.func)
        for label in QUERY:
            for param in sorted(params):
                problem = check(client, url, "get", {param: [HOSTILE[label]]}, before)
                if problem:
                    failures.append(f"GET {url}?{param}={label}: {problem}")
    assert reached >= 20
    assert row_counts() == before
    assert not failures, "\n".join(failures)


# The holes of issue 8 one by one, each named, so a regression says which.

SUPERSCRIPT, PAST_INT64 = "²", str(2**63)


def test_int_param_takes_ascii_digits_in_64_bits_only() -> None:
    assert int_param("42") == 42
    assert int_param(str(2**63 - 1)) == 2**63 - 1
    for bad in (SUPERSCRIPT, "١٢", PAST_INT64, "-1", "1e3", " 1", "", None):
        assert int_param(bad) is None, bad
    assert year_param("2026") == 2026 and year_param("1999") is None
    assert single_line("a\r\nb\x00c\u2028d\t e") == "a b c d e"


@pytest.mark.parametrize(
    "query",
    [
        f"work/?team={SUPERSCRIPT}",
        f"work/?function={SUPERSCRIPT}",
        f"work/?function={PAST_INT64}",
        f"work/?team={PAST_INT64}",
        "work/?d=9999-12-15",
        "work/?d=0001-01-01",
        "work/?d=9999-12-31&view=week",
        "work/?d=0001-01-01&view=week",
        f"plan/tools/compare/?tool={SUPERSCRIPT}&tool={PAST_INT64}",
        f"plan/budget/?year={SUPERSCRIPT}",
        f"plan/budget/?year={10**30}",
        f"plan/kpis/new/?year={SUPERSCRIPT}",
        f"raci/versions/?a={SUPERSCRIPT}&b=1",
        f"raci/versions/?a={PAST_INT64}&b={PAST_INT64}",
    ],
)
def test_hostile_query_parameter_is_ignored(world: Any, query: str) -> None:
    response = client_for(world.people["alice"]).get(f"/w/alpha/{query}")
    assert response.status_code in {200, 404}, query


def test_calendar_at_the_edge_of_the_range_shows_the_last_month(world: Any) -> None:
    alice = client_for(world.people["alice"])
    page = alice.get("/w/alpha/work/?d=9999-12-15").content.decode()
    assert "2100-12-31" in page or "2100" in page


@pytest.mark.parametrize(
    "data",
    [
        {"n": SUPERSCRIPT},
        {"n": PAST_INT64},
    ],
)
def test_hostile_notification_id_marks_nothing(world: Any, data: dict[str, str]) -> None:
    response = client_for(world.people["alice"]).post("/w/alpha/work/inbox/read/", data)
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["year", "based_on"])
def test_hostile_budget_version_numbers_are_refused(world: Any, field: str) -> None:
    alice = client_for(world.people["alice"])
    data = {"year": "2026", "name": "Plan", field: SUPERSCRIPT}
    response = alice.post("/w/alpha/plan/budget/versions/", data)
    assert response.status_code in {302, 404}
    assert not BudgetVersion.objects.filter(workspace=world.a).exists() or field == "based_on"


@pytest.mark.parametrize("value", ["長" * 100_000, "a\x00b"])
def test_hostile_budget_version_name_is_refused(world: Any, value: str) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post("/w/alpha/plan/budget/versions/", {"year": "2026", "name": value})
    assert response.status_code == 302
    assert not BudgetVersion.objects.filter(workspace=world.a).exists()


@pytest.fixture
def draft(world: Any) -> MatrixVersion:
    return raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )


def test_hostile_raci_cell_names_are_refused(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    activity = Activity.objects.filter(workspace=world.a).first()
    team = f"team-{world.a_in_house.pk}"
    before = Assignment.objects.filter(workspace=world.a).count()
    for name in (
        f"c:{SUPERSCRIPT}:{team}",
        f"c:{PAST_INT64}:{team}",
        f"c:{activity.pk}:team-{SUPERSCRIPT}",
        f"c:{activity.pk}:person-{PAST_INT64}",
    ):
        response = alice.post("/w/alpha/raci/cells/", {name: "R"})
        assert response.status_code == 302, name
        response = alice.post(
            "/w/alpha/raci/cells/", {name: "R", "cell": name}, headers={"HX-Request": "true"}
        )
        assert response.status_code in {404, 422}, name
    assert Assignment.objects.filter(workspace=world.a).count() == before


@pytest.mark.parametrize("value", ["長" * 100_000, "a\x00b", "x" * 81])
def test_hostile_function_names_are_refused(world: Any, draft: MatrixVersion, value: str) -> None:
    alice = client_for(world.people["alice"])
    function = Function.objects.filter(workspace=world.a).first()
    name = function.name
    response = alice.post(
        f"/w/alpha/raci/functions/{function.pk}/", {"name": value, "revision": function.revision}
    )
    assert response.status_code == 302
    activity = Activity.objects.filter(workspace=world.a).first()
    response = alice.post(
        "/w/alpha/raci/activities/new/",
        {"function": "", "new_function": value, "name": "Launch", "kind": "execution"},
    )
    assert response.status_code == 302
    function.refresh_from_db()
    assert function.name == name
    # (PostgreSQL refuses NUL even in a query: look for what is around it.)
    start = value[:10].replace("\x00", "")
    assert not Function.objects.filter(workspace=world.a, name__startswith=start).exists()
    assert activity is not None


def test_services_refuse_names_past_their_column(world: Any, draft: MatrixVersion) -> None:
    """The services check lengths themselves (model validation), for callers other than
    the forms: imports, the API, the command line."""
    alice, long = world.people["alice"], "x" * 200
    function = Function.objects.filter(workspace=world.a).first()
    calls = [
        lambda: raci_services.function_create(workspace=world.a, actor=alice, name=long),
        lambda: raci_services.function_rename(
            function=function, actor=alice, name=long, revision=function.revision
        ),
        lambda: raci_services.activity_save(
            workspace=world.a,
            actor=alice,
            function=function,
            name=long,
            kind="execution",
            split="",
        ),
        lambda: services.team_create(workspace=world.a, actor=alice, name=long, kind="external"),
        lambda: tool_services.system_add(workspace=world.a, actor=alice, kind="eshop", name=long),
        lambda: budget_services.version_create(
            workspace=world.a, actor=alice, fiscal_year=2026, name=long
        ),
        lambda: services.invitation_create(
            workspace=world.a,
            actor=alice,
            email=f"{'x' * 250}@a.example",
            team=world.a_agency,
            role="member",
            send=False,
        ),
    ]
    before = row_counts()
    for call in calls:
        with pytest.raises(ValidationError):
            call()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("publish_at", "0001-01-01T00:00"),
        ("publish_at", "9999-12-31T23:59"),
        ("due_on", "0001-01-01"),
        ("due_on", "9999-12-31"),
        ("due_on", "1989-12-31"),
    ],
)
def test_work_item_dates_out_of_range_are_refused(
    world: Any, draft: Any, field: str, value: str
) -> None:
    maya = client_for(world.people["maya"])
    data = {
        "title": "Mooncake post",
        "kind": "social_post",
        "activity": Activity.objects.get(workspace=world.a, name="Social posts").pk,
        "channel": "facebook_post",
        field: value,
    }
    response = maya.post("/w/alpha/work/items/new/", data)
    assert response.status_code == 400
    assert "Enter a date between 1990-01-01 and 2100-12-31." in response.content.decode()
    assert not WorkItem.objects.filter(workspace=world.a).exists()


def test_goal_deadline_out_of_range_is_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(
        "/w/alpha/plan/goals/new/", {"text": "More sales", "deadline": "9999-12-31"}
    )
    assert response.status_code == 400
    assert not Goal.objects.filter(workspace=world.a).exists()


def test_reschedule_out_of_range_is_refused(world: Any, draft: Any) -> None:
    maya = world.member("maya")
    item = work_services.item_create(
        workspace=world.a,
        membership=maya,
        data={
            "title": "Post",
            "due_on": date(2026, 9, 18),
            "activity": Activity.objects.get(workspace=world.a, name="Social posts"),
        },
    )
    response = client_for(world.people["maya"]).post(
        f"/w/alpha/work/items/{item.pk}/reschedule/",
        {"day": "9999-12-31", "revision": item.revision},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.due_on == date(2026, 9, 18)


def test_feed_survives_an_item_stored_at_the_end_of_time(world: Any, draft: Any) -> None:
    """Rows saved before the forms refused such dates must not break everyone's feed."""
    maya = world.member("maya")
    social = Activity.objects.get(workspace=world.a, name="Social posts")
    for title, fields in (
        ("End of time", {"due_on": date(9999, 12, 31)}),
        ("Last minute", {"publish_at": datetime(9999, 12, 31, 23, 59, tzinfo=UTC)}),
        ("Launch", {"due_on": date(2026, 9, 18)}),
    ):
        work_services.item_create(
            workspace=world.a, membership=maya, data={"title": title, "activity": social, **fields}
        )
    token = feeds.feed_renew(membership=world.member("alice"))
    response = client_for(world.people["alice"]).get(f"/ical/{token}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Launch" in body and "End of time" not in body
