"""gunicorn's logger for `crewplan serve`: the access log with secret URL paths redacted
(see crewplan/lib/redact.py)."""

from typing import Any

from gunicorn.glogging import Logger

from crewplan.lib.redact import redact_secrets


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: redact_secrets(v) if isinstance(v, str) else v for k, v in atoms.items()}
