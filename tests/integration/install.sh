#!/usr/bin/env bash
# cmake --install into a DESTDIR, as a Debian package build does: for
# --prefix /usr and for the default /usr/local, the tree must be exactly
# what Debian's conventions expect (binary, man page, completion, README
# and examples, systemd units), every file usable from there: the binary
# runs, the man page lints and renders, the completion completes, the
# units name the installed binary and pass systemd-analyze where it is.
. "$(dirname "$0")/lib.sh"
: "${BUILDDIR:?}"
unitdir_usr=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || true)
unitdir_usr=${unitdir_usr:-/usr/lib/systemd/system}

check_tree() {  # check_tree PREFIX UNITDIR
  local prefix=$1 unitdir=$2 root="$TMP/root$1"
  DESTDIR="$root" cmake --install "$BUILDDIR" --prefix "$prefix" >"$TMP/install.log" 2>&1 ||
    { cat "$TMP/install.log" >&2; fail "cmake --install --prefix $prefix failed"; }
  (cd "$root" && find . -type f | sed 's|^\.||' | sort) >"$TMP/got"
  sort >"$TMP/want" <<TREE
$prefix/bin/originscan
$prefix/share/man/man1/originscan.1
$prefix/share/bash-completion/completions/originscan
$prefix/share/doc/originscan/README.md
$prefix/share/doc/originscan/examples/originscan.conf
$prefix/share/doc/originscan/examples/crontab
$prefix/share/doc/originscan/examples/originscan-scan.service
$prefix/share/doc/originscan/examples/originscan-scan.timer
$unitdir/originscan-scan.service
$unitdir/originscan-scan.timer
TREE
  diff -u "$TMP/want" "$TMP/got" || fail "--prefix $prefix: the installed tree differs"
  [ -x "$root$prefix/bin/originscan" ] || fail "the binary is not executable"
  "$root$prefix/bin/originscan" --version | grep -q "^originscan " || fail "the installed binary does not run"
  # the man page as man(1) finds it
  MANPATH="$root$prefix/share/man" man -w originscan | grep -qF "$root$prefix/share/man/man1/originscan.1" ||
    fail "man does not find the installed page"
  mandoc -T lint -W style "$root$prefix/share/man/man1/originscan.1" || fail "installed man page lints"
  # the completion, loaded as bash-completion would
  local got
  got=$(PATH="$root$prefix/bin:$PATH" bash --norc --noprofile -c '
    source "$1"; COMP_WORDS=(originscan rep); COMP_CWORD=1; _originscan; echo "${COMPREPLY[*]}"' _ \
    "$root$prefix/share/bash-completion/completions/originscan")
  [ "$got" = report ] || fail "installed completion: got '$got'"
  # the units run the installed binary and link the installed README
  grep -q "^ExecStart=$prefix/bin/originscan scan " "$root$unitdir/originscan-scan.service" ||
    fail "the service does not run $prefix/bin/originscan"
  grep -q "^ExecStartPost=-$prefix/bin/originscan diff --last --syslog " "$root$unitdir/originscan-scan.service" ||
    fail "the service's diff does not go to syslog"
  grep -q "file://$prefix/share/doc/originscan/README.md" "$root$unitdir/originscan-scan.service" ||
    fail "the service's Documentation= does not name the installed README"
  if command -v systemd-analyze >/dev/null; then
    # verify checks that ExecStart's binary exists: point copies of the
    # units at the installed one
    local v="$TMP/verify$prefix"
    mkdir -p "$v"
    for u in originscan-scan.service originscan-scan.timer; do
      sed "s|$prefix/bin/originscan|$root$prefix/bin/originscan|g" "$root$unitdir/$u" >"$v/$u"
    done
    systemd-analyze verify --man=no "$v/originscan-scan.service" "$v/originscan-scan.timer" >"$TMP/verify.log" 2>&1 ||
      { cat "$TMP/verify.log" >&2; fail "systemd-analyze verify"; }
  fi
  ok "--prefix $prefix: $(wc -l <"$TMP/got") files where Debian expects them"
}
check_tree /usr "$unitdir_usr"
check_tree /usr/local /usr/local/lib/systemd/system
