"""Keeping secrets that travel in URL paths out of logs.

The iCal feed's address is its credential (`/ical/<token>.ics`: calendar apps cannot
sign in or send headers), so every log line that could carry a request path goes
through `redact_secrets`: Django's logging through `RedactSecretsFilter` (settings.py),
gunicorn's access log through `crewplan.workspaces.gunicorn_logging.RedactingLogger`."""

import logging
import re

SECRET_PATHS = re.compile(r"(/ical/)[^/\s?#\"']+")
REDACTED = r"\1[redacted].ics"


def redact_secrets(text: str) -> str:
    return SECRET_PATHS.sub(REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter (on the handlers) that rewrites a record whose message holds a
    secret path; it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
