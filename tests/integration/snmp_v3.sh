# SNMPv3 against a real net-snmp snmpd that speaks nothing else (no
# community): unauthenticated engine discovery, the credentials file
# (mode, format, errors), every security level with SHA-1/SHA-2 and
# MD5, AES-128/192/256 and DES, credentials tried in order with the one
# that worked stored by name, two addresses of one engine, net-snmp's
# snmp.conf defaults -- and no secret in the database, the output, the
# errors or the process list.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_agents.sh"
PORT=$(free_port)
A=127.0.18.3 B=127.0.18.4
# the secrets, each unique so that any leak is found
S_A256=authsecret-a256-7Hq S_P256=privsecret-a256-9Kz S_SHA1=authsecret-sha1-2Lp S_AES=privsecret-aes-4Mn
S_A192=authsecret-a192-5Qr S_P192=privsecret-a192-8Tv S_S512=authsecret-s512-1Wx S_MD5=authsecret-md5-6Yb
S_DES=privsecret-des-3Zc S_COMM=community-secret-0Jd S_BAD=wrong-authsecret-8Gf S_NOU=nosuchuser-secret-5Ee
SECRETS="$S_A256 $S_P256 $S_SHA1 $S_AES $S_A192 $S_P192 $S_S512 $S_MD5 $S_DES $S_COMM $S_BAD $S_NOU"
V6=""
ip -6 addr show dev lo 2>/dev/null | grep -q "inet6 ::1/" && V6=",udp6:[::1]:$PORT"
start_snmpd v3 "agentaddress udp:$A:$PORT,udp:$B:$PORT$V6
engineID os-snmp-v3-test
createUser a256 SHA-256 \"$S_A256\" AES-256 \"$S_P256\"
createUser sha1 SHA \"$S_SHA1\" AES \"$S_AES\"
createUser a192c SHA-256 \"$S_A192\" AES-192-C \"$S_P192\"
createUser s512 SHA-512 \"$S_S512\"
createUser md5des MD5 \"$S_MD5\" DES \"$S_DES\"
createUser plain
rouser a256 priv
rouser sha1 priv
rouser a192c priv
rouser s512 auth
rouser md5des priv
rouser -s usm plain noauth
sysDescr Juniper Networks, Inc. mx204 internet router, kernel JUNOS 21.2R3-S2.9, Build date: 2022-09-27 20:18:43 UTC Copyright (c) 1996-2022 Juniper Networks, Inc.
sysObjectID 1.3.6.1.4.1.2636.1.1.1.2.143
sysName core1-mx204.lab
sysLocation Lab rack D1
sysContact noc@v3.lab"
wait_agent $A:$PORT -v3 -l noAuthNoPriv -u plain
DB="$TMP/v3.db"
creds() {   # creds FILE: stdin to FILE, mode 0600
  cat > "$1"; chmod 600 "$1"
}

# 1. the credentials file must be ours alone
printf '[a256]\nuser a256\nauth SHA-256\nauthpass %s\npriv AES-256\nprivpass %s\n' "$S_A256" "$S_P256" > "$TMP/open.creds"
chmod 644 "$TMP/open.creds"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/open.creds" $A:$PORT
expect_err "open.creds: readable by others (mode 644); run chmod 600 $TMP/open.creds"
if [ "$(id -u)" -eq 0 ]; then
  chmod 600 "$TMP/open.creds"; chown nobody "$TMP/open.creds"
  expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/open.creds" $A:$PORT
  expect_err "belongs to another user"
fi
[ ! -e "$DB" ] || [ "$(sql "$DB" "select count(*) from scans")" = 0 ] || fail "a scan started with a bad file"
# format errors name the file, line and setting -- never the secret
creds "$TMP/short.creds" <<EOF
[a256]
user a256
auth SHA-256
authpass short7x
EOF
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/short.creds" $A:$PORT
expect_err "short.creds:1: [a256]: authpass is shorter than 8 characters"
! grep -q short7x "$TMP/err" || fail "the passphrase is in the error"
creds "$TMP/bad.creds" <<EOF
[x]
user a256
auth SHA-999
authpass $S_A256
EOF
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/bad.creds" $A:$PORT
expect_err "auth 'SHA-999': name the protocol"
printf '[x]\ncommunity %s\nuser a256\n' "$S_COMM" | creds "$TMP/mixed.creds"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/mixed.creds" $A:$PORT
expect_err "[x]: an SNMPv3 credential has no community"
printf 'community %s\n' "$S_COMM" | creds "$TMP/noname.creds"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/noname.creds" $A:$PORT
expect_err "noname.creds:1: 'community' before the first [name]"
! grep -q "$S_COMM" "$TMP/err" || fail "the community is in the error"
ok "credentials file checks"

# 2. tried in order; the one that worked is stored by name. Both addresses
# are one engine: the wrong key and the right one for user a256 are never
# in net-snmp's user table at once.
creds "$TMP/all.creds" <<EOF
# v2c first: snmpd ignores it (no community configured)
[wrong-community]
version 2c
community $S_COMM

[nobody]
user nosuchuser
level authPriv
auth SHA-256
authpass "$S_NOU"
priv AES
privpass "$S_NOU"

[wrong-key]
defSecurityName a256
defSecurityLevel authPriv
defAuthType SHA-256
defAuthPassphrase $S_BAD
defPrivType AES-256
defPrivPassphrase $S_P256

[core-v3]
version 3
user a256
auth SHA-256
authpass $S_A256
priv AES-256
privpass $S_P256
EOF
# the process list is read while the scan runs: the database's write lock
# is held meanwhile, so the scan (its credentials read) waits in its first
# write, alive, however fast or slow the machine
coproc LOCK { python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
c.execute("COMMIT")' "$DB"; }
read -r _ <&"${LOCK[0]}"
"$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/all.creds" --timeout 3000 --retries 0 -v -v $A $B --port $PORT \
  >"$TMP/out.1" 2>"$TMP/err.1" &
pid=$!
wait_until "the scan in the process list" grep -qa -- "--credentials" /proc/$pid/cmdline
tr '\0' ' ' < /proc/$pid/cmdline > "$TMP/cmdline"
echo >&"${LOCK[1]}"
wait $pid || fail "v3 scan exited $?: $(cat "$TMP/err.1")"
grep -q "2 answered, 0 unreachable" "$TMP/err.1" || fail "v3 scan: $(cat "$TMP/err.1")"
[ "$(sql "$DB" "select group_concat(address||'='||state||'/'||credential, ' ') from (select * from targets where scan_id=1 order by address)")" \
  = "$A=answered/core-v3 $B=answered/core-v3" ] || fail "credential stored: $(sql "$DB" "select * from targets")"
[ "$(sql "$DB" "select request like '%\"credentials\":[\"wrong-community\",\"nobody\",\"wrong-key\",\"core-v3\"]%' from scans where id=1")" = 1 ] \
  || fail "the request does not name the credentials"
ENGINE=80001f8804$(printf os-snmp-v3-test | od -An -tx1 | tr -d ' \n')
for t in $A $B; do
  [ "$(sql "$DB" "select lower(hex(value)) from evidence where scan_id=1 and subject='$t' and key='snmp.engine-id'")" = "$ENGINE" ] \
    || fail "engine id of $t"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='snmp.engine-boots'")" = 1 ] || fail "boots"
  et=$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='snmp.engine-time'")
  [ "$et" -ge 0 ] && [ "$et" -lt 120 ] || fail "engine time $et"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='sysName'")" = core1-mx204.lab ] || fail "sysName"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='sysObjectID'")" = 1.3.6.1.4.1.2636.1.1.1.2.143 ] \
    || fail "sysObjectID"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='sysLocation'")" = "Lab rack D1" ] || fail "sysLocation"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='sysContact'")" = noc@v3.lab ] || fail "sysContact"
  sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='sysDescr'" | grep -q "^Juniper Networks, Inc. mx204" \
    || fail "sysDescr"
  # snmpd's own tables, walked with authPriv GETBULKs
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='ifDescr.1'")" = lo ] || fail "ifDescr.1"
  [ "$(sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='ifType.1'")" = 24 ] || fail "ifType.1"
  sql "$DB" "select value from evidence where scan_id=1 and subject='$t' and key='snmp.tables'" | grep -q "^entPhysicalTable=0 ifTable=[1-9]" \
    || fail "tables of $t"
done
[ "$(sql "$DB" "select vendor from devices where scan_id=1 and address='$A'")" = juniper ] || fail "attribution"
ok "credentials in order, engine discovery, authPriv walks"

# 3. every level and protocol, each alone
level() {   # level NAME USER AUTH AUTHPASS [PRIV PRIVPASS]
  { printf '[%s]\nuser %s\n' "$1" "$2"
    [ -n "${3:-}" ] && printf 'auth %s\nauthpass %s\n' "$3" "$4"
    [ -n "${5:-}" ] && printf 'priv %s\nprivpass %s\n' "$5" "$6"
    true; } | creds "$TMP/$1.creds"
  expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/$1.creds" --system-only $A:$PORT
  expect_err "1 answered"
  [ "$(sql "$DB" "select credential from targets where scan_id=(select max(id) from scans)")" = "$1" ] || fail "level $1"
}
level sha1-aes128 sha1 SHA "$S_SHA1" AES "$S_AES"
level sha256-aes192c a192c SHA-256 "$S_A192" AES-192-C "$S_P192"
level sha512-authnopriv s512 SHA-512 "$S_S512"
level md5-des md5des MD5 "$S_MD5" DES "$S_DES"
level noauthnopriv plain
ok "noAuthNoPriv, authNoPriv, authPriv; SHA-1, SHA-256, SHA-512, MD5; AES-128, AES-192-C, AES-256, DES"

# over IPv6 too (the same engine, its own socket)
if [ -n "$V6" ]; then
  expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/all.creds" --timeout 3000 --retries 0 "[::1]:$PORT"
  expect_err "1 answered"
  [ "$(sql "$DB" "select address||'='||credential from targets where scan_id=(select max(id) from scans)")" = "::1=core-v3" ] \
    || fail "IPv6 target"
  [ "$(sql "$DB" "select count(*) from evidence where scan_id=(select max(id) from scans) and subject='::1'
                  and key in ('snmp.engine-id','sysName','ifDescr.1')")" = 3 ] || fail "IPv6 evidence"
  ok "IPv6"
fi

# 4. an agent that answers but accepts none: refused, with why, by name
creds "$TMP/none.creds" <<EOF
[wrong-community]
community $S_COMM
[nobody]
user nosuchuser
auth SHA-256
authpass $S_NOU
[wrong-key]
user a256
auth SHA-256
authpass $S_BAD
priv AES-256
privpass $S_P256
EOF
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/none.creds" --timeout 3000 --retries 0 -v $A:$PORT
expect_err "0 answered, 0 unreachable, 0 errors, 1 refused"
# said at once: a warning even without -v (cron mails it), the reason per target with -v
expect_err "1 target answered but accepted none of the credentials; the reasons per credential are in 'originscan report --scan"
expect_err "$A: refused: no credential accepted: wrong-community no reply; nobody unknown user; wrong-key wrong authentication key"
! grep -qE "$S_COMM|$S_NOU|$S_BAD|$S_P256" "$TMP/err" || fail "-v printed a secret"
[ "$(sql "$DB" "select state||'|'||detail from targets where scan_id=(select max(id) from scans)")" \
  = "refused|no credential accepted: wrong-community no reply; nobody unknown user; wrong-key wrong authentication key" ] \
  || fail "refused: $(sql "$DB" "select * from targets where scan_id=(select max(id) from scans)")"
# still identified: the engine id needs no credential
[ "$(sql "$DB" "select lower(hex(value)) from evidence where scan_id=(select max(id) from scans) and key='snmp.engine-id'")" = "$ENGINE" ] \
  || fail "engine id without credentials"
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format json -o "$TMP/refused.json"
python3 - "$TMP/refused.json" "$A" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); s = r["summary"]
assert (s["refused"], s["target_errors"]) == (1, 0), s
why = "no credential accepted: wrong-community no reply; nobody unknown user; wrong-key wrong authentication key"
assert r["problem_targets"] == [{"address": sys.argv[2], "state": "refused", "detail": why}], r["problem_targets"]
dev = [d for d in r["devices"] if d["address"] == sys.argv[2]]
assert dev and dev[0]["poll"] == {"state": "refused", "detail": why}, dev
PY
# every format says which target refused and why
expect_exit 0 "$ORIGINSCAN" report --db "$DB"
expect_out "Targets that refused our credentials (1) or failed (0), and why"
expect_out "  $A  refused: no credential accepted: wrong-community no reply; nobody unknown user; wrong-key wrong authentication key"
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format csv -o "$TMP/refused.csv"
python3 - "$TMP/refused.csv" "$A" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["address"] == sys.argv[2]]
assert rows and rows[0]["poll_state"] == "refused" and "wrong-key wrong authentication key" in rows[0]["poll_detail"], rows
PY
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --format html -o "$TMP/refused.html"
grep -qF '<h2 id="refused">Targets that refused our credentials (1)' "$TMP/refused.html" || fail "html: no refused section"
grep -qF 'nobody unknown user; wrong-key wrong authentication key' "$TMP/refused.html" || fail "html: no reason"
ok "refused, identified by engine id, reported with the reasons"

# 5. net-snmp's snmp.conf defaults, when no credential is given
cat > "$SNMPCONFPATH/snmp.conf" <<EOF
defVersion 3
defSecurityName a256
defSecurityLevel authPriv
defAuthType SHA-256
defAuthPassphrase $S_A256
defPrivType AES-256
defPrivPassphrase $S_P256
EOF
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --system-only $A:$PORT
expect_err "1 answered"
[ "$(sql "$DB" "select credential from targets where scan_id=(select max(id) from scans)")" = snmp.conf ] || fail "snmp.conf"
rm "$SNMPCONFPATH/snmp.conf"
ok "snmp.conf defaults"

# 6. no secret anywhere: database (and its journal), output, errors, argv
sqlite3 "$DB" "pragma wal_checkpoint(truncate)" >/dev/null
for s in $SECRETS; do
  for f in "$DB"* "$TMP/out.1" "$TMP/err.1" "$TMP/cmdline" "$TMP/out" "$TMP/err"; do
    [ -e "$f" ] || continue
    ! grep -qaF -- "$s" "$f" || fail "secret $s found in $f"
  done
done
grep -q "originscan" "$TMP/cmdline" || fail "the process list was not read"
ok "no secret stored, printed or on the command line"
