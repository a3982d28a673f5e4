# originscan capture -r over captures our generator writes: every
# identity fact stored byte for byte (pcap, pcapng, gzip, Linux cooked
# v1/v2, raw IP, loopback), several files in one scan, tunnels followed,
# malformed frames counted and skipped, unsupported link types skipped,
# and the devices attributed through the same path as SNMP.
. "$(dirname "$0")/lib.sh"
GEN="$SRCDIR/tests/pcapgen/pcapgen.py"
CHECK="$SRCDIR/tests/pcapgen/check_facts.py"
D="$TMP/cap"
python3 "$GEN" identity "$D"
DB="$TMP/c.db"

# 1. every container and link type gives the same facts
n=0
for f in identity.pcap identity.pcapng identity.pcap.gz identity.pcapng.gz sll.pcap sll2.pcapng; do
  n=$((n + 1))
  expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/$f"
  python3 "$CHECK" "$DB" "$D/expected.json" $n >"$TMP/chk" || { cat "$TMP/chk"; fail "$f: facts"; }
done
expect_err "packets read        40"
# a file named twice is read once: its packets are not counted twice
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/sll.pcap" "$D/sll.pcap"
expect_err "sll.pcap given more than once: read once"
expect_err "packets read        40"
n=$((n + 1))
ok "pcap, pcapng, gzip, Linux cooked v1 and v2"
# raw IP and loopback carry no link layer: the IP-level facts only
python3 - "$D/expected.json" >"$TMP/ipexp.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["facts"] = [f for f in e["facts"] if f[0] == "ip"]
e["absent"] = []
print(json.dumps(e))
PY
for f in raw.pcap loop.pcap loop-be.pcap; do
  n=$((n + 1))
  expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/$f"
  python3 "$CHECK" "$DB" "$TMP/ipexp.json" $n >"$TMP/chk" || { cat "$TMP/chk"; fail "$f: facts"; }
done
ok "raw IP, BSD loopback (both byte orders)"

# 2. the community string of SNMP on the wire is never stored
[ "$(sql "$DB" "select count(*) from evidence where instr(value, 's3cr3t') or instr(subject, 's3cr3t')")" = 0 ] \
  || fail "SNMP community stored"
# values are bytes as seen: CR LF kept
[ "$(sql "$DB" "select hex(value) from evidence where scan_id=1 and key='sysDescr'")" = \
  "$(printf 'Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (NE40E V800R011C00SPC100)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd.\r\nHUAWEI NE40E-X8A' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ] \
  || fail "sysDescr not stored byte for byte"
# one row per distinct fact, however often seen (the frames repeat in every file)
[ "$(sql "$DB" "select count(*) from evidence where scan_id=1 and key='lldp.sysname' and subject='mac:00:1e:10:aa:00:01'")" = 1 ] \
  || fail "dedup"
ok "secrets kept out, bytes kept, facts deduplicated"

# 3. several files in one scan, FILTER as the last argument, an
#    unsupported link type skipped with a message
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/identity.pcap" "$D/tunnels.pcap" "$D/unsupported.pcap" ip
expect_err "unsupported.pcap: link type IEEE802_11 (105) is not one originscan reads"
S=$(sql "$DB" "select max(id) from scans")
[ "$(sql "$DB" "select json_extract(request, '\$.filter') from scans where id=$S")" = ip ] || fail "filter not recorded"
[ "$(sql "$DB" "select json_array_length(json_extract(request, '\$.files')) from scans where id=$S")" = 3 ] || fail "files"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=$S and subject='mac:00:1e:10:aa:00:01'")" = 0 ] || fail "filter ignored"
[ "$(sql "$DB" "select value from evidence where scan_id=$S and subject='10.50.0.5' and key='ssh.banner'")" = SSH-2.0-Comware-7.1.064 ] \
  || fail "second file not read"
expect_exit 2 "$ORIGINSCAN" capture --db "$DB" -r "$D/unsupported.pcap"
expect_err "every file was skipped"
expect_exit 2 "$ORIGINSCAN" capture --db "$DB" -r "$TMP/nope.pcap"
expect_err "nope.pcap"
printf 'not a capture' >"$TMP/junk.pcap"
expect_exit 2 "$ORIGINSCAN" capture --db "$DB" -r "$TMP/junk.pcap"
expect_err "junk.pcap: not a capture file"
expect_exit 2 "$ORIGINSCAN" capture --db "$DB" -r "$D/identity.pcap" "tcp port"
expect_err "filter 'tcp port'"
expect_exit 64 "$ORIGINSCAN" capture --db "$DB"
[ "$(sql "$DB" "select count(*) from scans where status != 'complete'")" = 0 ] || fail "bad input left a scan"
ok "several files, filter, skipped link type, bad input"

# 4. tunnels: the inner SSH banner / LLDP frame through each kind
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/tunnels.pcap"
S=$(sql "$DB" "select max(id) from scans")
for p in gre erspan vxlan geneve mpls gtpu vlan; do
  grep -qE "^  $p +[1-9][0-9]* +0$" "$TMP/err" || { cat "$TMP/err"; fail "tunnel $p not followed"; }
done
grep -qE "^  ssh +4 +0$" "$TMP/err" || { cat "$TMP/err"; fail "want the SSH banner through 4 IP tunnels (GRE, MPLS, GTP-U, QinQ)"; }
grep -qE "^  lldp +7 +0$" "$TMP/err" || { cat "$TMP/err"; fail "want LLDP through 7 Ethernet tunnels"; }
[ "$(sql "$DB" "select value from evidence where scan_id=$S and subject='local:router6000-1' and key='lldp.sysname'")" = router6000-1 ] \
  || fail "LLDP inside tunnels"
ok "GRE, ERSPAN I/II/III, VXLAN, Geneve, MPLS (IP and pseudowire), GTP-U, QinQ"

# 5. SCTP: several DATA chunks per packet, a fragment counted
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/sctp.pcap"
grep -qE "^  sctp +2 +0$" "$TMP/err" || { cat "$TMP/err"; fail "sctp"; }
grep -qE "^  sctp-fragment +1 +0$" "$TMP/err" || { cat "$TMP/err"; fail "sctp fragment"; }
ok "SCTP chunks"

# 6. malformed frames: each counted under its protocol, never a crash;
#    a frame cut by the snap length is not malformed
expect_exit 0 "$ORIGINSCAN" capture --db "$DB" -r "$D/malformed.pcap"
python3 - "$D/expected.json" "$TMP/err" <<'PY'
import json, re, sys
want = json.load(open(sys.argv[1]))["malformed"]
got = {}
for line in open(sys.argv[2]):
    m = re.match(r"^  (\S+) +(\d+) +(\d+)$", line)
    if m:
        got[m.group(1)] = int(m.group(3))
for p, n in want.items():
    assert got.get(p, 0) >= n, (p, n, got)
assert got.get("http", 0) == 0, got
PY
S=$(sql "$DB" "select max(id) from scans")
[ "$(sql "$DB" "select value from evidence where scan_id=$S and key='http.server'")" = cut-test ] || fail "snapped frame"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=$S and key like 'lldp%'")" = 0 ] || fail "malformed LLDP left facts"
ok "malformed counted and skipped"

# 7. attribution: the same path as SNMP
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --scan 1 --format json -o "$TMP/r.json"
python3 - "$TMP/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by_addr = {}
by_id = {}
for d in r["devices"]:
    by_id[d.get("identity")] = d
    for a in d.get("addresses") or []:
        by_addr[a] = d
def vendor(d):
    return d and d.get("vendor")
# SNMP on the wire: entPhysicalMfgName + sysObjectID enterprise 2011
assert vendor(by_addr.get("10.4.4.4")) == "huawei", by_addr.get("10.4.4.4")
# CDP (sysObjectID 9 + Cisco OUI), linked to its ARP binding
assert vendor(by_addr.get("10.2.2.2")) == "cisco", by_addr.get("10.2.2.2")
# LLDP-MED manufacturer + Huawei OUI, identified by its serial
hw = [d for d in r["devices"] if d.get("identity", "").startswith("serial:huawei:2102350DLL10K1000123")]
assert hw and vendor(hw[0]) == "huawei", [d.get("identity") for d in r["devices"]]
# DHCP enterprise 3902 (ZTE) + ZTE OUI
zte = [d for d in r["devices"] if "10.3.3.77" in (d.get("addresses") or [])]
assert zte and vendor(zte[0]) == "zte", zte
# the router MAC forwarding for 20 addresses is not merged with them
gw = [d for d in r["devices"] if "198.51.100.1" in (d.get("addresses") or [])]
assert not gw, gw
PY
ok "attributed"
