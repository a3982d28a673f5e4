#!/usr/bin/env bash
# bench/report.sh [NDEVICES] — report and diff at scale.
#
# Fills a database with NDEVICES devices (default 1,000,000) in each of two
# scans through the project's own store API and attribution
# (bench/report_fill.c: system group, interface MACs, ENTITY-MIB chassis and
# transceivers for a third, a site map; between the scans ~1% removed, ~1%
# added, 0.5% moved, 0.5% replaced, 2% upgraded), then times, side by side:
#   report --format json   (the complete model, written to a file)
#   diff --last            (text)
#   diff --format json
# against the floor: the bare SQL aggregate in the sqlite3 shell (devices
# per vendor of the scan) and a bare SQL join of the two scans by identity.
# Targets: each originscan run under 10 s, peak memory under 1 GiB.
# Run from a configured build: cmake --build build; bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
B=${BUILD:-build}
FILL=${FILL:-$B/report_fill}
[ -x "$B/originscan" ] && [ -x "$FILL" ] || { echo "build first: cmake --build $B" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell" >&2; exit 2; }
W=$(mktemp -d /tmp/originscan-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
DB="$W/bench.db"

echo "filling $DB with $N devices x 2 scans (store API + attribution) ..."
/usr/bin/time -f "  fill: %e s, peak %M KB" "$FILL" "$DB" "$N"
echo "  database: $(du -h "$DB" | cut -f1)"

run() {         # run LABEL CMD... : wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/t" "$@" >/dev/null 2>"$W/err" || true
  read -r secs kb < <(tail -1 "$W/t")   # time(1) may first say the exit status
  printf '  %-34s %7.2f s  %7d MiB\n' "$label" "$secs" "$((kb / 1024))" >&2
  echo "$secs $kb"
}
echo
echo "timings (wall, peak RSS):"
floor=$(run "sqlite3: devices per vendor" sqlite3 "$DB" \
  "SELECT vendor, count(*) FROM devices WHERE scan_id=2 GROUP BY vendor" | tail -1)
join=$(run "sqlite3: join of two scans" sqlite3 "$DB" \
  "SELECT count(*) FROM devices a JOIN devices b ON a.identity=b.identity WHERE a.scan_id=1 AND b.scan_id=2 AND (a.firmware IS NOT b.firmware OR a.address IS NOT b.address)" | tail -1)
rep=$(run "originscan report --format json" "$B/originscan" report --db "$DB" --format json -o "$W/r.json" | tail -1)
echo "  (report: $(du -h "$W/r.json" | cut -f1) of JSON)" >&2
dtext=$(run "originscan diff --last" "$B/originscan" diff --db "$DB" --last | tail -1)
djson=$(run "originscan diff --last --format json" "$B/originscan" diff --db "$DB" --last --format json -o "$W/d.json" | tail -1)
python3 - "$floor" "$join" "$rep" "$dtext" "$djson" <<'PY'
import sys
f, j, r, dt, dj = [tuple(map(float, a.split())) for a in sys.argv[1:]]
print()
print("ratios: report/aggregate %.1fx, diff/join %.1fx, diff json/join %.1fx" % (r[0] / f[0], dt[0] / j[0], dj[0] / j[0]))
ok = all(x[0] < 10 for x in (r, dt, dj)) and all(x[1] < 1024 * 1024 for x in (r, dt, dj))
print("targets (< 10 s, < 1 GiB each): %s" % ("met" if ok else "NOT MET"))
PY
