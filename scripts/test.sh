#!/usr/bin/env bash
# The whole suite: lint and type check, then pytest on SQLite, then pytest again on a real PostgreSQL.
# What could not run here is said loudly at the end; with PORTEVOIX_REQUIRE_ALL=1 (set by CI)
# anything skipped for lack of a service or a browser is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/portevoix}
TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
missing=()
status=0

.venv/bin/ruff check --quiet . || status=1
.venv/bin/ruff format --check --quiet . || status=1
.venv/bin/mypy || status=1

if [ ! -x "${PORTEVOIX_CHROMIUM:-/usr/bin/chromium}" ]; then
  missing+=("Chromium (browser tests skipped: apt-get install chromium)")
fi

if ! command -v xmlsec1 >/dev/null; then
  missing+=("xmlsec1 (SAML single sign-on tests skipped: apt-get install xmlsec1)")
fi

if [ -f node_modules/axe-core/axe.min.js ] && [ ! -d node_modules/@atproto/dev-env ]; then
  missing+=("the Bluesky test network (connected-accounts tests skipped: apt-get install g++, then make install)")
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  missing+=("Node >= 20 tools (axe-core, web-push-testing, oidc-provider: apt-get install nodejs npm, then make install)")
fi

reachable() {  # url kind
  $PY - "$1" "$2" <<'PYEOF' >/dev/null 2>&1
import sys
url, kind = sys.argv[1], sys.argv[2]
if kind == "postgresql":
    import psycopg
    from urllib.parse import urlsplit
    psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
else:
    import redis
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()
PYEOF
}

if reachable "$TEST_REDIS_URL" redis; then
  export PORTEVOIX_TEST_REDIS_URL="$TEST_REDIS_URL"
else
  missing+=("Redis at $TEST_REDIS_URL (Redis-backed tests skipped)")
fi

echo "=== Test suite on SQLite ==="
env -u DATABASE_URL $PY -m pytest "$@" || status=1

if reachable "$TEST_POSTGRES_URL" postgresql; then
  echo "=== Test suite on PostgreSQL ($TEST_POSTGRES_URL) ==="
  DATABASE_URL="$TEST_POSTGRES_URL" $PY -m pytest "$@" || status=1
else
  missing+=("PostgreSQL at $TEST_POSTGRES_URL (the suite ran on SQLite only)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!! NOT RUN on this machine:"
  for m in "${missing[@]}"; do echo "!!   - $m"; done
  echo "!! See README.md (prerequisites). CI runs everything."
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  if [ -n "${PORTEVOIX_REQUIRE_ALL:-}" ]; then
    echo "PORTEVOIX_REQUIRE_ALL is set: this is a failure."
    status=1
  fi
fi
exit $status
