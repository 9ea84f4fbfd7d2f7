"""The `crewplan` console command: Django's management commands under one name.

`crewplan serve`, `crewplan demo`, `crewplan createworkspace` are crewplan's own
commands; any other Django command works too (`crewplan migrate`,
`crewplan changepassword EMAIL`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError
    from django.db.migrations.executor import MigrationExecutor

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as error:
        # A command run on a database nobody migrated (or migrated to an older crewplan)
        # says what to do, not a traceback.
        from django.db import connection

        try:
            executor = MigrationExecutor(connection)
            unmigrated = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        except DatabaseError:
            unmigrated = True
        if not unmigrated:
            raise
        sys.stderr.write(
            f"crewplan: the database is not up to date ({str(error).splitlines()[0]}); "
            "run `crewplan migrate` first.\n"
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
