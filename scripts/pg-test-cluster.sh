#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: data in a temp dir, owned by the `postgres` user
# (initdb refuses root), listening on 127.0.0.1 only. Idempotent: a cluster already up on the port
# is reused. Prints the connection URL on stdout; everything else goes to stderr.
#   PG_TEST_PORT (default 55432), PG_TEST_DIR (default /tmp/adgen-pg-<port>)
set -euo pipefail
PORT="${PG_TEST_PORT:-55432}"
DIR="${PG_TEST_DIR:-/tmp/adgen-pg-$PORT}"
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "pg-test-cluster: PostgreSQL server binaries not found (install postgresql from apt)" >&2
  exit 1
fi
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  echo "$URL"
  exit 0
fi
mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
chmod 700 "$DIR"
if [ ! -f "$DIR/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# Tests open and close many short connections: fsync off is safe for throwaway data and fast.
as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2
echo "$URL"
