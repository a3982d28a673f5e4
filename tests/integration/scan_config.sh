# originscan scan -f CONFIG against real agents (snmpsim on loopback): two
# [snmp] collectors into one scan, the site map giving site, domain and
# operator, the plan recorded; the lock that keeps overlapping cron runs
# from both writing (exit 75); a scan stopped by a signal is interrupted,
# not complete; bad configurations get one line naming file and line.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.21 "$LAB"/0[1-8]-*.snmprec
DB=$(new_db s)
printf 'public\n' > "$TMP/community"; chmod 600 "$TMP/community"
cat > "$TMP/nightly.conf" <<CONF
# a comment line
[scan nightly]
database = $DB

[snmp core]
target = 127.0.21.1-127.0.21.4
port = $PORT
credentials = $TMP/community
timeout = 5000
retries = 0
concurrency = 10
rate = 200

[snmp ran]
target = 127.0.21.5 127.0.21.6
target = 127.0.21.7-8
exclude = 127.0.21.8
port = $PORT

[site core-paris]
name = Paris core
subnet = 127.0.21.0/30
domain = core
operator = Example Telecom

[site ran-north]
subnet = 127.0.21.4/30
subnet = 127.0.21.8/29
domain = ran
operator = Other Mobile
CONF

expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/nightly.conf"
[ "$(sql "$DB" "select status||' '||command||' '||plan from scans")" = "complete scan nightly" ] \
  || fail "scan not recorded as complete scan of plan nightly"
[ "$(sql "$DB" "select count(*) from targets where state='answered'")" = 7 ] || fail "want 7 answers (8 excluded)"
[ "$(sql "$DB" "select group_concat(address||'='||site||'/'||domain||'/'||operator, ' ') from (select * from devices order by address) d")" = \
  "127.0.21.1=core-paris/core/Example Telecom 127.0.21.2=core-paris/core/Example Telecom 127.0.21.3=core-paris/core/Example Telecom 127.0.21.4=ran-north/ran/Other Mobile 127.0.21.5=ran-north/ran/Other Mobile 127.0.21.6=ran-north/ran/Other Mobile 127.0.21.7=ran-north/ran/Other Mobile" ] \
  || fail "site map: $(sql "$DB" "select address, site, domain, operator from devices")"
[ "$(sql "$DB" "select count(*) from devices where domain_from='site-map'")" = 7 ] || fail "domain_from"
! sql "$DB" "select request from scans" | grep -q public || fail "the community reached the database"
ok "two collectors, one complete scan, site map"

# quiet under cron: nothing on stderr when stderr is not a terminal and all went well
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "scan -f not quiet under cron"; }

# the lock: a second run while the first holds it exits 75 at once, and
# writes nothing (SQLite: a lock file beside the database; PostgreSQL: the
# plan's advisory lock on the server)
before=$(sql "$DB" "select count(*) from scans")
if is_pg; then
  "$PG_BIN/psql" -X -q -d "$DB" -c "select pg_advisory_lock(1330856784, hashtext('nightly')); select pg_sleep(300)" \
    >/dev/null 2>&1 &
  holder=$!
  PIDS+=($holder)
  for i in $(seq 1 100); do
    [ "$(sql "$DB" "select count(*) from pg_locks where locktype='advisory' and classid=1330856784")" = 1 ] && break
    sleep 0.1
  done
  expect_exit 75 "$ORIGINSCAN" scan -f "$TMP/nightly.conf"
  expect_err "another scan of plan nightly holds its lock"
  # the lock goes with the holder's session (a killed client's session
  # ends only when its query does: end it)
  sql "$DB" "select pg_terminate_backend(pid) from pg_locks where locktype='advisory' and classid=1330856784" >/dev/null
  wait $holder 2>/dev/null || true
else
  exec 9>"$DB.lock"
  flock 9
  echo "pid 4242, plan nightly, since then" >&9
  expect_exit 75 "$ORIGINSCAN" scan -f "$TMP/nightly.conf"
  expect_err "another scan holds the lock $DB.lock (pid 4242, plan nightly, since then); not starting this one"
  exec 9>&-
fi
[ "$(sql "$DB" "select count(*) from scans")" = "$before" ] || fail "the locked-out run wrote a scan"
ok "lock: second run exits 75"

# a real overlap: a slow scan (silent targets) holds the lock; the
# second run is refused; SIGTERM stops the first, which is then interrupted
cat > "$TMP/slow.conf" <<CONF
[scan slow]
lock = $TMP/slow.lock
[snmp silent]
target = 127.0.21.100-127.0.21.140
port = 21999
timeout = 5000
retries = 3
concurrency = 5
CONF
"$ORIGINSCAN" scan --db "$DB" -f "$TMP/slow.conf" 2>"$TMP/slow.err" &
slow=$!
one_running() { [ "$(sql "$DB" "select count(*) from scans where status='running'")" = 1 ]; }
wait_until "the slow scan to run" one_running
expect_exit 75 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/slow.conf"
expect_err "another scan holds the lock $TMP/slow.lock (pid $slow, plan slow"
kill -TERM $slow
set +e; wait $slow; st=$?; set -e
[ "$st" = 130 ] || { cat "$TMP/slow.err"; fail "interrupted scan exited $st, want 130"; }
[ "$(sql "$DB" "select status from scans order by id desc limit 1")" = interrupted ] || fail "not marked interrupted"
grep -q "interrupted" "$TMP/slow.err" || fail "no word of the interruption on stderr"
# the lock went with the process
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/nightly.conf"
ok "overlap refused; SIGTERM -> interrupted (130); lock released"

# each collector is a part: written by separate runs (any machine, any
# time) into the scan of a name, complete with the last; a failed part is
# run again alone
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/nightly.conf" --scan nightly-parts --part snmp:ran
[ "$(sql "$DB" "select status from scans where name='nightly-parts'")" = running ] || fail "complete with one part of two"
[ "$(sql "$DB" "select count(*) from scan_parts p join scans s on s.id=p.scan_id where s.name='nightly-parts'
     and p.status='pending' and p.name='snmp:core'")" = 1 ] || fail "snmp:core not pending"
expect_exit 2 "$ORIGINSCAN" scan -f "$TMP/nightly.conf" --scan nightly-parts --part snmp:ran
expect_err "is complete"
expect_exit 2 "$ORIGINSCAN" diff --db "$DB" "$(sql "$DB" "select id from scans where name='nightly-parts'")" 1
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/nightly.conf" --scan nightly-parts
[ "$(sql "$DB" "select status from scans where name='nightly-parts'")" = complete ] || fail "not complete with both parts"
[ "$(sql "$DB" "select count(*) from devices d join scans s on s.id=d.scan_id where s.name='nightly-parts'")" = 7 ] \
  || fail "the parts' devices"
expect_exit 0 "$ORIGINSCAN" diff --db "$DB" --last             # the same plan: the first run's scan
expect_exit 0 "$ORIGINSCAN" scans --db "$DB"
expect_out "2 of 2 parts complete"
expect_out "part snmp:core"
expect_exit 64 "$ORIGINSCAN" scan -f "$TMP/nightly.conf" --part snmp:nonesuch
expect_err "its parts: snmp:core, snmp:ran"
ok "collectors as parts"

# the example configuration in the repository stays valid (its files and
# interface made to exist here: --check checks them)
mkdir -p "$TMP/ex/etc" "$TMP/ex/var"
for f in community ran-community; do printf 'public\n' >"$TMP/ex/etc/$f"; chmod 600 "$TMP/ex/etc/$f"; done
sed -e "s|/run/credentials/originscan-scan.service/|$TMP/ex/etc/|; s|/etc/originscan/|$TMP/ex/etc/|; s|/var/lib/originscan/|$TMP/ex/var/|; s|^interface = eth1|interface = lo|" \
  "$SRCDIR/examples/originscan.conf" >"$TMP/ex/example.conf"
expect_exit 0 "$ORIGINSCAN" scan --check -f "$TMP/ex/example.conf"
expect_out "plan nightly, database $TMP/ex/var/originscan.db; 2 snmp (327880 addresses before exclusions), 1 neigh, 1 capture, 0 oss, 1 probe collectors; 4 sites"
ok "examples/originscan.conf reads"

# every path is checked before the first packet, by --check and a real run
# alike (issue 11, item 14): a missing credentials file, one others can
# read, a missing capture file, a file that is no capture, a missing
# interface, target list, knowledge file or database directory
n=$(sql "$DB" "select count(*) from scans")
printf 'not a capture\n' >"$TMP/notpcap"
bad_paths() {   # bad_paths WANT-IN-STDERR STANZA-LINES...
  local want=$1; shift
  printf '[scan paths]\ndatabase = %s\n[snmp a]\ntarget = 127.0.21.1\nport = %s\n' "$DB" "$PORT" >"$TMP/paths.conf"
  printf '%s\n' "$@" >>"$TMP/paths.conf"
  expect_exit 2 "$ORIGINSCAN" scan --check -f "$TMP/paths.conf"
  expect_err "$want"
  expect_exit 2 "$ORIGINSCAN" scan -f "$TMP/paths.conf"
  expect_err "$want"
}
bad_paths "[snmp b] credentials-file: no such file" '[snmp b]' 'target = 127.0.21.2' \
  "credentials = $TMP/nope.community"
printf 'public\n' >"$TMP/open.community"; chmod 644 "$TMP/open.community"
bad_paths "readable by others (mode 644)" '[snmp b]' 'target = 127.0.21.2' "credentials = $TMP/open.community"
bad_paths "[capture c] $TMP/nope.pcap: No such file" '[capture c]' "file = $TMP/nope.pcap"
bad_paths "[capture c] $TMP/notpcap: not a capture file" '[capture c]' "file = $TMP/notpcap"
bad_paths "[capture c] -i os-no-such-if$$: no such interface" '[capture c]' "interface = os-no-such-if$$" 'duration = 1'
bad_paths "[neigh n] --netns os-no-such-ns$$: no such network namespace" '[neigh n]' "netns = os-no-such-ns$$"
bad_paths "targets-file: cannot read $TMP/nope.targets" '[snmp b]' "targets-file = $TMP/nope.targets"
printf '[scan paths]\ndatabase = %s\n[snmp a]\ntarget = 127.0.21.1\nport = %s\n' "$TMP/no/such/dir/x.db" "$PORT" \
  >"$TMP/paths.conf"
expect_exit 2 "$ORIGINSCAN" scan --check -f "$TMP/paths.conf"
expect_err "database $TMP/no/such/dir/x.db: cannot be created in $TMP/no/such/dir"
printf '[scan paths]\ndatabase = %s\n[snmp a]\ntarget = 127.0.21.1\nport = %s\n' "$DB" "$PORT" >"$TMP/paths.conf"
expect_exit 2 "$ORIGINSCAN" scan --check -f "$TMP/paths.conf" --kb-file "$TMP/nope.vendors"
expect_err "--kb-file: cannot read $TMP/nope.vendors"
[ "$(sql "$DB" "select count(*) from scans")" = "$n" ] || fail "a plan with a bad path began a scan"
ok "every path checked before the first packet"

# relative paths in a configuration are relative to its directory, not to
# where it is run from (cron, systemd)
mkdir -p "$TMP/rel/lists"
printf '127.0.21.1\n' >"$TMP/rel/lists/core.txt"
printf 'public\n' >"$TMP/rel/comm"; chmod 600 "$TMP/rel/comm"
printf '[scan rel]\ndatabase = rel.db\n[snmp a]\ntargets-file = lists/core.txt\ncredentials = comm\nport = %s\n' "$PORT" \
  >"$TMP/rel/rel.conf"
(cd / && expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/rel/rel.conf")
[ "$(sql "$TMP/rel/rel.db" "select state from targets")" = answered ] || fail "relative paths"
ok "relative paths from the configuration's directory"

# bad configurations: one line naming file:line, exit 2, nothing stored
n=$(sql "$DB" "select count(*) from scans")
printf '[snmp x]\ntarget = 127.0.21.1\ncomunity = oops\n' > "$TMP/bad1.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad1.conf"
expect_err "bad1.conf:3: [snmp x] unknown key 'comunity'"
printf '[snmp x]\ntarget = 127.0.21.1\n[site s]\nsubnet = 127.0.21.0/24\ndomain = radio\n' > "$TMP/bad2.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad2.conf"
expect_err "bad2.conf:5: [site s] domain = 'radio'"
printf '[snmp x]\ntarget = 10.0.0.0/33\n' > "$TMP/bad3.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad3.conf"
expect_err "bad3.conf:2: [snmp x]"
printf '[site s]\nsubnet = 127.0.21.0/24\n' > "$TMP/bad4.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad4.conf"
expect_err "no collector"
chmod 644 "$TMP/community"
expect_exit 2 "$ORIGINSCAN" scan -f "$TMP/nightly.conf"
expect_err "readable by others (mode 644)"
expect_exit 64 "$ORIGINSCAN" scan
# a collector id used twice would be one name for two collectors
printf '[snmp x]\ntarget = 127.0.21.1\n[snmp y]\ntarget = 127.0.21.2\n[snmp x]\ntarget = 127.0.21.3\n' > "$TMP/bad5.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad5.conf"
expect_err "bad5.conf:5: [snmp x] appears twice (first at line 1)"
printf '[capture x]\nfile = %s\n[capture x]\nfile = %s\n' "$TMP/a.pcap" "$TMP/b.pcap" > "$TMP/bad6.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad6.conf"
expect_err "bad6.conf:3: [capture x] appears twice"
[ "$(sql "$DB" "select count(*) from scans")" = "$n" ] || fail "a bad configuration stored a scan"
ok "bad configurations"
