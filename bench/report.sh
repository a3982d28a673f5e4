#!/usr/bin/env bash
# bench/report.sh [NDEVICES] — report and diff at scale, on SQLite and on
# PostgreSQL, side by side.
#
# Fills a database with NDEVICES devices (default 1,000,000) in each of two
# scans through the project's own store API and attribution
# (bench/report_fill.c: system group, interface MACs, ENTITY-MIB chassis and
# transceivers for a third, a site map; between the scans ~1% removed, ~1%
# added, 0.5% moved, 0.5% replaced, 2% upgraded) -- once into an SQLite file,
# once into a PostgreSQL server of the bench's own (durable settings: fsync
# on) -- then times, on each:
#   report --format json   (the complete model, written to a file)
#   diff --last            (text)
#   diff --format json
# against the floor: the bare SQL aggregate (devices per vendor of the scan)
# and a bare SQL join of the two scans by identity, in the sqlite3 shell and
# in psql. Targets: each originscan run under 10 s, peak memory under 1 GiB.
# Wall and CPU seconds are both shown: on a shared machine the wall clock
# also measures the others' load (the load average is printed).
#   BACKENDS="sqlite pg" (default both)   BUILD=build
# Run from a configured build: cmake --build build; bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
B=${BUILD:-build}
FILL=${FILL:-$B/report_fill}
BACKENDS=${BACKENDS:-sqlite pg}
[ -x "$B/originscan" ] && [ -x "$FILL" ] || { echo "build first: cmake --build $B" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell" >&2; exit 2; }
W=$(mktemp -d /tmp/originscan-bench.XXXXXX)
chmod 755 "$W"
PG_DIR=
cleanup() { [ -n "$PG_DIR" ] && pg_stop; rm -rf "$W"; }
trap cleanup EXIT

AGG="SELECT vendor, count(*) FROM devices WHERE scan_id=2 GROUP BY vendor"
JOIN="SELECT count(*) FROM devices a JOIN devices b ON a.identity=b.identity WHERE a.scan_id=1 AND b.scan_id=2
      AND (a.firmware IS DISTINCT FROM b.firmware OR a.address IS DISTINCT FROM b.address)"
JOIN_SQLITE="SELECT count(*) FROM devices a JOIN devices b ON a.identity=b.identity WHERE a.scan_id=1 AND b.scan_id=2
      AND (a.firmware IS NOT b.firmware OR a.address IS NOT b.address)"

run() {         # run LABEL CMD... : "wall cpu peak_kb" on stdout, a line on stderr
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" >/dev/null 2>"$W/err" || true
  local wall u s kb
  read -r wall u s kb < <(tail -1 "$W/t")   # time(1) may first say the exit status
  printf '  %-44s %7.2f s wall %7.2f s cpu %6d MiB\n' "$label" "$wall" "$(echo "$u + $s" | bc)" "$((kb / 1024))" >&2
  echo "$wall $(echo "$u + $s" | bc) $kb"
}

declare -A R
for be in $BACKENDS; do
  case $be in
    sqlite) DB="$W/bench.db" ;;
    pg)
      . tests/pg_server.sh
      # durable, and sized as a small server would be
      PG_SETTINGS="-c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=256MB -c max_wal_size=8GB -c checkpoint_timeout=30min"
      pg_start "$W/pg" || { echo "no PostgreSQL server binaries (Debian: postgresql)" >&2; exit 2; }
      pg_createdb bench
      DB=$(pg_uri bench) ;;
    *) echo "backend $be?" >&2; exit 64 ;;
  esac
  echo "[$be] filling $N devices x 2 scans (store API + attribution) ..."
  /usr/bin/time -f "  fill: %e s, peak %M KB" "$FILL" "$DB" "$N"
  if [ "$be" = sqlite ]; then
    echo "  database: $(du -h "$DB" | cut -f1)"
    R[$be.agg]=$(run "sqlite3: devices per vendor" sqlite3 "$DB" "$AGG" | tail -1)
    R[$be.join]=$(run "sqlite3: join of two scans" sqlite3 "$DB" "$JOIN_SQLITE" | tail -1)
  else
    "$PG_BIN/psql" -X -q -d "$DB" -c "VACUUM ANALYZE" >/dev/null
    echo "  database: $("$PG_BIN/psql" -X -q -At -d "$DB" -c "select pg_size_pretty(pg_database_size('bench'))")"
    R[$be.agg]=$(run "psql: devices per vendor" "$PG_BIN/psql" -X -q -d "$DB" -c "$AGG" | tail -1)
    R[$be.join]=$(run "psql: join of two scans" "$PG_BIN/psql" -X -q -d "$DB" -c "$JOIN" | tail -1)
  fi
  R[$be.rep]=$(run "originscan report --format json" "$B/originscan" report --db "$DB" --format json -o "$W/r.$be.json" | tail -1)
  echo "  (report: $(du -h "$W/r.$be.json" | cut -f1) of JSON)" >&2
  R[$be.dt]=$(run "originscan diff --last" "$B/originscan" diff --db "$DB" --last | tail -1)
  R[$be.dj]=$(run "originscan diff --last --format json" "$B/originscan" diff --db "$DB" --last --format json \
    -o "$W/d.$be.json" | tail -1)
done
echo
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$BACKENDS" "$(declare -p R)" <<'PY'
import sys, re
backends = sys.argv[1].split()
R = dict(re.findall(r'\[([a-z.]+)\]="([^"]*)"', sys.argv[2]))
def v(k):
    return tuple(map(float, R[k].split()))
print()
print("%-8s %12s %12s %12s %12s %12s   (wall s / cpu s)" % ("", "SQL agg", "SQL join", "report json", "diff --last", "diff json"))
ok = True
for be in backends:
    row = [v(be + "." + k) for k in ("agg", "join", "rep", "dt", "dj")]
    print("%-8s" % be + "".join(" %5.2f /%5.2f" % (x[0], x[1]) for x in row))
    print("%-8s report/agg %.1fx, diff/join %.1fx (wall); peak RSS report %d MiB, diff %d MiB" %
          ("", row[2][0] / row[0][0], row[3][0] / row[1][0], row[2][2] / 1024, row[3][2] / 1024))
    ok = ok and all(x[0] < 10 and x[2] < 1024 * 1024 for x in row[2:])
print("targets (each originscan run < 10 s wall, < 1 GiB): %s" % ("met" if ok else "NOT MET"))
PY
