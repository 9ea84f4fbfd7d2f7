import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.tasks import task_backends
from django.test import override_settings
from django_tasks_db.backend import DatabaseBackend

from crewplan.workspaces.demo import DEMO_PASSWORD, PEOPLE, demo_exists, load_demo
from crewplan.workspaces.management.commands.serve import gunicorn_argv


class Command(BaseCommand):
    help = "Prepare the database with a demo workspace (once) and serve crewplan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="only prepare the data")

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Demo workspace already loaded.")
        else:
            # The demo's people are invited and notified like real ones; those e-mails
            # would only bury the logins below (the console backend prints them all).
            with override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}},
                SITE_URL=f"http://{host}:{port}",
            ):
                load_demo()
            self.stdout.write("Demo workspace 麥香烘焙坊 loaded.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            self.stdout.write(
                f"  {person.email:<32} {person.name} · {person.title} · {person.role}"
            )
        if not no_serve:
            # Links in e-mails sent from the demo point at the port it serves on.
            os.environ.setdefault("CREWPLAN_SITE_URL", f"http://{host}:{port}")
            argv = gunicorn_argv(host=host, port=port, workers=2)
            self.stdout.write(f"\nOpen http://{host}:{port}/ (Ctrl+C stops)\n")
            self.stdout.flush()
            serve_with_worker(argv)


def serve_with_worker(argv: list[str]) -> None:
    """Run gunicorn (`argv`) and, when tasks are queued in the database, a `crewplan
    worker` beside it, both as child processes: the demo's e-mails and imports run as in
    production, and leaving the demo (Ctrl+C, or the server stopping) stops the worker."""
    worker = None
    if isinstance(task_backends["default"], DatabaseBackend):
        worker = subprocess.Popen([sys.executable, "-m", "crewplan", "worker"])
    # Stopped by SIGTERM (a service manager, `kill`): unwind like any exit, so the
    # children are stopped below instead of left running.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    server = subprocess.Popen(argv)  # noqa: S603 -- gunicorn_argv's fixed command
    interrupted = False
    try:
        server.wait()
    except KeyboardInterrupt:
        interrupted = True  # Ctrl+C reached both children too: they stop by themselves
    finally:
        # SIGTERM, not SIGKILL: gunicorn's master stops its own workers on the way out.
        for child in (server, worker):
            if child is not None:
                _stop(child, signalled=interrupted)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _stop(child: subprocess.Popen[bytes], *, signalled: bool) -> None:
    """Stop a child gracefully (the worker finishes its task), killing it if it hangs."""
    if not signalled and child.poll() is None:
        child.terminate()
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
