# Resuming from anywhere with the files the scan began with (issue 11,
# items 11 and 19). `snmp --resume` read the credentials file by the path
# as typed: from another directory it failed, or polled with another file
# of the same name (targets "refused", the scan complete). A scan records
# the absolute path and the file's identity (device, inode, size, mtime:
# nothing of the secret) and refuses a changed file unless told. -iL lists
# the same. An interrupted `scan -f` is resumed by the same protocol: the
# collectors that finished are not run again, the one cut short continues.
# Duplicate targets are polled once and counted as stored; the same
# address on two ports is two targets.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
PORT2=$(free_port)
start_snmpsim $PORT 127.0.41 "$LAB"/0[1-6]-*.snmprec          # 127.0.41.1-6
start_snmpsim $PORT2 127.0.41 "$LAB"/07-*.snmprec              # 127.0.41.1 again, on PORT2
DB="$TMP/r.db"
mkdir -p "$TMP/a" "$TMP/b"
printf 'public\n' >"$TMP/a/comm"; chmod 600 "$TMP/a/comm"
printf 'not-the-community\n' >"$TMP/b/comm"; chmod 600 "$TMP/b/comm"
printf '# agents\n127.0.41.1-4\n\n127.0.41.5-6\n' >"$TMP/a/list"

next_id() { echo $(( $(sql "$DB" "select coalesce(max(id),0) from scans" 2>/dev/null || echo 0) + 1 )); }
# interrupt ID CMD...: run CMD (scan ID) and stop it with SIGINT once it has
# committed a resume point; it must end interrupted (130)
interrupt() {
  local id=$1; shift
  "$@" 2>"$TMP/int.err" &
  local pid=$!
  resume_point "$DB" "$id"
  kill -INT $pid
  set +e; wait $pid; local rc=$?; set -e
  [ $rc = 130 ] || { cat "$TMP/int.err"; fail "interrupted scan $id: exit $rc, want 130"; }
  [ "$(sql "$DB" "select status from scans where id=$id")" = interrupted ] || fail "scan $id not interrupted"
}
answered() { sql "$DB" "select count(*) from targets where scan_id=$1 and state='answered'"; }
once() {   # nothing polled twice: each fact about each agent once
  [ "$(sql "$DB" "select count(*) from (select subject, key, source from evidence where scan_id=$1 and
          subject_kind='ip' and key not in ('snmp.problem') group by subject, key, source having count(*) > 1)")" = 0 ] \
    || fail "scan $1 holds facts twice"
}

# 1. begun in a/ with relative paths (--rate 1: hardly a target is done
# before the signal), resumed from b/, where another file is called comm
s=$(next_id)
(cd "$TMP/a" && interrupt $s "$ORIGINSCAN" snmp --db "$DB" --credentials comm -iL list --port $PORT --rate 1 \
  --timeout 5000)
[ "$(sql "$DB" "select json_extract(request,'\$.credentials_file')||' '||json_extract(request,'\$.target_file')
                from scans where id=$s")" = "$TMP/a/comm $TMP/a/list" ] || fail "paths not recorded absolute"
! sql "$DB" "select request from scans" | grep -q public || fail "the community reached the database"
(cd "$TMP/b" && expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --resume $s --rate 0 --timeout 5000)
[ "$(sql "$DB" "select status from scans where id=$s")" = complete ] || fail "resumed scan not complete"
[ "$(answered $s)" = 6 ] || fail "resumed from b/: $(sql "$DB" "select address||' '||state||' '||coalesce(detail,'') from targets where scan_id=$s")"
once $s
ok "resumed from another directory with the files it began with"

# 2. the credentials file replaced (another inode) or edited: refused,
# nothing changed; --allow-changed-files takes it as it is now
s=$(next_id)
(cd "$TMP/a" && interrupt $s "$ORIGINSCAN" snmp --db "$DB" --credentials comm 127.0.41.1-6 --port $PORT --rate 1 \
  --timeout 5000)
printf '# rotated\n' >>"$TMP/a/comm"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --resume $s
expect_err "credentials file $TMP/a/comm was changed since the scan began"
expect_err "--allow-changed-files"
cp -p "$TMP/a/comm" "$TMP/a/comm.new"; mv "$TMP/a/comm.new" "$TMP/a/comm"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --resume $s
expect_err "credentials file $TMP/a/comm is another file than the one the scan began with"
[ "$(sql "$DB" "select status from scans where id=$s")" = interrupted ] || fail "refused resume changed the scan"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --resume $s --allow-changed-files --rate 0 --timeout 5000
expect_err "using it as it is now"
[ "$(answered $s)" = 6 ] || fail "resume with the changed file"
once $s
ok "a changed credentials file is refused unless allowed"

# 3. duplicates are polled once and counted as stored; the same address
# on another port is another target, named with its port
s=$(next_id)
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 5000 -v \
  127.0.41.1-3 127.0.41.2 127.0.41.3:$PORT 127.0.41.2/31 "127.0.41.1:$PORT2"
expect_err "4 addresses were given more than once: each is polled once"
expect_err "scan $s complete: 4 targets, 4 answered, 0 unreachable"
[ "$(sql "$DB" "select address from targets where scan_id=$s" | sort | tr '\n' ' ')" \
  = "$(printf '%s\n' 127.0.41.1:$PORT 127.0.41.1:$PORT2 127.0.41.2 127.0.41.3 | sort | tr '\n' ' ')" ] \
  || fail "targets: $(sql "$DB" "select address from targets where scan_id=$s")"
[ "$(sql "$DB" "select n_targets||'/'||n_answered from scans where id=$s")" = 4/4 ] || fail "stored counts"
once $s
ok "duplicates polled once; two ports, two targets"

# 4. scan -f, interrupted in its first [snmp] stanza, resumed from another
# directory without -f: the plan is read again from the recorded path;
# the second stanza overlaps the first (its addresses are polled once)
cat >"$TMP/a/plan.conf" <<CONF
[scan plan]
database = $DB
[snmp first]
targets-file = list
credentials = comm
port = $PORT
rate = 1
timeout = 5000
[snmp second]
target = 127.0.41.5-6 127.0.41.1:$PORT2
credentials = comm
port = $PORT
timeout = 5000
CONF
s=$(next_id)
(cd "$TMP/b" && interrupt $s "$ORIGINSCAN" scan -f ../a/plan.conf)
grep -qF "continue with: originscan scan --resume $s" "$TMP/int.err" || { cat "$TMP/int.err"; fail "no word of --resume"; }
# the plan changed: refused
sed -i 's/^port = .*/&/; s/^target = 127.0.41.5-6/target = 127.0.41.4-6/' "$TMP/a/plan.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" --resume $s
expect_err "[snmp second] targets: not what the scan began with"
sed -i 's/^target = 127.0.41.4-6/target = 127.0.41.5-6/; s/^rate = 1$/rate = 0/' "$TMP/a/plan.conf"
(cd / && expect_exit 0 "$ORIGINSCAN" scan --db "$DB" --resume $s -v -v)
[ "$(sql "$DB" "select status from scans where id=$s")" = complete ] || fail "scan -f resumed: not complete"
[ "$(sql "$DB" "select count(*)||'/'||count(distinct address) from targets where scan_id=$s")" = 7/7 ] \
  || fail "scan -f targets: $(sql "$DB" "select address, state from targets where scan_id=$s")"
[ "$(answered $s)" = 7 ] || fail "scan -f: not all answered"
once $s
ok "scan -f interrupted in its first stanza, resumed"

# 5. interrupted in its second stanza: the first is not run again
cat >"$TMP/a/plan2.conf" <<CONF
[scan plan2]
database = $DB
[snmp fast]
target = 127.0.41.1-3
port = $PORT
timeout = 5000
[snmp slow]
target = 127.0.41.4-6 127.0.41.1:$PORT2
port = $PORT
rate = 1
timeout = 5000
CONF
s=$(next_id)
"$ORIGINSCAN" scan -f "$TMP/a/plan2.conf" 2>"$TMP/int.err" &
pid=$!
second_under_way() {   # the second stanza (its own part) has begun
  [ "$(sql "$DB" "select count(*) from part_resume r join scan_parts p on p.id=r.part_id
        where p.scan_id=$s and p.name='snmp:slow' and r.granted > 0")" = 1 ]
}
wait_until "the second stanza of scan $s" second_under_way
kill -INT $pid; set +e; wait $pid; rc=$?; set -e
[ $rc = 130 ] || { cat "$TMP/int.err"; fail "plan2: exit $rc"; }
first=$(sql "$DB" "select count(*) from evidence where scan_id=$s and subject in ('127.0.41.1','127.0.41.2','127.0.41.3') and source like '%:$PORT'")
[ "$first" -gt 0 ] || fail "the first stanza had not run"
sed -i 's/^rate = 1$/rate = 0/' "$TMP/a/plan2.conf"
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/a/plan2.conf" --resume $s
[ "$(sql "$DB" "select count(*) from evidence where scan_id=$s and subject in ('127.0.41.1','127.0.41.2','127.0.41.3') and source like '%:$PORT'")" = "$first" ] \
  || fail "the first stanza ran again"
[ "$(answered $s)" = 7 ] || fail "plan2: $(sql "$DB" "select address, state from targets where scan_id=$s")"
once $s
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" --resume $s
expect_err "the scan is complete"
ok "scan -f interrupted in its second stanza, resumed without running the first again"
