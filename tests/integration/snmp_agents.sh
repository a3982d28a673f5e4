# Agents for the snmp_* tests, sourced after lib.sh:
#   start_device ADDR PORT NAME   snmpsim serving tests/snmp/NAME.snmprec on
#                                 ADDR:PORT (community public), SNMPv3 engine
#                                 id from NAME.expected; one process per
#                                 device, so that each address is its device
#   start_snmpd NAME CONF         a real net-snmp snmpd with the given
#                                 configuration text (agentaddress in it)
#   wait_agent ADDR:PORT ARGS...  until it answers snmpget ARGS (or fail)
#   check_evidence DB SCAN ADDR:PORT NAME
#                                 the evidence of that target is exactly
#                                 tests/snmp/NAME.expected (engine boots and
#                                 time: present and numeric)
# Net-snmp's own configuration files stay out of the tests.
SNMPDATA="$SRCDIR/tests/snmp"
# Agents write state as they exit (snmpd its persistent files): stop them
# and wait before lib.sh removes the scratch directory.
stop_agents() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
}
trap 'stop_agents; cleanup' EXIT
export SNMPCONFPATH="$TMP/snmpconf" MIBS=
mkdir -p "$SNMPCONFPATH"
unset ORIGINSCAN_COMMUNITY

start_device() {
  local addr=$1 port=$2 name=$3 dir="$TMP/dev.$3.$1" engine user=()
  engine=$(sed -n 's/^# engine-id //p' "$SNMPDATA/$name.expected")
  mkdir -p "$dir/data" "$dir/cache"
  cp "$SNMPDATA/$name.snmprec" "$dir/data/public.snmprec"
  chmod -R a+rwX "$dir"
  [ "$(id -u)" -eq 0 ] && user=(--process-user=nobody --process-group=nogroup)
  setsid snmpsimd --data-dir="$dir/data" --cache-dir="$dir/cache" --v3-engine-id="$engine" \
    --logging-method=file:"$dir/log" "${user[@]}" --agent-udpv4-endpoint="$addr:$port" >/dev/null 2>&1 &
  PIDS+=($!)
}

start_snmpd() {
  local name=$1 dir="$TMP/snmpd.$1"
  mkdir -p "$dir/persist"
  printf '%s\n' "$2" > "$dir/snmpd.conf"
  setsid snmpd -f -C -c "$dir/snmpd.conf" -Lf "$dir/log" --persistentDir="$dir/persist" >/dev/null 2>&1 &
  PIDS+=($!)
}

wait_agent() {
  local where=$1 n; shift
  for n in $(seq 1 600); do      # up to two minutes on a busy machine
    snmpget -t 0.2 -r 0 "$@" "$where" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$TMP"/*/log >&2 2>/dev/null || true
  fail "no agent answers on $where"
}

check_evidence() {
  python3 - "$1" "$2" "$3" "$SNMPDATA/$4.expected" <<'PY'
import collections, sqlite3, sys
db, scan, where, expected = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
addr = where.rsplit(":", 1)[0]

def show(b):
    return b.decode() if b and all(0x20 <= x < 0x7f for x in b) else ("hex:" + b.hex() if b else "")

got = collections.Counter()
for kind, subj, key, val in sqlite3.connect(db).execute(
        "select subject_kind, subject, key, value from evidence where scan_id=? and source=?", (scan, where)):
    if key in ("snmp.engine-boots", "snmp.engine-time"):
        assert val.isdigit(), (key, val)
        continue
    got[(kind, "@" if kind == "ip" and subj == addr else subj, key, show(bytes(val)))] += 1
want = collections.Counter()
for line in open(expected):
    if line.startswith("#") or not line.strip():
        continue
    kind, subj, key, val = line.rstrip("\n").split("\t")
    want[(kind, subj, key, val)] += 1
if got != want:
    for r in sorted((want - got).elements()):
        print("missing: ", r, file=sys.stderr)
    for r in sorted((got - want).elements()):
        print("unwanted:", r, file=sys.stderr)
    sys.exit("evidence of %s differs from %s" % (where, expected))
print("ok: %d evidence rows of %s as expected" % (sum(got.values()), where))
PY
}
