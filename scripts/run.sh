#!/usr/bin/env bash
# Starts the web server and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export HOST PORT

$PY manage.py run_huey --quiet &
worker=$!
# Granian with WEB_WORKERS processes and WEB_THREADS threads each (portevoix/core/web.py, the
# same command line as the benchmarks and the durability tests).
$PY -m portevoix.core.web &
web=$!
trap 'kill $worker $web 2>/dev/null; wait' INT TERM EXIT
echo
echo "Portevoix is running on http://$HOST:$PORT/ (web pid $web, worker pid $worker). Ctrl-C to stop."
echo "E-mails are written to ${PORTEVOIX_DATA_DIR:-var}/outbox/ (see docs/configuration.md to use SMTP)."
wait -n $worker $web
