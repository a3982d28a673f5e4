# A secret typed in the wrong place is never echoed: long options are
# whole words only (no prefix of --community-file), getopt's own messages
# (which print "--name=value" whole) are replaced by ours naming the option
# only, a credentials file that does not exist is not named, and a word the
# credentials file does not know is not repeated (it may be a community).
. "$(dirname "$0")/lib.sh"
DB="$TMP/s.db"
SECRET=s3cretRO
no_secret() { ! grep -q "$SECRET" "$TMP/err" || { cat "$TMP/err"; fail "$1: the secret was printed"; }; }

expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --community "$SECRET" 127.0.0.1
expect_err "unknown option '--community'"; no_secret "--community VALUE"
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --community=$SECRET 127.0.0.1
expect_err "--community-file"; no_secret "--community=VALUE"
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --communty=$SECRET 127.0.0.1
expect_err "unknown option '--communty'"; no_secret "unknown --name=VALUE"
expect_exit 64 "$ORIGINSCAN" snmp --db "$DB" --no-progress=$SECRET 127.0.0.1
expect_err "takes no value"; no_secret "flag=VALUE"
# every command shares the loop: an abbreviation of a common option is refused too
expect_exit 64 "$ORIGINSCAN" report --db "$DB" --las
expect_err "unknown option '--las'"
expect_exit 64 "$ORIGINSCAN" scans --da "$DB"
expect_err "unknown option '--da'"
[ ! -e "$DB" ] || fail "a refused command line created the database"
ok "options are whole words, values never echoed"

expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --community-file "$SECRET" 127.0.0.1
expect_err "community-file: no such file"; no_secret "--community-file SECRET"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$SECRET" 127.0.0.1
no_secret "--credentials SECRET"
printf '[core]\nversion 2c\n  %s\n' "$SECRET" > "$TMP/creds"; chmod 600 "$TMP/creds"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/creds" 127.0.0.1
expect_err "creds:3: unknown setting"; no_secret "a secret alone on a line"
printf '[core]\ncomunity %s\n' "$SECRET" > "$TMP/creds"
expect_exit 2 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/creds" 127.0.0.1
expect_err "did you mean 'community'"; no_secret "a mistyped setting"
ok "credentials files"
