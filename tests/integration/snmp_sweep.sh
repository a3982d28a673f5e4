# The sweep at scale against a real snmpd on 64 loopback addresses: the
# visiting order is a keyed permutation (same seed, same order), shards
# cover the set exactly once, an interrupted (SIGINT) or killed (SIGKILL)
# scan resumes to the same result without polling anything twice, the
# rate cap holds, the progress line appears on a terminal only, and a /16
# of silent addresses costs no more memory than a /22.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_agents.sh"
PORT=$(free_port)
addrs=""
for i in $(seq 64 127); do addrs="$addrs${addrs:+,}udp:127.0.18.$i:$PORT"; done
start_snmpd sweep "agentaddress $addrs
rocommunity public 127.0.0.0/8
sysName sweep-agent.lab"
wait_agent 127.0.18.64:$PORT -v2c -c public
wait_agent 127.0.18.127:$PORT -v2c -c public
SET=127.0.18.64-127.0.18.127
DB="$TMP/sweep.db"
# snmpd answers in a millisecond; on a busy machine (both builds and a CPU
# hog beside) an answer may take seconds: every sweep that must hear all
# 64 gives them room (a passing run never waits for a timeout)
ROOM="--timeout 10000 --retries 2"
last() { sql "$DB" "select max(id) from scans"; }
order() { sql "$DB" "select group_concat(address, ' ') from (select address from targets where scan_id=$1 order by rowid)"; }

# 1. a keyed permutation: one target at a time, so the outcomes are written
# in visiting order
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" $ROOM --system-only --concurrency 1 --seed 7 --port $PORT $SET
s1=$(last); o1=$(order "$s1")
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" $ROOM --system-only --concurrency 1 --seed 7 --port $PORT $SET
o2=$(order "$(last)")
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" $ROOM --system-only --concurrency 1 --seed 8 --port $PORT $SET
o3=$(order "$(last)")
python3 - "$o1" "$o2" "$o3" <<'PY'
import sys
o1, o2, o3 = (s.split() for s in sys.argv[1:4])
want = ["127.0.18.%d" % i for i in range(64, 128)]
assert sorted(o1, key=lambda a: int(a.split(".")[3])) == want, o1      # every address once
assert o1 == o2, "same seed, another order"
assert o1 != o3 and sorted(o3) == sorted(o1), "another seed, same order"
last = [int(a.split(".")[3]) for a in o1]
steps = sum(1 for a, b in zip(last, last[1:]) if abs(a - b) == 1)
assert last != sorted(last) and steps < 8, (steps, last)                # not a walk up the range
print("ok: order", last[:12], "...")
PY
[ "$(sql "$DB" "select count(*) from targets where scan_id=$s1 and state='answered'")" = 64 ] || fail "64 answered"
ok "visiting order is a keyed permutation"

# 2. shards 1/3, 2/3, 3/3 (default seed: derived from the set, so the
# shards agree without one) cover the set exactly once between them, as
# the three parts of one scan, which is complete only with the last
for i in 1 2 3; do
  expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" $ROOM --system-only --shard $i/3 --scan sweep-shards --port $PORT $SET
  if [ $i -lt 3 ]; then
    [ "$(sql "$DB" "select status from scans where name='sweep-shards'")" = running ] || fail "complete before its last shard"
  fi
done
sh=$(sql "$DB" "select id from scans where name='sweep-shards'")
[ "$(sql "$DB" "select count(*) from scans where name='sweep-shards' and status='complete'")" = 1 ] || fail "the shards' scan"
[ "$(sql "$DB" "select count(*) || '/' || count(distinct address) from targets where scan_id=$sh")" = 64/64 ] \
  || fail "shards overlap or miss: $(sql "$DB" "select part_id, count(*) from targets where scan_id=$sh group by part_id")"
for i in 1 2 3; do
  p=$(sql "$DB" "select id from scan_parts where scan_id=$sh and name='shard-$i-of-3'")
  n=$(sql "$DB" "select count(*) from targets where part_id=$p")
  [ "$n" = 21 ] || [ "$n" = 22 ] || fail "shard of $n targets"
  sql "$DB" "select request from scan_parts where id=$p" | grep -q "\"shard\":\"$i/3\"" || fail "shard not recorded"
done
[ "$(sql "$DB" "select count(*) from devices where scan_id=$sh")" = 64 ] || fail "the shards' devices"
# a shard alone is refused: it would be a scan of a third of the set
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --system-only --shard 1/3 --port $PORT $SET
expect_err "--scan NAME"
# a shard that does not fit the scan it names is refused
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --system-only --shard 1/2 --scan sweep-shards --port $PORT $SET
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --system-only --shard 2/3 --scan sweep-shards --port $PORT 127.0.18.64-127.0.18.100
ok "shards partition the set"

# the same set, resumed, must equal one uninterrupted scan
check_complete() {   # check_complete SCAN
  [ "$(sql "$DB" "select status from scans where id=$1")" = complete ] || fail "scan $1 not complete"
  [ "$(sql "$DB" "select count(*) || '/' || count(distinct address) from targets where scan_id=$1")" = 64/64 ] \
    || fail "scan $1: targets $(sql "$DB" "select count(*) from targets where scan_id=$1")"
  [ "$(sql "$DB" "select count(*) from targets where scan_id=$1 and state='answered'")" = 64 ] || fail "scan $1: not all answered"
  # nothing polled twice: each fact about each agent address once
  [ "$(sql "$DB" "select count(*) from (select subject, key from evidence where scan_id=$1 and subject_kind='ip'
                  and key != 'snmp.problem' group by subject, key having count(*) > 1)")" = 0 ] \
    || fail "scan $1 has duplicate evidence: $(sql "$DB" "select subject, key, count(*) from evidence where scan_id=$1
            and subject_kind='ip' group by subject, key having count(*) > 1 limit 5")"
  [ "$(sql "$DB" "select count(*) from evidence where scan_id=$1 and key='sysName' and cast(value as text)='sweep-agent.lab'")" = 64 ] \
    || fail "scan $1: sysName rows"
  [ "$(sql "$DB" "select count(*) from evidence where scan_id=$1 and key='snmp.tables'")" = 64 ] || fail "scan $1: summaries"
}

# 3. Ctrl-C: committed and marked interrupted, then resumed
nid=$(($(last) + 1))
"$ORIGINSCAN" snmp --db "$DB" $ROOM --rate 40 --concurrency 4 --port $PORT $SET >"$TMP/int.out" 2>"$TMP/int.err" &
pid=$!
# stopped once a first target is stored (committed within a second): the
# rate cap (40 packets/s, 64 targets of a dozen packets each) leaves most
done_some() { [ "$(sql "$DB" "select count(*) from targets where scan_id=$1")" -gt 0 ]; }
wait_until "scan $nid to store a target" done_some $nid
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc = 130 ] || fail "SIGINT: exit $rc, want 130: $(cat "$TMP/int.err")"
si=$(last)
[ "$(sql "$DB" "select status from scans where id=$si")" = interrupted ] || fail "not marked interrupted"
sql "$DB" "select note from scans where id=$si" | grep -qF "originscan snmp --resume $si" || fail "note: how to resume"
grep -qF "continue with: originscan snmp --resume $si" "$TMP/int.err" || fail "no resume hint"
done1=$(sql "$DB" "select count(*) from targets where scan_id=$si")
[ "$done1" -gt 0 ] && [ "$done1" -lt 64 ] || fail "interrupted after $done1 targets"
[ "$(sql "$DB" "select done_below <= granted from part_resume r join scan_parts p on p.id=r.part_id where p.scan_id=$si")" = 1 ] || fail "resume point"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --resume "$si" --rate 0 $ROOM
expect_err "resuming scan $si at position"
check_complete "$si"
ok "interrupted after $done1 of 64, resumed to a complete scan"

# 4. killed outright (no chance to commit the last batch): the next open
# marks it interrupted; resuming still polls nothing twice
nid=$(($(last) + 1))
"$ORIGINSCAN" snmp --db "$DB" $ROOM --rate 40 --concurrency 4 --port $PORT $SET >/dev/null 2>&1 &
pid=$!
wait_until "scan $nid to store a target" done_some $nid
kill -KILL $pid
wait $pid 2>/dev/null || true
sk=$(last)
expect_exit 0 "$ORIGINSCAN" scans --db "$DB"
[ "$(sql "$DB" "select status from scans where id=$sk")" = interrupted ] || fail "killed scan: $(sql "$DB" "select status from scans where id=$sk")"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --resume "$sk" --rate 0 $ROOM
check_complete "$sk"
ok "killed, resumed to a complete scan"

# 5. what cannot be resumed, and how resume is asked
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --resume "$sk"
expect_err "only an interrupted or failed scan can be resumed"
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --resume "$sk" 127.0.18.64
expect_err "the targets and what to collect come from the scan"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --resume 999
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --shard 4/3 $SET
expect_err "--shard '4/3'"
ok "resume and shard errors"

# 6. the rate cap counts every packet: 20 targets x (discovery + GET) at
# 40 packets/s take about a second
t0=$(date +%s.%N)
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --system-only --rate 40 --port $PORT 127.0.18.64-83
t1=$(date +%s.%N)
python3 -c "import sys; d = $t1 - $t0; sys.exit(0 if d >= 0.85 else 'rate cap not held: %.2f s' % d)"
ok "rate cap"

# 7. progress: on a terminal only
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" $ROOM --system-only --port $PORT $SET
! grep -q $'\r' "$TMP/err" || fail "progress line without a terminal"
if command -v script >/dev/null; then
  script -qec "'$ORIGINSCAN' snmp --db '$DB' $ROOM --system-only --port $PORT $SET" /dev/null > "$TMP/tty" 2>&1 || true
  grep -q "snmp: 64/64 targets, 64 answered" "$TMP/tty" || fail "no progress line on a terminal: $(cat "$TMP/tty")"
fi
ok "progress on a terminal only"

# 8. memory follows the concurrency, not the targets: a /16 of silent
# addresses (nothing listens on 127.18.x.x) against a /22
command -v /usr/bin/time >/dev/null || skip "GNU time not installed (scripts/install-deps)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=1"
rss() {   # rss TARGET: peak KB of a silent sweep
  /usr/bin/time -f %M -o "$TMP/rss" "$ORIGINSCAN" snmp --db "$TMP/silent.db" --system-only --concurrency 1024 \
    --timeout 30 --retries 0 --rate 0 --port $PORT "$1" 2>"$TMP/err" >/dev/null || fail "silent sweep of $1: $(cat "$TMP/err")"
  cat "$TMP/rss"
}
small=$(rss 127.18.0.0/22)
big=$(rss 127.18.0.0/16)
[ "$(sql "$TMP/silent.db" "select count(*) from targets where scan_id=2 and state='unreachable'")" = 65536 ] || fail "/16 outcomes"
[ "$big" -lt $((small * 3 / 2 + 16384)) ] || fail "a /16 took ${big} KB, a /22 ${small} KB"
ok "memory: /22 ${small} KB, /16 ${big} KB at concurrency 1024"
