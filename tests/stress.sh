#!/usr/bin/env bash
# The whole suite under load, as issue 11 item 20 asks: the plain build
# (build/) and the ASan+UBSan build (build-asan/) run their suites at the
# same time, each with ctest -j2, beside one busy loop per core, ROUNDS
# times (default 3). Prints one line per round and build; exit 1 if any
# round failed (the failing tests' logs stay in build*/Testing/).
#   tests/stress.sh [ROUNDS]
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
[ -x build/originscan ] && [ -x build-asan/originscan ] || { echo "build build/ and build-asan/ first" >&2; exit 2; }
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
hogs=()
stop_hogs() { local p; for p in "${hogs[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; hogs=(); }
trap stop_hogs EXIT
bad=0
for r in $(seq 1 "$rounds"); do
  for _ in $(seq 1 "$(nproc)"); do
    bash -c 'while :; do :; done' &
    hogs+=($!)
  done
  t0=$(date +%s)
  (cd build && ctest -j2 --output-on-failure >"../build/stress.$r.log" 2>&1) &
  plain=$!
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest -j2 --output-on-failure >"../build-asan/stress.$r.log" 2>&1) &
  asan=$!
  wait $plain; rp=$?
  wait $asan; ra=$?
  stop_hogs
  t1=$(date +%s)
  for b in build build-asan; do
    echo "round $r $b: $(grep -E 'tests passed' "$b/stress.$r.log") ($((t1 - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg))"
    grep -E '^\s+[0-9]+ - ' "$b/stress.$r.log" || true
  done
  [ $rp = 0 ] && [ $ra = 0 ] || bad=1
done
exit $bad
