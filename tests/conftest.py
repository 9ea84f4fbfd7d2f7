"""Named people, built through the services like real data (STYLE.md):

- alice: owner of workspace A (麥香烘焙坊-like), in the in-house team
- mike: manager in A's in-house team
- maya: member in A's in-house team
- vera: viewer in A's in-house team
- adam: manager of A's agency team (external)
- amy: member of A's agency team
- charlie: owner of workspace B, the outsider who must never see A
"""

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation

from crewplan.workspaces import services
from crewplan.workspaces.models import Team
from tests.factories import World, client_for, join, make_user


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """Messages raised by services outside a request come out in English, so tests can
    match them; pages render in whatever language the request asks for."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_without_manifest() -> Any:
    """Production serves hashed names from collectstatic's manifest; tests find the
    files in the package instead, with no collectstatic run."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    fast_hash = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # tests only: hashing is not under test
    with override_settings(
        STORAGES=storages, WHITENOISE_USE_FINDERS=True, PASSWORD_HASHERS=fast_hash
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_at_once() -> Any:
    """Production queues tasks for `crewplan worker`; tests run each at once, so an
    e-mail is in the outbox when the request returns. tests/measure/test_tasks.py puts
    the database backend back to test the queue and the worker."""
    with override_settings(TASKS={"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}):
        yield


@pytest.fixture
def world(db: Any) -> World:
    people = {
        "alice": make_user("alice@a.example", "Alice 王"),
        "mike": make_user("mike@a.example", "Mike 林"),
        "maya": make_user("maya@a.example", "Maya 黃"),
        "vera": make_user("vera@a.example", "Vera 蔡"),
        "adam": make_user("adam@agency.example", "Adam 張"),
        "amy": make_user("amy@agency.example", "Amy 李"),
        "charlie": make_user("charlie@b.example", "Charlie 許"),
    }
    # A works in English (so tests read its messages), B in Chinese.
    a = services.workspace_create(
        name="Alpha Bakery 甲烘焙",
        slug="alpha",
        owner=people["alice"],
        team_name="Alpha In-house 甲行銷",
        default_language="en",
    )
    a_in_house = Team.objects.get(workspace=a)
    a_agency = services.team_create(
        workspace=a, actor=people["alice"], name="Alpha Agency 甲代理", kind=Team.Kind.EXTERNAL
    )
    alice = people["alice"]
    join(a, alice, a_in_house, people["mike"], "manager")
    join(a, alice, a_in_house, people["maya"], "member")
    join(a, alice, a_in_house, people["vera"], "viewer")
    join(a, alice, a_agency, people["adam"], "manager")
    join(a, alice, a_agency, people["amy"], "member")
    b = services.workspace_create(
        name="Beta Tea 乙茶飲", slug="beta", owner=people["charlie"], team_name="Beta Team 乙團隊"
    )
    return World(
        a=a,
        b=b,
        a_in_house=a_in_house,
        a_agency=a_agency,
        b_team=Team.objects.get(workspace=b),
        people=people,
    )


@pytest.fixture
def as_user(world: World):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        return client_for(world.people[name])

    return make
