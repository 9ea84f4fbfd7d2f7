import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Serve crewplan with gunicorn (production-style). Background tasks (e-mail, "
        "imports) are run by `crewplan worker`, its own service next to this one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("CREWPLAN_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("CREWPLAN_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CREWPLAN_WORKERS", "2"))
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        os.execv(sys.executable, argv)  # noqa: S606 -- fixed argv, replaces this process


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line serving crewplan, after the checks and preparation it
    needs (migrated database, collected static files); `crewplan demo` runs it too."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("The database needs migrating first: run `crewplan migrate`.")
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()
    # Links in e-mails (invitations, notifications) point at where it serves unless
    # CREWPLAN_SITE_URL says otherwise (behind a proxy it must).
    os.environ.setdefault("CREWPLAN_SITE_URL", f"http://{host}:{port}")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "crewplan.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # The iCal feed's token is in its URL path: the access log shows it redacted.
        "--logger-class",
        "crewplan.workspaces.gunicorn_logging.RedactingLogger",
        "--forwarded-allow-ips",
        os.environ.get("CREWPLAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
