#!/usr/bin/env bash
# The exports other tools read: `report --format cyclonedx` validated
# against the official CycloneDX 1.6 JSON schema by the CycloneDX library's
# own validator (tests/cyclonedx/validate.js, installed by
# scripts/install-deps) and `report --format netbox` read back as NetBox's
# bulk import reads CSV, for three scans:
#   - the demo lab (snmpsim on loopback), plus a Cisco router holding a
#     Huawei optic (a component of another maker) and a hostile agent whose
#     model, serials, names and descriptions hold control bytes, quotes,
#     formula prefixes, bytes that are not UTF-8 and 5000-byte values;
#   - a mobile-core capture that tests/mobilegen writes.
. "$(dirname "$0")/lib.sh"
VALIDATE="$SRCDIR/tests/cyclonedx/validate.js"
[ -d "$SRCDIR/tests/cyclonedx/node_modules/@cyclonedx/cyclonedx-library" ] ||
  fail "the CycloneDX validator is not installed: run scripts/install-deps"

# ---- the hostile agent: a Huawei router by its sysDescr whose every
# string a renderer shows is an attack on some format
python3 - "$TMP/hostile.snmprec" <<'PY'
import sys
ENT = "1.3.6.1.2.1.47.1.1.1.1"
def hx(b): return b.hex()
rows = []
def s(oid, val):
    rows.append((oid, "4x", hx(val if isinstance(val, bytes) else val.encode())))
model = b'=HYPERLINK("http://x";"y")\x01\x1b[31m"q"'
s("1.3.6.1.2.1.1.1.0", b"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (" + model + b" V800R011C00SPC100)\r\n")
rows.append(("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.2011.2.62.2.9"))
s("1.3.6.1.2.1.1.5.0", b"+host\x07" + b"N" * 5000)
ents = {
    1: dict(descr=b"chassis \"1\"", cls=3, cont=0, name=b"-chassis", serial=b'"],\r\n=1+1', mfg=b"Huawei", model=model),
    2: dict(descr=b"power \xff\xfe not utf-8", cls=6, cont=1, name=b"=SUM(A1)", serial=b"@PSU\x00x", mfg=b"Cisco Systems, Inc.", model=b"M" * 5000),
    3: dict(descr=b"fan", cls=7, cont=1, name=b"=SUM(A1)", serial=b"", mfg=b"Cisco Systems, Inc.", model=b"FAN-1"),
}
for col, key in ((2, "descr"), (4, "cont"), (5, "cls"), (7, "name"), (11, "serial"), (12, "mfg"), (13, "model")):
    for i, e in sorted(ents.items()):
        if key in ("cont", "cls"):
            rows.append((f"{ENT}.{col}.{i}", "2", str(e[key])))
        else:
            s(f"{ENT}.{col}.{i}", e[key])
def key(r): return [int(x) for x in r[0].split(".")]
with open(sys.argv[1], "w") as f:
    for oid, tag, val in sorted(rows, key=key):
        f.write(f"{oid}|{tag}|{val}\n")
PY

PORT=$(free_port)
start_snmpsim $PORT 127.0.23 "$LAB"/0[1-9]-*.snmprec "$SRCDIR/tests/snmp/cisco-asr1001x-huawei-optic.snmprec" "$TMP/hostile.snmprec"
expect_exit 0 "$ORIGINSCAN" snmp --db "$TMP/lab.db" --port $PORT --timeout 5000 --retries 1 127.0.23.1-127.0.23.11
GEN="${BUILDDIR:?}/tests/mobilegen"
"$GEN" fixtures "$TMP"
expect_exit 0 "$ORIGINSCAN" capture --db "$TMP/mobile.db" --no-progress -r "$TMP/mobile.pcapng"

for db in lab mobile; do
  expect_exit 0 "$ORIGINSCAN" report --db "$TMP/$db.db" --format cyclonedx -o "$TMP/$db.cdx.json"
  expect_exit 0 "$ORIGINSCAN" report --db "$TMP/$db.db" --policy eu-5g-toolbox --format netbox -o "$TMP/$db.netbox"
  sql "$TMP/$db.db" "select id from evidence" >"$TMP/$db.evidence-ids"
  sql "$TMP/$db.db" "select count(*) from devices" >"$TMP/$db.devices"
done
expect_exit 0 node "$VALIDATE" "$TMP/lab.cdx.json" "$TMP/mobile.cdx.json"
ok "CycloneDX: both BOMs valid against the CycloneDX 1.6 schema"

# the validator can fail: a BOM with a component type CycloneDX lacks
python3 -c '
import json, sys
b = json.load(open(sys.argv[1])); b["components"][0]["type"] = "router"
json.dump(b, open(sys.argv[2], "w"))' "$TMP/lab.cdx.json" "$TMP/broken.cdx.json"
expect_exit 1 node "$VALIDATE" "$TMP/broken.cdx.json"
ok "CycloneDX: the validator refuses an invalid BOM"

# ---- what the BOMs say
python3 - "$TMP" <<'PY'
import json, sys, os
T = sys.argv[1]
def props(c):
    out = {}
    for p in c.get("properties", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out
lab = json.load(open(f"{T}/lab.cdx.json"))
ids = set(open(f"{T}/lab.evidence-ids").read().split())
assert lab["bomFormat"] == "CycloneDX" and lab["specVersion"] == "1.6"
ndev = int(open(f"{T}/lab.devices").read())
assert len(lab["components"]) == ndev and ndev >= 11, (len(lab["components"]), ndev)
devs = {props(c)["originscan:identity"][0]: c for c in lab["components"]}
devs.update({props(c)["originscan:address"][0]: c for c in lab["components"] if "originscan:address" in props(c)})
assert all(c["type"] == "device" for c in devs.values())
hw = devs["127.0.23.1"]
p = props(hw)
assert hw["manufacturer"]["name"] == "Huawei" and hw["name"] == "NE40E-X8A", hw
assert p["originscan:jurisdiction"] == ["CN"] and p["originscan:high-risk"] == ["true"], p
assert p["originscan:policy"] == ["default"] and p["originscan:maker"] == ["huawei"]
# CPE where a rule names one (huawei.vrp.router from the model, the
# Juniper's sysObjectID rule); none where no rule does
assert hw["cpe"] == "cpe:2.3:h:huawei:ne40e-x8a:-:*:*:*:*:*:*:*", hw.get("cpe")
assert devs["127.0.23.8"]["cpe"] == "cpe:2.3:h:juniper:mx480:-:*:*:*:*:*:*:*", devs["127.0.23.8"].get("cpe")
assert "cpe" not in devs["127.0.23.5"]
fw = [c for c in hw["components"] if c["type"] == "firmware"]
assert fw and fw[0]["version"] == "V800R011C00SPC100", hw["components"]
assert props(devs["127.0.23.5"])["originscan:high-risk"] == ["false"]
# every verdict traceable: its evidence ids are rows of the scan
for c in lab["components"]:
    ev = props(c).get("originscan:evidence-id", [])
    assert set(ev) <= ids, (ev, c["name"])
    for m in c["evidence"]["identity"][0]["methods"]:
        head = m["value"].split(":")[0]
        assert head == "evidence (several rows)" or head.split()[1] in ids, m
assert props(hw)["originscan:evidence-id"]
# the Cisco router's Huawei optic: a nested component of another maker
cisco = [c for c in devs.values() if c.get("manufacturer", {}).get("name") == "Cisco"]
parts = [x for c in cisco for x in c["components"] if x["type"] == "device"]
assert any(x.get("manufacturer", {}).get("name") == "Huawei" and props(x)["originscan:high-risk"] == ["true"]
           for x in parts), parts
# the hostile agent: its strings come back exactly (control bytes as JSON
# escapes, bytes that are not UTF-8 as \xNN text), the huge ones whole
h = devs["127.0.23.11"]
assert h["name"] == '=HYPERLINK("http://x";"y")\x01\x1b[31m"q"', repr(h["name"])
assert props(h)["originscan:serial"] == ['"],\r\n=1+1'], props(h).get("originscan:serial")
hp = [x for x in h["components"] if x["type"] == "device"]
psu = [x for x in hp if props(x).get("originscan:entity-index") == ["2"]][0]
assert psu["name"] == "M" * 5000 and psu["description"] == "power \\xff\\xfe not utf-8", psu["description"]
assert props(psu)["originscan:serial"] == ["@PSU"] or props(psu)["originscan:serial"][0].startswith("@PSU"), props(psu)
refs = [c["bom-ref"] for c in lab["components"]] + [x["bom-ref"] for c in lab["components"] for x in c["components"]]
assert len(refs) == len(set(refs)), "bom-refs not unique"
mob = json.load(open(f"{T}/mobile.cdx.json"))
fns = {props(c).get("originscan:function", [""])[0] for c in mob["components"]}
assert {"mme", "enb"} <= fns, fns
print("ok: CycloneDX content: makers, firmware, parts, policy, evidence ids, hostile strings")
PY

# ---- NetBox: the files parse as NetBox reads them (Python's csv, as
# NetBox's importer does), in its columns, every reference resolvable
python3 - "$TMP" <<'PY'
import csv, sys, re
T = sys.argv[1]
HEAD = {
    "manufacturers.csv": ["name", "slug", "description"],
    "device-roles.csv": ["name", "slug", "color"],
    "sites.csv": ["name", "slug", "status"],
    "device-types.csv": ["manufacturer", "model", "slug"],
    "devices.csv": ["name", "role", "manufacturer", "device_type", "status", "site", "serial", "description",
                    "cf_originscan_jurisdiction", "cf_originscan_high_risk", "cf_originscan_confidence",
                    "cf_originscan_firmware"],
    "inventory-items.csv": ["device", "name", "manufacturer", "part_id", "serial", "discovered", "description"],
}
def read(db, f):
    with open(f"{T}/{db}.netbox/{f}", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEAD[f], (f, rows[0])
    return [dict(zip(rows[0], r)) for r in rows[1:]]
for db in ("lab", "mobile"):
    t = {f: read(db, f) for f in HEAD}
    dev = t["devices.csv"]
    assert len(dev) == int(open(f"{T}/{db}.devices").read()), len(dev)
    for f in ("manufacturers.csv", "device-roles.csv", "sites.csv", "device-types.csv"):
        slugs = [r["slug"] for r in t[f]]
        assert len(slugs) == len(set(slugs)), (f, slugs)
        assert all(re.fullmatch(r"[-a-z0-9_]{1,100}", s) for s in slugs), slugs
    mfr = {r["name"] for r in t["manufacturers.csv"]}
    types = {(r["manufacturer"], r["model"]) for r in t["device-types.csv"]}
    roles = {r["name"] for r in t["device-roles.csv"]}
    sites = {r["name"] for r in t["sites.csv"]}
    names = [r["name"] for r in dev]
    assert len(names) == len(set(names))
    for r in dev:
        assert r["manufacturer"] in mfr and (r["manufacturer"], r["device_type"]) in types, r
        assert r["role"] in roles and r["site"] in sites and r["status"] == "active", r
        assert r["cf_originscan_high_risk"] in ("true", "false") and r["cf_originscan_confidence"].isdigit()
        assert len(r["name"]) <= 64 and len(r["device_type"]) <= 100 and len(r["serial"]) <= 50
    seen = set()
    for r in t["inventory-items.csv"]:
        assert r["device"] in names and (not r["manufacturer"] or r["manufacturer"] in mfr), r
        assert (r["device"], r["name"]) not in seen, r
        seen.add((r["device"], r["name"]))
        assert len(r["name"]) <= 64 and len(r["part_id"]) <= 50 and len(r["serial"]) <= 50
    # no cell a spreadsheet would run as a formula
    for f, rows in t.items():
        for r in rows:
            for v in r.values():
                assert not v or v[0] not in "=+-@\t\r", (f, v)
    if db == "lab":
        by = {r["name"]: r for r in dev}
        hw = by["127.0.23.1"]
        assert (hw["manufacturer"], hw["device_type"], hw["cf_originscan_jurisdiction"],
                hw["cf_originscan_high_risk"], hw["cf_originscan_firmware"]) == (
                    "Huawei", "NE40E-X8A", "CN", "true", "V800R011C00SPC100"), hw
        assert by["127.0.23.6"]["cf_originscan_high_risk"] == "false"
        h = [r for r in dev if r["device_type"].startswith("'=HYPERLINK")]
        assert len(h) == 1 and h[0]["serial"] == '"],\\x0d\\x0a=1+1', h
        inv = [r for r in t["inventory-items.csv"] if r["device"] == h[0]["name"]]
        assert sorted(r["name"] for r in inv) == ["'=SUM(A1)", "'=SUM(A1) #2"], inv
        optic = [r for r in t["inventory-items.csv"] if r["manufacturer"] == "Huawei"]
        assert optic and all(r["discovered"] == "true" for r in optic), optic
print("ok: NetBox files: columns, references, slugs, lengths, formulas neutralised")
PY

# bad use: netbox needs a directory
expect_exit 64 "$ORIGINSCAN" report --db "$TMP/lab.db" --format netbox
expect_err "-o DIR"
touch "$TMP/afile"
expect_exit 2 "$ORIGINSCAN" report --db "$TMP/lab.db" --format netbox -o "$TMP/afile"
expect_err "not a directory"
ok "report exports"
