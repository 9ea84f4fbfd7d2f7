from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from crewplan.measure.tasks import recover_stale_imports
from crewplan.reports.tasks import recover_stale_reports


class Command(BaseCommand):
    help = (
        "Run background tasks (e-mail, imports) queued in the database: "
        "production runs this as its own service next to `crewplan serve`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="default",
            help="queues to run, comma-separated, or '*' for all (default: default)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when no task is ready before looking again (default: 1)",
        )
        parser.add_argument(
            "--batch", action="store_true", help="run the tasks that are ready, then exit"
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after running this many tasks"
        )
        parser.add_argument(
            "--reload", action="store_true", help="restart on code changes (development)"
        )

    def handle(
        self,
        *args: Any,
        queue_name: str,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        reload: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"Tasks do not go through the database here (TASKS backend "
                f"{type(backend).__name__}, CREWPLAN_TASKS_BACKEND): nothing for this "
                "worker to run."
            )
        # Imports left "running" by a worker that was killed: failed, so people re-import.
        recovered = recover_stale_imports()
        if recovered and verbosity:
            self.stdout.write(f"Marked {recovered} interrupted import(s) failed.")
        reports = recover_stale_reports()
        if reports and verbosity:
            self.stdout.write(f"Marked {reports} interrupted report(s) failed.")
        call_command(
            "db_worker",
            queue_name=queue_name,
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            reload=reload,
            startup_delay=not batch,
            verbosity=verbosity,
        )
