#!/usr/bin/env bash
# bench/oss.sh [BYTES]: the OSS export reader against its floor and a peer
# on one generated 3GPP Bulk CM export (tests/ossgen, Ericsson dialect; default
# 1 GB), side by side in one run:
#   floor  xmllint --stream --noout FILE     (libxml2's reader doing nothing)
#   ours   oss_read FILE (bench/)              (collectors/oss, every row formatted)
#   peer   python3 bench/oss_peer.py FILE    (lxml iterparse, the same fields)
# Best of RUNS=2 each. Targets: ours within 2x the floor, >= 10x the peer.
# Memory: peak RSS of each at BYTES/4 and BYTES (flat: about the same).
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

# seconds and peak RSS (KiB) of one command, output to $T/out
measure() { /usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; exit 2; }; cat "$T/time"; }
best() { [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ] && echo "$2" || echo "$1"; }
declare -A sec rss
for f in small big; do
  for r in $(seq 1 "${RUNS:-2}"); do
    read -r s m < <(measure xmllint --stream --noout "$T/$f.xml"); sec[floor.$f]=$(best "${sec[floor.$f]:-}" "$s"); rss[floor.$f]=$m
    read -r s m < <(measure "$B/oss_read" "$T/$f.xml"); sec[ours.$f]=$(best "${sec[ours.$f]:-}" "$s"); rss[ours.$f]=$m
    ours_out=$(cat "$T/out")
    if [ "$r" = 1 ]; then
      read -r s m < <(measure "$PY" bench/oss_peer.py "$T/$f.xml"); sec[peer.$f]=$s; rss[peer.$f]=$m
      peer_out=$(cat "$T/out")
    fi
  done
  echo "$f: ours   $ours_out"
  echo "$f: peer   $peer_out"
done
printf '%-8s %12s %12s %14s %14s\n' "" "s (1/4)" "s (full)" "RSS KiB (1/4)" "RSS KiB (full)"
for w in floor ours peer; do
  printf '%-8s %12s %12s %14s %14s\n' "$w" "${sec[$w.small]}" "${sec[$w.big]}" "${rss[$w.small]}" "${rss[$w.big]}"
done
echo "ours / floor: $(echo "scale=2; ${sec[ours.big]} / ${sec[floor.big]}" | bc -l)x the floor's time (target <= 2)"
echo "peer / ours:  $(echo "scale=1; ${sec[peer.big]} / ${sec[ours.big]}" | bc -l)x faster than the peer (target >= 10)"
echo "RSS growth:   ours $(echo "scale=2; ${rss[ours.big]} / ${rss[ours.small]}" | bc -l)x for 4x the file"
