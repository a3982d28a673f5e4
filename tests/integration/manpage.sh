#!/usr/bin/env bash
# The man page: Debian's mandoc lints it without a single message (errors,
# warnings and style alike), and it is true to --help in both directions
# (manpage_check.py). The check must be able to fail: a copy of the page
# without one option, and with an option no --help names, is refused.
. "$(dirname "$0")/lib.sh"
PAGE="$SRCDIR/dist/originscan.1"
command -v mandoc >/dev/null || fail "mandoc is not installed (scripts/install-deps)"
mandoc -T lint -W style "$PAGE" >"$TMP/lint" 2>&1 || true
[ ! -s "$TMP/lint" ] || { cat "$TMP/lint" >&2; fail "mandoc -T lint has something to say"; }
ok "mandoc -T lint: nothing to say"
expect_exit 0 python3 "$SRCDIR/tests/integration/manpage_check.py" "$ORIGINSCAN" "$PAGE"
cat "$TMP/out"

grep -v -- 'Fl -syslog' "$PAGE" >"$TMP/less.1"
expect_exit 1 python3 "$SRCDIR/tests/integration/manpage_check.py" "$ORIGINSCAN" "$TMP/less.1"
expect_out "diff: --syslog is in 'diff --help' but not in the man page"
sed 's/^\.It Fl -keep-lab$/.It Fl -keep-lab\n.It Fl -made-up/' "$PAGE" >"$TMP/more.1"
expect_exit 1 python3 "$SRCDIR/tests/integration/manpage_check.py" "$ORIGINSCAN" "$TMP/more.1"
expect_out "demo: --made-up is in the man page but not in 'demo --help'"
ok "the man page is true to --help"
