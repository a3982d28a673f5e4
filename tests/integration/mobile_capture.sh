#!/usr/bin/env bash
# The mobile control plane through the whole passive path: captures that
# tests/mobilegen writes (classic pcap and pcapng, the same exchange: every
# Diameter/S1AP/NGAP/X2AP/XnAP/GTP/PFCP message kind read, IPv4 and IPv6, SCTP
# packets with two DATA chunks, Diameter on a port that is not Diameter's)
# are read with `originscan capture -r`; every fact must be in the store
# exactly as mobile_capture.expected lists it (and nothing else under those
# keys), both formats must agree, and the verdicts must carry the roles.
# When tshark is installed it decodes the same files: its names and ids
# must be ours (an encoder bug would show here, not hide in both sides).
. "$(dirname "$0")/lib.sh"
GEN="${BUILDDIR:?}/tests/mobilegen"
[ -x "$GEN" ] || fail "mobilegen not built"
"$GEN" fixtures "$TMP"

facts() {       # the mobile facts of a database, one per line, sorted
  sql "$1" "select subject_kind||'|'||subject||'|'||key||'|'||cast(value as text) from evidence
            where (subject_kind != 'mac' and key not like 'mac%' and key != 'ip') or subject_kind = 'name'
            order by 1"
}

for fmt in pcap pcapng; do
  expect_exit 0 "$ORIGINSCAN" capture --db "$TMP/$fmt.db" --no-progress -r "$TMP/mobile.$fmt"
  for p in "diameter 6" "s1ap 5" "ngap 4" "x2ap 2" "xnap 2" "gtpc 6" "gtpu 1" "pfcp 4"; do
    set -- $p
    grep -Eq "^  $1 +$2 +0\$" "$TMP/err" || { cat "$TMP/err" >&2; fail "$fmt: want $1 parsed $2, malformed 0"; }
  done
  facts "$TMP/$fmt.db" >"$TMP/$fmt.facts"
  if ! diff -u "$SRCDIR/tests/integration/mobile_capture.expected" "$TMP/$fmt.facts" >"$TMP/diff"; then
    cat "$TMP/diff" >&2
    fail "$fmt: facts differ from mobile_capture.expected"
  fi
  ok "$fmt: $(wc -l <"$TMP/$fmt.facts") facts as expected"
done

# gzip-compressed captures read the same
gzip -c "$TMP/mobile.pcapng" >"$TMP/mobile.pcapng.gz"
expect_exit 0 "$ORIGINSCAN" capture --db "$TMP/gz.db" --no-progress -r "$TMP/mobile.pcapng.gz"
facts "$TMP/gz.db" | diff -q - "$TMP/pcap.facts" >/dev/null || fail "gzip: facts differ"

# verdicts: roles from the control plane; Vendor-Id 0 names no company
verdict() { sql "$TMP/pcap.db" "select coalesce(vendor,'-')||' '||coalesce(nullif(model,''),'-')||' '||role||'/'||function
                               from devices where address = '$1'"; }
want() { local got; got=$(verdict "$1"); [ "$got" = "$2" ] || fail "device $1: '$got', want '$2'"; }
want 10.66.1.10 "huawei USN9810 core/mme"      # S1AP + GTP + Diameter, Vendor-Id 2011
want 10.66.1.20 "- - core/hss"                 # freeDiameter, Vendor-Id 0: no vendor
want 10.66.1.40 "- - core/amf"
want 10.66.1.50 "- - core/sgw"
want 10.66.1.60 "- - core/pgw"
want 10.66.1.70 "- - core/sgsn"
want 10.66.1.80 "- - core/ggsn"
want 10.66.1.90 "- - core/smf"
want 10.66.1.91 "- - core/upf"
want 10.66.1.99 "- - core/dra"
want 10.66.2.1 "- - ran/enb"                  # naming convention only: "possibly Huawei"
[ "$(sql "$TMP/pcap.db" "select possibly from devices where address = '10.66.2.1'")" = huawei ] \
  || fail "a Huawei name convention alone is a dispute"
want 10.66.3.1 "- - ran/gnb"
want 10.66.3.2 "- - ran/gnb"                   # XnAP only
want 2001:db8:66::3:2 "- - ran/enb"
want 2001:db8:66::30 "ericsson - core/pcrf"
conf=$(sql "$TMP/pcap.db" "select confidence from devices where address = '10.66.2.1'")
[ "$conf" -le 40 ] || fail "a name convention alone must stay weak, confidence $conf"
ok "verdicts carry control-plane roles"

# tshark, where installed, must read the same names and ids from the files
if command -v tshark >/dev/null 2>&1; then
  tshark -r "$TMP/mobile.pcapng" -d tcp.port==20868,diameter -T fields -E separator=, \
    -e diameter.Product-Name -e s1ap.ENBname -e s1ap.MMEname -e ngap.RANNodeName -e ngap.AMFName \
    -e ngap.backupAMFName -e pfcp.node_id_fqdn 2>/dev/null | tr ',' '\n' | sed '/^$/d' | sort -u >"$TMP/ts.names"
  sql "$TMP/pcap.db" "select distinct cast(value as text) from evidence where key in
       ('diameter.product-name','s1ap.enb-name','s1ap.mme-name','ngap.ran-node-name','ngap.amf-name',
        'ngap.backup-amf-name','pfcp.node-id') and cast(value as text) not like '10.%'" | sort -u >"$TMP/our.names"
  diff -u "$TMP/ts.names" "$TMP/our.names" || fail "tshark reads other names"
  # eNB ids and gNB id, TACs, GUAMI, F-TEID interface types, recoveries
  tshark -r "$TMP/mobile.pcapng" -V 2>/dev/null | grep -iE 'enb-id|gnb-id' |
    grep -oE 'decimal value [0-9]+' | sort -u >"$TMP/ts.ids"
  for want in 123456 11259375 1752286 654321 4660 175053 36984440; do
    grep -qx "decimal value $want" "$TMP/ts.ids" || fail "tshark does not read id $want"
  done
  tshark -r "$TMP/mobile.pcapng" -T fields -e gtpv2.f_teid_interface_type -e gtpv2.rec -e gtp.recovery \
    -e e212.mnc 2>/dev/null | tr '\t,' '\n\n' | sed '/^$/d' | sort -u | tr '\n' ' ' >"$TMP/ts.gtp"
  for want in 10 11 6 7 9 3 42 410 93; do
    grep -qw "$want" "$TMP/ts.gtp" || fail "tshark does not read $want in GTP/PLMN fields: $(cat "$TMP/ts.gtp")"
  done
  ok "tshark reads the same names and ids"
else
  echo "tshark not installed: cross-check skipped"
fi
