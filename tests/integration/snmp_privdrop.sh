# The SNMP sweep parses what agents answer (net-snmp): run as root, it
# becomes nobody with no capability left before the first packet, as the
# capture does, both under `snmp` and `scan -f`; what it collects is still
# stored, and a credentials file only root can read is still read.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to see the drop from root"
id nobody >/dev/null 2>&1 || skip "no user nobody"
PORT=$(free_port)
start_snmpsim $PORT 127.0.23 "$LAB/08-juniper-mx.snmprec"
DB="$TMP/p.db"
printf '[lab]\nversion 2c\ncommunity public\n' > "$TMP/root.creds"; chmod 600 "$TMP/root.creds"

# a sweep kept busy by silent targets, looked at while it runs
"$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/root.creds" --port $PORT --timeout 3000 --retries 5 \
  --concurrency 2 --no-progress 127.0.23.1 127.0.23.200-127.0.23.220 >/dev/null 2>"$TMP/err1" &
SW=$!
PIDS+=($SW)
dropped $SW
ok "snmp runs as nobody with no capabilities"
kill -TERM $SW; set +e; wait $SW; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/err1"; fail "interrupted sweep exited $rc"; }
# what it heard as nobody is stored, and the database stays root's
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/root.creds" --port $PORT 127.0.23.1
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and key='sysDescr'")" = 1 ] || fail "nothing stored as nobody"
[ "$(sql "$DB" "select status from scans where id=2")" = complete ] || fail "scan 2 not complete"
[ "$(stat -c %U "$DB")" = root ] || fail "the database changed hands"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --user root --port $PORT 127.0.23.1
expect_err "that is root"
ok "stored as nobody; --user root refused"

# scan -f: the same drop before its first collector, even with a [neigh]
# stanza that reads another network namespace (its sockets are made first)
NS=os11pd$$
NEIGH=""
if ip netns add "$NS" 2>/dev/null; then
  trap 'ip netns del "$NS" 2>/dev/null; cleanup' EXIT
  NEIGH=$'[neigh ns]\nnetns = '"$NS"
fi
cat > "$TMP/s.conf" <<CONF
[scan drop]
lock = $TMP/s.lock
[snmp busy]
target = 127.0.23.1
target = 127.0.23.200-127.0.23.220
port = $PORT
timeout = 3000
retries = 5
concurrency = 2
credentials = $TMP/root.creds
$NEIGH
CONF
"$ORIGINSCAN" scan -f "$TMP/s.conf" --db "$DB" --no-progress >/dev/null 2>"$TMP/err2" &
SC=$!
PIDS+=($SC)
dropped $SC
kill -TERM $SC; set +e; wait $SC; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/err2"; fail "interrupted scan -f exited $rc"; }
ok "scan -f runs its collectors as nobody with no capabilities"
