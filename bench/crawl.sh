#!/usr/bin/env bash
# The crawl against the plain sweep, side by side in the same run: a chain
# of N snmpsim agents (default 256) on loopback, 127.2.0.1 onwards, each
# naming its two neighbours' management addresses in LLDP-MIB
# (tests/snmp/topology.py), one snmpsim process serving them all.
#   (a) originscan snmp over the N addresses (targets, no crawl);
#   (b) originscan snmp --crawl-depth N-1 from the first agent alone: the
#       chain is found one level at a time (a level is one device);
# both with the same options: the default politeness but 16 targets in
# flight (one snmpsim process answers about one request at a time: 200 in
# flight overload it and most sweep targets time out, which would flatter
# the crawl). Prints each time, per device, and the ratio; checks that
# both polled every agent, the crawl each once.
#
#   bench/crawl.sh [N]      (ORIGINSCAN=path/to/originscan to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
for t in snmpsimd snmpget sqlite3 python3; do
  command -v "$t" >/dev/null || { echo "bench/crawl.sh: $t missing; run scripts/install-deps" >&2; exit 2; }
done
BIN=${ORIGINSCAN:-$PWD/build/originscan}
[ -x "$BIN" ] || { echo "bench/crawl.sh: no $BIN; build first" >&2; exit 2; }
N=${1:-256}
WORK=$(mktemp -d /tmp/os-crawl-bench.XXXXXX)
chmod 755 "$WORK"
PID=
cleanup() { [ -n "$PID" ] && kill -- "-$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
PORT=$(python3 -c "
import random, socket
for _ in range(200):
    p = random.randint(10000, 32000)
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', p)); s.close(); print(p); break
    except OSError: pass")
mkdir -p "$WORK/data/public" "$WORK/cache"
python3 "$SRC/tests/snmp/topology.py" "$WORK/chain" 127.2.0.0 "chain:$N" >/dev/null
args=()
for i in $(seq 1 "$N"); do
  cp "$WORK/chain/$i.snmprec" "$WORK/data/public/1.3.6.1.6.1.1.$((i - 1)).snmprec"
  args+=("--agent-udpv4-endpoint=$(python3 -c "
import ipaddress; print(ipaddress.ip_address('127.2.0.0') + $i)"):$PORT")
done
chmod -R a+rwX "$WORK"
user=()
[ "$(id -u)" -eq 0 ] && user=(--process-user=nobody --process-group=nogroup)
setsid snmpsimd --v2c-arch --data-dir="$WORK/data" --cache-dir="$WORK/cache" --logging-method=file:"$WORK/log" \
  "${user[@]}" "${args[@]}" >/dev/null 2>&1 &
PID=$!
LAST=$(python3 -c "import ipaddress; print(ipaddress.ip_address('127.2.0.0') + $N)")
for _ in $(seq 1 300); do
  snmpget -v2c -c public -t 0.3 -r 0 "$LAST:$PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
  sleep 0.2
done
export MIBS= SNMPCONFPATH="$WORK/snmpconf"
mkdir -p "$SNMPCONFPATH"
unset ORIGINSCAN_COMMUNITY
echo "crawl.sh: a chain of $N agents"
t0=$(date +%s.%N)
OPTS=(--concurrency 16)
"$BIN" snmp -q --db "$WORK/s.db" --port "$PORT" "${OPTS[@]}" "127.2.0.1-$LAST"
t1=$(date +%s.%N)
"$BIN" snmp -q --db "$WORK/c.db" --port "$PORT" "${OPTS[@]}" --crawl-depth $((N - 1)) --scope 127.2.0.0/16 127.2.0.1
t2=$(date +%s.%N)
python3 - "$WORK/s.db" "$WORK/c.db" "$t0" "$t1" "$t2" "$N" <<'PY'
import sqlite3, sys
s, c = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
t0, t1, t2, n = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
ns = s.execute("select count(*) from targets where state='answered'").fetchone()[0]
nc = c.execute("select count(*) from targets where state='answered'").fetchone()[0]
dup = c.execute("select count(*) from (select address from targets group by address having count(*) > 1)").fetchone()[0]
a, b = t1 - t0, t2 - t1
print("  plain sweep of the %d addresses   %6.2f s  %5.1f ms/device  (%d answered)" % (n, a, 1000 * a / ns, ns))
print("  crawl from the first agent        %6.2f s  %5.1f ms/device  (%d answered, depth %d)" %
      (b, 1000 * b / nc, nc, c.execute("select max(cast(value as integer)) from evidence where key='crawl.depth'").fetchone()[0] or 0))
print("  ratio crawl / sweep per device    %6.2fx" % ((b / nc) / (a / ns)))
assert nc == n and ns == n and not dup, (nc, ns, dup)
PY
