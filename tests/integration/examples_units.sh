# The systemd units in examples/ are valid (systemd-analyze verify) and run
# originscan as no root: a user of their own (DynamicUser=) or a named one,
# with CAP_NET_RAW as the only capability, which originscan clears itself
# before the first packet (tests snmp_privdrop and capture_live).
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
U="$SRCDIR/examples/originscan-scan.service"
grep -qE '^(DynamicUser=yes|User=[a-z_][a-z0-9_-]*)$' "$U" || fail "the unit names no user of its own"
! grep -qE '^User=(root|0)$' "$U" || fail "the unit runs as root"
[ "$(grep -E '^(AmbientCapabilities|CapabilityBoundingSet)=' "$U" | cut -d= -f2 | sort -u)" = CAP_NET_RAW ] ||
  fail "capabilities other than CAP_NET_RAW"
grep -qE '^NoNewPrivileges=yes$' "$U" || fail "NoNewPrivileges"
for f in "$U" "$SRCDIR/examples/originscan-scan.timer"; do
  sed "s#/usr/local/bin/originscan#$ORIGINSCAN#g" "$f" > "$TMP/$(basename "$f")"
done
systemd-analyze verify --man=no "$TMP/originscan-scan.service" "$TMP/originscan-scan.timer" >"$TMP/v" 2>&1 ||
  { cat "$TMP/v"; fail "systemd-analyze verify"; }
! grep -qi 'unknown\|ignoring' "$TMP/v" || { cat "$TMP/v"; fail "systemd-analyze warns"; }
ok "the example units verify and run without root"
