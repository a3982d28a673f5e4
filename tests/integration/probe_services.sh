# originscan probe against real services on loopback: OpenSSH's sshd,
# inetutils-telnetd (behind a minimal inetd), lighttpd with a Basic realm
# and lighttpd over TLS with a self-signed certificate naming a maker, a
# port that accepts and never speaks, and an snmpsim agent for the SNMPv3
# discovery. Every identity is read through the capture dissectors and
# stored as evidence of its address; the silent port times out and the
# run moves on; devices are attributed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_agents.sh"
. "$(dirname "$0")/services.sh"
P_SSH=$(free_port) P_TEL=$(free_port) P_WEB=$(free_port) P_TLS=$(free_port) P_SIL=$(free_port) P_SNMP=$(free_port)
start_sshd 127.0.41.1 $P_SSH
start_telnetd 127.0.41.2 $P_TEL "$PROBEDATA/zte-login.sh"
start_web 127.0.41.3 $P_WEB HG8245H "HUAWEI HG8245H"
start_tls 127.0.41.3 $P_TLS "/C=CN/O=Huawei Technologies Co., Ltd./CN=HG8245H"
start_silent 127.0.41.4 $P_SIL
start_device 127.0.41.5 $P_SNMP nokia-7750-lldpv2
wait_agent 127.0.41.5:$P_SNMP -v2c -c public
DB="$TMP/p.db"
PORTS="ssh:$P_SSH,telnet:$P_TEL,http:$P_WEB,https:$P_TLS,http:$P_SIL"

# 1. every service once; the silent one times out (1.5 s) and the run goes on
start=$(date +%s)
expect_exit 0 "$ORIGINSCAN" probe --db "$DB" --ports "$PORTS" --snmp-port $P_SNMP --timeout 1500 \
  --connect-timeout 1500 127.0.41.1-5
[ $(( $(date +%s) - start )) -lt 60 ] || fail "the probe took too long"
expect_err "5 targets, 4 answered"
python3 - "$DB" "$P_SSH" "$P_TEL" "$P_WEB" "$P_TLS" "$P_SIL" "$P_SNMP" <<'PY'
import socket, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ssh, tel, web, tls, sil, snmp = sys.argv[2:]
def ev(addr, key):
    return [(bytes(v), s) for v, s in db.execute(
        "select value, source from evidence where scan_id=1 and subject_kind='ip' and subject=? and key=?",
        (addr, key))]
# the sshd's identification string, exactly as a plain client reads it
c = socket.create_connection(("127.0.41.1", int(ssh)), 5)
line = c.makefile("rb").readline().rstrip(b"\r\n")
c.close()
assert ev("127.0.41.1", "ssh.banner") == [(line, "127.0.41.1:" + ssh)], (ev("127.0.41.1", "ssh.banner"), line)
tb = ev("127.0.41.2", "telnet.banner")
assert len(tb) == 1 and tb[0][1] == "127.0.41.2:" + tel and b"ZXR10 M6000-S Software, Version V3.00.10" in tb[0][0] and tb[0][0].endswith(b"Username:"), tb
assert b"\xff" not in tb[0][0], tb      # option negotiation taken out
# the plain lighttpd's tag, and the TLS one's own Server header (a HEAD over TLS)
hs = dict((src, v) for v, src in ev("127.0.41.3", "http.server"))
assert hs.get("127.0.41.3:" + web) == b"HUAWEI HG8245H" and hs.get("127.0.41.3:" + tls, b"").startswith(b"lighttpd/") \
    and len(hs) == 2, hs
assert ev("127.0.41.3", "http.realm") == [(b"HG8245H", "127.0.41.3:" + web)], ev("127.0.41.3", "http.realm")
assert ev("127.0.41.3", "tls.subject-o") == [(b"Huawei Technologies Co., Ltd.", "127.0.41.3:" + tls)]
assert ev("127.0.41.3", "tls.subject-cn") == [(b"HG8245H", "127.0.41.3:" + tls)]
assert ev("127.0.41.3", "tls.subject") == [(b"C = CN, O = \"Huawei Technologies Co., Ltd.\", CN = HG8245H",
                                            "127.0.41.3:" + tls)], ev("127.0.41.3", "tls.subject")
assert ev("127.0.41.4", "probe.problem") == [(("%s/http: connected, nothing usable said within 1.5 s" % sil).encode(),
                                              "127.0.41.4:" + sil)], ev("127.0.41.4", "probe.problem")
assert ev("127.0.41.4", "probe.open") == [(("%s/http" % sil).encode(), "127.0.41.4:" + sil)]
eng = ev("127.0.41.5", "snmp.engine-id")
assert [v.hex() for v, s in eng] == ["8000197f03d099d5000100"], eng
# nothing of a port that is closed
assert not ev("127.0.41.1", "probe.open") or all(v == ("%s/ssh" % ssh).encode() for v, s in ev("127.0.41.1", "probe.open"))
states = dict(db.execute("select address, state||'|'||coalesce(detail,'') from targets where scan_id=1"))
assert states["127.0.41.1"] == "answered|ssh/%s" % ssh, states
assert states["127.0.41.2"] == "answered|telnet/%s" % tel, states
assert states["127.0.41.4"] == "unreachable|1 port open, no service said anything", states
assert states["127.0.41.5"] == "answered|snmp engine id", states
assert set(states["127.0.41.3"].split("|")[1].split()) == {"http/%s" % web, "https/%s" % tls}, states
# attribution: the TLS subject and the Server header name Huawei, the
# telnet banner ZTE, the engine id Nokia
v = dict(db.execute("select address, vendor from devices where scan_id=1"))
assert v.get("127.0.41.3") == "huawei", v
assert v.get("127.0.41.2") == "zte", v
assert v.get("127.0.41.5") == "nokia", v
print("ok: probe evidence and verdicts")
PY
ok "sshd, telnetd, web, TLS, silent port and SNMP discovery"

# 2. snmp --probe: targets that gave no SNMP answer are probed into the same scan
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $P_SNMP --timeout 500 --retries 0 --probe \
  --probe-ports "ssh:$P_SSH,telnet:$P_TEL" 127.0.41.1-2 127.0.41.5
expect_err "probe of the silent targets"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and key='ssh.banner' and subject='127.0.41.1'")" = 1 ] \
  || fail "snmp --probe: no ssh banner"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and key='telnet.banner' and subject='127.0.41.2'")" = 1 ] \
  || fail "snmp --probe: no telnet banner"
[ "$(sql "$DB" "select count(*) from evidence where scan_id=2 and collector='probe' and subject='127.0.41.5'")" = 0 ] \
  || fail "snmp --probe probed a target that answered SNMP"
[ "$(sql "$DB" "select state from targets where scan_id=2 and address='127.0.41.1'")" = unreachable ] \
  || fail "snmp --probe changed the SNMP outcome"
ok "snmp --probe"

# 3. bad input
expect_exit 64 "$ORIGINSCAN" probe --db "$DB" --ports "gopher:70" 127.0.41.1
expect_err "--ports 'gopher:70': want KIND:PORT"
expect_exit 2 "$ORIGINSCAN" probe --db "$DB" --user no-such-user-$$ --ports "ssh:$P_SSH" 127.0.41.1
expect_err "no such user"
ok "bad input"

# 4. scan -f with a [probe] stanza
cat > "$TMP/probe.conf" <<CONF
[probe lab]
target = 127.0.41.1-2
ports = ssh:$P_SSH,telnet:$P_TEL
snmp = no
timeout = 1500
CONF
expect_exit 0 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/probe.conf"
[ "$(sql "$DB" "select group_concat(key) from (select key from evidence where scan_id=3 and key in ('ssh.banner','telnet.banner') order by key)")" \
  = "ssh.banner,telnet.banner" ] || fail "[probe] stanza: banners"
printf '[probe x]\ntarget = 127.0.41.1\nports = gopher:70\n' > "$TMP/bad.conf"
expect_exit 2 "$ORIGINSCAN" scan --db "$DB" -f "$TMP/bad.conf"
expect_err "[probe x] --ports 'gopher:70'"
ok "scan -f [probe]"
