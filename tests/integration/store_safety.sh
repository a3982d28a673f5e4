# What must never lose or fake data (issue 11, items 1-6): commands that
# write verdicts or prune never touch a running scan; a failed UDP send is
# one target's outcome, not a crash; a schema version that is not ours is
# refused; -o never overwrites the database and replaces a report only
# when the new one is whole; two processes may create one database at
# once; a damaged database is not trusted.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.8 "$LAB/05-nokia-7750.snmprec" "$LAB/07-cisco-asr9k.snmprec"
DB="$TMP/s.db"

# a complete scan to protect, then a long one (a /22 of silent addresses,
# slowly) during which the other commands are tried
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT 127.0.8.1 127.0.8.2
"$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 300 --retries 0 --rate 30 \
  127.0.8.1 127.0.8.2 127.0.12.0/22 2>"$TMP/long.err" &
long=$!
scan_running "$DB" 2
expect_exit 2 "$ORIGINSCAN" reattribute --db "$DB"
expect_err "scan 2 is still running"
expect_exit 2 "$ORIGINSCAN" reattribute --db "$DB" --scan 2
expect_exit 0 "$ORIGINSCAN" prune --db "$DB" --keep 1
st=$(sql "$DB" "select status from scans where id=2")
[ "$st" = running ] || fail "the running scan became $st while another command ran"
[ "$(sql "$DB" "select count(*) from scans where id=1 and status='complete'")" = 1 ] \
  || fail "prune deleted the only complete scan while another ran"
[ "$(sql "$DB" "select count(*) from devices where scan_id=1")" -ge 2 ] || fail "scan 1 lost its devices"
[ "$(sql "$DB" "select count(*) from devices where scan_id=2")" = 0 ] || fail "verdicts written into a running scan"
# only its own collector ends it
kill -TERM $long
set +e; wait $long; r=$?; set -e
[ $r = 130 ] || { cat "$TMP/long.err"; fail "the long scan exited $r"; }
[ "$(sql "$DB" "select status from scans where id=2")" = interrupted ] || fail "the long scan is not interrupted"
expect_exit 0 "$ORIGINSCAN" reattribute --db "$DB" --scan 2
ok "running scans untouched"

# a send that fails (no route in a namespace with loopback down): that
# target's outcome, never a double free; an absurd community is refused
if ip netns add "os11nr$$" 2>/dev/null; then
  trap 'ip netns del "os11nr$$" 2>/dev/null; cleanup' EXIT
  expect_exit 0 ip netns exec "os11nr$$" "$ORIGINSCAN" snmp --db "$TMP/nr.db" --timeout 200 --retries 0 127.0.0.1
  [ "$(sql "$TMP/nr.db" "select state from targets")" = unreachable ] || fail "no route: not unreachable"
  ok "failed send"
else
  echo "note: cannot create network namespaces; the no-route case was not run" >&2
fi
python3 -c 'print("c" * 65397)' > "$TMP/long.community"; chmod 600 "$TMP/long.community"
expect_exit 2 "$ORIGINSCAN" snmp --db "$TMP/lc.db" --community-file "$TMP/long.community" --timeout 200 \
  --retries 0 127.0.8.1
expect_err "community"
ok "long community"

# schema versions that are not ours: refused, nothing run
for v in -2147483648 -1 -7 2147483647; do
  cp "$DB" "$TMP/v.db"
  sqlite3 "$TMP/v.db" "pragma user_version=$v"
  expect_exit 2 "$ORIGINSCAN" scans --db "$TMP/v.db"
  expect_err "v.db"
done
sqlite3 "$TMP/foreign.db" "pragma user_version=2"
expect_exit 2 "$ORIGINSCAN" scans --db "$TMP/foreign.db"
ok "schema versions"

# -o onto the database or its files: refused, the database intact
scans=$(sql "$DB" "select count(*) from scans")
for o in "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$TMP/./s.db"; do
  expect_exit 2 "$ORIGINSCAN" report --db "$DB" -o "$o"
  expect_err "that is the database"
  expect_exit 2 "$ORIGINSCAN" diff --db "$DB" --last -o "$o"
done
ln -s "$DB" "$TMP/link.db"
expect_exit 2 "$ORIGINSCAN" report --db "$DB" -o "$TMP/link.db"
[ "$(sql "$DB" "select count(*) from scans")" = "$scans" ] || fail "-o damaged the database"
# a report replaced whole or not at all
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format json -o "$TMP/r.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/r.json"
cp "$TMP/r.json" "$TMP/r.before"
expect_exit 2 "$ORIGINSCAN" report --db "$DB" --scan 99 --format json -o "$TMP/r.json"
cmp -s "$TMP/r.json" "$TMP/r.before" || fail "a failed report changed the previous one"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  # part-way: a tmpfs too small for the new report
  mkdir -p "$TMP/tiny"
  cat > "$TMP/tiny.sh" <<SH
mount -t tmpfs -o size=8k tmpfs "$TMP/tiny" || exit 77
echo '{"old": true}' > "$TMP/tiny/r.html"
"$ORIGINSCAN" report --db "$DB" --format html -o "$TMP/tiny/r.html" 2>"$TMP/tiny.err"
echo "rc \$? \$(cat "$TMP/tiny/r.html") \$(ls -A "$TMP/tiny" | wc -l)"
umount "$TMP/tiny"
SH
  set +e; unshare -m bash "$TMP/tiny.sh" > "$TMP/tiny.out"; r=$?; set -e
  if [ $r = 77 ]; then
    echo "note: cannot mount a tmpfs; the part-way case was not run" >&2
  else
    [ "$(cat "$TMP/tiny.out")" = 'rc 2 {"old": true} 1' ] \
      || { cat "$TMP/tiny.out" "$TMP/tiny.err"; fail "a report that failed part-way changed or left files"; }
  fi
fi
ok "output files"

# two processes creating one database at once, 20 times (neigh: a
# collector, which creates its database; it only reads netlink)
for i in $(seq 1 20); do
  "$ORIGINSCAN" neigh --db "$TMP/c$i.db" >/dev/null 2>"$TMP/c$i.a" & a=$!
  "$ORIGINSCAN" neigh --db "$TMP/c$i.db" >/dev/null 2>"$TMP/c$i.b" & b=$!
  wait $a || { cat "$TMP/c$i.a"; fail "concurrent creation $i: the first failed"; }
  wait $b || { cat "$TMP/c$i.b"; fail "concurrent creation $i: the second failed"; }
done
ok "concurrent creation"

# a damaged database: the recorded count disagrees with what reads back,
# or the file is garbled. Verdicts stay as they were.
cp "$DB" "$TMP/d.db"
before=$(sql "$TMP/d.db" "select count(*) from devices where scan_id=2")
sql "$TMP/d.db" "update scans set n_evidence=n_evidence+7 where id=2" >/dev/null
expect_exit 2 "$ORIGINSCAN" reattribute --db "$TMP/d.db" --scan 2
expect_err "the database is damaged"
[ "$(sql "$TMP/d.db" "select count(*) from devices where scan_id=2")" = "$before" ] || fail "verdicts replaced"
cp "$DB" "$TMP/g.db"
sql "$TMP/g.db" "pragma wal_checkpoint(truncate)" >/dev/null
# 512 random bytes over the start (header, cell pointers) of a page in the
# middle of scan 1's evidence
page=$(sql "$TMP/g.db" "select pageno from dbstat where name='evidence' and pagetype='leaf' order by pageno" \
  | awk '{p[NR]=$1} END {print p[int((NR+1)/2)]}')
psize=$(sql "$TMP/g.db" "pragma page_size")
[ -n "$page" ] || fail "no evidence page found"
python3 - "$TMP/g.db" "$page" "$psize" <<'PY'
import random, sys
path, page, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(11)
with open(path, "r+b") as f:
    f.seek(size * (page - 1))
    f.write(bytes(rnd.randrange(256) for _ in range(512)))
PY
before=$(sql "$TMP/g.db" "select count(*) || ' ' || group_concat(vendor) from devices where scan_id=1")
set +e; "$ORIGINSCAN" reattribute --db "$TMP/g.db" --scan 1 2>"$TMP/g.err"; r=$?; set -e
[ $r = 2 ] || { cat "$TMP/g.err"; fail "a garbled database was reattributed (exit $r)"; }
grep -qi "damaged\|malformed\|corrupt" "$TMP/g.err" || { cat "$TMP/g.err"; fail "no reason given"; }
[ "$(sql "$TMP/g.db" "select count(*) || ' ' || group_concat(vendor) from devices where scan_id=1")" = "$before" ] \
  || fail "verdicts of a garbled database replaced"
ok "damaged database"
