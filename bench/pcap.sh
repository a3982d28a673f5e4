#!/usr/bin/env bash
# Passive collection speed and memory, side by side in one run.
#
# A generated capture (tests/pcapgen/pcapgen.py bench): N packets (default
# 3 million) of ordinary TCP/UDP between 4000 hosts with real vendors'
# OUIs, and about 3 % identity frames of every kind the collector reads
# (LLDP, CDP, DHCPv4/v6, SNMP, SSH, telnet, HTTP, TLS, ARP, NDP). Timed:
#
#   originscan   originscan capture -r FILE (into a fresh database,
#                attribution included: the whole command)
#   tcpdump      tcpdump -nn -r FILE > /dev/null (decode and print)
#   tshark       tshark -r FILE -T fields extracting the same identity fields
#   p0f          p0f -r FILE (passive fingerprinting)
#   read floor   tcpdump -r FILE -w /dev/null 'ether proto 0' (libpcap reads
#                and filters every packet, keeps none)
#   cat          cat FILE > /dev/null (I/O floor)
#
# Targets (issue 5): originscan >= 30x faster than tshark, <= 2x libpcap's
# read floor, memory bounded by distinct devices: the script also reads a
# capture twice as long over the same hosts and prints both peak RSS.
#   bench/pcap.sh [PACKETS]          (needs scripts/install-deps --bench)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
DIR=${BENCH_DIR:-/tmp/originscan-bench}
OS=${ORIGINSCAN:-build/originscan}
mkdir -p "$DIR"
[ -x "$OS" ] || { echo "build first (scripts/dev build)" >&2; exit 2; }
for t in tcpdump tshark p0f /usr/bin/time; do
  command -v $t >/dev/null || { echo "missing $t: scripts/install-deps --bench" >&2; exit 2; }
done
F=$DIR/bench-$N.pcap
F2=$DIR/bench-$N-twice.pcap
if [ ! -s "$F" ]; then
  echo "generating $F ..." >&2
  python3 tests/pcapgen/pcapgen.py bench "$F" "$N"
fi
if [ ! -s "$F2" ]; then     # the same capture twice: twice the packets, the same devices
  { cat "$F"; tail -c +25 "$F"; } >"$F2"
fi
size=$(stat -c %s "$F")
cat "$F" >/dev/null      # warm the page cache for everyone alike

# run NAME CMD...: best elapsed of $REPS runs, peak RSS (KB) of the last
REPS=${REPS:-3}
declare -A T M
run() {
  local name=$1; shift
  local best=999999 rss=0 i
  for i in $(seq 1 "${REPS_OF[$name]:-$REPS}"); do
    rm -f "$DIR/b.db" "$DIR/b.db-wal" "$DIR/b.db-shm"
    /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/$name.err" || {
      echo "$name failed:" >&2; tail -3 "$DIR/$name.err" >&2; }
    read -r e rss < <(tail -1 "$DIR/time")
    best=$(python3 -c "print(min($best, $e))")
  done
  T[$name]=$best
  M[$name]=$rss
}
declare -A REPS_OF=([tshark]=1 [tcpdump]=1 [p0f]=1)     # slow peers: one run

FIELDS=(-e frame.number -e eth.src -e lldp.chassis.id.mac -e lldp.tlv.system.name -e lldp.tlv.system.desc
        -e lldp.mgn.addr.ip4 -e lldp.media.hardware -e lldp.media.sn -e lldp.media.manufacturer -e lldp.media.model
        -e cdp.deviceid -e cdp.platform -e cdp.software_version -e dhcp.option.vendor_class_id
        -e dhcp.option.hostname -e dhcp.option.vi.enterprise -e dhcpv6.vendorclass.enterprise
        -e dhcpv6.vendoropts.enterprise -e snmp.value.octets -e snmp.value.oid -e ssh.protocol
        -e telnet.data -e http.server -e x509sat.printableString -e x509sat.uTF8String
        -e arp.src.hw_mac -e arp.src.proto_ipv4 -e icmpv6.opt.linkaddr)

run originscan "$OS" capture -q --no-progress --db "$DIR/b.db" -r "$F"
run tcpdump tcpdump -nn -r "$F"
run read-floor tcpdump -r "$F" -w /dev/null 'ether proto 0'
run cat cat "$F"
run p0f p0f -r "$F"
run tshark tshark -n -r "$F" -T fields "${FIELDS[@]}"
run originscan-2x "$OS" capture -q --no-progress --db "$DIR/b.db" -r "$F2"

o=${T[originscan]}
printf '\n%s packets, %s MB, %s\n\n' "$N" "$((size / 1000000))" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-14s %9s %9s %10s %10s\n' tool seconds 'Mpkt/s' 'vs ours' 'peak RSS'
for k in originscan tcpdump tshark p0f read-floor cat originscan-2x; do
  python3 - "$k" "${T[$k]}" "$o" "${M[$k]}" "$N" <<'PY'
import sys
k, t, o, m, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
if k == "originscan-2x":
    n *= 2
rate = n / t / 1e6 if t else 0
print("%-14s %9.2f %9.2f %9.2fx %8d MB" % (k, t, rate, t / o if o else 0, m // 1024))
PY
done
python3 - "${T[originscan]}" "${T[tshark]}" "${T[read-floor]}" "${M[originscan]}" "${M[originscan-2x]}" <<'PY'
import sys
o, ts, rf, m1, m2 = map(float, sys.argv[1:])
print()
print("tshark / originscan:      %6.1fx  (target >= 30)" % (ts / o))
print("originscan / read floor:  %6.2fx  (target <= 2)" % (o / rf))
print("peak RSS, 2x packets:     %6.2fx  (same devices: should stay ~1)" % (m2 / m1))
PY
# what the capture found, for the record
"$OS" scans --db "$DIR/b.db" 2>/dev/null | head -3 || true
