"""gunicorn's logger with the secrets taken out (scripts/serve.sh passes --logger-class).

The access log line is built from "atoms" (the request line, path, query, referer, headers):
each one goes through helpwanted.lib.logredact.redact before it is formatted, and the error log
("Error handling request /h/…") gets the same filter.
"""

from __future__ import annotations

from typing import Any

from gunicorn import glogging  # type: ignore[import-untyped]

from helpwanted.lib.logredact import RedactSecretsFilter, redact


class RedactingLogger(glogging.Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecretsFilter) for f in log.filters):
                log.addFilter(RedactSecretsFilter())

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
