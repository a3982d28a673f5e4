# Full inventory from simulated devices on loopback (snmpsim serving the
# recordings in tests/snmp/): every collected field checked in the store,
# over GETBULK (v2c) and GETNEXT (v1); a broken agent (looping OIDs, a
# missing table, genErr and noSuchObject inside walks) keeps what came
# before each fault and records the problems; the devices and components
# attribution makes of it (a Huawei optic inside a Cisco chassis, LLDP
# neighbours, ARP and bridge MACs as devices of their own).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_agents.sh"
PORT=$(free_port)
CISCO=cisco-asr1001x-huawei-optic
start_device 127.0.18.1 $PORT $CISCO
start_device 127.0.18.2 $PORT broken-agent
wait_agent 127.0.18.1:$PORT -v2c -c public
wait_agent 127.0.18.2:$PORT -v2c -c public
DB="$TMP/inv.db"

# 1. v2c, GETBULK walks: both devices, every field
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT --timeout 1500 127.0.18.1-2
expect_err "2 answered, 0 unreachable"
expect_err "2 engine ids, 4 walk problems"
check_evidence "$DB" 1 127.0.18.1:$PORT $CISCO
check_evidence "$DB" 1 127.0.18.2:$PORT broken-agent
[ "$(sql "$DB" "select state||'|'||credential||'|'||coalesce(detail,'') from targets where scan_id=1 and address='127.0.18.1'")" \
  = "answered|default|" ] || fail "cisco target row"
[ "$(sql "$DB" "select state||'|'||detail from targets where scan_id=1 and address='127.0.18.2'")" \
  = "answered|4 walk problems: ifTable: GETBULK answered without values; walking with GETNEXT" ] || fail "broken target row"
ok "v2c inventory stored exactly"

# 2. the same over SNMPv1 (GETNEXT walks, noSuchName ends): the same facts
printf '[lab-v1]\nversion 1\ncommunity public\n' > "$TMP/v1.creds"; chmod 600 "$TMP/v1.creds"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --credentials "$TMP/v1.creds" --timeout 1500 127.0.18.1:$PORT
check_evidence "$DB" 2 127.0.18.1:$PORT $CISCO
[ "$(sql "$DB" "select credential from targets where scan_id=2")" = lab-v1 ] || fail "v1 credential name"
ok "v1 inventory identical"

# 3. --system-only: the system group and the engine id, no tables
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --system-only --port $PORT 127.0.18.1
[ "$(sql "$DB" "select group_concat(key, ',') from (select key from evidence where scan_id=3 order by id)")" \
  = "snmp.engine-id,snmp.engine-boots,snmp.engine-time,sysDescr,sysObjectID,sysUpTime,sysContact,sysName,sysLocation" ] \
  || fail "system-only keys: $(sql "$DB" "select group_concat(key) from evidence where scan_id=3")"
ok "system group only"

# 4. an agent too slow for part of a table (a 2 s row, a 1.5 s timeout): the
# GETBULK times out, the GETNEXT sent meanwhile is answered once the agent
# is free (the first row), the next one times out: the device's walks stop,
# what came first is kept
start_device 127.0.18.5 $PORT slow-agent
wait_agent 127.0.18.5:$PORT -v2c -c public
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --timeout 1500 --retries 0 127.0.18.5:$PORT
check_evidence "$DB" 4 127.0.18.5:$PORT slow-agent
[ "$(sql "$DB" "select state||'|'||detail from targets where scan_id=4")" \
  = "answered|2 walk problems: ifTable: no reply to GETBULK; walking with GETNEXT" ] || fail "slow target row"
ok "no answer inside a walk"

# 5. what attribution makes of scan 1 (the store's verdicts)
python3 - "$DB" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
db.text_factory = lambda b: b.decode("utf-8", "replace")   # devices' bytes, as stored
def rows(q, *a):
    return [dict(r) for r in db.execute(q, a)]
# the verdict as the store keeps it: typed rows of claims and components
devs = [dict(identity=d["identity"], address=d["address"], vendor=d["vendor"],
             verdict=dict(identifiers=json.loads(d["identifiers"] or "[]"), disputed=d["disputed"],
                          possibly=(d["possibly"] or "").split(),
                          claims=rows("select * from claims where device_id=? order by ord", d["id"]),
                          components=[dict(c, **{"index": c["idx"]}) for c in
                                      rows("select * from components where device_id=? order by ord", d["id"])]))
        for d in rows("select id, identity, address, vendor, identifiers, disputed, possibly from devices where scan_id=1")]
def dev_with(ident):
    hits = [d for d in devs if ident in d["verdict"]["identifiers"]]
    assert len(hits) == 1, (ident, [d["identity"] for d in devs])
    return hits[0]
asr = dev_with("ip:127.0.18.1")
assert asr["vendor"] == "cisco", asr["vendor"]
assert asr["identity"] == "serial:cisco:FXS2233Q1AB", asr["identity"]
# its own MACs (interfaces, base address, bridge self entries) are its
# identifiers, each an OUI claim
for m in ("mac:00:a3:8e:1f:20:00", "mac:00:a3:8e:1f:20:01", "mac:00:a3:8e:1f:20:02"):
    assert m in asr["verdict"]["identifiers"], (m, asr["verdict"]["identifiers"])
claims = {(c["key"], c["value"]) for c in asr["verdict"]["claims"]}
# (the engine id's MAC, format 3, is the base MAC: claimed once, from there,
# and said to be the engine id's MAC, never the engine id's value; the
# engine id itself, binary, is shown in hex)
for k, m in (("ifPhysAddress.1", "00:a3:8e:1f:20:01"), ("ifPhysAddress.2", "00:a3:8e:1f:20:02"),
             ("snmp.engine-id (its MAC)", "00:a3:8e:1f:20:00"), ("snmp.engine-id", "0x800000090300a38e1f2000")):
    assert (k, m) in claims, (k, m, claims)
# no claim shows a MAC as the value of a key whose value is not a MAC (an
# ARP row: subject mac:..., ip = 10.x; the MAC is claimed as the subject's)
import re
for d in devs:
    for c in d["verdict"]["claims"]:
        if re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", c["value"]):
            assert c["key"] in ("mac (subject)", "snmp.engine-id (its MAC)", "dot1dBaseBridgeAddress", "fdb.self",
                                "mac") or c["key"].startswith("ifPhysAddress."), (d["identity"], c)
comps = {c["index"]: c for c in asr["verdict"]["components"]}
assert len(comps) == 8, comps.keys()
optic = comps[6]
assert (optic["vendor"], optic["mfg"], optic["model"], optic["serial"], optic["class"], optic["contained_in"]) == \
    ("huawei", "HUAWEI", "OSX010000", "HA17210512345", 9, 5), optic
assert comps[1]["chassis"] and comps[1]["model"] == "ASR1001-X" and comps[1]["vendor"] == "cisco", comps[1]
assert comps[4]["software_rev"] == "17.3.4a" and comps[4]["firmware_rev"] == "16.9(3r)", comps[4]
assert comps[2]["name"] == "Power Supply Module 0" and comps[2]["class"] == 6, comps[2]
assert comps[8]["mfg"] == "CISCO-FINISAR" and comps[8]["model"] == "SFP-10G-SR", comps[8]
# the Huawei switch next door: known by LLDP, ARP and the bridge table, never polled
sw = dev_with("chassis:mac:70:7b:e8:5a:10:01")
assert sw["vendor"] == "huawei", sw["vendor"]
for i in ("mac:70:7b:e8:5a:10:01", "ip:10.20.30.2"):
    assert i in sw["verdict"]["identifiers"], (i, sw["verdict"]["identifiers"])
phone = dev_with("chassis:ip:10.20.40.7")
assert "ip:10.20.40.7" in phone["verdict"]["identifiers"]
assert phone is not asr and sw is not asr
odd = dev_with("chassis:hex:001a2bff")
# a camera known only by its MAC: a high-risk maker named by an OUI alone
# is a dispute ("possibly Hikvision"), never a high-risk device
cam = dev_with("mac:c4:2f:90:11:22:33")
assert cam["vendor"] is None, cam["vendor"]
assert cam["verdict"]["disputed"], cam["verdict"]
assert cam["verdict"]["possibly"] == ["hikvision"], cam["verdict"]
dell = dev_with("mac:f8:bc:12:44:55:66")
for i in ("ip:10.20.30.9", "ip:fe80::fabc:12ff:fe44:5566"):
    assert i in dell["verdict"]["identifiers"], i
assert dell["vendor"] == "dell", dell["vendor"]
# no device for the incomplete ARP entry or the multicast bridge entry
for d in devs:
    for i in d["verdict"]["identifiers"]:
        assert i not in ("mac:00:00:00:00:00:00", "mac:01:00:5e:00:00:01"), i
broken = dev_with("ip:127.0.18.2")
assert broken is not asr
# names: the polled device's sysName, the neighbour's LLDP System Name
names = dict(db.execute("select identity, name from devices where scan_id=1"))
assert names[asr["identity"]] == "pe2-asr1001x.lab", names
assert names[sw["identity"]] == "agg1-ce6850", names
print("ok: %d devices, the optic is Huawei, the chassis Cisco" % len(devs))
PY
ok "attribution of the inventory"

# show finds the box by any of its names, MACs (any notation) and serials
shows() {       # shows KEY: the ASR's history, by KEY
  expect_exit 0 "$ORIGINSCAN" show --db "$DB" "$1"
  expect_out "device serial:cisco:FXS2233Q1AB"
  expect_out "pe2-asr1001x.lab"
}
for k in pe2-asr1001x.lab PE2-ASR1001X pe2-asr1001x 00:a3:8e:1f:20:02 00-A3-8E-1F-20-01 00a3.8e1f.2000 00a38e1f2002 \
         FXS2233Q1AB HA17210512345 127.0.18.1; do
  shows "$k"
done
expect_exit 2 "$ORIGINSCAN" show --db "$DB" pe2
expect_exit 2 "$ORIGINSCAN" show --db "$DB" 00a3.8e1f.20ff
ok "show by name, MAC in any notation, chassis and component serial"

# 6. IEEE8021-LLDP-V2-MIB when LLDP-MIB is absent: the same keys
start_device 127.0.18.6 $PORT nokia-7750-lldpv2
wait_agent 127.0.18.6:$PORT -v2c -c public
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT 127.0.18.6
check_evidence "$DB" 5 127.0.18.6:$PORT nokia-7750-lldpv2
ok "LLDP-V2 neighbours"

# 7. one neighbour, told by CISCO-CDP-MIB over SNMP (scan 1) and by a CDP
# frame off the wire (tests/pcapgen's identity capture): the same subject,
# keys and values. Only the wire has the frame's source MAC; only SNMP the
# local port the neighbour is seen on.
python3 "$SRCDIR/tests/pcapgen/pcapgen.py" identity "$TMP/cap"
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$TMP/cap/identity.pcap"
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def rows(scan):
    return {(k, bytes(v)) for k, v in db.execute(
        "select key, value from evidence where scan_id=? and subject_kind='chassis' and subject=?",
        (scan, "name:dist-sw-02.example.net")) if k not in ("mac", "cdp.local-port")}
snmp, wire = rows(1), rows(6)
assert snmp and snmp == wire, ("snmp only", snmp - wire, "wire only", wire - snmp)
print("ok: %d CDP rows alike" % len(snmp))
PY
ok "CDP over SNMP and off the wire write the same evidence"
