# Bad input: a one-line error naming the problem, a non-zero exit, and
# nothing already stored is lost.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_snmpsim $PORT 127.0.6 "$LAB/08-juniper-mx.snmprec"
DB="$TMP/b.db"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT 127.0.6.1
before=$(sql "$DB" "select count(*) from evidence")

one_line() { [ "$(wc -l < "$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "want a one-line error"; }; }

for t in 10.0.0.300 10.0.0.5-10.0.0.1 10.0.0.0/40 "10.0.0.1:99999" "[::1" "no_such_host.invalid"; do
  expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" "$t"
  expect_err "$t"; one_line
done
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --port 0 127.0.0.1
expect_err "--port"
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB"
expect_err "no targets"
ok "targets"

expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --community-file "$TMP/missing" 127.0.6.1
expect_err "community-file: no such file"; one_line
echo secret > "$TMP/open"; chmod 644 "$TMP/open"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --community-file "$TMP/open" 127.0.6.1
expect_err "chmod 600"; one_line
! grep -q secret "$TMP/err" || fail "the secret was printed"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" -iL "$TMP/missing" 127.0.6.1
expect_err "$TMP/missing"
ok "files"

# a database that is not ours, or from a newer originscan
sqlite3 "$TMP/other.db" "create table t(x); insert into t values('keep')"
expect_exit 2 "$ORIGINSCAN" snmp --db "$TMP/other.db" --port $PORT 127.0.6.1
expect_err "not an originscan database"; one_line
[ "$(sql "$TMP/other.db" "select x from t")" = keep ] || fail "their database was changed"
echo "hello" > "$TMP/text.db"
expect_exit 2 "$ORIGINSCAN" report --db "$TMP/text.db"
expect_err "not an originscan database"
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "pragma user_version=99"
expect_exit 2 "$ORIGINSCAN" snmp --db "$TMP/newer.db" --port $PORT 127.0.6.1
expect_err "newer originscan"; one_line
sqlite3 "$TMP/newer.db" "pragma user_version=1"
[ "$(sql "$TMP/newer.db" "select count(*) from evidence")" = "$before" ] || fail "newer database changed"
expect_exit 2 "$ORIGINSCAN" report --db "$DB" --policy no-such-policy
expect_err "unknown policy"
expect_exit 2 "$ORIGINSCAN" report --db "$DB" --scan 42
expect_err "no scan 42"
expect_exit 64 "$ORIGINSCAN" report --db "$DB" --format xml
ok "databases"

# a mistyped --db: the commands that read stored scans say it does not
# exist and create nothing (an empty file is not a database either)
for cmd in "report" "diff --last" "scans" "show 127.0.6.1" "prune --keep 1" "reattribute" "snmp --resume 1"; do
  expect_exit 2 "$ORIGINSCAN" $cmd --db "$TMP/typo.db"
  expect_err "$TMP/typo.db: no such database"; one_line
  [ ! -e "$TMP/typo.db" ] || fail "'$cmd' created $TMP/typo.db"
done
: >"$TMP/empty.db"
expect_exit 2 "$ORIGINSCAN" scans --db "$TMP/empty.db"
expect_err "empty: no originscan database there"
[ ! -s "$TMP/empty.db" ] || fail "scans wrote into an empty file"
ok "a mistyped --db is said, not created"

# usage errors: the line that matters and where to read more, not the
# whole help; and every word a usage line offers works
for args in "snmp --timeout x 127.0.0.1" "snmp --shard 3/2 127.0.0.1" "snmp --resume 1 127.0.0.1" \
            "snmp --allow-changed-files 127.0.0.1" "kb" "kb nope" "scan" "report --format xml" "scans x" "show" \
            "prune" "reattribute x" "identify" "neigh x" "demo x"; do
  expect_exit 64 "$ORIGINSCAN" $args --db "$DB"
  one_line
  grep -qF -- "--help" "$TMP/err" || { cat "$TMP/err"; fail "'$args': no word of --help"; }
done
expect_exit 64 "$ORIGINSCAN"
one_line
words=$("$ORIGINSCAN" kb --help | sed -n 's/^usage: originscan kb //p' | tr -d '|')
[ -n "$words" ] || fail "kb usage line"
for w in $words; do
  expect_exit 0 "$ORIGINSCAN" kb "$w"
  [ -s "$TMP/out" ] || fail "kb $w printed nothing"
done
expect_exit 0 "$ORIGINSCAN" kb countries
grep -qE '^CN +China +.*national-intelligence-law=yes' "$TMP/out" || { cat "$TMP/out"; fail "kb countries"; }
for f in text json csv html cyclonedx; do expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format $f; done
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format netbox -o "$TMP/netbox"
for f in text json; do expect_exit 0 "$ORIGINSCAN" scans --db "$DB" --format $f; done
ok "usage errors in one line; every offered word works"

# a full disk: a small tmpfs holding a database with one scan, filled to
# leave less and less room. Every run must fail cleanly (exit 2, saying the
# disk is full) or succeed, and the first scan must always survive; across
# the runs the disk must fill both before the scan can start and during it.
# A scan that could not even record its end is found 'running' and marked
# interrupted by the next run, never complete.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  mkdir -p "$TMP/small"
  cat > "$TMP/full.sh" <<SH
set -e
for free in 0 16 32 48 64 80 96 128; do
  mount -t tmpfs -o size=600k tmpfs "$TMP/small"
  cp "$DB" "$TMP/small/f.db"
  dd if=/dev/zero of="$TMP/small/fill" bs=4k 2>/dev/null || true
  [ \$free -gt 0 ] && truncate -s -\${free}k "$TMP/small/fill"
  set +e
  "$ORIGINSCAN" snmp --db "$TMP/small/f.db" --port $PORT 127.0.6.1 127.0.7.0/24 --timeout 200 --retries 0 \
    --concurrency 256 --rate 0 >/dev/null 2>"$TMP/err.\$free"
  # with room again, the next run marks a scan left 'running' interrupted
  echo "\$free \$? \$(rm -f "$TMP/small/fill"; "$ORIGINSCAN" scans --db "$TMP/small/f.db" >/dev/null; \
    sqlite3 "$TMP/small/f.db" \
    "select count(*) from evidence where scan_id=1; select coalesce((select status from scans where id=2),'none')" | tr '\n' ' ')"
  set -e
  umount "$TMP/small"
done > "$TMP/full.out"
SH
  if unshare -m bash "$TMP/full.sh"; then
    cat "$TMP/full.out"
    open_fail=0; mid_fail=0
    while read -r free rc kept status; do
      [ "$kept" = "$before" ] || fail "full disk ($free KiB free): the earlier scan lost evidence"
      case "$rc:$status" in
        0:complete) ;;
        2:none) open_fail=1; grep -q "disk is full" "$TMP/err.$free" || fail "full disk: no reason given" ;;
        2:failed|2:interrupted) mid_fail=1; grep -q "full" "$TMP/err.$free" || fail "full disk: no reason given" ;;
        *) cat "$TMP/err.$free"; fail "full disk ($free KiB free): exit $rc, scan $status" ;;
      esac
    done < "$TMP/full.out"
    [ $open_fail = 1 ] && [ $mid_fail = 1 ] || fail "full disk: did not hit both cases (see above)"
    ok "full disk"
  else
    echo "note: could not mount a tmpfs here; full-disk case not run" >&2
  fi
else
  echo "note: not root; full-disk case not run" >&2
fi
