#!/usr/bin/env bash
# Two real Diameter peers (Debian's freeDiameterd, an "MME" and an "HSS")
# exchange CER/CEA and DPR/DPA across a veth pair between two network
# namespaces this test creates; `originscan capture -i` listens live in
# the HSS's namespace. Their ports (20868, 20870) are not Diameter's, so
# the heuristic must find the messages. freeDiameterd ignores 127.x listen
# addresses and wants a certificate even with TLS off: the namespaces get
# 10.66.x addresses and each peer a throw-away self-signed certificate.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v freeDiameterd >/dev/null || skip "freeDiameterd not installed (Debian freediameter)"
command -v openssl >/dev/null || skip "openssl not installed"

. "$(dirname "$0")/mobile_lib.sh"
ns_pair d 10.66.0.1 10.66.0.2
H=$NS_A M=$NS_B VH=$IF_A

peer() {        # peer NAME PORT ADDR OTHER OTHERPORT OTHERADDR [EXTRA]
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/$1.key" -out "$TMP/$1.crt" -days 2 \
    -subj "/CN=$1.os6.test" 2>/dev/null
  cat >"$TMP/$1.conf" <<CONF
Identity = "$1.os6.test";
Realm = "os6.test";
Port = $2;
SecPort = $(($2 + 1));
No_SCTP;
No_IPv6;
ListenOn = "$3";
TLS_Cred = "$TMP/$1.crt", "$TMP/$1.key";
TLS_CA = "$TMP/$1.crt";
${7:-}
ConnectPeer = "$4.os6.test" { ConnectTo = "$6"; No_TLS; Port = $5; };
CONF
}
peer hss 20868 10.66.0.1 mme 20870 10.66.0.2
peer mme 20870 10.66.0.2 hss 20868 10.66.0.1 "NoRelay;"

# Every step waits for a condition, never a time: the capture listens
# (capture_listening), the HSS listens on its port, both peers reach
# STATE_OPEN (CER/CEA went through the capture's interface: it saw them),
# the MME stopped (DPR/DPA), and only then is the capture stopped (SIGTERM:
# what it had read is kept, the scan interrupted).
ip netns exec "$H" "$ORIGINSCAN" capture --db "$TMP/live.db" --no-progress -i "$VH" --duration 300 \
  >"$TMP/cap.out" 2>"$TMP/cap.err" &
CAP=$!
PIDS+=($CAP)
capture_listening $CAP
ip netns exec "$H" freeDiameterd -c "$TMP/hss.conf" >"$TMP/hss.log" 2>&1 &
HSS=$!
PIDS+=($HSS)
hss_up() { ip netns exec "$H" ss -Hltn "sport = :20868" | grep -q .; }
wait_until "the HSS listening" hss_up
ip netns exec "$M" freeDiameterd -c "$TMP/mme.conf" >"$TMP/mme.log" 2>&1 &
MME=$!
PIDS+=($MME)
opened() { grep -q STATE_OPEN "$TMP/hss.log" && grep -q STATE_OPEN "$TMP/mme.log"; }
wait_until "the peers to open (hss.log, mme.log)" opened
kill -TERM $MME; wait $MME 2>/dev/null || true
kill -TERM $HSS; wait $HSS 2>/dev/null || true
kill -TERM $CAP
set +e; wait "$CAP"; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/cap.err" "$TMP/hss.log" >&2; fail "capture exited $rc, want 130 (stopped)"; }
grep -Eq '^  diameter +[1-9][0-9]* +0$' "$TMP/cap.err" || { cat "$TMP/cap.err" >&2; fail "no diameter parsed"; }

has "$TMP/live.db" 10.66.0.2 diameter.origin-host mme.os6.test
has "$TMP/live.db" 10.66.0.2 diameter.origin-realm os6.test
has "$TMP/live.db" 10.66.0.2 diameter.host-ip 10.66.0.2
has "$TMP/live.db" 10.66.0.2 diameter.product-name freeDiameter
has "$TMP/live.db" 10.66.0.2 diameter.vendor-id 0
has "$TMP/live.db" 10.66.0.2 diameter.firmware-revision '[0-9]+'
has "$TMP/live.db" 10.66.0.2 diameter.role core                # NoRelay, no applications
has "$TMP/live.db" 10.66.0.1 diameter.origin-host hss.os6.test
has "$TMP/live.db" 10.66.0.1 diameter.host-ip 10.66.0.1
has "$TMP/live.db" 10.66.0.1 diameter.auth-application-id 4294967295
has "$TMP/live.db" 10.66.0.1 diameter.role core/dra            # relays: the Relay application
has "$TMP/live.db" diameter:hss.os6.test ip 10.66.0.1
ok "live CER/CEA facts"

# Vendor-Id 0 is no vendor: both peers stay without a company
got=$(sql "$TMP/live.db" "select address||' '||coalesce(vendor,'-')||' '||coalesce(product,'')||' '||coalesce(role,'')||'/'||coalesce(function,'')
                         from devices where address in ('10.66.0.1','10.66.0.2') order by address")
[ "$got" = "10.66.0.1 - freeDiameter core/dra
10.66.0.2 - freeDiameter core/" ] ||
  fail "verdicts: $got; devices: $(sql "$TMP/live.db" "select identity, address, addresses, role, function from devices")"
ok "freeDiameter peers: no vendor, core roles"
