#!/usr/bin/env bash
# Passive collection speed and memory, side by side in one run.
#
# Two generated captures (tests/pcapgen/pcapgen.py bench) of the same
# 3,000 hosts (real vendors' OUIs): 500,000 and 5,000,000 packets of
# ordinary TCP/UDP between them, about 3 % identity frames of every kind
# the collector reads (LLDP, CDP, DHCPv4/v6, SNMP, SSH, telnet, HTTP, TLS,
# ARP, NDP). Timed on each, interleaved, best of $REPS:
#
#   originscan   originscan capture -r FILE into a fresh database, as a
#                user runs it: set-up, the packets, writing the evidence,
#                attribution of the devices
#   read floor   tcpdump -r FILE -w /dev/null 'ether proto 0' (libpcap
#                reads every packet and runs a filter that keeps none)
# and once, on the 500k capture, the peers: tshark extracting the same
# identity fields (-T fields), tcpdump decoding (-nn), p0f, and cat.
#
# The fixed cost (everything but the packets: process and database
# set-up, writing the evidence, attributing 3,000 devices) and the cost
# of a packet come from the two sizes: per packet = (T5M - T500k) / 4.5M,
# fixed = T500k - 500k x per packet. Wall time on a shared machine is
# noisy: CPU time (user + system) is printed too.
#
# Targets (issue 12): originscan <= 2x the read floor at 500k packets and
# <= 1.5x at 5M, >= 50x faster than tshark, peak memory bounded by
# devices (the same at 500k and 5M).
#   bench/pcap.sh                  (needs scripts/install-deps --bench)
#   SMALL=500000 LARGE=5000000 HOSTS=3000 REPS=5 BENCH_DIR=/tmp/originscan-bench
#   PEERS=0: originscan and the floor only (tshark alone takes minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-500000}
LARGE=${LARGE:-5000000}
HOSTS=${HOSTS:-3000}
REPS=${REPS:-5}
PEERS=${PEERS:-1}
DIR=${BENCH_DIR:-/tmp/originscan-bench}
OS=${ORIGINSCAN:-build/originscan}
mkdir -p "$DIR"
[ -x "$OS" ] || { echo "build first (scripts/dev build)" >&2; exit 2; }
for t in tcpdump tshark p0f /usr/bin/time python3; do
  command -v $t >/dev/null || { echo "missing $t: scripts/install-deps --bench" >&2; exit 2; }
done
declare -A F
for n in "$SMALL" "$LARGE"; do
  F[$n]=$DIR/bench-$n-$HOSTS.pcap
  if [ ! -s "${F[$n]}" ]; then
    echo "generating ${F[$n]} ..." >&2
    python3 tests/pcapgen/pcapgen.py bench "${F[$n]}.tmp" "$n" "$HOSTS"
    mv "${F[$n]}.tmp" "${F[$n]}"
  fi
done

# once NAME CMD...: one timed run; appends "wall cpu rss_kb" to $DIR/NAME.runs
once() {
  local name=$1; shift
  rm -f "$DIR/b.db" "$DIR/b.db-wal" "$DIR/b.db-shm"
  if ! /usr/bin/time -f "%e %U %S %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/$name.err"; then
    echo "$name failed:" >&2; tail -3 "$DIR/$name.err" >&2; exit 1
  fi
  read -r e u s m < <(tail -1 "$DIR/time")
  echo "$e $(python3 -c "print(round($u + $s, 2))") $m" >>"$DIR/$name.runs"
}
rm -f "$DIR"/*.runs
for n in "$SMALL" "$LARGE"; do
  cat "${F[$n]}" >/dev/null      # the page cache warm for everyone alike
  for i in $(seq "$REPS"); do     # interleaved: both see the same machine
    once "floor-$n" tcpdump -r "${F[$n]}" -w /dev/null 'ether proto 0'
    once "originscan-$n" "$OS" capture -q --no-progress --db "$DIR/b.db" -r "${F[$n]}"
  done
done
FIELDS=(-e frame.number -e eth.src -e lldp.chassis.id.mac -e lldp.tlv.system.name -e lldp.tlv.system.desc
        -e lldp.mgn.addr.ip4 -e lldp.media.hardware -e lldp.media.sn -e lldp.media.manufacturer -e lldp.media.model
        -e cdp.deviceid -e cdp.platform -e cdp.software_version -e dhcp.option.vendor_class_id
        -e dhcp.option.hostname -e dhcp.option.vi.enterprise -e dhcpv6.vendorclass.enterprise
        -e dhcpv6.vendoropts.enterprise -e snmp.value.octets -e snmp.value.oid -e ssh.protocol
        -e telnet.data -e http.server -e x509sat.printableString -e x509sat.uTF8String
        -e arp.src.hw_mac -e arp.src.proto_ipv4 -e icmpv6.opt.linkaddr)
if [ "$PEERS" = 1 ]; then
  once "tshark-$SMALL" tshark -n -r "${F[$SMALL]}" -T fields "${FIELDS[@]}"
  once "tcpdump-$SMALL" tcpdump -nn -r "${F[$SMALL]}"
  once "p0f-$SMALL" p0f -r "${F[$SMALL]}"
  once "cat-$SMALL" cat "${F[$SMALL]}"
fi

python3 - "$DIR" "$SMALL" "$LARGE" "$HOSTS" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)" "$PEERS" <<'PY'
import os, sys
d, small, large, hosts, cpu, peers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5].strip(), sys.argv[6] == "1"
def best(name):
    runs = [tuple(map(float, l.split())) for l in open(os.path.join(d, name + ".runs"))]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs) / 1024
print("\n%d and %d packets, %s hosts, %s" % (small, large, hosts, cpu))
print("\n%-22s %9s %9s %9s %10s" % ("", "wall s", "cpu s", "Mpkt/s", "peak RSS"))
rows = [("originscan-%d" % small, small), ("read floor-%d" % small, small),
        ("originscan-%d" % large, large), ("read floor-%d" % large, large)]
if peers:
    rows += [("tshark-%d" % small, small), ("tcpdump-%d" % small, small), ("p0f-%d" % small, small),
             ("cat-%d" % small, small)]
T = {}
for label, n in rows:
    name = label.replace("read floor", "floor")
    w, c, m = best(name)
    T[name] = (w, c, m)
    print("%-22s %9.2f %9.2f %9.3f %7.0f MB" % (label, w, c, n / w / 1e6 if w else 0, m))
o1, f1 = T["originscan-%d" % small], T["floor-%d" % small]
o2, f2 = T["originscan-%d" % large], T["floor-%d" % large]
print()
print("originscan / read floor, %8d packets: %5.2fx wall, %5.2fx cpu  (target <= 2)" % (small, o1[0] / f1[0], o1[1] / f1[1]))
print("originscan / read floor, %8d packets: %5.2fx wall, %5.2fx cpu  (target <= 1.5)" % (large, o2[0] / f2[0], o2[1] / f2[1]))
if peers:
    ts = T["tshark-%d" % small]
    print("tshark / originscan,     %8d packets: %5.1fx wall, %5.1fx cpu  (target >= 50)" % (small, ts[0] / o1[0], ts[1] / o1[1]))
pp_w, pp_c = (o2[0] - o1[0]) / (large - small), (o2[1] - o1[1]) / (large - small)
fp_w, fp_c = (f2[0] - f1[0]) / (large - small), (f2[1] - f1[1]) / (large - small)
print("per packet: originscan %.0f ns wall, %.0f ns cpu; read floor %.0f ns wall, %.0f ns cpu"
      % (pp_w * 1e9, pp_c * 1e9, fp_w * 1e9, fp_c * 1e9))
print("fixed cost (set-up, evidence, attribution of %s hosts): %.2f s wall, %.2f s cpu; read floor %.2f s"
      % (hosts, o1[0] - small * pp_w, o1[1] - small * pp_c, f1[0] - small * fp_w))
print("peak RSS, %dx the packets, same devices: %.2fx" % (large // small, o2[2] / o1[2]))
PY
# what the capture found, for the record
"$OS" scans --db "$DIR/b.db" 2>/dev/null | head -3 || true
