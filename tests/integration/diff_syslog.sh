#!/usr/bin/env bash
# diff --syslog: two scans of real agents (snmpsim on loopback), the second
# adding high-risk devices, one of them hostile (quotes, ], \, control
# bytes in its chassis serial, hence its identity). The test listens on its own unix datagram socket
# (ORIGINSCAN_SYSLOG_SOCKET) and parses what arrives as RFC 5424: a
# summary whose structured data has the scan ids and the counts of the
# JSON diff, and one message per new high-risk device naming it, its
# strings escaped so that they come back exactly. With no socket, the
# diff fails with a clear error (exit 2).
. "$(dirname "$0")/lib.sh"
python3 - "$TMP/hostile.snmprec" <<'PY'
import sys
ENT = "1.3.6.1.2.1.47.1.1.1.1"
rows = [
    ("1.3.6.1.2.1.1.1.0", "4", "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.180 (NE40E V800R011C00SPC100)"),
    ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.2011.2.62.2.9"),
    (f"{ENT}.2.1", "4", "chassis"),
    (f"{ENT}.4.1", "2", "0"),
    (f"{ENT}.5.1", "2", "3"),
    (f"{ENT}.11.1", "4x", b'S"]\\\x01 x'.hex()),
    (f"{ENT}.12.1", "4", "Huawei"),
    (f"{ENT}.13.1", "4x", b'NE40E"]\\\x07\x1b[2J]x'.hex()),
]
with open(sys.argv[1], "w") as f:
    for r in rows:
        f.write("|".join(r) + "\n")
PY
PORT=$(free_port)
start_snmpsim $PORT 127.0.24 "$LAB"/0[1-8]-*.snmprec "$TMP/hostile.snmprec"
export ORIGINSCAN_DB="$TMP/s.db"
scan() { expect_exit 0 "$ORIGINSCAN" snmp --port $PORT --timeout 5000 --retries 1 "$@"; }
scan 127.0.24.5-127.0.24.8              # Nokia, Ericsson, Cisco, Juniper
scan 127.0.24.1-127.0.24.9              # + Huawei x2, ZTE x2, the hostile Huawei
expect_exit 1 "$ORIGINSCAN" diff 1 2 --any-scope --format json -o "$TMP/diff.json"

python3 - "$ORIGINSCAN" "$TMP" <<'PY'
import json, os, re, socket, subprocess, sys
exe, T = sys.argv[1], sys.argv[2]
path = f"{T}/log.sock"
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
env = dict(os.environ, ORIGINSCAN_SYSLOG_SOCKET=path)
p = subprocess.run([exe, "diff", "1", "2", "--any-scope", "--syslog"], env=env, capture_output=True, text=True)
assert p.returncode == 1, (p.returncode, p.stderr)
assert "New high-risk devices" in p.stdout, p.stdout       # the text still goes to stdout
s.setblocking(False)
msgs = []
while True:
    try:
        msgs.append(s.recv(65536))
    except BlockingIOError:
        break

HDR = re.compile(rb'^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) ')
def sd(b):
    """Parse one SD-ELEMENT as RFC 5424 writes it: [ID name="value"...]."""
    assert b[:1] == b"[", b
    i, out = 1, {}
    j = b.index(b" ", i)
    sdid = b[i:j].decode()
    i = j
    while b[i:i + 1] == b" ":
        j = b.index(b"=", i)
        name = b[i + 1:j].decode()
        assert re.fullmatch(r'[!-~]{1,32}', name) and not set(name) & set('= ]"'), name
        assert b[j + 1:j + 2] == b'"'
        k, val = j + 2, bytearray()
        while b[k:k + 1] != b'"':
            if b[k:k + 1] == b"\\" and b[k + 1:k + 2] in (b'"', b"\\", b"]"):
                k += 1
            else:
                assert b[k:k + 1] not in (b'"', b"]"), ("unescaped", b[k:k + 1], b)
            val += b[k:k + 1]
            k += 1
        out[name] = val.decode()
        i = k + 1
    assert b[i:i + 1] == b"]", b[i:]
    return sdid, out, b[i + 2:].decode()

parsed = []
for m in msgs:
    h = HDR.match(m)
    assert h, m
    assert b"\n" not in m and b"\r" not in m and not any(c < 0x20 for c in m), m
    pri, msgid = int(h.group(1)), h.group(6).decode()
    assert h.group(4) == b"originscan" and h.group(5).isdigit(), m
    sdid, params, text = sd(m[h.end():])
    parsed.append((pri, msgid, sdid, params, text))

d = json.load(open(f"{T}/diff.json"))
summ = [x for x in parsed if x[1] == "diff"]
assert len(summ) == 1, parsed
pri, _, sdid, sp, text = summ[0]
assert pri == 1 * 8 + 5 and sdid == "diff@32473", summ
assert (sp["old_scan"], sp["new_scan"], sp["policy"]) == ("1", "2", "default"), sp
assert int(sp["added"]) == len(d["added"]) == 5, (sp, len(d["added"]))
assert int(sp["new_high_risk"]) == d["summary"]["new_high_risk"] == 5, sp
assert int(sp["removed"]) == 0 and "scan 1 -> scan 2" in text, text
devs = [x for x in parsed if x[1] == "new-high-risk"]
assert len(devs) == 5 and all(x[0] == 8 + 4 and x[2] == "device@32473" for x in devs), devs
def esc(t): return "".join(c if ord(c) >= 0x20 and ord(c) != 0x7f else "\\x%02x" % ord(c) for c in t)
want = {esc(a["identity"]) for a in d["added"] if a["high_risk"]}
assert {x[3]["identity"] for x in devs} == want, ({x[3]["identity"] for x in devs}, want)
hostile = [x for x in devs if x[3]["address"] == "127.0.24.9"]
assert len(hostile) == 1, devs
hp = hostile[0][3]
assert hp["identity"] == 'serial:huawei:S"]\\\\x01 x', repr(hp["identity"])
dm = [a for a in d["added"] if a["address"] == "127.0.24.9"][0]["model"]
assert hp["model"] == esc(dm), (repr(hp["model"]), repr(dm))
assert (hp["vendor"], hp["old_scan"], hp["new_scan"], hp["how"]) == ("huawei", "1", "2", "added"), hp
print(f"ok: {len(parsed)} RFC 5424 messages: summary and {len(devs)} new high-risk devices")
PY

# no socket there: a clear error, exit 2
ORIGINSCAN_SYSLOG_SOCKET="$TMP/nobody.sock" expect_exit 2 "$ORIGINSCAN" diff 1 2 --any-scope --syslog
expect_err "cannot reach the syslog socket $TMP/nobody.sock"
ok "diff --syslog"
