"""gunicorn's logger for `crewplan serve`: its access and error logs with secret URL
paths redacted (see crewplan/lib/redact.py)."""

from typing import Any

from gunicorn.glogging import Logger

from crewplan.lib.redact import RedactSecretsFilter


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn is untyped: Logger is Any
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # On the loggers, not the handlers: setup (re-run on reload) replaces handlers,
        # and every gunicorn message is logged on one of these two.
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecretsFilter) for f in log.filters):
                log.addFilter(RedactSecretsFilter())
