#!/usr/bin/env bash
# Bring up the engines the tests need besides SQLite: a real PostgreSQL 15 and a
# real redis-server, as plain child processes (no systemd), and print their URLs.
#
#   bash scripts/engines.sh          # start (or reuse) both; print the URLs
#   eval "$(bash scripts/engines.sh --env)"   # the same, as `export` lines
#   bash scripts/engines.sh --stop   # stop both (only what this script started)
#   bash scripts/engines.sh -- CMD…  # start (or reuse), export the URLs, run CMD
#                                    # (`npm test` runs vitest this way)
#
# With `-- CMD` and both TEST_DATABASE_URL and TEST_REDIS_URL already set (engines
# run elsewhere), nothing is started: CMD runs against those.
#
# Idempotent: an engine this script started earlier (same ports, same state folder)
# is reused. When a binary is missing and we are root (CI, a fresh dev machine), it
# is installed from Debian with apt-get; otherwise the script says how, like
# scripts/ensure-chromium.mjs does for Chromium.
#
# PostgreSQL: initdb with trust authentication on 127.0.0.1 only, UTF-8 with C
# collation (ISO timestamps and ids are compared as text, byte order, as in SQLite:
# docs/decisions/034-postgresql-dialect-and-migrations.md), fsync on (the defaults).
# Redis: no persistence (--save '' --appendonly no): tests never rely on it.
#
# Environment: SAMSYN_PG_PORT (55432), SAMSYN_REDIS_PORT (56379),
# SAMSYN_ENGINES_DIR (/tmp/samsyn-engines): state, data and logs.
# The URLs are also written to $SAMSYN_ENGINES_DIR/env (sourceable), which
# tests/helpers/pg.ts reads when TEST_DATABASE_URL is not set.
set -euo pipefail

PG_PORT="${SAMSYN_PG_PORT:-55432}"
REDIS_PORT="${SAMSYN_REDIS_PORT:-56379}"
STATE="${SAMSYN_ENGINES_DIR:-/tmp/samsyn-engines}"
PGDATA_DIR="$STATE/pg-$PG_PORT"
mode="${1:-}"
if [ "$mode" = "--" ]; then
  shift
  if [ -n "${TEST_DATABASE_URL:-}" ] && [ -n "${TEST_REDIS_URL:-}" ]; then exec "$@"; fi
  env_lines="$(bash "$0" --env)"
  eval "$env_lines"
  exec "$@"
fi

say() { if [ "$mode" = "--env" ]; then echo "$*" >&2; else echo "$*"; fi; }
is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as the PostgreSQL owner: `postgres` when we are root (initdb refuses
# root), ourselves otherwise.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

need_install=()
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need_install+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)

if [ "$mode" = "--stop" ]; then
  PGBIN="$(pg_bin)"
  if [ -n "$PGBIN" ] && [ -f "$PGDATA_DIR/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -m fast -w stop >/dev/null && say "PostgreSQL on $PG_PORT stopped"
  fi
  if [ -f "$STATE/redis-$REDIS_PORT.pid" ] && kill -0 "$(cat "$STATE/redis-$REDIS_PORT.pid")" 2>/dev/null; then
    kill "$(cat "$STATE/redis-$REDIS_PORT.pid")" && say "redis-server on $REDIS_PORT stopped"
  fi
  rm -f "$STATE/env"
  exit 0
fi

if [ ${#need_install[@]} -gt 0 ]; then
  if ! is_root; then
    echo "Missing ${need_install[*]}. Install with: sudo apt-get install -y ${need_install[*]}" >&2
    exit 1
  fi
  say "Installing Debian's ${need_install[*]} for the tests (apt-get)…"
  apt-get update -qq >&2
  # Debian's postgresql package would create and start a cluster through its own
  # scripts; we only want the binaries, so stop that cluster if it started.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
  if [[ " ${need_install[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true; done
  fi
  # The package may have started a redis-server on 6379 through its init script: not ours, left alone.
fi

PGBIN="$(pg_bin)"
mkdir -p "$STATE"
chmod 755 "$STATE"

# ---- PostgreSQL
pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
if [ -f "$PGDATA_DIR/data/postmaster.pid" ] && pg_ready; then
  say "PostgreSQL already running on 127.0.0.1:$PG_PORT ($PGDATA_DIR)"
else
  if pg_ready; then
    echo "Port $PG_PORT answers as PostgreSQL but is not ours ($PGDATA_DIR): set SAMSYN_PG_PORT to a free port." >&2
    exit 1
  fi
  if [ ! -f "$PGDATA_DIR/data/PG_VERSION" ]; then
    rm -rf "$PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    is_root && chown postgres: "$PGDATA_DIR"
    as_pg "$PGBIN/initdb" -D "$PGDATA_DIR/data" -A trust -U postgres -E UTF8 \
      --locale=C.UTF-8 --lc-collate=C >"$PGDATA_DIR/initdb.log" 2>&1 ||
      { cat "$PGDATA_DIR/initdb.log" >&2; exit 1; }
  fi
  # A stale pid file from a killed server is handled by pg_ctl itself.
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -w -t 60 \
    -o "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
    { tail -20 "$PGDATA_DIR/log" >&2; exit 1; }
  say "PostgreSQL started on 127.0.0.1:$PG_PORT ($PGDATA_DIR)"
fi

# ---- Redis
redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }
REDIS_PID_FILE="$STATE/redis-$REDIS_PORT.pid"
if redis_ping && [ -f "$REDIS_PID_FILE" ] && kill -0 "$(cat "$REDIS_PID_FILE")" 2>/dev/null; then
  say "redis-server already running on 127.0.0.1:$REDIS_PORT"
else
  if redis_ping; then
    echo "Port $REDIS_PORT answers as Redis but is not ours: set SAMSYN_REDIS_PORT to a free port." >&2
    exit 1
  fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$REDIS_PID_FILE" --logfile "$STATE/redis-$REDIS_PORT.log" --dir "$STATE" >/dev/null
  for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
  redis_ping || { tail -20 "$STATE/redis-$REDIS_PORT.log" >&2; exit 1; }
  say "redis-server started on 127.0.0.1:$REDIS_PORT"
fi

DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
printf 'export TEST_DATABASE_URL=%s\nexport TEST_REDIS_URL=%s\n' "$DB_URL" "$REDIS_URL" >"$STATE/env"
if [ "$mode" = "--env" ]; then
  cat "$STATE/env"
else
  echo "TEST_DATABASE_URL=$DB_URL"
  echo "TEST_REDIS_URL=$REDIS_URL"
fi
