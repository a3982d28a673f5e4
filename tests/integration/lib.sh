# Shared by the integration tests: a scratch directory cleaned up on exit,
# assertions, the database under test (SQLite, or a PostgreSQL server of
# the test's own), and a real snmpsim agent on loopback.
#   ORIGINSCAN  the binary under test     SRCDIR  the source tree
#   BACKEND     sqlite (default) or pg: where new_db makes databases; the
#               same test runs on either (tests/CMakeLists.txt registers
#               the PostgreSQL run as NAME_pg)
set -euo pipefail
: "${ORIGINSCAN:?run through ctest}" "${SRCDIR:?run through ctest}"

TMP=$(mktemp -d /tmp/originscan-test.XXXXXX)
chmod 755 "$TMP"
PIDS=()
BACKEND=${BACKEND:-sqlite}
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -- "-$p" 2>/dev/null || true
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  [ -n "${PG_DIR:-}" ] && pg_stop
  [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
ok() { echo "ok: $*"; }

# expect_exit CODE CMD...   run CMD, require its exit status
expect_exit() {
  local want=$1; shift
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  [ "$got" = "$want" ] || { cat "$TMP/err" >&2; fail "'$*' exited $got, want $want"; }
}
# stderr of the last expect_exit must contain TEXT
expect_err() { grep -qF -- "$1" "$TMP/err" || { cat "$TMP/err" >&2; fail "stderr lacks: $1"; }; }
expect_out() { grep -qF -- "$1" "$TMP/out" || { cat "$TMP/out" >&2; fail "stdout lacks: $1"; }; }

# sql DB QUERY: one value out of the database (sqlite3 shell, or psql for
# a PostgreSQL URI). The two speak the same SQL for what the tests ask;
# group_concat is given to PostgreSQL by new_db.
sql() {
  case "$1" in
    postgres://*|postgresql://*) "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2" ;;
    *) sqlite3 -batch -noheader "$1" "$2" ;;
  esac
}

# pg_up: this test's PostgreSQL server (tests/pg_server.sh), started once.
pg_up() {
  [ -n "${PG_DIR:-}" ] && return 0
  . "$SRCDIR/tests/pg_server.sh"
  local rc=0
  pg_start "$TMP/pg" || rc=$?
  [ $rc = 77 ] && skip "no PostgreSQL server binaries (Debian: postgresql)"
  [ $rc = 0 ] || fail "could not start PostgreSQL"
}

# new_db NAME: a new, empty database the test's originscan writes to:
# $TMP/NAME.db, or on PostgreSQL a database NAME made ready by
# 'originscan db init' (its URI, the superuser's: a test of roles makes
# its own). Prints its spec.
new_db() {
  if [ "$BACKEND" != pg ]; then
    echo "$TMP/$1.db"
    return
  fi
  pg_up
  pg_createdb "$1"
  local uri
  uri=$(pg_uri "$1")
  "$ORIGINSCAN" db init --db "$uri" -q || fail "db init $1"
  # SQLite's group_concat, for the tests' queries
  sql "$uri" "CREATE FUNCTION group_concat_sf(a text, b text, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS
    \$\$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE a || sep || b END \$\$;
    CREATE FUNCTION group_concat_sf1(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS
    \$\$ SELECT group_concat_sf(a, b, ',') \$\$;
    CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_sf, STYPE = text);
    CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_sf1, STYPE = text);" >/dev/null
  echo "$uri"
}
is_pg() { [ "$BACKEND" = pg ]; }
# the server, up before the test's first new_db (often in a $(...)
# subshell, whose variables would be lost with it)
if is_pg; then pg_up; fi

# scan_running DB N: wait (up to 120 s) until scan N is in DB as running,
# i.e. the scanner has started and is collecting. Tests that interrupt a
# scan wait for this rather than a fixed time: start-up is slow under ASan.
scan_running() {
  for _ in $(seq 1 1200); do
    { [ -f "$1" ] || is_pg; } && [ "$(sql "$1" "select status from scans where id=$2" 2>/dev/null)" = running ] \
      && return 0
    sleep 0.1
  done
  fail "scan $2 never started"
}

# free_port: a UDP port nobody on this machine uses now, outside the
# ephemeral range (so our own sockets never take it meanwhile). Tests of
# several builds and sessions run side by side: no test hard-codes one.
free_port() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randint(10000, 32000)
    try:
        for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
            for typ in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                s = socket.socket(fam, typ); s.bind((addr, p)); s.close()
        print(p); break
    except OSError:
        continue
PY
}

# start_snmpsim PORT ADDRPREFIX FILE...  serves FILE n on ADDRPREFIX.n:PORT
# (e.g. 127.0.2 -> 127.0.2.1, 127.0.2.2, ...) until the test ends.
start_snmpsim() {
  local port=$1 prefix=$2; shift 2
  local dir="$TMP/sim.$port" i=0 args=()
  mkdir -p "$dir/data/public" "$dir/cache"
  chmod -R a+rX "$dir"; chmod 777 "$dir/cache"
  for f in "$@"; do
    cp "$f" "$dir/data/public/1.3.6.1.6.1.1.$i.snmprec"
    i=$((i + 1))
    args+=("--agent-udpv4-endpoint=$prefix.$i:$port")
  done
  chmod -R a+rX "$dir/data"
  local user=()
  [ "$(id -u)" -eq 0 ] && user=(--process-user=nobody --process-group=nogroup)
  setsid snmpsimd --v2c-arch --data-dir="$dir/data" --cache-dir="$dir/cache" \
    --logging-method=file:"$dir/log" "${user[@]}" "${args[@]}" >/dev/null 2>&1 &
  PIDS+=($!)
  local n
  for n in $(seq 1 600); do      # up to two minutes on a busy machine
    if snmpget -v2c -c public -t 0.2 -r 0 "$prefix.$i:$port" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  cat "$dir/log" >&2 || true
  fail "snmpsim did not start on $prefix.x:$port"
}

LAB="$SRCDIR/tests/lab"

# dropped PID: wait (up to 30 s) until process PID runs as nobody, then
# require what a dropped collector must show in /proc/PID/status: every
# uid and gid nobody's, no supplementary group, no capability in any set,
# no_new_privs. Needs a test running as root.
dropped() {
  local pid=$1 uid gid _
  uid=$(id -u nobody)
  for _ in $(seq 1 300); do
    grep -qE "^Uid:\s+$uid\s" /proc/$pid/status 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "process $pid ended before dropping its privileges"
    sleep 0.1
  done
  grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/$pid/status >"$TMP/ids" ||
    fail "process $pid is gone"
  grep -qE "^Uid:\s+$uid\s+$uid\s+$uid\s+$uid$" "$TMP/ids" || { cat "$TMP/ids"; fail "still holds another uid"; }
  grep -qE '^Gid:\s+([0-9]+)\s+\1\s+\1\s+\1$' "$TMP/ids" && ! grep -qE '^Gid:\s+0\s' "$TMP/ids" ||
    { cat "$TMP/ids"; fail "gid"; }
  grep -qE '^Groups:\s*$' "$TMP/ids" || { cat "$TMP/ids"; fail "supplementary groups kept"; }
  for c in CapInh CapPrm CapEff CapBnd CapAmb; do
    grep -qE "^$c:\s+0000000000000000$" "$TMP/ids" || { cat "$TMP/ids"; fail "$c not empty"; }
  done
  grep -qE '^NoNewPrivs:\s+1$' "$TMP/ids" || { cat "$TMP/ids"; fail "no_new_privs not set"; }
}

# resume_point DB N: wait (up to 60 s) until scan N has committed a resume
# point, i.e. its sweep is under way (and handles signals). A condition,
# not a time: start-up is slow under ASan on a busy machine.
resume_point() {
  for _ in $(seq 1 600); do
    { [ -f "$1" ] || is_pg; } && [ "$(sql "$1" "select count(*) from part_resume r join scan_parts p on p.id=r.part_id
      where p.scan_id=$2" 2>/dev/null)" -ge 1 ] 2>/dev/null && return 0
    sleep 0.1
  done
  fail "scan $2 never recorded a resume point"
}

# wait_until DESCRIPTION CMD...: poll CMD (every 0.1 s, up to 120 s: room
# for a busy 2-core machine running both builds) until it succeeds; fail
# naming DESCRIPTION if it never does. Tests wait for conditions this way,
# never for a fixed time.
wait_until() {
  local what=$1 i; shift
  for i in $(seq 1 1200); do
    "$@" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "timed out waiting: $what"
}

# capture_listening PID: wait until the capture PID has dropped to nobody,
# which it does once its interfaces are open and before it reads a packet:
# from then on every frame that arrives is seen.
capture_listening() {
  wait_until "capture $1 listening" grep -q "^Uid:.*\b$(id -u nobody)\b" "/proc/$1/status"
}
