"""`crewplan demo --no-serve` then `crewplan serve`, as separate processes the way a
person runs them: gunicorn answers, static files come from the app with hashed names
(no CDN, no network), and pages carry the security headers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CREWPLAN = [sys.executable, "-m", "crewplan"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, language: str = "zh-TW") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CREWPLAN_DATA_DIR=str(tmp_path), CREWPLAN_WORKERS="1")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    prepared = subprocess.run(
        [*CREWPLAN, "demo", "--no-serve"], env=env, capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stderr
    assert "owner@maixiang.example" in prepared.stdout
    port = free_port()
    server = subprocess.Popen(
        [*CREWPLAN, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_answers_with_assets_and_headers(served: str) -> None:
    status, headers, body = fetch(served + "/accounts/login/")
    assert status == 200 and "登入" in body
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', body)
    hashed = r"\.[0-9a-f]{12}\.(css|js|svg)$"  # the icon, two style sheets, two scripts
    assert len(assets) == 5 and all(re.search(hashed, a) for a in assets), assets
    for asset in assets:
        status, headers, _ = fetch(served + asset)
        assert status == 200 and "immutable" in headers.get("Cache-Control", "")
    assert "http://" not in body.replace(served, "") and "https://" not in body
