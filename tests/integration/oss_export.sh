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
