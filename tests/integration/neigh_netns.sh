# originscan neigh --netns: the kernel's neighbour tables of a namespace
# this test creates. Two namespaces joined by a veth pair (os5-n1 <->
# os5-n2) with fixed MACs; a permanent IPv4 neighbour and one learnt from
# a ping; the stored MAC <-> IP evidence and its attribution by OUI.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
A=os5-na-$$ B=os5-nb-$$
ip netns add "$A" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$B"
trap 'ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null; cleanup' EXIT
ip -n "$A" link add os5-n1 type veth peer name os5-n2 netns "$B"
ip -n "$A" link set os5-n1 address 00:1e:10:00:05:01 up          # Huawei OUI
ip -n "$B" link set os5-n2 address 08:60:83:00:05:02 up          # ZTE OUI
ip -n "$A" addr add 192.0.2.1/24 dev os5-n1
ip -n "$B" addr add 192.0.2.2/24 dev os5-n2
# a static entry (what an operator configured) and one the kernel learns
ip -n "$A" neigh add 192.0.2.77 lladdr 00:00:0c:00:05:77 dev os5-n1 nud permanent
# any packet to B makes A resolve it (no ping needed: bash's /dev/udp)
ip netns exec "$A" bash -c 'echo hi >/dev/udp/192.0.2.2/9' || fail "sending in the namespaces"
resolved() { ip -n "$A" neigh show 192.0.2.2 | grep -q lladdr; }
wait_until "192.0.2.2 resolved" resolved
DB="$TMP/n.db"

expect_exit 0 "$ORIGINSCAN" neigh --db "$DB" --netns "$A"
expect_err "scan 1 complete"
v() { sql "$DB" "select group_concat(value, ',') from evidence where scan_id=$1 and subject='$2' and key='$3'"; }
[ "$(v 1 08:60:83:00:05:02 ip)" = 192.0.2.2 ] || fail "learnt neighbour"
[ "$(v 1 00:00:0c:00:05:77 ip)" = 192.0.2.77 ] || fail "permanent neighbour"
[ "$(v 1 08:60:83:00:05:02 neigh.iface)" = os5-n1 ] || fail "interface"
[ "$(v 1 00:1e:10:00:05:01 neigh.local-link)" = os5-n1 ] || fail "local link"
[ "$(v 1 00:1e:10:00:05:01 ip | tr , '\n' | grep -c '^192.0.2.1$')" = 1 ] || fail "local address"
[ "$(sql "$DB" "select source from evidence where scan_id=1 and subject='08:60:83:00:05:02' and key='ip'")" = "neigh:$A/os5-n1" ] \
  || fail "source"
[ "$(sql "$DB" "select collector from evidence where scan_id=1 limit 1")" = neigh ] || fail "collector"
# an OUI alone never makes a device high-risk: "disputed: possibly ZTE"
[ "$(sql "$DB" "select coalesce(vendor,'-')||' '||possibly from devices where scan_id=1 and identity='mac:08:60:83:00:05:02'")" = "- zte" ] \
  || fail "ZTE by OUI is a dispute"
[ "$(sql "$DB" "select address from devices where scan_id=1 and identity='mac:08:60:83:00:05:02'")" = 192.0.2.2 ] || fail "address"
[ "$(sql "$DB" "select vendor from devices where scan_id=1 and identity='mac:00:00:0c:00:05:77'")" = cisco ] || fail "Cisco by OUI"
ok "neighbours and links read, attributed"

# --watch: a neighbour that appears while watching. The watcher says
# (-v -v) when it watches and what it sees: the neighbour is added once it
# watches, and the watcher stopped (SIGTERM: interrupted, what it saw kept)
# once it has seen it. No time is guessed.
ip netns exec "$A" "$ORIGINSCAN" neigh --db "$DB" --watch 300 -v -v >"$TMP/out" 2>"$TMP/err" &
W=$!
PIDS+=($W)
watching() { grep -q "watching the neighbour tables" "$TMP/err"; }
wait_until "the watcher to watch" watching
ip -n "$A" neigh add 192.0.2.88 lladdr 00:05:85:00:05:88 dev os5-n1 nud permanent
seen() { grep -q "neighbour 192.0.2.88 at 00:05:85:00:05:88 on os5-n1" "$TMP/err"; }
wait_until "the watcher to see 192.0.2.88" seen
kill -TERM $W
set +e; wait $W; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/err"; fail "watch exited $rc, want 130"; }
[ "$(v 2 00:05:85:00:05:88 ip)" = 192.0.2.88 ] || { cat "$TMP/err"; fail "watched neighbour"; }
! grep -q "neighbour 192.0.2.2 at" "$TMP/err" || fail "a neighbour of the first read reported as news"
ok "watch"

# --netns as root: the netlink sockets are made inside the namespace, then
# the process returns to its own, becomes nobody with no capability, and
# reads (and watches) from there
"$ORIGINSCAN" neigh --db "$DB" --netns "$A" --watch 60 >/dev/null 2>"$TMP/err3" &
W=$!
PIDS+=($W)
dropped $W
[ "$(readlink /proc/$W/ns/net)" = "$(readlink /proc/self/ns/net)" ] || fail "still in the namespace"
kill -TERM $W; set +e; wait $W; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/err3"; fail "interrupted watch exited $rc"; }
[ "$(v 3 00:00:0c:00:05:77 ip)" = 192.0.2.77 ] || { cat "$TMP/err3"; fail "read as nobody in the namespace"; }
ok "the namespace's tables read as nobody"

n=$(sql "$DB" "select count(*) from scans")
expect_exit 2 "$ORIGINSCAN" neigh --db "$DB" --netns os5-no-such-ns
expect_err "no such network namespace"
[ "$(sql "$DB" "select count(*) from scans")" = "$n" ] || fail "a missing namespace began a scan"
expect_exit 64 "$ORIGINSCAN" neigh --db "$DB" stray
ok "bad input"
