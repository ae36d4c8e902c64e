#!/usr/bin/env bash
# Run tests against a throwaway PostgreSQL server: a private cluster on 127.0.0.1, deleted afterwards.
#   bash scripts/test_postgres.sh -q tests/models tests/workflows     # any pytest arguments
#   bash scripts/test_postgres.sh --run .venv/bin/python benchmarks/run.py --only counters --pg-from-env
# Needs PostgreSQL's server programs (Debian: apt-get install --no-install-recommends postgresql; run as
# root, this script installs them itself) and the test tools in .venv (bash scripts/bootstrap.sh --test;
# PYTHON=/path/to/python for another environment).
# With a server of your own, skip this script: COUNTER_APP_TEST_PG=postgresql+psycopg://user@host:port/db
# .venv/bin/python -m pytest -q tests/models tests/workflows (the tests create and drop databases of their own there).
set -euo pipefail
cd "$(dirname "$0")/.."

find_bin() {
  command -v initdb >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v initdb)")"; return; }
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN=$(find_bin)
if [ -z "$BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  BIN=$(find_bin)
fi
[ -n "$BIN" ] || { echo "PostgreSQL's server programs (initdb, pg_ctl) are not installed" >&2; exit 2; }

# initdb refuses to run as root: root runs the server as the postgres user, anyone else as themselves.
AS=()
[ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)

DIR=$(mktemp -d /tmp/counter_app_pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" \
  || { cat "$DIR/initdb.log" >&2; exit 2; }
# A test server: nothing it holds must survive a crash, so it need not wait for the disk.
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 2; }
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export COUNTER_APP_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
# A test that loses the server stops and starts it again with these (tests/ui/common/test_server_lost.py).
export COUNTER_APP_TEST_PG_STOP="${AS[*]} $BIN/pg_ctl -D $DIR/data -m fast -w stop"
export COUNTER_APP_TEST_PG_START="${AS[*]} $BIN/pg_ctl -D $DIR/data -l $DIR/server.log -w -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start"
if [ "${1:-}" = "--run" ]; then  # any command with the server: bash scripts/test_postgres.sh --run CMD ARGS…
  shift
  QT_QPA_PLATFORM=offscreen "$@"
else
  QT_QPA_PLATFORM=offscreen "${PYTHON:-.venv/bin/python}" -m pytest "$@"
fi
