#!/usr/bin/env bash
# Serve helpwanted with gunicorn plus the background worker; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
# SITE_URL follows this address in the demo (settings.py), so the worker needs it too.
export HELPWANTED_BIND="${HELPWANTED_BIND:-127.0.0.1:8000}"
BIND="$HELPWANTED_BIND"

.venv/bin/helpwanted worker &
worker=$!
stop() {
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop EXIT

echo
HELPWANTED_BIND="$BIND" .venv/bin/python -m helpwanted.demo.login
echo
.venv/bin/gunicorn helpwanted.wsgi --bind "$BIND" --workers "${WEB_CONCURRENCY:-2}" \
  --access-logfile - --graceful-timeout 5 --no-control-socket \
  --logger-class helpwanted.lib.gunicornlog.RedactingLogger &
web=$!
trap 'kill -TERM "$web" 2>/dev/null || true; stop' INT TERM
wait "$web" || true
