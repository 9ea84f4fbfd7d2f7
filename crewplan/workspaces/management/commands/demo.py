import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test import override_settings

from crewplan.workspaces.demo import DEMO_PASSWORD, PEOPLE, demo_exists, load_demo


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
            self.stdout.write(f"\nOpen http://{host}:{port}/ (Ctrl+C stops)\n")
            self.stdout.flush()
            call_command("serve", host=host, port=port)
