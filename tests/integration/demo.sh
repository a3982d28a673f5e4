# The Quick start's demo: the lab comes up, is scanned into a fresh
# database, reported, and every device checks out; the lab is stopped.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
PORT=$(free_port)
expect_exit 0 "$ORIGINSCAN" demo --port $PORT
expect_out "lab check: 9 of 9 devices attributed as the lab really is"
expect_out "high-risk vendors:   4"
[ -s originscan-demo-report.json ] || fail "no JSON report"
python3 -c 'import json; r=json.load(open("originscan-demo-report.json")); assert len(r["devices"]) == 9'
[ "$(sql originscan-demo.db "select count(*) from scans where status='complete'")" = 1 ] || fail "db"
# run again: the database is replaced, not appended to
expect_exit 0 "$ORIGINSCAN" demo --port $PORT
[ "$(sql originscan-demo.db "select count(*) from scans")" = 1 ] || fail "not a fresh database"
! pgrep -f "agent-udpv4-endpoint=127.0.1.1:$PORT" >/dev/null || fail "the lab was left running"
# a file that is not ours is never replaced
echo "precious" > mine.db
expect_exit 2 "$ORIGINSCAN" demo --port $PORT --db mine.db
[ "$(cat mine.db)" = precious ] || fail "demo replaced a file that was not its own"
ok "demo"
