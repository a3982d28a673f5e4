#!/usr/bin/env bash
# Attribution accuracy on the development corpora (issue 10): originscan
# against two naive anchors scored by the same code in the same run (a
# ~40-name substring matcher, and the IANA registrant of the sysObjectID
# alone), per corpus half, per kind, for network-equipment makers and for
# all makers: recall, precision and high-risk false positives. See
# bench/accuracy.py for the scoring rules.
#
#   bench/accuracy.sh [BUILD_DIR] [--misses A|B|all] [--only recog|librenms]
#
# CORPORA (default ../shared/corpora or ../../shared/corpora from the source tree) holds
# recog-dev.jsonl and librenms-dev/; nothing there is copied. The LibreNMS
# walks are served by snmpsim on 127.0.0.1 at a free port, one community
# per file, and scanned one by one with `originscan snmp`.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
B=build
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then B=$1; shift; fi
O=$SRC/$B/originscan
[ -x "$O" ] || { echo "bench/accuracy.sh: no $O; build first" >&2; exit 2; }
if [ -z "${CORPORA:-}" ]; then    # a clone next to shared/, or a worktree one level deeper
  CORPORA=$SRC/../shared/corpora
  [ -d "$CORPORA" ] || CORPORA=$SRC/../../shared/corpora
fi
[ -f "$CORPORA/recog-dev.jsonl" ] || { echo "bench/accuracy.sh: no corpora in $CORPORA (set CORPORA)" >&2; exit 2; }
command -v snmpsimd >/dev/null || { echo "bench/accuracy.sh: snmpsimd missing (scripts/install-deps)" >&2; exit 2; }

T=$(mktemp -d /tmp/originscan-accuracy.XXXXXX)
chmod 755 "$T"
SIM=
cleanup() { [ -n "$SIM" ] && kill "$SIM" 2>/dev/null; [ -n "$SIM" ] && wait "$SIM" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

need_sim=1
for a in "$@"; do [ "$a" = recog ] && need_sim=0; done
PORT=0
if [ $need_sim = 1 ]; then
  PORT=$(python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randint(20000, 32000)
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", p)); s.close()
        print(p); break
    except OSError:
        continue
PY
)
  mkdir -p "$T/cache"; chmod 777 "$T/cache"
  user=()
  [ "$(id -u)" -eq 0 ] && user=(--process-user=nobody --process-group=nogroup)
  snmpsimd --v2c-arch --data-dir="$CORPORA/librenms-dev" --cache-dir="$T/cache" \
    --agent-udpv4-endpoint="127.0.0.1:$PORT" --logging-method=file:"$T/sim.log" "${user[@]}" \
    >/dev/null 2>&1 &
  SIM=$!
  up=0
  for _ in $(seq 1 300); do
    if snmpget -v2c -c vrp -t 0.3 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1; then up=1; break; fi
    sleep 0.2
  done
  [ $up = 1 ] || { cat "$T/sim.log" >&2; echo "bench/accuracy.sh: snmpsim did not start" >&2; exit 2; }
fi
python3 bench/accuracy.py --bin "$O" --corpora "$CORPORA" --src "$SRC" --port "$PORT" --work "$T" "$@"
