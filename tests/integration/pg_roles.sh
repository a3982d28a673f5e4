# PostgreSQL only (issue 13): the three roles and what each may do, where
# passwords come from (libpq's own sources, never the URI), a database of
# the wrong encoding refused, and the server restarted under a running
# collector, which connects again and sends its batch once. A server of
# the test's own; logins over 127.0.0.1 with passwords (scram).
BACKEND=pg
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.26 "$LAB/05-nokia-7750.snmprec" "$LAB/07-cisco-asr9k.snmprec" "$LAB/01-huawei-ne40e.snmprec"
ADMIN_URI=$(new_db inv)         # the superuser's: db init made the schema and the roles
for r in alice:originscan_collector mallory:originscan_collector bob:originscan_reader carol:originscan_admin; do
  sql "$ADMIN_URI" "CREATE ROLE ${r%%:*} LOGIN PASSWORD '${r%%:*}-pw-$$' IN ROLE ${r#*:}" >/dev/null
done
uri() { echo "postgresql://$1@127.0.0.1:$PG_PORT/inv"; }
# libpq's password file (mode 0600), as an operator would keep it
printf '127.0.0.1:%s:inv:alice:alice-pw-%s\n127.0.0.1:%s:inv:mallory:mallory-pw-%s\n127.0.0.1:%s:inv:carol:carol-pw-%s\n' \
  $PG_PORT $$ $PG_PORT $$ $PG_PORT $$ > "$TMP/pgpass"
chmod 600 "$TMP/pgpass"
export PGPASSFILE="$TMP/pgpass"
unset PGUSER PGHOST PGPORT
scan() {        # scan ROLE ARGS...: a small sweep as ROLE
  local role=$1; shift
  "$ORIGINSCAN" snmp --db "$(uri "$role")" --port $PORT --timeout 1000 --retries 0 "$@"
}
psql_as() {     # psql_as ROLE SQL: as that role, the error text on stderr
  "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$(uri "$1")" -c "$2"
}

# ---- passwords: never in the URI, never echoed
expect_exit 2 "$ORIGINSCAN" scans --db "postgresql://alice:alice-pw-$$@127.0.0.1:$PG_PORT/inv"
expect_err "password"
grep -q "alice-pw" "$TMP/err" && fail "the password was echoed"
expect_exit 2 env ORIGINSCAN_DB="postgresql://alice@127.0.0.1:$PG_PORT/inv?password=alice-pw-$$" "$ORIGINSCAN" scans
grep -q "alice-pw" "$TMP/err" && fail "the password was echoed"
# a wrong password: libpq says so, without it
expect_exit 2 env PGPASSFILE=/dev/null PGPASSWORD=wrong-pw "$ORIGINSCAN" scans --db "$(uri alice)"
expect_err "password authentication failed"
grep -q "wrong-pw" "$TMP/err" && fail "the password was echoed"
# PGPASSWORD, a service file: libpq's own
expect_exit 0 env PGPASSFILE=/dev/null PGPASSWORD="bob-pw-$$" "$ORIGINSCAN" scans --db "$(uri bob)"
printf '[inv]\nhost=127.0.0.1\nport=%s\ndbname=inv\nuser=bob\npassword=bob-pw-%s\n' $PG_PORT $$ > "$TMP/pg_service.conf"
chmod 600 "$TMP/pg_service.conf"
expect_exit 0 env PGSERVICEFILE="$TMP/pg_service.conf" "$ORIGINSCAN" scans --db "postgresql:///?service=inv"
ok "passwords from libpq's sources only"

# ---- the collector: writes its parts, completes them, never deletes
expect_exit 0 scan alice 127.0.26.1-127.0.26.3
expect_exit 0 scan alice 127.0.26.1-127.0.26.3
[ "$(sql "$ADMIN_URI" "select count(*) from scans where status='complete'")" = 2 ] || fail "alice's scans"
[ "$(sql "$ADMIN_URI" "select count(*) from devices where scan_id=2")" = 3 ] || fail "alice's verdicts"
[ "$(sql "$ADMIN_URI" "select distinct db_user from scan_parts")" = alice ] || fail "parts' role"
before=$(sql "$ADMIN_URI" "select count(*) from evidence")
expect_exit 2 "$ORIGINSCAN" prune --db "$(uri alice)" --keep 1
expect_err "permission denied"
expect_exit 2 "$ORIGINSCAN" reattribute --db "$(uri alice)" --scan 1
expect_err "permission denied"
set +e
psql_as alice "DELETE FROM evidence" 2>"$TMP/e1"; psql_as alice "UPDATE evidence SET value='x'" 2>"$TMP/e2"
psql_as alice "UPDATE devices SET vendor='cisco'" 2>"$TMP/e3"; psql_as alice "DELETE FROM scans" 2>"$TMP/e4"
set -e
for f in e1 e2 e3 e4; do grep -q "permission denied" "$TMP/$f" || { cat "$TMP/$f"; fail "alice may $f"; }; done
[ "$(sql "$ADMIN_URI" "select count(*) from evidence")" = "$before" ] || fail "the collector changed evidence"
[ "$(sql "$ADMIN_URI" "select count(*) from scans where status='complete'")" = 2 ] || fail "the collector ended scans"
# another collector cannot write into alice's part, nor end it
expect_exit 0 "$ORIGINSCAN" declare --db "$(uri alice)" shared-1 a b
expect_exit 0 scan alice --scan shared-1 --part a 127.0.26.1
sid=$(sql "$ADMIN_URI" "select id from scans where name='shared-1'")
pa=$(sql "$ADMIN_URI" "select id from scan_parts where scan_id=$sid and name='a'")
set +e
psql_as mallory "INSERT INTO evidence(scan_id,part_id,collector,subject_kind,subject,key,value,seen_us)
                 VALUES ($sid,$pa,'snmp','ip','10.6.6.6','sysDescr','\\x00',0)" 2>"$TMP/m1"
n=$(psql_as mallory "UPDATE scan_parts SET status='pending' WHERE id=$pa RETURNING id" 2>/dev/null | wc -l)
set -e
grep -q "not running under role mallory\|permission denied" "$TMP/m1" || { cat "$TMP/m1"; fail "mallory wrote into alice's part"; }
[ "$n" = 0 ] || fail "mallory changed alice's part"
expect_exit 0 scan mallory --scan shared-1 --part b 127.0.26.2
[ "$(sql "$ADMIN_URI" "select status from scans where id=$sid")" = complete ] || fail "shared-1 with both parts"
ok "collector role: its own parts, nothing deleted or rewritten"

# ---- the reader reads; the admin prunes and reattributes
expect_exit 0 env PGPASSWORD="bob-pw-$$" "$ORIGINSCAN" report --db "$(uri bob)" --last
expect_out "devices:"
expect_exit 2 env PGPASSWORD="bob-pw-$$" "$ORIGINSCAN" snmp --db "$(uri bob)" --port $PORT 127.0.26.1
expect_err "permission denied"
expect_exit 2 env PGPASSWORD="bob-pw-$$" "$ORIGINSCAN" db init --db "$(uri bob)"
expect_exit 0 "$ORIGINSCAN" reattribute --db "$(uri carol)" --scan 1
expect_exit 0 "$ORIGINSCAN" prune --db "$(uri carol)" --keep 2
[ "$(sql "$ADMIN_URI" "select count(*) from scans where id=1")" = 0 ] || fail "the admin could not prune"
[ "$(sql "$ADMIN_URI" "select count(*) from evidence where scan_id=1")" = 0 ] || fail "prune left evidence"
ok "reader reads, admin prunes"

# ---- a database in another encoding would refuse a Latin-1 sysDescr:
# refused at once
"$PG_BIN/createdb" -h "$PG_SOCK" -p $PG_PORT -U postgres -E UTF8 -T template0 --locale=C u8
expect_exit 2 "$ORIGINSCAN" db init --db "$(pg_uri u8)"
expect_err "encoding UTF8"
expect_err "createdb -E SQL_ASCII"
ok "encoding"

# ---- the server restarted under a running collector: it connects
# again, sends its batch once, and the scan completes whole
sid=$(($(sql "$ADMIN_URI" "select max(id) from scans") + 1))
"$ORIGINSCAN" snmp --db "$(uri alice)" --port $PORT --timeout 400 --retries 0 --concurrency 2 --rate 0 \
  127.0.26.1-127.0.26.3 127.0.27.0/27 >"$TMP/restart.out" 2>"$TMP/restart.err" &
col=$!
scan_running "$ADMIN_URI" $sid
for _ in $(seq 1 200); do
  [ "$(sql "$ADMIN_URI" "select count(*) from targets where scan_id=$sid")" -ge 2 ] && break
  sleep 0.1
done
pg_restart || fail "the server did not come back"
set +e; wait $col; rc=$?; set -e
[ $rc = 0 ] || { cat "$TMP/restart.err"; fail "the collector exited $rc across the restart"; }
grep -q "lost the connection" "$TMP/restart.err" || { cat "$TMP/restart.err"; fail "no restart seen (too fast?)"; }
[ "$(sql "$ADMIN_URI" "select status from scans where id=$sid")" = complete ] || fail "not complete after the restart"
[ "$(sql "$ADMIN_URI" "select count(*) || '/' || count(distinct address) from targets where scan_id=$sid")" = 35/35 ] \
  || fail "targets after the restart: $(sql "$ADMIN_URI" "select count(*) from targets where scan_id=$sid")"
[ "$(sql "$ADMIN_URI" "select count(*) from (select subject, key from evidence where scan_id=$sid and subject_kind='ip'
      and key <> 'snmp.problem' group by subject, key having count(*) > 1) x")" = 0 ] || fail "a batch counted twice"
[ "$(sql "$ADMIN_URI" "select count(*) from evidence where scan_id=$sid and key='sysName'")" = 3 ] || fail "sysName rows"
ok "server restarted: the collector carried on, nothing counted twice"
