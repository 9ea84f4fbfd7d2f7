"""`crewplan notify`: due-date reminders for tomorrow and the daily e-mail digests. Run
it once a day (cron or a systemd timer), e.g. at 08:00 Taiwan time."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from crewplan.work import services


class Command(BaseCommand):
    help = "Send due-date reminders and the daily notification digests."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = services.due_reminders(timezone.localdate())
        digests = services.send_digests()
        self.stdout.write(f"{reminders} reminder(s), {digests} digest e-mail(s)")
