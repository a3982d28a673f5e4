#!/usr/bin/env bash
# bench/collectors.sh [ROWS] — collectors writing one scan at once.
#
# What the PostgreSQL store is for: many collectors (sites, shards,
# machines) writing one inventory at the same time, where SQLite takes one
# writer at a time. Each collector is bench/collect_fill: one part of one
# scan, ROWS evidence rows (default 1,000,000) of what an SNMP inventory
# stores, with a target outcome per device and a resume point a second,
# through the store API as fast as the store takes them (nothing waits on
# a network: this measures the store, the worst case for it). Side by side,
# in one run:
#   1 collector  -> SQLite (WAL, synchronous=NORMAL)        the reference
#   1 collector  -> PostgreSQL
#   8 collectors -> PostgreSQL, one scan of 8 parts, all at once
#   8 collectors -> SQLite, likewise (they take turns on its one write lock)
# and prints evidence rows per second of each, and the ratio of 8 at once
# on PostgreSQL to 1 on SQLite (target: at least 4x). The PostgreSQL
# server is the bench's own, durable (fsync on). The machine's cores and
# load average are printed with the figures: 8 writers and the server share
# the cores the single SQLite writer had to itself.
#   BUILD=build
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
B=${BUILD:-build}
FILL=$B/collect_fill
[ -x "$FILL" ] || { echo "build first: cmake --build $B" >&2; exit 2; }
W=$(mktemp -d /tmp/originscan-bench.XXXXXX)
chmod 755 "$W"
PG_DIR=
cleanup() { [ -n "$PG_DIR" ] && pg_stop; rm -rf "$W"; }
trap cleanup EXIT
. tests/pg_server.sh
PG_SETTINGS="-c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min -c wal_buffers=64MB"
pg_start "$W/pg" || { echo "no PostgreSQL server binaries (Debian: postgresql)" >&2; exit 2; }

# collectors DB N: N collectors at once, each ROWS rows into one scan of N
# parts; prints "rows seconds" (all rows, first start to last end)
collectors() {
  local db=$1 n=$2 name="bench-$2-$RANDOM" pids=() t0 t1 i
  t0=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    "$FILL" "$db" "$name" "$n" "$i" "$ROWS" > "$W/out.$i" &
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  t1=$(date +%s.%N)
  # a collector that gave up (SQLite: busy past its timeout) wrote its
  # committed batches only: count what the database holds
  echo "$(rows_in "$db") $(echo "$t1 - $t0" | bc) $failed"
}

declare -A R
rows_in() {
  case "$1" in
    postgres*) "$PG_BIN/psql" -X -q -At -d "$1" -c "select count(*) from evidence" ;;
    *) sqlite3 "$1" "select count(*) from evidence" ;;
  esac
}
sqlite_db() { echo "$W/$1.db"; }
pg_db() { pg_createdb "$1"; "$B/originscan" db init --db "$(pg_uri "$1")" -q; pg_uri "$1"; }
echo "collectors writing $ROWS evidence rows each ..."
R[s1]=$(collectors "$(sqlite_db s1)" 1);        echo "  1 -> SQLite:     ${R[s1]}"
R[p1]=$(collectors "$(pg_db p1)" 1);            echo "  1 -> PostgreSQL: ${R[p1]}"
R[p8]=$(collectors "$(pg_db p8)" 8);            echo "  8 -> PostgreSQL: ${R[p8]}"
R[s8]=$(collectors "$(sqlite_db s8)" 8);        echo "  8 -> SQLite:     ${R[s8]}"
echo
echo "$(nproc) cores; load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${R[s1]}" "${R[p1]}" "${R[p8]}" "${R[s8]}" <<'PY'
import sys
runs = [a.split() for a in sys.argv[1:]]
rate = [float(r[0]) / float(r[1]) for r in runs]
names = ["1 collector  -> SQLite", "1 collector  -> PostgreSQL", "8 collectors -> PostgreSQL", "8 collectors -> SQLite"]
for n, r, x in zip(names, rate, runs):
    print("  %-28s %10.0f evidence rows/s  (%.2fx the SQLite collector)%s" % (n, r, r / rate[0],
          "; %s of them gave up (database busy)" % x[2] if x[2] != "0" else ""))
print("target (8 on PostgreSQL >= 4x 1 on SQLite): %s" % ("met" if rate[2] >= 4 * rate[0] else "NOT MET"))
PY
