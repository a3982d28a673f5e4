#!/usr/bin/env bash
# originscan probe against nmap -sV, side by side in the same run.
#
# A network namespace the script creates holds the services on its
# loopback (every address of 127.0.0.0/8 is local there, and no packet
# leaves it): OpenSSH's sshd on port 22, inetutils-telnetd on 23 (behind
# tests/probe/inetd.py, a ZTE-like login prompt), lighttpd over TLS on
# 443 with a self-signed certificate naming a maker. ADDRS addresses x 3
# ports (default 334 x 3 = 1,002 services) are probed by
#   (a) originscan probe --no-snmp (nmap -sV probes no UDP either), the
#       default politeness (500 connections in flight, 500 new a second);
#   (b) the same with the SNMPv3 discovery on (every address silent on UDP
#       161: its timeouts are the cost);
#   (c) nmap -sV -Pn -n over the same addresses and ports;
# prints the times and ratios, and checks that every (address, port)
# where nmap names a service has the identity in originscan's evidence.
# Needs root (the namespace) and nmap: scripts/install-deps --bench.
#
#   bench/probe.sh [ADDRS]      (ORIGINSCAN=path/to/originscan to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
[ "$(id -u)" -eq 0 ] || { echo "bench/probe.sh: run as root (it creates a network namespace)" >&2; exit 77; }
for t in nmap /usr/sbin/sshd /usr/sbin/telnetd lighttpd ip sqlite3 python3 openssl ssh-keygen; do
  command -v "$t" >/dev/null || { echo "bench/probe.sh: $t missing; run scripts/install-deps --bench" >&2; exit 2; }
done
BIN=${ORIGINSCAN:-$PWD/build/originscan}
[ -x "$BIN" ] || { echo "bench/probe.sh: no $BIN; build first" >&2; exit 2; }
ADDRS=${1:-334}
NS=os-probe-bench-$$
WORK=$(mktemp -d /tmp/os-probe-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
in_ns() { ip netns exec "$NS" "$@"; }
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  # setsid forks the daemons away from the PIDs noted: whatever still runs
  # in the namespace goes with it
  if ip netns list | grep -qw "$NS"; then
    ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$NS"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
in_ns ip link set lo up

# the services, on every loopback address of the namespace
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
mkdir -p /run/sshd
printf 'Port 22\nHostKey %s/host_key\nPidFile %s/sshd.pid\nUsePAM no\nPasswordAuthentication no\nMaxStartups 4000\n' \
  "$WORK" "$WORK" > "$WORK/sshd_config"
# one sshd serves every address here (a device has its own): no re-exec
# per connection (-r), or hundreds at once overrun its timeouts
in_ns setsid /usr/sbin/sshd -D -e -r -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
PIDS+=($!)
printf '#!/bin/sh\nprintf "\\r\\n  ZXR10 M6000-S Software, Version V3.00.10\\r\\n  Copyright (c) 2001-2020 by ZTE Corporation\\r\\n\\r\\nUsername:"\nsleep 20\n' \
  > "$WORK/login.sh"
chmod 755 "$WORK/login.sh"
in_ns setsid python3 "$SRC/tests/probe/inetd.py" 0.0.0.0 23 /usr/sbin/telnetd -h -E "$WORK/login.sh" &
PIDS+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/C=CN/O=Huawei Technologies Co., Ltd./CN=HG8245H" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
mkdir -p "$WORK/www"
echo hello > "$WORK/www/index.html"
cat > "$WORK/lighttpd.conf" <<CONF
server.document-root = "$WORK/www"
server.port = 443
server.errorlog = "$WORK/lighttpd.log"
server.max-connections = 4096
server.max-fds = 8192
server.modules += ("mod_openssl")
ssl.engine = "enable"
ssl.pemfile = "$WORK/cert.pem"
ssl.privkey = "$WORK/key.pem"
CONF
in_ns setsid lighttpd -D -f "$WORK/lighttpd.conf" &
PIDS+=($!)
for port in 22 23 443; do
  in_ns python3 - "$port" <<'PY' || { echo "bench/probe.sh: nothing on port $1" >&2; exit 2; }
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
done
# each tool gets a few thousand descriptors
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

LAST=$(python3 -c "import ipaddress; print(ipaddress.ip_address('127.1.0.1') + $ADDRS - 1)")
RANGE="127.1.0.1-$LAST"
python3 -c "
import ipaddress
a = ipaddress.ip_address('127.1.0.1')
print('\n'.join(str(a + i) for i in range($ADDRS)))" > "$WORK/addrs"
echo "probe.sh: $ADDRS addresses x 3 ports (ssh 22, telnet 23, https 443) = $((ADDRS * 3)) services"

t0=$(date +%s.%N)
# a generous --timeout: three daemons answer for hundreds of "devices";
# and --connect-timeout: sshd's listen queue holds 128 (SSH_LISTEN_BACKLOG),
# so of the hundreds of SYNs at once to the one daemon some are dropped and
# sent again by the kernel at 1 s and 3 s, past the default 3 s (a device
# of its own has no such queue of others' connections)
in_ns "$BIN" probe -q --db "$WORK/a.db" --no-snmp --ports ssh:22,telnet:23,https:443 --timeout 15000 \
  --connect-timeout 10000 "$RANGE"
t1=$(date +%s.%N)
in_ns "$BIN" probe -q --db "$WORK/b.db" --ports ssh:22,telnet:23,https:443 --timeout 15000 --connect-timeout 2000 \
  "$RANGE"
t2=$(date +%s.%N)
in_ns nmap -sV -Pn -n -p 22,23,443 -oX "$WORK/nmap.xml" -iL "$WORK/addrs" >/dev/null
t3=$(date +%s.%N)

python3 - "$WORK/a.db" "$WORK/nmap.xml" "$t0" "$t1" "$t2" "$t3" "$ADDRS" <<'PY'
import sqlite3, sys, xml.etree.ElementTree as ET
db, xml, t0, t1, t2, t3, n = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:7]), int(sys.argv[7])
a, b, c = t1 - t0, t2 - t1, t3 - t2
ours = {}
for key, val, src in sqlite3.connect(db).execute(
        "select key, value, source from evidence where key in ('ssh.banner','telnet.banner','tls.subject','http.server')"):
    ours.setdefault(src, {})[key] = bytes(val).decode("utf-8", "replace")
found = missing = 0
miss = []
for host in ET.parse(xml).getroot().iter("host"):
    addr = host.find("address").get("addr")
    for p in host.iter("port"):
        svc = p.find("service")
        if p.find("state").get("state") != "open" or svc is None or not svc.get("product"):
            continue
        src = "%s:%s" % (addr, p.get("portid"))
        got = ours.get(src, {})
        want = svc.get("product").split()[0]     # "OpenSSH", "lighttpd", ...
        if got and (want.lower() in " ".join(got.values()).lower() or svc.get("name") in ("telnet", "ssl/http", "https")):
            found += 1
        else:
            missing += 1
            miss.append((src, svc.get("product"), got))
services = sum(len(v) for v in ours.values())
print("  originscan probe (no SNMP)    %7.2f s   %d services identified" % (a, len(ours)))
print("  originscan probe (+ SNMPv3)   %7.2f s" % b)
print("  nmap -sV                      %7.2f s   %d services with a product named" % (c, found + missing))
print("  ratio nmap / originscan       %7.1fx  (with the SNMP discovery: %.1fx)" % (c / a, c / b))
print("  identities nmap names, also found by originscan: %d of %d" % (found, found + missing))
for m in miss[:10]:
    print("    missing:", m)
PY
