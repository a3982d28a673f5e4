#!/usr/bin/env bash
# bench/oss.sh [BYTES]: the OSS export reader against its floor and a peer
# on one generated 3GPP Bulk CM export (tests/ossgen, Ericsson dialect; default
# 1 GB), side by side in one run:
#   floor  xmllint --stream --noout FILE     (libxml2's reader doing nothing)
#   ours   oss_read FILE (bench/)              (collectors/oss, every row copied out)
#   peer   python3 bench/oss_peer.py FILE    (lxml iterparse, the same fields)
# Best of RUNS=2 each. Targets: ours within 2x the floor, >= 10x the peer.
# Memory: peak RSS of each at BYTES/4 and BYTES (flat: about the same).
# Wall-clock and CPU (user + system) seconds are both shown: on a shared,
# loaded machine the wall clock measures the neighbours too; the ratios of
# CPU seconds are the steadier comparison (the load average is printed).
# Needs a build (BUILDDIR, default ./build), xmllint and python3-lxml
# (scripts/install-deps --bench), and 2 x BYTES of space in TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1000000000}
B=${BUILDDIR:-build}
PY=${PYTHON:-/usr/bin/python3}     # Debian's, where python3-lxml installs
command -v xmllint >/dev/null || { echo "bench/oss.sh: xmllint not installed (scripts/install-deps --bench)" >&2; exit 2; }
"$PY" -c 'import lxml' 2>/dev/null || { echo "bench/oss.sh: python3-lxml not installed (scripts/install-deps --bench)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/originscan-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
python3 tests/ossgen/ossgen.py bench "$T/small.xml" $((SIZE / 4)) | sed 's/^/small export: /'
python3 tests/ossgen/ossgen.py bench "$T/big.xml" "$SIZE" | sed 's/^/big export:   /'

# wall seconds, peak RSS (KiB) and CPU seconds of one command, output to $T/out
measure() {
  /usr/bin/time -f '%e %M %U %S' -o "$T/time" "$@" >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; exit 2; }
  read -r e m u s <"$T/time"
  echo "$e $m $(echo "$u + $s" | bc -l)"
}
best() { [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ] && echo "$2" || echo "$1"; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
declare -A sec rss cpu
for f in small big; do
  for r in $(seq 1 "${RUNS:-2}"); do
    read -r s m c < <(measure xmllint --stream --noout "$T/$f.xml")
    sec[floor.$f]=$(best "${sec[floor.$f]:-}" "$s"); cpu[floor.$f]=$(best "${cpu[floor.$f]:-}" "$c"); rss[floor.$f]=$m
    read -r s m c < <(measure "$B/oss_read" "$T/$f.xml")
    sec[ours.$f]=$(best "${sec[ours.$f]:-}" "$s"); cpu[ours.$f]=$(best "${cpu[ours.$f]:-}" "$c"); rss[ours.$f]=$m
    ours_out=$(cat "$T/out")
    if [ "$r" = 1 ]; then
      read -r s m c < <(measure "$PY" bench/oss_peer.py "$T/$f.xml"); sec[peer.$f]=$s; cpu[peer.$f]=$c; rss[peer.$f]=$m
      peer_out=$(cat "$T/out")
    fi
  done
  echo "$f: ours   $ours_out"
  echo "$f: peer   $peer_out"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %10s %10s %10s %14s %14s\n' "" "s (1/4)" "s (full)" "cpu (1/4)" "cpu (full)" "RSS KiB (1/4)" \
  "RSS KiB (full)"
for w in floor ours peer; do
  printf '%-8s %10s %10s %10s %10s %14s %14s\n' "$w" "${sec[$w.small]}" "${sec[$w.big]}" "${cpu[$w.small]}" \
    "${cpu[$w.big]}" "${rss[$w.small]}" "${rss[$w.big]}"
done
echo "ours / floor: $(echo "scale=2; ${sec[ours.big]} / ${sec[floor.big]}" | bc -l)x the floor's time," \
  "$(echo "scale=2; ${cpu[ours.big]} / ${cpu[floor.big]}" | bc -l)x its CPU time (target <= 2)"
echo "peer / ours:  $(echo "scale=1; ${sec[peer.big]} / ${sec[ours.big]}" | bc -l)x faster than the peer," \
  "$(echo "scale=1; ${cpu[peer.big]} / ${cpu[ours.big]}" | bc -l)x in CPU time (target >= 10)"
echo "RSS growth:   ours $(echo "scale=2; ${rss[ours.big]} / ${rss[ours.small]}" | bc -l)x for 4x the file"
