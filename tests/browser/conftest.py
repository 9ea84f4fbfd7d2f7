"""Playwright drives Debian's chromium (no browser download: ENVIRONMENT.md), in the
locale and time zone a Taiwanese user has. Screenshots go to artifacts/ (pytest-
playwright empties test-results/ at each run)."""

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; live_server's Django calls
# from it are safe here (one test at a time). Set at import time so a bare `pytest`
# run works too, not only the documented command line.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time. On SQLite the tests' database
    lives in memory and its one connection is shared with the server's threads; a page
    that makes two requests at once (a reload next to a late htmx request, the favicon)
    had them use that connection together, which SQLite answers with "bad parameter or
    other API misuse" or with wrong results (a calendar without its items). Connections are
    still accepted in threads, so an idle keep-alive or preconnect socket blocks nothing."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: Any, start_response: Any) -> Any:
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
TAIWAN = {"locale": "zh-TW", "timezone_id": "Asia/Taipei"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder (and only there: this hook sees the whole session)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **TAIWAN, "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def artifacts() -> Path:
    """The folder the browser tests leave their screenshots and files in."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def sign_in() -> Any:
    """sign_in(page, base, email) signs in with the test password and waits for the page
    it lands on."""

    def sign(page: Page, base: str, email: str) -> None:
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("h1")).to_be_visible()

    return sign


@pytest.fixture
def shot() -> Any:
    """shot(page, "name") saves artifacts/name.png of the whole page."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
