# Live capture inside a network namespace this test creates: a veth pair
# (os5-a <-> os5-b), our generator sends LLDP, CDP, DHCP and ARP frames
# into os5-a, `originscan capture -i os5-b` captures them. While it runs,
# /proc/PID/status must show it as user nobody with no capability left.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to create a network namespace"
command -v ip >/dev/null || skip "no ip(8)"
NS=os5-live-$$
ip netns add "$NS" 2>/dev/null || skip "cannot create network namespaces here"
trap 'ip netns del "$NS" 2>/dev/null; cleanup' EXIT
nsx() { ip netns exec "$NS" "$@"; }
# no IPv6 in the namespace: the kernel's own router solicitations and
# MLD reports would be frames the test did not send
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link add os5-a type veth peer name os5-b
nsx ip link set os5-a up
nsx ip link set os5-b up
nsx ip link set lo up
DB="$TMP/live.db"
GEN="$SRCDIR/tests/pcapgen/pcapgen.py"
# Each capture waits for conditions, never a time: it is listening once it
# has dropped to nobody (capture_listening: its interface is open before),
# and it ends after exactly the frames sent (--count; --duration is only a
# safety net), or at a signal once it has said it read them.

# 1. capture while the frames are sent; check the process's identity
#    while it listens
N=$(python3 "$GEN" count 3)
ip netns exec "$NS" "$ORIGINSCAN" capture --db "$DB" --no-progress -i os5-b --count "$N" --duration 300 >"$TMP/out" 2>"$TMP/err" &
CAP=$!      # ip netns exec execs: the capture itself
PIDS+=($CAP)
capture_listening $CAP
pid=$CAP
status=$(cat /proc/$pid/status)
echo "$status" | grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' >"$TMP/ids"
nobody_uid=$(id -u nobody)
grep -qE "^Uid:\s+$nobody_uid\s+$nobody_uid\s+$nobody_uid\s+$nobody_uid$" "$TMP/ids" || { cat "$TMP/ids"; fail "still holds another uid"; }
grep -qE '^Gid:\s+([0-9]+)\s+\1\s+\1\s+\1$' "$TMP/ids" && ! grep -qE '^Gid:\s+0\s' "$TMP/ids" || { cat "$TMP/ids"; fail "gid"; }
grep -qE '^Groups:\s*$' "$TMP/ids" || { cat "$TMP/ids"; fail "supplementary groups kept"; }
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
  grep -qE "^$c:\s+0000000000000000$" "$TMP/ids" || { cat "$TMP/ids"; fail "$c not empty"; }
done
grep -qE '^NoNewPrivs:\s+1$' "$TMP/ids" || fail "no_new_privs not set"
ok "capture runs as nobody with no capabilities"
nsx python3 "$GEN" send os5-a 3
wait $CAP || { cat "$TMP/err" >&2; fail "capture exited $?"; }
cat "$TMP/err"
grep -q "scan 1 complete: $N packets" "$TMP/err" || fail "scan not complete after the $N frames sent"
grep -qE '^  lldp +[1-9]' "$TMP/err" || fail "no LLDP counted"
grep -qE '^  cdp +[1-9]' "$TMP/err" || fail "no CDP counted"
grep -qE '^  dhcp +[1-9]' "$TMP/err" || fail "no DHCP counted"
grep -qE '^  arp +[1-9]' "$TMP/err" || fail "no ARP counted"
v() { sql "$DB" "select value from evidence where scan_id=1 and subject='$1' and key='$2'"; }
[ "$(v mac:00:1e:10:aa:00:01 lldp.sysname)" = sw-access-01 ] || fail "lldp.sysname"
[ "$(v mac:00:1e:10:aa:00:01 lldp.med.model)" = S5720-28X-SI-AC ] || fail "lldp.med.model"
[ "$(v mac:00:1e:10:aa:00:01 lldp.med.manufacturer)" = "Huawei Technologies Co., Ltd" ] || fail "lldp-med mfg"
[ "$(v name:dist-sw-02.example.net cdp.platform)" = "cisco WS-C3750E-48PD" ] || fail "cdp.platform"
[ "$(v 08:60:83:cc:00:03 dhcp.vendor-class | head -1)" = "ZTE-F660" ] || fail "dhcp.vendor-class"
[ "$(v 00:00:0c:bb:00:02 ip)" = 10.2.2.2 ] || fail "arp binding"
[ "$(sql "$DB" "select source from evidence where scan_id=1 and subject='mac:00:1e:10:aa:00:01' and key='lldp.sysname'")" = iface:os5-b ] || fail "source"
# the same devices, attributed
[ "$(sql "$DB" "select vendor from devices where scan_id=1 and identity like 'serial:huawei:2102350DLL10K1000123'")" = huawei ] \
  || { sql "$DB" "select identity, vendor from devices"; fail "LLDP switch not attributed to Huawei by serial identity"; }
[ "$(sql "$DB" "select vendor from devices where scan_id=1 and addresses like '%10.2.2.2%'")" = cisco ] || fail "cdp device"
ok "live LLDP, CDP, DHCP, ARP captured and attributed"

# 2. a filter is compiled while privileged and applied: only ARP (the
#    capture ends after the ARP frames: the others never reach it)
ip netns exec "$NS" "$ORIGINSCAN" capture --db "$DB" -q -i os5-b --count "$(python3 "$GEN" count 1 arp)" --duration 300 arp &
CAP=$!
capture_listening $CAP
nsx python3 "$GEN" send os5-a 1
wait $CAP || fail "filtered capture exited $?"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and key like 'lldp%'")" = 0 ] || fail "filter let LLDP through"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and key='ip'")" -ge 1 ] || fail "filter dropped ARP"
ok "BPF filter"

# 3. a signal stops it cleanly: interrupted, evidence kept. It is sent
#    once the capture's log line (-v -v) says it read the frames.
ip netns exec "$NS" "$ORIGINSCAN" capture --db "$DB" -v -v -i os5-b --duration 300 2>"$TMP/err3" &
CAP=$!
capture_listening $CAP
nsx python3 "$GEN" send os5-a 1
N1=$(python3 "$GEN" count 1)
read_all() { grep -q "^capture: $N1 packets" "$TMP/err3"; }
wait_until "the capture to read the $N1 frames" read_all
kill -TERM "$CAP"
set +e; wait $CAP; rc=$?; set -e
[ $rc = 130 ] || fail "interrupted capture exited $rc"
[ "$(sql "$DB" "select status from scans where id=3")" = interrupted ] || fail "not marked interrupted"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=3")" -gt 0 ] || fail "evidence lost"
ok "interrupted"

# 4. bad input: no such interface, a user that does not exist, a bad filter
expect_exit 2 nsx "$ORIGINSCAN" capture --db "$DB" -i os5-nope --duration 1
expect_err "os5-nope"
expect_exit 2 nsx "$ORIGINSCAN" capture --db "$DB" -i os5-b --duration 1 --user os5-no-such-user
expect_err "no such user"
expect_exit 2 nsx "$ORIGINSCAN" capture --db "$DB" -i os5-b --duration 1 "tcp port"
expect_err "filter 'tcp port'"
[ "$(sql "$DB" "select count(*) from scans")" = 3 ] || fail "bad input began a scan"
ok "bad input"
