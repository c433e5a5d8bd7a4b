#!/usr/bin/env bash
# One node of a deployment on several machines (docs/deploy.md). These are the commands an
# operator runs, and the very ones the scale_out test runs (portevoix/tracking/tests/
# test_scale_out.py: two web nodes, two workers, PostgreSQL and Redis), so they cannot drift.
#
#   scripts/node.sh release   once per release, from one node: database migrations,
#                             translations, static files
#   scripts/node.sh web       a web node: Granian on HOST:PORT (WEB_WORKERS processes)
#   scripts/node.sh worker    a worker node: the Huey consumer (HUEY_WORKERS threads)
#
# Every node has the same environment (DATABASE_URL, REDIS_URL, SECRET_KEY, SITE_URL…,
# docs/configuration.md). Every worker schedules the periodic tasks; each scheduled run happens
# once, whichever worker takes it (core/periodic.py), so any worker can be lost without
# stopping or doubling them. The web node refuses unsafe settings (the public demo key on a
# published site) before it serves: core/web.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

case "${1:-}" in
  release)
    $PY manage.py migrate --no-input -v0
    $PY manage.py compile_catalogs
    exec $PY manage.py collectstatic --no-input -v0
    ;;
  web)
    exec $PY -m portevoix.core.web
    ;;
  worker)
    exec $PY manage.py run_huey
    ;;
  *)
    echo "usage: scripts/node.sh release|web|worker" >&2
    exit 2
    ;;
esac
