# A PostgreSQL server of the test's own: initdb and pg_ctl from Debian's
# postgresql package, found by pg_config (libpq-dev) rather than by a
# version number, run as an unprivileged user in a directory of the test,
# on a unix socket there and on 127.0.0.1 at a free port. Sourced by
# tests/with_pg.sh and by integration tests (after lib.sh).
#
#   pg_start DIR     start it (DIR must not exist); sets PG_BIN, PG_DIR,
#                    PG_SOCK, PG_PORT, PG_RUN (a command prefix running as
#                    the server's user), and exports PGHOST, PGPORT and
#                    PGUSER=postgres for psql
#   pg_uri DB [USER] a URI for database DB (the superuser by default)
#   pg_createdb DB   an empty database
#   pg_psql DB SQL   one statement as the superuser; output unaligned
#   pg_restart       stop (fast) and start again, same port
#   pg_stop          stop it (immediate), if running
# PG_SETTINGS (optional, before pg_start): server settings replacing the
# tests' (fsync off, a small cache); bench/ asks for durable ones.

pg_bindir() {
  local d
  d=$(pg_config --bindir 2>/dev/null || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    # pg_config from another PostgreSQL than the server's: take the
    # newest server installed
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

pg_free_port() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randint(20000, 32000)
    try:
        for fam, addr in ((socket.AF_INET, "127.0.0.1"),):
            s = socket.socket(fam, socket.SOCK_STREAM); s.bind((addr, p)); s.close()
        print(p); break
    except OSError:
        continue
PY
}

pg_start() {
  PG_DIR=$1
  PG_BIN=$(pg_bindir) || return 77
  PG_SOCK=$PG_DIR/sock
  mkdir -p "$PG_DIR/data" "$PG_SOCK"
  PG_RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses root: the server runs as nobody, in its own dirs
    chown -R nobody:nogroup "$PG_DIR"
    chmod 755 "$PG_DIR"
    PG_RUN=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  fi
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E SQL_ASCII --locale=C --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # the superuser over the socket and loopback without a password; every
  # other role by password (scram), so that the tests exercise libpq's
  # own password sources
  cat >"$PG_DIR/data/pg_hba.conf" <<EOF
local all postgres trust
host all postgres 127.0.0.1/32 trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
EOF
  PG_PORT=$(pg_free_port)
  local tries
  for tries in 1 2 3; do
    if pg__ctl_start; then break; fi
    [ "$tries" = 3 ] && { cat "$PG_DIR/log" >&2; return 1; }
    PG_PORT=$(pg_free_port)
  done
  export PGHOST=$PG_SOCK PGPORT=$PG_PORT PGUSER=postgres
}

pg__ctl_start() {
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_SOCK -c max_connections=60 ${PG_SETTINGS:--c fsync=off -c full_page_writes=off -c shared_buffers=32MB}" \
    start >/dev/null 2>&1
}

pg_uri() {
  echo "postgresql://${2:-postgres}@/$1?host=$PG_SOCK&port=$PG_PORT"
}

pg_createdb() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
}

pg_psql() {
  "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

pg_restart() {
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 120 stop >/dev/null 2>&1 || true
  pg__ctl_start
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
}
