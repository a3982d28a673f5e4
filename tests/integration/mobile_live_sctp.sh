#!/usr/bin/env bash
# Live capture of SCTP-borne signalling. This kernel has no SCTP sockets,
# so no real S1AP/NGAP peer can run here; instead the frames of the
# generated capture (S1AP, NGAP, X2AP, XnAP and Diameter over SCTP, with
# several chunks per packet, IPv4 and IPv6, plus the TCP/UDP ones) are
# written onto one end of a veth pair between two namespaces this test
# creates, and `originscan capture -i` listens on the other end: the live
# path must yield exactly the facts the file path does.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
GEN="${BUILDDIR:?}/tests/mobilegen"
"$GEN" fixtures "$TMP"

. "$(dirname "$0")/mobile_lib.sh"
ns_pair l "" ""
A=$NS_A B=$NS_B VA=$IF_A VB=$IF_B

# the capture ends after exactly the frames of the file (--count; the
# duration is only a safety net): no time to guess on a busy machine
N=$(python3 - "$TMP/mobile.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off, n = 24, 0
while off + 16 <= len(data):
    off += 16 + struct.unpack_from('<IIII', data, off)[2]
    n += 1
print(n)
PY
)
ip netns exec "$B" "$ORIGINSCAN" capture --db "$TMP/live.db" --no-progress -i "$VB" --count "$N" --duration 300 \
  >"$TMP/cap.out" 2>"$TMP/cap.err" &
CAP=$!
capture_listening $CAP
# every frame of the classic pcap, as it is, out of the other end
ip netns exec "$A" python3 - "$TMP/mobile.pcap" "$VA" <<'PY'
import socket, struct, sys
data = open(sys.argv[1], 'rb').read()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[2], 0))
off, n = 24, 0
while off + 16 <= len(data):
    incl = struct.unpack_from('<IIII', data, off)[2]
    s.send(data[off + 16:off + 16 + incl])
    off += 16 + incl
    n += 1
print(n, 'frames sent')
PY
wait "$CAP" || { cat "$TMP/cap.err" >&2; fail "capture failed"; }
for p in "diameter 6" "s1ap 5" "ngap 4" "x2ap 2" "xnap 2" "sctp 13"; do
  set -- $p
  grep -Eq "^  $1 +$2 +0\$" "$TMP/cap.err" || { cat "$TMP/cap.err" >&2; fail "live: want $1 parsed $2"; }
done
sql "$TMP/live.db" "select subject_kind||'|'||subject||'|'||key||'|'||cast(value as text) from evidence
                    where (subject_kind != 'mac' and key not like 'mac%' and key != 'ip') or subject_kind = 'name'
                    order by 1" >"$TMP/live.facts"
diff -u "$SRCDIR/tests/integration/mobile_capture.expected" "$TMP/live.facts" ||
  fail "live capture facts differ from the file's"
ok "live: SCTP (and the rest) as from the file"
