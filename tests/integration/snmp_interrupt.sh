# Ctrl-C / SIGTERM stop a scan cleanly: what was collected is committed,
# the scan is marked interrupted (never complete), exit status 130. A scan
# whose process is killed outright is found interrupted by the next run.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.4 "$LAB/05-nokia-7750.snmprec"
DB="$TMP/i.db"
answered_stored() {
  [ "$(sql "$DB" "select count(*) from evidence where scan_id=$1 and subject='127.0.4.1' and key='sysObjectID'")" = 1 ]
}
for sig in INT TERM; do
  # one agent answers at once; a /24 of silent addresses keeps the scan busy
  # (all in flight at once: targets are visited in a permuted order)
  next=1; [ -f "$DB" ] && next=$(($(sql "$DB" "select max(id) from scans") + 1))
  "$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 5000 --retries 3 --concurrency 300 --rate 0 \
    127.0.4.1 127.0.5.0/24 2>"$TMP/err" &
  pid=$!
  # the signal once the agent's answers are stored (committed within a
  # second, silent targets or not): what was collected must survive it
  wait_until "scan $next to store 127.0.4.1" answered_stored $next
  kill -$sig $pid
  set +e; wait $pid; rc=$?; set -e
  [ $rc = 130 ] || { cat "$TMP/err"; fail "SIG$sig: exit $rc, want 130"; }
  id=$(sql "$DB" "select max(id) from scans")
  [ "$(sql "$DB" "select status from scans where id=$id")" = interrupted ] || fail "SIG$sig: not interrupted"
  [ "$(sql "$DB" "select value from evidence where scan_id=$id and subject='127.0.4.1' and key='sysObjectID'")" \
    = 1.3.6.1.4.1.6527.1.3.17 ] || fail "SIG$sig: collected evidence lost"
  [ "$(sql "$DB" "select vendor from devices where scan_id=$id and address='127.0.4.1'")" = nokia ] \
    || fail "SIG$sig: not attributed"
done
ok "signals"

# killed outright: the next run finds the scan interrupted
next=$(($(sql "$DB" "select max(id) from scans") + 1))
"$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 5000 --retries 3 --concurrency 8 127.0.4.1 127.0.5.0/24 \
  2>/dev/null &
pid=$!
resume_point "$DB" $next        # under way: its first resume point is committed
kill -KILL $pid; wait $pid 2>/dev/null || true
id=$(sql "$DB" "select max(id) from scans")
[ "$(sql "$DB" "select status from scans where id=$id")" = running ] || fail "kill -9: expected a running row"
expect_exit 0 "$ORIGINSCAN" scans --db "$DB"
[ "$(sql "$DB" "select status from scans where id=$id")" = interrupted ] || fail "kill -9: not marked interrupted"
[ "$(sql "$DB" "select count(*) from scans where status='complete'")" = 0 ] || fail "an interrupted scan is complete"
# a report on it says so
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan $id
expect_out "WARNING: this scan is interrupted"
ok "killed"
