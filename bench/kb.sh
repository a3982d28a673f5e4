#!/usr/bin/env bash
# Knowledge-base speed, side by side with a Python baseline doing the same
# lookups in the same run (issue 3, item 7). Targets on one core: >= 2
# million MAC lookups/s and >= 300 thousand banner classifications/s
# through `originscan identify`, end to end, and < 20 ms to first answer.
#   bench/kb.sh [BUILD_DIR]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
O=$B/originscan
[ -x "$O" ] || { echo "build first: scripts/dev build" >&2; exit 2; }
T=$(mktemp -d /tmp/originscan-bench.XXXXXX); trap 'rm -rf "$T"' EXIT
NMAC=${NMAC:-4000000} NBAN=${NBAN:-1000000}
python3 bench/gen_kb_inputs.py "$T" "$NMAC" "$NBAN"
sort -u "$T/banners.jsonl" | shuf --random-source=<(yes) > "$T/distinct.jsonl"
python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
# the same distinct banners, one kind per file, one value per line with C escapes
with open(d + "/sysdescr.txt", "w") as f:
    for l in open(d + "/distinct.jsonl"):
        j = json.loads(l)
        if j["kind"] == "snmp-sysdescr":
            f.write(j["value"].replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n") + "\n")
PY

# user+sys CPU seconds of a command, pinned to one core
cpu() { local t; t=$( { /usr/bin/time -f "%U %S" taskset -c 0 "$@" > /dev/null; } 2>&1 | tail -1); echo "$t" | awk '{print $1+$2}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN{ printf "%.0f", (s > 0 ? n / s : 0) }'; }

n_mac=$(wc -l < "$T/macs.txt"); n_ban=$(wc -l < "$T/banners.jsonl")
n_dis=$(wc -l < "$T/distinct.jsonl"); n_sd=$(wc -l < "$T/sysdescr.txt")
echo "inputs: $n_mac MACs, $n_ban banners ($n_dis distinct; $n_sd distinct sysDescr)"

o_mac=$(cpu $O identify --kind mac - < "$T/macs.txt")
p_mac=$(cpu python3 bench/kb_peer.py mac "$T/macs.txt")
o_ban=$(cpu $O identify - < "$T/banners.jsonl")
p_ban=$(cpu python3 bench/kb_peer.py banners "$T/banners.jsonl")
o_dis=$(cpu $O identify - < "$T/distinct.jsonl")
o_sd=$(cpu $O identify --escapes --kind snmp-sysdescr - < "$T/sysdescr.txt")

# time to first answer: mean wall time of 50 single-fact runs (process
# start, knowledge base, answer)
t0=$(date +%s%N)
for i in $(seq 50); do $O identify --kind mac 00:1e:10:12:34:56 >/dev/null; done
t1=$(date +%s%N)
first=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b - a) / 50 / 1e9}')

printf '%-44s %12s %12s %8s\n' "" "originscan/s" "python/s" "ratio"
printf '%-44s %12s %12s %8s\n' "MAC lookups (identify --kind mac -)" "$(rate "$n_mac" "$o_mac")" "$(rate "$n_mac" "$p_mac")" \
  "$(awk -v a="$p_mac" -v b="$o_mac" 'BEGIN{printf "%.1fx", a/b}')"
printf '%-44s %12s %12s %8s\n' "banners, JSON lines, realistic repetition" "$(rate "$n_ban" "$o_ban")" "$(rate "$n_ban" "$p_ban")" \
  "$(awk -v a="$p_ban" -v b="$o_ban" 'BEGIN{printf "%.1fx", a/b}')"
printf '%-44s %12s\n' "banners, JSON lines, all distinct" "$(rate "$n_dis" "$o_dis")"
printf '%-44s %12s\n' "sysDescr, one per line, all distinct" "$(rate "$n_sd" "$o_sd")"
echo "time to first answer (mean of 50 runs): ${first}s"
echo "targets: MAC >= 2000000/s, banners >= 300000/s, first answer < 0.020 s"
