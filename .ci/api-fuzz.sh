#!/usr/bin/env bash
# Schemathesis generates requests from /api/v1/openapi.json and checks that none gets a server
# error and that answers match the description. Runs against real gunicorn on a fresh SQLite
# database (or the PostgreSQL one in API_FUZZ_DATABASE_URL) with the demo loaded; schemathesis lives in its own virtualenv (it brings a pytest
# plugin the project's suite should not load).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -m venv "$work/st"
"$work/st/bin/pip" install -q "schemathesis>=4.0,<5"
# API_FUZZ_DATABASE_URL: a PostgreSQL database whose schema is migrated (or empty) to fuzz on
# instead of a fresh SQLite file; the demo is loaded into it.
export DATABASE_URL="${API_FUZZ_DATABASE_URL:-sqlite:///$work/api.sqlite3}" SECRET_KEY=api-fuzz CHECKIN_RATE_LIMIT=1000000/minute
.venv/bin/flask --app wsgi db upgrade >/dev/null
.venv/bin/flask --app wsgi demo >/dev/null
HIREDAY_DEVICE_TOKEN=$(.venv/bin/flask --app wsgi device-token hospitality-hires-chicago --name "API fuzz" | tail -1)
# The partner API's routes read a demo partner's referrals (see [[operations]] in schemathesis.toml).
HIREDAY_PARTNER_TOKEN=$(.venv/bin/flask --app wsgi partner-api-token "American Job Center – Pilsen" --name "API fuzz" | tail -1)
export HIREDAY_DEVICE_TOKEN HIREDAY_PARTNER_TOKEN PARTNER_API_RATE_LIMIT=1000000/minute
# API_FUZZ_PORT: where the server listens (several checkouts may fuzz on one machine).
port=${API_FUZZ_PORT:-8091}
PORT=$port WEB_CONCURRENCY=2 .venv/bin/gunicorn -c python:app.gunicorn_config wsgi:app >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
"$work/st/bin/st" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks all
