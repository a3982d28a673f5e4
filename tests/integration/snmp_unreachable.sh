# A target that does not answer is recorded as unreachable, not as an
# error of the scan; the report says so.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.3 "$LAB/07-cisco-asr9k.snmprec"
DB="$TMP/u.db"
# 127.0.3.1 answers; 127.0.3.2-3 have no agent at all
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 3000 --retries 0 127.0.3.1-127.0.3.3
expect_err "1 answered, 2 unreachable, 0 errors"
[ "$(sql "$DB" "select status from scans")" = complete ] || fail "a silent target failed the scan"
[ "$(sql "$DB" "select state||':'||detail from targets where address='127.0.3.2'")" = "unreachable:no reply" ] \
  || fail "unreachable not recorded"
[ "$(sql "$DB" "select count(*) from devices")" = 1 ] || fail "a silent target became a device"
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format json -o "$TMP/r.json"
python3 -c '
import json,sys; s=json.load(open(sys.argv[1]))["summary"]
assert (s["targets"], s["answered"], s["unreachable"], s["devices"]) == (3, 1, 2, 1), s' "$TMP/r.json"
expect_exit 0 "$ORIGINSCAN" report --db "$DB"
expect_out "3 (1 answered, 2 unreachable, 0 refused, 0 errors)"
ok "unreachable targets"
