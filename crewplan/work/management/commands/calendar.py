"""`crewplan calendar import FILE.csv`: load the government's office calendar
(行政院人事行政總處「中華民國政府行政機關辦公日曆表」, data.gov.tw dataset 14718) so the
shared calendar knows next year's holidays and make-up workdays before the holidays
package does. Its days override the package for the same dates. Exit 2 with a one-line
reason for an unusable file; nothing is saved then."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from crewplan.lib import limits
from crewplan.lib.file_messages import unusable
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.work.calendar_tw import parse_dgpa_calendar
from crewplan.work.models import CalendarDay


class Command(BaseCommand):
    help = "Import the official Taiwan office calendar (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a 辦公日曆表 CSV file")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = limits.read_limited(path, limits.OFFICE_CALENDAR)
            days = parse_dgpa_calendar(data, limits.OFFICE_CALENDAR)
        except UnusableFile as error:  # a limit of lib/limits: worded there, in English
            sys.stderr.write(f"{path}: {unusable(error, 'en')}\n")
            sys.exit(2)
        except (OSError, ValueError) as error:
            sys.stderr.write(f"{path}: {str(error).splitlines()[0]}\n")
            sys.exit(2)
        with transaction.atomic():
            for info in days:
                CalendarDay.objects.update_or_create(
                    day=info.day,
                    defaults={"kind": info.kind, "name": info.name_zh, "name_en": info.name_en},
                )
        self.stdout.write(f"{path}: {len(days)} holiday(s) and make-up workday(s) imported")
