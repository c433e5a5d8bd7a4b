#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-1}

$PY manage.py run_huey --quiet &
worker=$!
.venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" --workers "$WEB_WORKERS" \
  --blocking-threads "${WEB_THREADS:-8}" --no-ws portevoix.wsgi:application &
web=$!
trap 'kill $worker $web 2>/dev/null; wait' INT TERM EXIT
echo
echo "Portevoix is running on http://$HOST:$PORT/ (web pid $web, worker pid $worker). Ctrl-C to stop."
echo "E-mails are written to ${PORTEVOIX_DATA_DIR:-var}/outbox/ (see docs/configuration.md to use SMTP)."
wait -n $worker $web
