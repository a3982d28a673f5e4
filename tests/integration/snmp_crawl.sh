# snmp --crawl over snmpsim agents whose LLDP (LLDP-MIB, LLDP-V2) and CDP
# tables name each other's management addresses (tests/snmp/topology.py):
# a chain is followed to depth N and no further, a ring visits each agent
# once, addresses outside the scope or excluded are recorded and not
# polled, shards never poll one address twice, and an interrupted crawl
# resumes with its frontier and nothing counted twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_agents.sh"
TOPO="$SRCDIR/tests/snmp/topology.py"
PORT=$(free_port) RPORT=$(free_port)      # one snmpsim per port: the chain's, the ring's
# chain 127.0.30.1-6; agent 3 also names 127.0.31.9 (another /24) and
# 127.0.30.77 (excluded below)
python3 "$TOPO" "$TMP/chain" 127.0.30 "chain:6,3:127.0.31.9,3:127.0.30.77" >/dev/null
# ring 127.0.32.1-4: 1 and 3 tell by LLDP-MIB, 2 by CDP, 4 by LLDP-V2
python3 "$TOPO" "$TMP/ring" 127.0.32 "1:2,1:4,2:1/cdp,2:3/cdp,3:2,3:4,4:3/lldp2,4:1/lldp2" >/dev/null
start_snmpsim $PORT 127.0.30 "$TMP"/chain/{1,2,3,4,5,6}.snmprec
start_snmpsim $RPORT 127.0.32 "$TMP"/ring/{1,2,3,4}.snmprec
DB="$TMP/c.db"
S="--db $DB --port $PORT --timeout 2500 --retries 0"
R="--db $DB --port $RPORT --timeout 2500 --retries 0"

polled() {      # SCAN: the addresses with an outcome, sorted
  sql "$DB" "select group_concat(address, ' ') from (select address from targets where scan_id=$1 order by address)"
}
found() {       # SCAN ADDR: via|depth|not-polled reason
  sql "$DB" "select (select group_concat(value) from evidence e where e.scan_id=$1 and subject='$2' and key='crawl.via')
             ||'|'||(select group_concat(value) from evidence e where e.scan_id=$1 and subject='$2' and key='crawl.depth')
             ||'|'||coalesce((select group_concat(value) from evidence e where e.scan_id=$1 and subject='$2'
                              and key='crawl.not-polled'), '')"
}

# 1. a chain from its first agent, depth 2: agents 2 and 3 and no further;
# agent 3's other neighbours are recorded, not polled
expect_exit 0 "$ORIGINSCAN" snmp $S --crawl 127.0.30.1
[ "$(polled 1)" = "127.0.30.1 127.0.30.2 127.0.30.3" ] || fail "depth 2 polled: $(polled 1)"
[ "$(found 1 127.0.30.2)" = "127.0.30.1|1|" ] || fail "2 found: $(found 1 127.0.30.2)"
[ "$(found 1 127.0.30.3)" = "127.0.30.2|2|" ] || fail "3 found: $(found 1 127.0.30.3)"
[ "$(found 1 127.0.30.4)" = "127.0.30.3|3|deeper than 2" ] || fail "4 found: $(found 1 127.0.30.4)"
[ "$(found 1 127.0.31.9)" = "127.0.30.3|3|outside the scope" ] || fail "31.9 found: $(found 1 127.0.31.9)"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=1 and subject in ('127.0.30.5','127.0.30.6')")" = 0 ] \
  || fail "met agents beyond depth 3"
expect_err "crawl to depth 2: 2 neighbours polled, 3 recorded, not polled"
# the report says how each device was found
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan 1
expect_out "found: neighbour of 127.0.30.2 (depth 2)"
expect_out "found: neighbour of 127.0.30.3 (depth 3), seen, not polled: deeper than 2"
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan 1 --format json
python3 - "$TMP/out" <<'PY'
import json, sys
devs = {d["address"]: d for d in json.load(open(sys.argv[1]))["devices"]}
assert devs["127.0.30.1"]["found"] is None, devs["127.0.30.1"]
assert devs["127.0.30.2"]["found"] == {"via": "127.0.30.1", "depth": 1}, devs["127.0.30.2"]["found"]
PY
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan 1 --format csv
python3 - "$TMP/out" <<'PY'
import csv, sys
devs = {d["address"]: d for d in csv.DictReader(open(sys.argv[1], newline=""))}
assert devs["127.0.30.1"]["found"] == "", devs["127.0.30.1"]
assert devs["127.0.30.3"]["found"] == "neighbour of 127.0.30.2 (depth 2)", devs["127.0.30.3"]["found"]
PY
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan 1 --format html
expect_out "<b>found:</b> neighbour of 127.0.30.2 (depth 2)"
ok "chain: depth 2 and no further"

# 2. a wider scope and an exclusion: the exclusion wins; depth 5 reaches the end
expect_exit 0 "$ORIGINSCAN" snmp $S --crawl-depth 5 --scope 127.0.30.0/24,127.0.31.0/24 --exclude 127.0.30.77 \
  127.0.30.1
[ "$(polled 2)" = "127.0.30.1 127.0.30.2 127.0.30.3 127.0.30.4 127.0.30.5 127.0.30.6 127.0.31.9" ] \
  || fail "scope polled: $(polled 2)"
[ "$(found 2 127.0.30.77)" = "127.0.30.3|3|excluded" ] || fail "excluded: $(found 2 127.0.30.77)"
[ "$(found 2 127.0.30.6)" = "127.0.30.5|5|" ] || fail "6 found: $(found 2 127.0.30.6)"
[ "$(sql "$DB" "select state from targets where scan_id=2 and address='127.0.31.9'")" = unreachable ] \
  || fail "31.9 not polled inside the scope"
ok "scope and exclusions"

# 3. a ring told by LLDP-MIB, CDP and LLDP-V2: every agent once
expect_exit 0 "$ORIGINSCAN" snmp $R --crawl-depth 3 127.0.32.1
[ "$(polled 3)" = "127.0.32.1 127.0.32.2 127.0.32.3 127.0.32.4" ] || fail "ring polled: $(polled 3)"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=3 and key='crawl.via'")" = 3 ] || fail "ring: addresses met twice"
[ "$(found 3 127.0.32.3 | cut -d'|' -f2)" = 2 ] || fail "ring: 3 at depth $(found 3 127.0.32.3)"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=3 and key='sysName'")" = 4 ] || fail "ring: polled twice"
ok "ring: each agent once"

# 4. shards: two shards of the same crawl poll no address twice
# (the two shards are the two parts of one scan, met by its name)
expect_exit 0 "$ORIGINSCAN" snmp $R --crawl-depth 3 --shard 1/2 --scan crawl-shards 127.0.32.1-2
expect_exit 0 "$ORIGINSCAN" snmp $R --crawl-depth 3 --shard 2/2 --scan crawl-shards 127.0.32.1-2
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
p1, p2 = [r[0] for r in db.execute("select p.id from scan_parts p join scans s on s.id=p.scan_id"
                                   " where s.name='crawl-shards' order by p.name")]
a = {r[0] for r in db.execute("select address from targets where part_id=?", (p1,))}
b = {r[0] for r in db.execute("select address from targets where part_id=?", (p2,))}
assert a and b, ("a shard polled nothing", a, b)
assert not a & b, ("both shards polled", a & b)
# an address one shard hands over is the other's; neither polled it twice
for part, other in ((p1, b), (p2, a)):
    for subj, why in db.execute("select subject, value from evidence where part_id=? and key='crawl.not-polled'", (part,)):
        assert bytes(why).startswith(b"shard "), (subj, why)
print("ok: shards", sorted(a), sorted(b))
PY
ok "shards"

# 5. interrupted while agent 4 (depth 3) is polled -- a rate cap of 6
# packets a second, crawled targets included, makes each agent take
# seconds: the resume polls it again from the stored frontier, nothing twice
n=$(( $(sql "$DB" "select max(id) from scans") + 1 ))
"$ORIGINSCAN" snmp $S --rate 6 --crawl-depth 5 127.0.30.1 >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 1 300); do
  [ "$(sql "$DB" "select count(*) from targets where scan_id=$n and address='127.0.30.3'" 2>/dev/null)" = 1 ] && break
  sleep 0.05
done
kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/err"; fail "interrupted crawl exited $rc"; }
[ "$(sql "$DB" "select count(*) from targets where scan_id=$n and address='127.0.30.4'")" = 0 ] \
  || fail "agent 4 done before the signal: the test did not interrupt the crawl"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --rate 0 --resume $n
# (no --exclude this time: 127.0.30.77 is in the default scope, polled, silent)
[ "$(polled $n)" = "127.0.30.1 127.0.30.2 127.0.30.3 127.0.30.4 127.0.30.5 127.0.30.6 127.0.30.77" ] \
  || fail "resumed: $(polled $n)"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=$n and key='sysName'")" = 6 ] || fail "resumed: polled twice"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=$n and key='crawl.via' and subject like '127.0.30.%'")" = 6 ] \
  || fail "resumed: crawl rows twice ($(sql "$DB" "select count(*) from evidence where scan_id=$n and key='crawl.via'"))"
[ "$(found $n 127.0.30.6)" = "127.0.30.5|5|" ] || fail "resumed: 6 found $(found $n 127.0.30.6)"
ok "interrupted crawl resumed"

# 6. scan -f: crawl = 2 in an [snmp] stanza, scope = too
cat > "$TMP/crawl.conf" <<CONF
[snmp chain]
target = 127.0.30.1
port = $PORT
timeout = 2500
crawl = 2
scope = 127.0.30.0/24
CONF
n=$(( $(sql "$DB" "select max(id) from scans") + 1 ))
expect_exit 0 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/crawl.conf"
[ "$(polled $n)" = "127.0.30.1 127.0.30.2 127.0.30.3" ] || fail "scan -f crawl polled: $(polled $n)"
[ "$(found $n 127.0.30.4)" = "127.0.30.3|3|deeper than 2" ] || fail "scan -f: 4 found $(found $n 127.0.30.4)"
printf '[snmp x]\ntarget = 127.0.30.1\nscope = 127.0.30.0/24\n' > "$TMP/bad.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad.conf"
expect_err "scope = ... without crawl = ..."
ok "scan -f crawl = 2"
