#!/usr/bin/env bash
# A real GGSN (Debian's osmo-ggsn) and a real SGSN emulator (sgsnemu) in
# two network namespaces this test creates, joined by a veth pair:
# GTPv1-C echoes (ours and theirs) and a PDP context set up,
# captured live with `originscan capture -i` in the GGSN's namespace. The
# GGSN and SGSN must come out as core/ggsn and core/sgsn with their
# restart counters. (GTP ports are fixed, 2123; the namespaces are ours.)
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v osmo-ggsn >/dev/null && command -v sgsnemu >/dev/null || skip "osmo-ggsn not installed"
[ -c /dev/net/tun ] || skip "no /dev/net/tun for the GGSN's APN"

. "$(dirname "$0")/mobile_lib.sh"
ns_pair g 10.66.4.1 10.66.4.2
G=$NS_A S=$NS_B VG=$IF_A

cat >"$TMP/ggsn.cfg" <<CFG
log stderr
 logging filter all 1
 logging level all notice
line vty
 no login
ggsn ggsn0
 gtp state-dir $TMP
 gtp bind-ip 10.66.4.1
 echo-interval 1
 apn internet
  gtpu-mode tun
  tun-device os6t$$
  type-support v4
  ip prefix dynamic 10.66.128.0/24
  ip dns 0 10.66.4.1
  ip ifconfig 10.66.128.0/24
  no shutdown
 default-apn internet
 no shutdown ggsn
CFG

# Every step waits for a condition, never a time: the capture listens
# (capture_listening), the GGSN listens on GTP-C, our echo is answered,
# sgsnemu has its PDP context (the messages went through the capture's
# interface: it saw them); only then is the capture stopped (SIGTERM: what
# it had read is kept, the scan interrupted).
ip netns exec "$G" "$ORIGINSCAN" capture --db "$TMP/live.db" --no-progress -i "$VG" --duration 300 \
  >"$TMP/cap.out" 2>"$TMP/cap.err" &
CAP=$!
PIDS+=($CAP)
capture_listening $CAP
ip netns exec "$G" osmo-ggsn -c "$TMP/ggsn.cfg" >"$TMP/ggsn.log" 2>&1 &
GGSN=$!
PIDS+=($GGSN)
ggsn_up() { ip netns exec "$G" ss -Hlun "sport = :2123" | grep -q .; }
wait_until "osmo-ggsn listening on GTP-C" ggsn_up
# our own GTPv1-C Echo Request (from a port of our range); the GGSN answers
ip netns exec "$S" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.66.4.2", 20123)); s.settimeout(60)
s.sendto(bytes([0x32, 1, 0, 4, 0, 0, 0, 0, 0x12, 0x34, 0, 0]), ("10.66.4.1", 2123))
r = s.recvfrom(100)[0]
sys.exit(0 if r[1] == 2 else 1)' || { cat "$TMP/ggsn.log" >&2; fail "no echo response from osmo-ggsn"; }
(cd "$TMP" && exec ip netns exec "$S" stdbuf -oL sgsnemu -l 10.66.4.2 -r 10.66.4.1 --contexts 1 \
  --statedir "$TMP" >"$TMP/sgsn.log" 2>&1) &
SGSN=$!
PIDS+=($SGSN)
pdp() { grep -q "create PDP context response" "$TMP/sgsn.log"; }
wait_until "sgsnemu's PDP context (sgsn.log)" pdp
kill -KILL $SGSN; wait $SGSN 2>/dev/null || true     # it lingers for its retransmission timers
kill -TERM $GGSN; wait $GGSN 2>/dev/null || true
kill -TERM $CAP
set +e; wait "$CAP"; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/cap.err" >&2; fail "capture exited $rc, want 130 (stopped)"; }
grep -Eq '^  gtpc +[1-9][0-9]* +0$' "$TMP/cap.err" || { cat "$TMP/cap.err" >&2; fail "no GTP-C parsed"; }

has "$TMP/live.db" 10.66.4.1 gtp.speaks gtpv1-c
has "$TMP/live.db" 10.66.4.1 gtp.recovery 'v1:[0-9]+'
has "$TMP/live.db" 10.66.4.1 gtp.role core/ggsn
has "$TMP/live.db" 10.66.4.2 gtp.role core/sgsn
has "$TMP/live.db" 10.66.4.2 gtp.recovery 'v1:[0-9]+'
got=$(sql "$TMP/live.db" "select address||' '||coalesce(vendor,'-')||' '||role||'/'||function from devices
                         where address in ('10.66.4.1','10.66.4.2') order by address")
[ "$got" = "10.66.4.1 - core/ggsn
10.66.4.2 - core/sgsn" ] || fail "verdicts: $got"
ok "osmo-ggsn and sgsnemu: GTPv1-C roles and restart counters"
