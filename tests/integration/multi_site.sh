# One inventory from several sites (issue 13): a scan declared with its
# parts, written by separate processes (two at once), one of them an import
# of a site's SQLite file; complete only with the last part; a collector
# killed mid-part leaves its part interrupted, the others intact and the
# scan incomplete (refused by diff) until that part is resumed alone;
# reports by site and operator; an import twice adds nothing; a truncated
# or foreign file is refused and nothing stored changes. Runs on SQLite and
# on PostgreSQL (multi_site_pg), against real agents (snmpsim on loopback).
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.23 "$LAB"/0[1-8]-*.snmprec
DB=$(new_db central)
export ORIGINSCAN_DB="$DB"
poll() {        # poll N CMD...: until CMD succeeds, at most N tenths of a second
  local n=$1; shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
scan_of() { sql "$DB" "select id from scans where name='$1'"; }
part_status() { sql "$DB" "select p.status from scan_parts p join scans s on s.id=p.scan_id where s.name='$1' and p.name='$2'"; }

# ---- three sites: paris and lyon at once, marseille sends a file
expect_exit 0 "$ORIGINSCAN" declare inventory-1 paris lyon marseille
[ "$(sql "$DB" "select status from scans where name='inventory-1'")" = running ] || fail "declared scan status"
snmp_part() {   # snmp_part SCAN PART SITE OPERATOR TARGETS...
  local scan=$1 part=$2 site=$3 op=$4; shift 4
  "$ORIGINSCAN" snmp --scan "$scan" --part "$part" --site "$site" --operator "$op" --port $PORT \
    --timeout 1000 --retries 0 "$@"
}
snmp_part inventory-1 paris paris OpA 127.0.23.1-127.0.23.3 2>"$TMP/paris.err" & a=$!
snmp_part inventory-1 lyon lyon OpA 127.0.23.4-127.0.23.6 2>"$TMP/lyon.err" & b=$!
wait $a || { cat "$TMP/paris.err"; fail "paris part"; }
wait $b || { cat "$TMP/lyon.err"; fail "lyon part"; }
[ "$(sql "$DB" "select status from scans where name='inventory-1'")" = running ] || fail "complete without marseille"
[ "$(part_status inventory-1 paris) $(part_status inventory-1 lyon) $(part_status inventory-1 marseille)" = \
  "complete complete pending" ] || fail "parts: $(sql "$DB" "select name, status from scan_parts")"
expect_exit 2 "$ORIGINSCAN" diff 1 1
expect_err "is running"
# the site's own database, sent as a file
expect_exit 0 "$ORIGINSCAN" snmp --db "$TMP/marseille.db" --port $PORT --timeout 1000 --retries 0 \
  127.0.23.7-127.0.23.8
expect_exit 0 "$ORIGINSCAN" import "$TMP/marseille.db" --scan inventory-1 --part marseille --operator OpB
s1=$(scan_of inventory-1)
[ "$(sql "$DB" "select status from scans where id=$s1")" = complete ] || fail "not complete with every part"
[ "$(sql "$DB" "select count(*) from devices where scan_id=$s1")" = 8 ] || fail "8 devices"
[ "$(sql "$DB" "select count(*) from targets where scan_id=$s1")" = 8 ] || fail "8 targets"
# provenance of the import
expect_exit 0 "$ORIGINSCAN" scans --format json
python3 - "$TMP/out" "$s1" <<'PY'
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))}[int(sys.argv[2])]
p = {x["name"]: x for x in s["parts"]}
assert s["name"] == "inventory-1" and s["status"] == "complete", s
assert p["marseille"]["site"] == "marseille" and p["marseille"]["operator"] == "OpB", p["marseille"]
assert p["marseille"]["collector_host"] and p["marseille"]["originscan_version"] and p["marseille"]["kb_version"]
assert p["paris"]["site"] == "paris" and p["paris"]["evidence"] > 0
PY
ok "three parts, two at once, one imported: one complete scan"

# ---- reports across sites and operators
expect_exit 0 "$ORIGINSCAN" report --scan inventory-1 --format json -o "$TMP/r.json"
python3 - "$TMP/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["summary"]["devices"] == 8, r["summary"]
sites = {x["site"]: x["devices"] for x in r["by_site"]}
assert sites == {"paris": 3, "lyon": 3, "marseille": 2}, sites
ops = {x["operator"]: x["devices"] for x in r["by_operator"]}
assert ops == {"OpA": 6, "OpB": 2}, ops
PY
expect_exit 0 "$ORIGINSCAN" report --scan inventory-1 --site lyon --format csv -o "$TMP/lyon.csv"
[ "$(($(wc -l < "$TMP/lyon.csv") - 1))" = 3 ] || fail "lyon: $(cat "$TMP/lyon.csv")"
expect_exit 0 "$ORIGINSCAN" report --scan inventory-1 --operator OpB
expect_out "devices:             2"
ok "by site and operator"

# ---- the same file twice adds nothing; damaged and foreign files are refused
count() { sql "$DB" "select (select count(*) from scans) || ' ' || (select count(*) from evidence) || ' ' || (select count(*) from scan_parts)"; }
before=$(count)
expect_exit 0 "$ORIGINSCAN" import "$TMP/marseille.db" --scan inventory-1 --part marseille
expect_err "already imported"
expect_exit 0 "$ORIGINSCAN" import "$TMP/marseille.db"
[ "$(count)" = "$before" ] || fail "a second import added rows"
sqlite3 "$TMP/marseille.db" "pragma wal_checkpoint(truncate)" >/dev/null
size=$(stat -c %s "$TMP/marseille.db")
head -c $((size / 2)) "$TMP/marseille.db" > "$TMP/truncated.db"
expect_exit 2 "$ORIGINSCAN" import "$TMP/truncated.db"
grep -qiE "damaged|malformed|not an originscan" "$TMP/err" || { cat "$TMP/err"; fail "truncated: no reason"; }
grep -q "originscan-import-" "$TMP/err" && fail "the error names the temporary copy"
sqlite3 "$TMP/foreign.db" "create table payroll(x); insert into payroll values (1)"
expect_exit 2 "$ORIGINSCAN" import "$TMP/foreign.db"
expect_err "not an originscan database"
printf 'not a database at all, just text\n' > "$TMP/text.db"
expect_exit 2 "$ORIGINSCAN" import "$TMP/text.db"
[ "$(count)" = "$before" ] || fail "a refused import changed what is stored"
[ "$(sqlite3 "$TMP/foreign.db" "select x from payroll")" = 1 ] || fail "the foreign file was touched"
ok "import once, damaged and foreign files refused"

# ---- a collector killed mid-part: its part interrupted, the others intact
expect_exit 0 "$ORIGINSCAN" declare inventory-2 paris lyon
# (originscan itself in the background, not a shell around it: $! is the
# process killed)
"$ORIGINSCAN" snmp --scan inventory-2 --part paris --site paris --operator OpA --port $PORT \
  --timeout 500 --retries 0 --concurrency 2 127.0.23.1-127.0.23.3 127.0.24.0/26 >/dev/null 2>&1 &
killed=$!
s2_paris_has_rows() {
  [ "$(sql "$DB" "select count(*) from targets t join scan_parts p on p.id=t.part_id join scans s on s.id=p.scan_id
                  where s.name='inventory-2' and p.name='paris'")" -ge 2 ]
}
poll 300 s2_paris_has_rows || fail "the paris part never stored anything"
kill -KILL $killed; wait $killed 2>/dev/null || true
expect_exit 0 snmp_part inventory-2 lyon lyon OpA 127.0.23.4-127.0.23.6
interrupted() { "$ORIGINSCAN" scans >/dev/null 2>&1; [ "$(part_status inventory-2 paris)" = interrupted ]; }
poll 300 interrupted || fail "the killed part is $(part_status inventory-2 paris)"
s2=$(scan_of inventory-2)
[ "$(part_status inventory-2 lyon)" = complete ] || fail "lyon lost by paris's death"
[ "$(sql "$DB" "select status from scans where id=$s2")" = interrupted ] || fail "scan 2 not interrupted"
[ "$(sql "$DB" "select count(*) from evidence e join scan_parts p on p.id=e.part_id where p.scan_id=$s2 and p.name='lyon'")" -gt 0 ] \
  || fail "lyon's evidence lost"
expect_exit 2 "$ORIGINSCAN" diff "$s1" "$s2" --any-scope
expect_err "interrupted"
# resumed alone, on its own: the scan completes
expect_exit 0 "$ORIGINSCAN" snmp --resume "$s2" --part paris --timeout 300 --retries 0 --concurrency 64 --rate 0
[ "$(part_status inventory-2 paris)" = complete ] || fail "paris not complete after its resume"
[ "$(sql "$DB" "select status from scans where id=$s2")" = complete ] || fail "scan 2 not complete"
[ "$(sql "$DB" "select count(*) from targets t join scan_parts p on p.id=t.part_id where p.scan_id=$s2 and p.name='paris'")" = 67 ] \
  || fail "paris targets after the resume: $(sql "$DB" "select count(*) from targets where scan_id=$s2")"
# nothing counted twice: one sysName per agent address of the part
[ "$(sql "$DB" "select count(*) from (select subject from evidence where scan_id=$s2 and key='sysName'
                group by subject having count(*) > 1) x")" = 0 ] || fail "duplicate evidence after the resume"
ok "killed collector: part interrupted, others intact, resumed alone"
