# OSS exports through the reader (collectors/oss): files tests/ossgen writes
# in each dialect (Ericsson, Huawei and ZTE Bulk CM, Nokia RAML; plain and
# gzip), the hostile ones, a truncated gzip, and the identity text shared
# with the NGAP dissector. Rows come from `test_oss dump FILE [PLMN]`
# ("subject<TAB>key<TAB>value", then "#stats" and "#error" lines).
. "$(dirname "$0")/lib.sh"
DUMP="${BUILDDIR:?}/tests/test_oss"
GEN="$SRCDIR/tests/ossgen/ossgen.py"
[ -x "$DUMP" ] || fail "test_oss not built"

stat_of() { sed -n 's/^#stats .*\b'"$1"'=\([^ ]*\).*/\1/p' "$TMP/out"; }
row() { grep -qxF -- "$1" "$TMP/out" || { grep -F "${1%%	*}" "$TMP/out" | head -40 >&2; fail "no row: $1"; }; }

# ---- Bulk CM, three vendors' OSSes: 6 sites, an eNB (3 cells) on each, a gNB
# (3 NR cells) on every second, 2 units each and a Kathrein unit on sites 1, 5
for v in ericsson huawei zte; do
  f="$TMP/$v.xml"; [ $v = zte ] && f="$TMP/$v.xml.gz"
  python3 "$GEN" bulkcm $v "$f" --plmn 208-93 --sites 6
  expect_exit 0 "$DUMP" dump "$f"
  [ "$(stat_of elements)" = 6 ] && [ "$(stat_of with-id)" = 6 ] && [ "$(stat_of cells)" = 27 ] &&
    [ "$(stat_of units)" = 14 ] || { tail -2 "$TMP/out" >&2; fail "$v: counts"; }
  name=$(case $v in ericsson) echo Ericsson;; huawei) echo Huawei;; zte) echo ZTE;; esac)
  row "enb:208-93:macro:10001	oss.vendor-name	$name"
  row "enb:208-93:macro:10001	oss.export-vendor	$name"
  row "enb:208-93:macro:10001	oss.region	NORTH"
  row "enb:208-93:macro:10002	oss.region	SOUTH"
  row "enb:208-93:macro:10001	oss.location	SITE00001 & Main St"
  row "enb:208-93:macro:10002	oss.global-gnb-id	208-93:gnb:20002/24"
  row "enb:208-93:macro:10002	oss.node-id	ran:208-93:gnb:20002/24"
  row "enb:208-93:macro:10002	oss.cell	5g NRCellDU=SITE00002-NR3"
  row "enb:208-93:macro:10005	oss.cell	4g EUtranCellFDD=SITE00005-2"
  row "enb:208-93:macro:10005	oss.unit.3.vendor	Kathrein SE"
  [ "$(grep -c '	oss.function	5g ' "$TMP/out")" = 6 ] || fail "$v: want 6 NR functions (DU + CU-CP of 3 gNBs)"
  ok "bulkcm $v"
done
row "enb:208-93:macro:10003	oss.vs-data	ZTESpecificAttributes"
# Ericsson: the eNB's PLMN comes from the vsData container inside ENBFunction
# (eNodeBPlmnId, mnc "1" of length 2 is "01")
python3 "$GEN" bulkcm ericsson "$TMP/e01.xml" --plmn 001-01 --sites 2
expect_exit 0 "$DUMP" dump "$TMP/e01.xml"
row "enb:001-01:macro:10001	oss.vs-data	EricssonSpecificAttributes.17.28"
row "enb:001-01:macro:10001	oss.sw-version	CXP2010174/1 R52A54"
row "enb:001-01:macro:10001	oss.unit.1.product	KDU 137 848/11"
ok "bulkcm ericsson vsData"

# ---- Nokia RAML, gzip, a three-digit MNC
python3 "$GEN" raml "$TMP/nokia.xml.gz" --plmn 310-410 --sites 6
expect_exit 0 "$DUMP" dump "$TMP/nokia.xml.gz"
[ "$(stat_of format)" = nokia-raml ] && [ "$(stat_of elements)" = 6 ] && [ "$(stat_of cells)" = 24 ] &&
  [ "$(stat_of units)" = 18 ] || { tail -2 "$TMP/out" >&2; fail "raml: counts"; }
row "enb:310-410:macro:102	oss.global-gnb-id	310-410:gnb:30002/26"
row "enb:310-410:macro:102	oss.model-version	SBTS20A"
row "enb:310-410:macro:102	oss.sw-version	SBTS20A_ENB_0000_000400_000000"
row "enb:310-410:macro:102	oss.unit.1.product	473764A"
row "enb:310-410:macro:102	oss.unit.1.family	AirScale System Module ASIA"
row "enb:310-410:macro:101	oss.cell	4g LNCEL=3"
grep -q '^PLMN-PLMN\|oss:PLMN-PLMN	' "$TMP/out" && fail "raml: the PLMN object is no base station"
ok "raml"

# ---- hostile files: refused with a clear line, the secret never read
python3 "$GEN" hostile "$TMP"
for c in "billion-laughs:refused at byte 38: a DTD internal subset" \
         "xxe-internal:refused at byte 35: a DTD internal subset" \
         "xxe-external:an entity reference at byte" \
         "deep:elements nested deeper than 64" \
         "huge-text:a text of over 1048576 bytes" \
         "unknown:not a known OSS export: the root element is <MOs> in namespace \"urn:vendor:cm\"" \
         "not-xml:bad XML at byte"; do
  f=${c%%:*}
  expect_exit 2 "$DUMP" dump "$TMP/$f.xml"
  expect_out "#error $TMP/$f.xml: ${c#*:}"
  grep -q TOP-SECRET-MARKER "$TMP/out" && fail "$f: the secret file was read"
  ok "hostile $f"
done
# the external DTD is never opened: strace would show it; here the row after
# the entity is not read either, and nothing of the DTD's entity appears
grep -q "after" "$TMP/out" && fail "xxe-external: read past the entity"

# ---- a truncated gzip: what was complete before the cut, failed, the offset
python3 "$GEN" bulkcm ericsson "$TMP/big.xml.gz" --sites 400
full=$(stat -c %s "$TMP/big.xml.gz")
head -c $((full / 2)) "$TMP/big.xml.gz" >"$TMP/cut.xml.gz"
expect_exit 2 "$DUMP" dump "$TMP/cut.xml.gz"
expect_out "gzip stream truncated (what was complete before is kept)"
grep -Eq "^#error $TMP/cut.xml.gz: input stopped at byte [0-9]+:" "$TMP/out" || fail "no offset"
n=$(stat_of elements); off=$(stat_of offset)
zcat "$TMP/cut.xml.gz" 2>/dev/null | head -c "$off" >"$TMP/cut.xml" || true
closed=$(grep -c '</xn:MeContext>' "$TMP/cut.xml")
[ "$n" -ge 100 ] && [ "$n" -le "$closed" ] && [ "$n" -ge $((closed - 1)) ] ||
  fail "truncated gzip: $n elements, $closed closed before byte $off"
# every element emitted is whole: its last row (state) is there
[ "$(grep -c '	oss.state	IN SERVICE' "$TMP/out")" = "$n" ] || fail "truncated gzip: an element cut short"
ok "truncated gzip: $n of 400 elements, $closed closed before the cut"

# ---- the same gNB as NGAP writes it: mobilegen's NG Setup is from gNB
# 208-93 4660/22; an export holding that gNB names it identically
"$BUILDDIR/tests/mobilegen" fixtures "$TMP"
expect_exit 0 "$ORIGINSCAN" capture --db "$TMP/m.db" --no-progress -r "$TMP/mobile.pcap"
ng=$(sql "$TMP/m.db" "select subject from evidence where subject_kind='name' and subject like 'ran:%gnb:4660/%'")
[ -n "$ng" ] || fail "the capture has no gNB 4660"
python3 "$GEN" bulkcm ericsson "$TMP/x.xml" --plmn 208-93 --sites 2 --first 0 --gnb 4660/22
expect_exit 0 "$DUMP" dump "$TMP/x.xml"
row "enb:208-93:macro:10000	oss.node-id	$ng"
ok "NGAP and the export name gNB $ng alike"

# ==== the oss command end to end: exports -> scan -> attribution -> report

# what the generated files hold, counted by an independent reader (Python's
# ElementTree): base stations and cells per vendor, technology and region
cat >"$TMP/count.py" <<'PY'
import gzip, json, sys
import xml.etree.ElementTree as ET
def local(t): return t.rsplit('}', 1)[-1]
want = {"stations": 0, "cells": 0, "vendor": {}, "tech": {}, "region": {}}
def add(vendor, region, cells, techs):
    want["stations"] += 1
    want["cells"] += sum(cells.values())
    v = want["vendor"].setdefault(vendor, {"stations": 0, "cells": 0})
    v["stations"] += 1; v["cells"] += sum(cells.values())
    for t in techs:
        x = want["tech"].setdefault(t, {"stations": 0, "cells": 0})
        x["stations"] += 1; x["cells"] += cells.get(t, 0)
    want["region"][region or ""] = want["region"].get(region or "", 0) + 1
for path in sys.argv[1:]:
    f = gzip.open(path) if path.endswith(".gz") else open(path, "rb")
    root = ET.parse(f).getroot()
    if local(root.tag) == "raml":
        st = {}
        for mo in root.iter():
            if local(mo.tag) != "managedObject": continue
            cls, dn = mo.get("class").split(":")[-1], mo.get("distName")
            if "MRBTS-" not in dn: continue
            key = dn.split("/")[1]
            s = st.setdefault(key, {"cells": {}, "techs": set()})
            t = {"LNBTS": "4g", "NRBTS": "5g"}.get(cls)
            if t: s["techs"].add(t)
            t = {"LNCEL": "4g", "NRCELL": "5g"}.get(cls)
            if t: s["cells"][t] = s["cells"].get(t, 0) + 1
        for s in st.values():
            add("nokia", None, s["cells"], s["techs"])
        continue
    def walk(e, region):
        for c in e:
            n = local(c.tag)
            if n == "SubNetwork":
                walk(c, c.get("id"))
            elif n == "MeContext":
                cells, techs, vendor = {}, set(), None
                for x in c.iter():
                    k = local(x.tag)
                    if k == "ManagedElement":
                        for y in x:
                            if local(y.tag) == "attributes":
                                vendor = [z.text.lower() for z in y if local(z.tag) == "vendorName"][0]
                    if k == "ENBFunction": techs.add("4g")
                    if k == "GNBDUFunction": techs.add("5g")
                    if k in ("EUtranCellFDD", "EUtranCellTDD"): cells["4g"] = cells.get("4g", 0) + 1
                    if k == "NRCellDU": cells["5g"] = cells.get("5g", 0) + 1
                add(vendor, region, cells, techs)
            else:
                walk(c, region)
    walk(root, None)
print(json.dumps(want, sort_keys=True))
PY
# what the report says, in the same shape
cat >"$TMP/got.py" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["ran"]
got = {"stations": r["base_stations"], "cells": r["cells"],
       "vendor": {v["id"]: {"stations": v["base_stations"], "cells": v["cells"]} for v in r["by_vendor"]},
       "tech": {t["technology"]: {"stations": t["base_stations"], "cells": t["cells"]} for t in r["by_technology"]},
       "region": {(g["region"] or ""): g["base_stations"] for g in r["by_region"]}}
print(json.dumps(got, sort_keys=True))
PY
D="$TMP/ran.db"
python3 "$GEN" bulkcm ericsson "$TMP/r-e.xml" --sites 6 --first 1
python3 "$GEN" bulkcm huawei "$TMP/r-h.xml.gz" --sites 6 --first 11
python3 "$GEN" bulkcm zte "$TMP/r-z.xml" --sites 5 --first 21
python3 "$GEN" raml "$TMP/r-n.xml.gz" --sites 7
expect_exit 0 "$ORIGINSCAN" oss --db "$D" -r "$TMP/r-e.xml" "$TMP/r-h.xml.gz" "$TMP/r-z.xml" "$TMP/r-n.xml.gz"
[ "$(sql "$D" "select status from scans")" = complete ] || fail "oss scan not complete"
[ "$(sql "$D" "select count(*) from devices where function in ('enb','gnb')")" = 24 ] || fail "want 24 base stations"
expect_exit 0 "$ORIGINSCAN" report --db "$D" --format json
cp "$TMP/out" "$TMP/ran.json"
want=$(python3 "$TMP/count.py" "$TMP/r-e.xml" "$TMP/r-h.xml.gz" "$TMP/r-z.xml" "$TMP/r-n.xml.gz")
got=$(python3 "$TMP/got.py" "$TMP/ran.json")
[ "$want" = "$got" ] || fail "RAN figures: report says $got; the files hold $want"
case "$want" in *'"5g": {"cells": '[1-9]*) ;; *) fail "the check has no 5G cells: $want" ;; esac
# shares as the assessments read them: Huawei's share of 5G cells, flagged
python3 - "$TMP/ran.json" <<'PY' || fail "5G shares"
import json, sys
r = json.load(open(sys.argv[1]))["ran"]
t5 = [t for t in r["by_technology"] if t["technology"] == "5g"][0]
hw = [v for v in t5["by_vendor"] if v["id"] == "huawei"][0]
assert hw["flagged"] and abs(hw["cell_share"] - hw["cells"] / t5["cells"]) < 1e-6, hw
assert abs(sum(v["site_share"] for v in r["by_vendor"]) - 1) < 1e-6, r["by_vendor"]
PY
# attribution: the OSS's claim, recorded with its file and OSS; units as components
# (the verdict's claims, the typed rows the store keeps, as JSON objects)
claims_of() {
  sql "$1" "select json_group_array(json_object('key',c.key,'value',c.value,'source',c.source,'basis',c.basis))
            || ' ' || d.identifiers from claims c join devices d on d.id = c.device_id where d.identity = '$2'"
}
v=$(claims_of "$D" name:enb:208-93:macro:10011)
case "$v" in *'"vendorName an OSS export states (the export is Huawei'"'"'s OSS)"'*) ;; *) fail "no vendorName claim: $v" ;; esac
case "$v" in *'"source":"oss '"$TMP"'/r-h.xml.gz"'*) ;; *) fail "the claim does not name its file" ;; esac
[ "$(sql "$D" "select vendor||' '||foreign_vendors from devices where identity = 'name:enb:208-93:macro:10013'")" = "huawei kathrein" ] ||
  fail "the Kathrein unit is no foreign component of the Huawei base station"
[ "$(sql "$D" "select vendor from devices where identity = 'name:enb:208-93:macro:101'")" = nokia ] || fail "RAML: not Nokia"
expect_exit 0 "$ORIGINSCAN" report --db "$D"
expect_out "Radio network: 24 base stations at 24 sites"
expect_out "OSS inventory #3 InventoryUnit=3: Kathrein 86010148"
ok "oss: 4 exports, one scan, RAN figures as the files hold them"

# 3G as Bulk CM writes it: the UtranCells under the RNC's RncFunction, the
# NodeB a NodeBFunction of its own: the cells count (the RNC's vendor), the
# RNC is no base station, the NodeB is one
cat >"$TMP/utran.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<bulkCmConfigDataFile xmlns="http://www.3gpp.org/ftp/specs/archive/32_series/32.615#configData"
  xmlns:xn="http://www.3gpp.org/ftp/specs/archive/32_series/32.625#genericNrm"
  xmlns:un="http://www.3gpp.org/ftp/specs/archive/32_series/32.645#utranNrm">
 <fileHeader fileFormatVersion="32.615 V6.3" vendorName="Nokia"/>
 <configData dnPrefix="DC=operator">
  <xn:SubNetwork id="WEST">
   <xn:ManagedElement id="RNC1">
    <xn:attributes><xn:vendorName>Nokia</xn:vendorName><xn:swVersion>SRAN21B</xn:swVersion></xn:attributes>
    <un:RncFunction id="1">
     <un:UtranCell id="C1"><un:attributes><un:cId>1</un:cId></un:attributes></un:UtranCell>
     <un:UtranCell id="C2"><un:attributes><un:cId>2</un:cId></un:attributes></un:UtranCell>
     <un:UtranCell id="C3"><un:attributes><un:cId>3</un:cId></un:attributes></un:UtranCell>
    </un:RncFunction>
   </xn:ManagedElement>
   <xn:ManagedElement id="NB1">
    <xn:attributes><xn:vendorName>Nokia</xn:vendorName><xn:locationName>Hill</xn:locationName></xn:attributes>
    <un:NodeBFunction id="1"/>
   </xn:ManagedElement>
  </xn:SubNetwork>
 </configData>
</bulkCmConfigDataFile>
XML
expect_exit 0 "$ORIGINSCAN" oss --db "$TMP/utran.db" -r "$TMP/utran.xml"
expect_exit 0 "$ORIGINSCAN" report --db "$TMP/utran.db" --format json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["ran"]
assert (r["base_stations"], r["sites"], r["cells"], r["controller_cells"]) == (1, 1, 3, 3), r
t = r["by_technology"][0]
assert (t["technology"], t["base_stations"], t["cells"]) == ("3g", 1, 3), t
assert [(v["id"], v["base_stations"], v["cells"]) for v in r["by_vendor"]] == [("nokia", 1, 3)], r["by_vendor"]' "$TMP/out" ||
  fail "3G: the RNC's cells, the NodeB's station"
[ "$(sql "$TMP/utran.db" "select group_concat(function, ' ') from (select function from devices order by function)")" = "nodeb rnc" ] ||
  fail "3G: functions $(sql "$TMP/utran.db" "select group_concat(function) from devices")"
ok "oss: 3G cells on the RNC, the NodeB a station"

# refused before anything is stored: an unknown format by name, a missing file
expect_exit 2 "$ORIGINSCAN" oss --db "$TMP/no.db" -r "$TMP/r-e.xml" "$TMP/unknown.xml"
expect_err "unknown.xml: not a known OSS export: the root element is <MOs>"
[ ! -e "$TMP/no.db" ] || [ "$(sql "$TMP/no.db" "select count(*) from scans")" = 0 ] || fail "a refused file made a scan"
expect_exit 64 "$ORIGINSCAN" oss --db "$TMP/no.db"
expect_exit 64 "$ORIGINSCAN" oss --db "$TMP/no.db" --plmn 20893 -r "$TMP/r-e.xml"
ok "oss: unknown format and usage refused"

# a truncated gzip: the scan fails naming the byte offset; what was complete is kept
python3 "$GEN" raml "$TMP/t2.xml" --plmn 310-410 --sites 2
expect_exit 2 "$ORIGINSCAN" oss --db "$TMP/cut.db" -r "$TMP/cut.xml.gz" "$TMP/t2.xml"
note=$(sql "$TMP/cut.db" "select status||': '||note from scans")
case "$note" in "failed: $TMP/cut.xml.gz: input stopped at byte "[0-9]*) ;; *) fail "truncated: scan note '$note'" ;; esac
kept=$(sql "$TMP/cut.db" "select count(*) from devices where identity like 'name:enb:208-93:%'")
[ "$kept" -ge $((closed - 1)) ] && [ "$kept" -le "$closed" ] || fail "truncated: $kept devices kept, $closed elements closed"
[ "$(sql "$TMP/cut.db" "select count(*) from devices where identity like 'name:enb:310-410:%'")" = 2 ] ||
  fail "truncated: the next file was not read"
ok "oss: truncated gzip -> failed at the offset, $kept base stations kept, the other file read"

# scan -f: an [oss] stanza beside a [capture]: the NG Setup's gNB and the
# export's element are one device with both kinds of evidence
cat >"$TMP/x.conf" <<CONF
[scan ran-audit]
database = $TMP/x.db
[capture wire]
file = $TMP/mobile.pcap
[oss enm]
file = $TMP/x.xml
plmn = 208-93
CONF
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/x.conf" --check
expect_out "1 capture, 1 oss, 0 probe collectors"
# the export readable by root alone: opened before the privileges go,
# parsed as nobody
chmod 600 "$TMP/x.xml"
expect_exit 0 "$ORIGINSCAN" scan -f "$TMP/x.conf"
row=$(sql "$TMP/x.db" "select identity||' '||address||' '||vendor||' '||function from devices where addresses like '%10.66.3.1\"%'")
[ "$row" = "name:enb:208-93:macro:10000 10.66.3.1 ericsson gnb" ] || fail "cross-link: $row"
v=$(claims_of "$TMP/x.db" name:enb:208-93:macro:10000)
for s in '"key":"ngap.role"' '"key":"oss.vendor-name"' "\"name:$ng\"" '"ip:10.66.3.1"'; do
  case "$v" in *"$s"*) ;; *) fail "cross-link: the device lacks $s" ;; esac
done
[ "$(sql "$TMP/x.db" "select count(*) from devices where identity like '%gnb:4660/%' or addresses like '%10.66.3.1\"%'")" = 1 ] ||
  fail "cross-link: the gNB is more than one device"
expect_exit 0 "$ORIGINSCAN" report --db "$TMP/x.db" --format json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["ran"]; assert r["from_oss"]==2 and r["from_oss_on_wire"]==1, r' "$TMP/out" ||
  fail "cross-link: the report does not count the station as seen on the wire"
# originscan oss as root: the exports and the database are opened, then
# the privileges go before a byte of an export is parsed. An export on a
# pipe holds the reader while it waits for the bytes: it must be nobody
# with no capability by then.
if [ "$(id -u)" = 0 ]; then
  mkfifo "$TMP/pipe.xml"
  exec 7<>"$TMP/pipe.xml"
  "$ORIGINSCAN" oss --db "$TMP/pipe.db" -r "$TMP/pipe.xml" >/dev/null 2>"$TMP/pipe.err" 7>&- &
  P=$!
  PIDS+=($P)
  dropped $P
  cat "$TMP/x.xml" >&7
  exec 7>&-
  wait $P || { cat "$TMP/pipe.err"; fail "oss from a pipe"; }
  [ "$(sql "$TMP/pipe.db" "select count(*) from devices where identity like 'name:enb:%'")" -gt 0 ] ||
    fail "oss from a pipe: no base station"
  expect_exit 2 "$ORIGINSCAN" oss --db "$TMP/pipe.db" --user "no-such-user$$" -r "$TMP/x.xml"
  expect_err "user no-such-user$$: no such user"
  [ "$(sql "$TMP/pipe.db" "select count(*) from scans")" = 1 ] || fail "a refused user began a scan"
  ok "oss parses as nobody, the export opened before"
fi
# a directory is no export: refused before a scan begins
mkdir -p "$TMP/adir"
expect_exit 2 "$ORIGINSCAN" oss --db "$TMP/dir.db" -r "$TMP/adir"
expect_err "$TMP/adir: input stopped at byte 0: Is a directory"
[ "$(sql "$TMP/dir.db" "select count(*) from scans")" = 0 ] || fail "a directory began a scan"
printf '[oss o]\nfile = %s\n' "$TMP/missing.xml" >"$TMP/m.conf"
expect_exit 2 "$ORIGINSCAN" scan -f "$TMP/m.conf" --check
expect_err "[oss o] $TMP/missing.xml: "
ok "scan -f [oss] + [capture]: gNB $ng is one device with NGAP and OSS evidence"

# a diff of two exports where sites changed vendor: swapped (a rip-and-replace)
D="$TMP/diff.db"
python3 "$GEN" bulkcm huawei "$TMP/d1.xml" --sites 4
python3 "$GEN" bulkcm huawei "$TMP/d2a.xml" --sites 2
python3 "$GEN" bulkcm ericsson "$TMP/d2b.xml" --sites 1 --first 3
python3 "$GEN" bulkcm ericsson "$TMP/d2c.xml" --sites 1 --first 4 --enb 50000 --gnb 60000/24
expect_exit 0 "$ORIGINSCAN" oss --db "$D" -r "$TMP/d1.xml"
expect_exit 0 "$ORIGINSCAN" oss --db "$D" -r "$TMP/d2a.xml" "$TMP/d2b.xml" "$TMP/d2c.xml"
expect_exit 1 "$ORIGINSCAN" diff --db "$D"
expect_out "Base stations: 4 -> 4; 0 added, 0 removed, 2 swapped (same site, another vendor)"
expect_out "~ [SITE00004 & Main St]  Huawei 4g 5g, 6 cells HIGH-RISK (name:enb:208-93:macro:10004) -> Ericsson 4g 5g, 6 cells (name:enb:208-93:macro:50004)"
expect_exit 1 "$ORIGINSCAN" diff --db "$D" --format json
python3 - "$TMP/out" <<'PY' || fail "diff json: swapped"
import json, sys
b = json.load(open(sys.argv[1]))["base_stations"]
sw = sorted((p["old"]["site"], p["old"]["vendor"], p["new"]["vendor"]) for p in b["swapped"])
assert sw == [("SITE00003 & Main St", "huawei", "ericsson"), ("SITE00004 & Main St", "huawei", "ericsson")], sw
assert b["added"] == [] and b["removed"] == [] and b["old"] == 4 and b["new"] == 4, b
PY
# one site more and one fewer: added and removed
python3 "$GEN" bulkcm huawei "$TMP/d3.xml" --sites 4 --first 2
expect_exit 0 "$ORIGINSCAN" oss --db "$D" -r "$TMP/d3.xml"
expect_exit 1 "$ORIGINSCAN" diff --db "$D" --format json
python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["base_stations"]
assert [x["site"] for x in b["added"]] == ["SITE00005 & Main St"], b["added"]
assert [x["site"] for x in b["removed"]] == ["SITE00001 & Main St"], b["removed"]
assert len(b["swapped"]) == 2, b["swapped"]' "$TMP/out" || fail "diff json: added and removed"
ok "diff: base stations swapped, added and removed"
