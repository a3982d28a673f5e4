#!/usr/bin/env bash
# The bash completion (dist/originscan.bash-completion), sourced in a bash
# as bash-completion would, asked for completions at several points of a
# command line. What it offers must be what the program says: the commands
# of --help, each command's options of its --help (plus the common ones),
# the formats its usage lines name, the policies of `kb policies`.
. "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/bin"
ln -s "$ORIGINSCAN" "$TMP/bin/originscan"
touch "$TMP/nightly.conf"

# All the questions are asked in one bash that sourced the completion
# once, as an interactive shell would (so its --help cache is used, not
# refilled for each question). A wrong answer is printed, exit 1.
cat >"$TMP/ask.bash" <<'ASK'
fail() { echo "$*"; exit 1; }
source "$COMP"
complete -p originscan >/dev/null || fail "originscan has no completion registered"
want() {        # want "WORDS" LINE...: exactly these, in any order
  local w=$1; shift
  COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
  _originscan
  local got exp
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ')
  exp=$(printf '%s\n' $w | sort -u | tr '\n' ' ')
  [ "$got" = "$exp" ] || fail "completing '$*': got '$got', want '$exp'"
}
# commands, from --help
cmds=$(originscan --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ "$(echo $cmds | wc -w)" -ge 13 ] || fail "could not read the commands of --help"
want "$cmds --help --version" originscan ""
want "reattribute report" originscan re
# options: a command's own and the common ones
want "--scan --site-map" originscan reattribute --s
opts=$( (originscan report --help; originscan --help) | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
want "$opts" originscan report --
want "--syslog" originscan diff --sy
want "--db" originscan snmp --d
# formats, from the usage lines (report has two)
want "text json csv html cyclonedx netbox" originscan report --format ""
want "cyclonedx csv" originscan report --last --format c
want "text json" originscan diff --format ""
want "new-high-risk" originscan diff --fail-on ""
# policies, from the knowledge base
pols=$(originscan kb policies | awk '{print $1}')
[ "$(echo $pols | wc -w)" -ge 6 ] || fail "kb policies"
want "$pols" originscan report --policy ""
want "eu-5g-toolbox" originscan diff --policy eu
# kb subcommands; files where an option takes one
want "check" originscan kb ch
want "$TMP/nightly.conf" originscan scan -f "$TMP/night"
want "$TMP/nightly.conf" originscan report --db "$TMP/nigh"
echo "all answers right"
ASK
COMP="$SRCDIR/dist/originscan.bash-completion" TMP="$TMP" PATH="$TMP/bin:$PATH" \
  bash --norc --noprofile "$TMP/ask.bash" >"$TMP/ask.out" 2>&1 || { cat "$TMP/ask.out" >&2; fail "bash completion"; }
ok "bash completion: $(cat "$TMP/ask.out")"
