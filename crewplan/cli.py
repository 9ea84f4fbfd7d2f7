"""The `crewplan` console command: Django's management commands under one name.

`crewplan serve`, `crewplan demo`, `crewplan createworkspace` are crewplan's own
commands; any other Django command works too (`crewplan migrate`,
`crewplan changepassword EMAIL`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
