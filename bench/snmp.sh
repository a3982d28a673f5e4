#!/usr/bin/env bash
# SNMP sweep speed, side by side with peer tools in the same run.
#
# One net-snmp snmpd listens on a high port on every address of a network
# namespace the script creates (its loopback: all of 127.0.0.0/8; plus 8
# veth pairs and 256 static neighbours, so that ifTable and the ARP
# table have something to walk). Everything stays in the namespace: no
# packet reaches a real network, and the firewall rule of (c) is deleted
# with it.
#
#   (a) sysDescr sweep of 4,096 loopback addresses: originscan (the whole
#       system group, and the SNMPv3 engine discovery) against onesixtyone
#       and braa (sysDescr only);
#   (b) full inventory (system, ENTITY, IF, LLDP, IP-MIB, bridge tables)
#       of 256 addresses against snmpbulkwalk of the same subtrees, 32
#       processes in parallel;
#   (c) the sweep of (a) when 15 of every 16 addresses never answer
#       (dropped by a firewall rule): timeouts overlap.
# Prints each time and the ratios. Needs root (namespace, firewall) and
# the peer tools: scripts/install-deps --bench.
#
#   bench/snmp.sh            (ORIGINSCAN=path/to/originscan to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench/snmp.sh: run as root (it creates a network namespace and a firewall rule)" >&2; exit 77; }
for t in snmpd onesixtyone braa snmpbulkwalk iptables ip sqlite3 python3 xargs; do
  command -v "$t" >/dev/null || { echo "bench/snmp.sh: $t missing; run scripts/install-deps --bench" >&2; exit 2; }
done
BIN=${ORIGINSCAN:-$PWD/build/originscan}
[ -x "$BIN" ] || { echo "bench/snmp.sh: no $BIN; build first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }

NS=os-snmp-bench
PORT=18161
SILENT_RULE=(INPUT -p udp --dport $PORT ! -d 0.0.0.0/0.0.0.15 -j DROP)
WORK=$(mktemp -d /tmp/os-snmp-bench.XXXXXX)
SNMPD_PID=
export MIBS= SNMPCONFPATH="$WORK/snmpconf"
mkdir -p "$SNMPCONFPATH"
in_ns() { ip netns exec "$NS" "$@"; }

cleanup() {
  [ -s "$WORK/snmpd.pid" ] && kill "$(cat "$WORK/snmpd.pid")" 2>/dev/null || true
  [ -n "$SNMPD_PID" ] && kill "$SNMPD_PID" 2>/dev/null || true
  [ -n "$SNMPD_PID" ] && wait "$SNMPD_PID" 2>/dev/null || true
  if ip netns list | grep -qw "$NS"; then
    in_ns iptables -D "${SILENT_RULE[@]}" 2>/dev/null || true
    ip netns delete "$NS"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns list | grep -qw "$NS" && ip netns delete "$NS"
ip netns add "$NS"
in_ns ip link set lo up
for i in $(seq 1 8); do         # 8 veth pairs: 16 interfaces, 256 neighbours
  in_ns ip link add "bva$i" type veth peer name "bvb$i"
  for end in a b; do
    in_ns ip link set "bv$end$i" up
  done
  in_ns ip addr add "10.99.$i.1/24" dev "bva$i"
  for j in $(seq 2 33); do
    in_ns ip neigh add "10.99.$i.$j" lladdr "02:00:00:$(printf %02x "$i"):$(printf %02x "$j"):01" dev "bva$i" nud permanent
  done
done

mkdir -p "$WORK/persist"
cat > "$WORK/snmpd.conf" <<EOF
agentaddress udp:0.0.0.0:$PORT
# a receive queue that holds a burst (rmem_max allowing): every tool below
# sends thousands of requests at once, and what the agent drops is lost
# to all of them alike
[snmp] serverRecvBuf 4194304
rocommunity public
sysName bench-agent.lab
sysLocation bench namespace
EOF
ip netns exec "$NS" snmpd -f -C -c "$WORK/snmpd.conf" -Lf "$WORK/snmpd.log" -p "$WORK/snmpd.pid" \
  --persistentDir="$WORK/persist" </dev/null >/dev/null 2>&1 &
SNMPD_PID=$!
for n in $(seq 1 50); do
  in_ns snmpget -v2c -c public -t 0.2 -r 0 127.18.0.1:$PORT 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
  sleep 0.2
done

now() { date +%s.%N; }
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }
ratio() { python3 -c "print('%.1f' % ($1 / $2))"; }
answered() { sqlite3 "$1" "select count(*) from targets where state='answered'"; }
sweep_s() { sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$WORK/$1.err"; }
timed() {   # timed VAR CMD...: run CMD, VAR = its wall time in seconds
  local var=$1 t0 t1; shift
  t0=$(now)
  "$@" || true
  t1=$(now)
  printf -v "$var" '%s' "$(secs "$t0" "$t1")"
}
peers() {   # peers TAG: the same sweep by onesixtyone and braa; sets P161, PBRAA
  timed P161 in_ns onesixtyone -p $PORT -w 1 -i "$WORK/hosts" public > "$WORK/$1.161" 2>&1
  echo "  onesixtyone               ${P161} s  ($(grep -c '\[public\]' "$WORK/$1.161" || true) answered: sysDescr;" \
    "-w 1, with -w 0 it loses most answers)"
  timed PBRAA in_ns braa -t 1 -r 1 "public@127.18.0.0-127.18.15.255:$PORT:.1.3.6.1.2.1.1.1.0" > "$WORK/$1.braa" 2>&1
  echo "  braa                      ${PBRAA} s  ($(grep -c ':[0-9]*ms:' "$WORK/$1.braa" || true) answered: sysDescr;" \
    "-t 1, it waits 1 s for late answers)"
}
OS_FLAGS=(--rate 0 --timeout 1000 --retries 1 --no-progress --port $PORT)

echo "originscan: $BIN"
echo "agent: net-snmp snmpd $(snmpd -v 2>/dev/null | sed -n 's/^NET-SNMP version: *//p'), one process, namespace $NS"
echo

# ---- (a) sysDescr sweep of 4,096 addresses
TARGETS=127.18.0.0/20
python3 -c "
import ipaddress
for a in ipaddress.ip_network('$TARGETS'): print(a)" > "$WORK/hosts"
echo "(a) sweep of 4,096 addresses ($TARGETS)"
timed a_disc in_ns "$BIN" snmp --db "$WORK/a.db" --system-only --concurrency 256 "${OS_FLAGS[@]}" $TARGETS 2>"$WORK/a.err"
echo "  originscan                ${a_disc} s  ($(answered "$WORK/a.db") answered: system group + SNMPv3 engine id, 2 requests a target; sweep $(sweep_s a) s)"
timed a_os in_ns "$BIN" snmp --db "$WORK/a2.db" --system-only --no-discovery --concurrency 256 "${OS_FLAGS[@]}" $TARGETS \
  2>"$WORK/a2.err"
echo "  originscan --no-discovery ${a_os} s  ($(answered "$WORK/a2.db") answered: system group, 1 request a target as the peers; sweep $(sweep_s a2) s)"
peers a
a_161=$P161 a_braa=$PBRAA
best=$(python3 -c "print(min($a_161, $a_braa))")
echo "  ratio (same requests as the peers): onesixtyone/originscan $(ratio "$a_161" "$a_os")," \
  "braa/originscan $(ratio "$a_braa" "$a_os"); faster peer / originscan $(ratio "$best" "$a_os") (want >= 1)"
echo "  ratio (with the discovery, twice the agent's work): faster peer / originscan $(ratio "$best" "$a_disc")"
echo

# ---- (b) full inventory of 256 addresses
echo "(b) full inventory of 256 addresses (127.18.0.0/24)"
timed b_os in_ns "$BIN" snmp --db "$WORK/b.db" --concurrency 256 "${OS_FLAGS[@]}" 127.18.0.0/24 2>"$WORK/b.err"
b_vals=$(sqlite3 "$WORK/b.db" "select count(*) from evidence where key not like 'snmp.%'")
echo "  originscan          ${b_os} s  ($(answered "$WORK/b.db") answered, ${b_vals} values stored)"
# the subtrees originscan walks (ipNetToMediaTable and dot1dTpFdbTable are
# walked by it only when the newer table is empty: here it is not / both are)
SUBTREES="1.3.6.1.2.1.1 1.3.6.1.2.1.47.1.1.1 1.3.6.1.2.1.2.2.1.2 1.3.6.1.2.1.2.2.1.3 1.3.6.1.2.1.2.2.1.6
1.0.8802.1.1.2.1.4.1 1.0.8802.1.1.2.1.4.2 1.0.8802.1.1.2.1.5.4795.1.3.3 1.3.6.1.2.1.4.35.1.4
1.3.6.1.2.1.17.1.1 1.3.6.1.2.1.17.7.1.2.2 1.3.6.1.2.1.17.4.3"
for i in $(seq 0 255); do for o in $SUBTREES; do echo "127.18.0.$i:$PORT $o"; done; done > "$WORK/b.jobs"
timed b_walk in_ns xargs -P 32 -L 1 snmpbulkwalk -v2c -c public -Cr24 -On -t 1 -r 1 < "$WORK/b.jobs" > "$WORK/b.walk" 2>/dev/null
echo "  snmpbulkwalk x32    ${b_walk} s  ($(wc -l < "$WORK/b.jobs") walks, $(grep -c ' = ' "$WORK/b.walk" || true) values printed)"
echo "  ratio: snmpbulkwalk/originscan $(ratio "$b_walk" "$b_os") (want >= 3)"
echo

# ---- (c) 15 of 16 addresses silent
in_ns iptables -A "${SILENT_RULE[@]}"
echo "(c) sweep of 4,096 addresses, 15 of 16 silent (firewall: only x.x.x.0/x.x.x.16/... answer); timeout 1 s, 1 retry"
timed c_os in_ns "$BIN" snmp --db "$WORK/c.db" --system-only --concurrency 4096 "${OS_FLAGS[@]}" $TARGETS 2>"$WORK/c.err"
silent=$(sqlite3 "$WORK/c.db" "select count(*) from targets where state='unreachable'")
serial=$((silent * 2))
echo "  originscan                ${c_os} s  ($(answered "$WORK/c.db") answered, ${silent} unreachable: ${serial} s of timeouts" \
  "if waited one by one; overlap x$(ratio "$serial" "$c_os"))"
peers c
c_161=$P161 c_braa=$PBRAA
in_ns iptables -D "${SILENT_RULE[@]}"
echo "  ratio: onesixtyone/originscan $(ratio "$c_161" "$c_os"), braa/originscan $(ratio "$c_braa" "$c_os")"
