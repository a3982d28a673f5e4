# The walking skeleton end to end against a real SNMP agent (snmpsim on
# loopback): poll, store, attribute, report in text and JSON.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.2 "$LAB"/*.snmprec
DB="$TMP/lab.db"

expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT 127.0.2.1-127.0.2.9
expect_err "9 answered, 0 unreachable"
[ "$(sql "$DB" "select status from scans where id=1")" = complete ] || fail "scan not complete"
[ "$(sql "$DB" "select count(*) from targets where scan_id=1 and state='answered'")" = 9 ] || fail "targets"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=1 and key like 'sys%'")" = 54 ] || fail "want 6 system-group rows x 9"
# snmpsim speaks no SNMPv3: no engine ids; every target walked its tables
[ "$(sql "$DB" "select count(*) from evidence where scan_id=1 and key='snmp.engine-id'")" = 0 ] || fail "engine ids"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=1 and key='snmp.tables'")" = 9 ] || fail "table summaries"
# values are stored exactly, CR LF included
got=$(sql "$DB" "select hex(value) from evidence where subject='127.0.2.1' and key='sysDescr'")
want=$(grep '^1.3.6.1.2.1.1.1.0|4x|' "$LAB/01-huawei-ne40e.snmprec" | cut -d'|' -f3 | tr a-f A-F)
[ "$got" = "$want" ] || fail "sysDescr not stored byte for byte"
[ "$(sql "$DB" "select value from evidence where subject='127.0.2.8' and key='sysObjectID'")" = 1.3.6.1.4.1.2636.1.1.1.2.25 ] \
  || fail "sysObjectID"
[ "$(sql "$DB" "select value from evidence where subject='127.0.2.3' and key='sysName'")" = agg1-m6000.lab ] || fail "sysName"
[ "$(sql "$DB" "select value from evidence where subject='127.0.2.5' and key='sysLocation'")" = "Lab rack B1" ] || fail "sysLocation"
[ "$(sql "$DB" "select value from evidence where subject='127.0.2.9' and key='sysContact'")" = root@lab-host ] || fail "sysContact"
[ "$(sql "$DB" "select value from evidence where subject='127.0.2.2' and key='sysUpTime'")" = 123457789 ] || fail "sysUpTime"
# the community is never stored
! grep -qa "public" <(sql "$DB" "select request from scans") || fail "community in the request record"
ok "stored"

# every lab device: the right vendor and jurisdiction
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format json -o "$TMP/r.json"
python3 - "$TMP/r.json" "$LAB/expected.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want = {}
for i, line in enumerate(l for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")):
    f, v, cc = line.split()
    want["127.0.2.%d" % (i + 1)] = (None if v == "-" else v, None if cc == "-" else cc)
devs = {d["address"]: d for d in r["devices"]}
assert len(devs) == 9, devs.keys()
for addr, (v, cc) in want.items():
    d = devs[addr]
    assert (d["vendor"], d["jurisdiction"]) == (v, cc), (addr, d["vendor"], d["jurisdiction"], v, cc)
    if v:
        assert d["confidence"] >= 50, (addr, d["confidence"])
        assert d["evidence"], addr
s = r["summary"]
assert s["devices"] == 9 and s["attributed"] == 8 and s["unattributed"] == 1, s
assert s["high_risk"] == 4, s          # two Huawei, two ZTE under the default policy
assert s["answered"] == 9 and s["unreachable"] == 0, s
by_v = {x["id"]: x["devices"] for x in s["by_vendor"]}
assert by_v["huawei"] == 2 and by_v["zte"] == 2 and by_v["cisco"] == 1, by_v
by_j = {x["id"]: x["devices"] for x in s["by_jurisdiction"]}
assert by_j["CN"] == 4 and by_j["US"] == 2, by_j
assert r["policy"]["id"] == "default" and r["kb_version"]
PY
ok "attributed"

expect_exit 0 "$ORIGINSCAN" report --db "$DB"
expect_out "devices:             9"
expect_out "high-risk vendors:   4"
expect_out "Huawei"
ok "text report"

# SNMPv1, host:port, -iL and --exclude
printf '# lab\n127.0.2.1-127.0.2.4\n127.0.2.5 127.0.2.6\n' > "$TMP/targets"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --snmp-version 1 --port $PORT -iL "$TMP/targets" --exclude 127.0.2.2,127.0.2.6
expect_err "4 answered"
[ "$(sql "$DB" "select count(distinct subject) from evidence where scan_id=2")" = 4 ] || fail "v1 with exclusions"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" 127.0.2.7:$PORT
[ "$(sql "$DB" "select vendor from devices where scan_id=3")" = cisco ] || fail "host:port"
ok "v1, -iL, --exclude, host:port"

# the community comes from a 0600 file or the environment
printf 'wrong-community\n' > "$TMP/comm"; chmod 600 "$TMP/comm"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --timeout 300 --retries 0 --community-file "$TMP/comm" 127.0.2.1:$PORT
expect_err "0 answered, 1 unreachable"
ORIGINSCAN_COMMUNITY=public expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" 127.0.2.1:$PORT
expect_err "1 answered"
! sql "$DB" "select request from scans" | grep -q wrong-community || fail "secret stored"
ok "credentials"
