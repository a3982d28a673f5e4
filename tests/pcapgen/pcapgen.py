#!/usr/bin/env python3
"""Writes real frames into capture files for originscan's tests, fuzz seeds
and benchmark: our own encoder for every protocol the passive collector
reads, so that the tests know exactly what each frame says.

  pcapgen.py identity DIR        identity frames in every container and link
                                 type, tunnels, malformed frames; expected.json
  pcapgen.py seeds DIR           one file per dissector (payloads) + frames,
                                 the fuzzers' seed corpus
  pcapgen.py send IFACE [N]      send the live-test frames out of IFACE, N
                                 times (AF_PACKET; the test's own namespace)
  pcapgen.py count N [NAME]      how many frames `send IFACE N` sends (only
                                 those named NAME: arp, lldp ...): a live
                                 capture waits for exactly these
  pcapgen.py bench FILE N [HOSTS]
                                 N packets of mixed traffic between HOSTS
                                 (default 4000) hosts with real vendors'
                                 OUIs, a few per cent identity frames

Every integer field is packed with struct; nothing here is clever.
"""
import gzip
import json
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------- helpers


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return socket.inet_pton(socket.AF_INET, s)


def ip6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# ---------------------------------------------------------------- link layer


def eth(dst, src, etype, payload):
    return mac(dst) + mac(src) + struct.pack("!H", etype) + payload


def vlan(vid, etype, payload):
    return struct.pack("!HH", vid, etype) + payload


def llc_snap(oui, pid, payload):
    return b"\xaa\xaa\x03" + oui.to_bytes(3, "big") + struct.pack("!H", pid) + payload


def eth8023(dst, src, llc_payload):
    return mac(dst) + mac(src) + struct.pack("!H", len(llc_payload)) + llc_payload


def sll(src, proto, payload, hatype=1):
    a = mac(src) + b"\0\0"
    return struct.pack("!HHH", 0, hatype, 6) + a + struct.pack("!H", proto) + payload


def sll2(src, proto, payload, hatype=1):
    a = mac(src) + b"\0\0"
    return struct.pack("!HHIHBB", proto, 0, 2, hatype, 0, 6) + a + payload


# ---------------------------------------------------------------- IP and transports


def ipv4(src, dst, proto, payload, ttl=64, total=None, frag=0):
    tl = total if total is not None else 20 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tl, 1, frag, ttl, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB", 0x60000000, len(payload), nh, hlim) + ip6(src) + ip6(dst) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, payload, seq=1000, flags=0x18):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 5 << 4, flags, 65535, 0, 0) + payload


def sctp_chunk(ctype, flags, value):
    c = struct.pack("!BBH", ctype, flags, 4 + len(value)) + value
    return c + b"\0" * (-len(c) % 4)


def sctp_data(ppid, payload, tsn=1, sid=0, flags=3):
    return sctp_chunk(0, flags, struct.pack("!IHHI", tsn, sid, 0, ppid) + payload)


def sctp(sport, dport, chunks):
    return struct.pack("!HHII", sport, dport, 0x1234, 0) + b"".join(chunks)


# ---------------------------------------------------------------- identity protocols


def tlv_lldp(t, v):
    return struct.pack("!H", t << 9 | len(v)) + v


def lldp(chassis_sub, chassis, port_sub, port, extra):
    out = tlv_lldp(1, bytes([chassis_sub]) + chassis) + tlv_lldp(2, bytes([port_sub]) + port)
    out += tlv_lldp(3, struct.pack("!H", 120))
    for t, v in extra:
        out += tlv_lldp(t, v)
    return out + tlv_lldp(0, b"")


def lldp_org(oui, sub, v):
    return (127, oui.to_bytes(3, "big") + bytes([sub]) + v)


def tlv_cdp(t, v):
    return struct.pack("!HH", t, 4 + len(v)) + v


def cdp(tlvs):
    return b"\x02\xb4\x00\x00" + b"".join(tlv_cdp(t, v) for t, v in tlvs)


def cdp_addrs(addrs):
    out = struct.pack("!I", len(addrs))
    for a in addrs:
        if ":" in a:
            out += b"\x02\x08\xaa\xaa\x03\x00\x00\x00\x86\xdd" + struct.pack("!H", 16) + ip6(a)
        else:
            out += b"\x01\x01\xcc" + struct.pack("!H", 4) + ip4(a)
    return out


def dhcp4(op, chaddr, options, ciaddr="0.0.0.0", yiaddr="0.0.0.0"):
    b = struct.pack("!BBBBIHH4s4s4s4s", op, 1, 6, 0, 0x3903F326, 0, 0, ip4(ciaddr), ip4(yiaddr),
                    ip4("0.0.0.0"), ip4("0.0.0.0"))
    b += mac(chaddr) + b"\0" * 10 + b"\0" * 192 + b"\x63\x82\x53\x63"
    for code, v in options:
        b += bytes([code, len(v)]) + v
    return b + b"\xff"


def dhcp6_opt(code, v):
    return struct.pack("!HH", code, len(v)) + v


def ber(tag, content):
    n = len(content)
    if n < 128:
        l = bytes([n])
    elif n < 256:
        l = b"\x81" + bytes([n])
    else:
        l = b"\x82" + struct.pack("!H", n)
    return bytes([tag]) + l + content


def ber_int(v):
    return ber(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def ber_oid(s):
    arcs = [int(x) for x in s.strip(".").split(".")]
    out = bytes([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        enc = [a & 0x7F]
        a >>= 7
        while a:
            enc.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(enc)
    return ber(0x06, out)


def snmp_response(community, varbinds, version=1, pdu=0xA2):
    vbl = b"".join(ber(0x30, ber_oid(o) + v) for o, v in varbinds)
    p = ber(pdu, ber_int(4242) + ber_int(0) + ber_int(0) + ber(0x30, vbl))
    return ber(0x30, ber_int(version) + ber(0x04, community) + p)


def snmpv3_report(engine_id):
    hdr = ber(0x30, ber_int(1) + ber_int(65507) + ber(0x04, b"\x00") + ber_int(3))
    usm = ber(0x04, ber(0x30, ber(0x04, engine_id) + ber_int(5) + ber_int(1000) + ber(0x04, b"") +
                        ber(0x04, b"") + ber(0x04, b"")))
    vb = ber(0x30, ber_oid("1.3.6.1.6.3.15.1.1.4.0") + ber(0x41, b"\x01"))
    scoped = ber(0x30, ber(0x04, engine_id) + ber(0x04, b"") +
                 ber(0xA8, ber_int(1) + ber_int(0) + ber_int(0) + ber(0x30, vb)))
    return ber(0x30, ber_int(3) + hdr + usm + scoped)


def tls_server_flight(der, version=0x0303):
    sh = struct.pack("!H", version) + b"\x11" * 32 + b"\x00" + b"\xc0\x2f" + b"\x00" + b"\x00\x00"
    hs = b"\x02" + len(sh).to_bytes(3, "big") + sh
    certs = len(der).to_bytes(3, "big") + der
    cm = len(certs).to_bytes(3, "big") + certs
    hs += b"\x0b" + len(cm).to_bytes(3, "big") + cm
    hs += b"\x0e\x00\x00\x00"
    out = b""
    for i in range(0, len(hs), 16000):
        part = hs[i:i + 16000]
        out += b"\x16\x03\x03" + struct.pack("!H", len(part)) + part
    return out


def make_cert(subject):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout",
                        d + "/k", "-subj", subject, "-days", "3650", "-outform", "DER", "-out",
                        d + "/c"], check=True, capture_output=True)
        return open(d + "/c", "rb").read()


def gre(proto, payload, key=None, seq=None):
    flags = (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0)
    out = struct.pack("!HH", flags, proto)
    if key is not None:
        out += struct.pack("!I", key)
    if seq is not None:
        out += struct.pack("!I", seq)
    return out + payload


def erspan2(frame):
    return struct.pack("!HHI", 0x1000 | 10, 0x0000 | 7, 0) + frame


def erspan3(frame):
    return struct.pack("!HHIHH", 0x2000 | 10, 7, 0, 0, 0) + frame


def vxlan(frame, vni=42):
    return struct.pack("!II", 0x08000000, vni << 8) + frame


def geneve(frame):
    return struct.pack("!BBHI", 0, 0, 0x6558, 42 << 8) + frame


def mpls(labels, payload):
    out = b""
    for i, l in enumerate(labels):
        out += struct.pack("!I", l << 12 | (0x100 if i == len(labels) - 1 else 0) | 64)
    return out + payload


def gtpu(inner, teid=0x1234):
    return struct.pack("!BBHI", 0x30, 255, len(inner), teid) + inner


# ---------------------------------------------------------------- capture files


class Writer:
    """pcap (microseconds, little endian) or pcapng; gzip when gz."""

    def __init__(self, path, linktype=1, ng=False, gz=False):
        self.f = gzip.open(path, "wb") if gz else open(path, "wb")
        self.ng = ng
        self.t = 1700000000.0
        if ng:
            shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
            self.block(0x0A0D0D0A, shb)
            self.block(1, struct.pack("<HHI", linktype, 0, 262144))
        else:
            self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))

    def block(self, btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        self.f.write(struct.pack("<II", btype, n) + body + struct.pack("<I", n))

    def add(self, frame, wirelen=None):
        self.t += 0.001
        sec, usec = int(self.t), int((self.t % 1) * 1e6)
        wl = wirelen if wirelen is not None else len(frame)
        if self.ng:
            ts = sec * 1000000 + usec
            self.block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(frame), wl) + frame)
        else:
            self.f.write(struct.pack("<IIII", sec, usec, len(frame), wl) + frame)

    def close(self):
        self.f.close()


# ---------------------------------------------------------------- the identity set

LLDP_MCAST = "01:80:c2:00:00:0e"
CDP_MCAST = "01:00:0c:cc:cc:cc"
HUAWEI_SW = "00:1e:10:aa:00:01"
CISCO_SW = "00:00:0c:bb:00:02"
ZTE_CPE = "08:60:83:cc:00:03"
JUNIPER = "00:05:85:dd:00:04"
ERICSSON = "00:01:ec:ee:00:05"
HUAWEI_2 = "28:6e:d4:ff:00:06"
HOST = "f8:4a:bf:12:00:07"
GW = "00:04:96:00:00:99"

HUAWEI_SYSDESC = (b"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
                  b"(S5720 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH Co., Ltd.")
CISCO_VERSION = (b"Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, "
                 b"RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport")
NE40E_SYSDESC = (b"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 "
                 b"(NE40E V800R011C00SPC100)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd."
                 b"\r\nHUAWEI NE40E-X8A")


def identity_frames(cert_der):
    """(name, ethernet frame) pairs: every identity protocol once."""
    F = []
    F.append(("lldp", eth(LLDP_MCAST, HUAWEI_SW, 0x88CC, lldp(4, mac(HUAWEI_SW), 5, b"GigabitEthernet0/0/1", [
        (4, b"uplink to core"), (5, b"sw-access-01"), (6, HUAWEI_SYSDESC),
        (7, struct.pack("!HH", 0x14, 0x04)),
        (8, bytes([5, 1]) + ip4("10.1.1.2") + b"\x02" + struct.pack("!I", 7) + b"\x00"),
        lldp_org(0x0080C2, 1, struct.pack("!H", 100)),
        lldp_org(0x0080C2, 3, struct.pack("!HB", 100, 4) + b"mgmt"),
        lldp_org(0x00120F, 1, b"\x03\x6c\x00\x00\x1e"),
        lldp_org(0x00120F, 4, struct.pack("!H", 9216)),
        lldp_org(0x0012BB, 5, b"VER.B"), lldp_org(0x0012BB, 6, b"1.2.3"),
        lldp_org(0x0012BB, 7, b"V200R019C10SPC500"), lldp_org(0x0012BB, 8, b"2102350DLL10K1000123"),
        lldp_org(0x0012BB, 9, b"Huawei Technologies Co., Ltd"), lldp_org(0x0012BB, 10, b"S5720-28X-SI-AC"),
        lldp_org(0x0012BB, 11, b"asset-77"),
    ]))))
    F.append(("lldp-name", eth(LLDP_MCAST, JUNIPER, 0x88CC, lldp(7, b"mx-edge-1", 7, b"ge-0/0/0", [
        (5, b"mx-edge-1"), (6, b"Juniper Networks, Inc. mx480 internet router, kernel JUNOS 18.4R3"),
        (8, bytes([17, 2]) + ip6("2001:db8::5") + b"\x02" + struct.pack("!I", 1) + b"\x00"),
    ]))))
    F.append(("cdp", eth8023(CDP_MCAST, CISCO_SW, llc_snap(0x00000C, 0x2000, cdp([
        (1, b"dist-sw-02.example.net"), (2, cdp_addrs(["10.2.2.2", "2001:db8::2"])),
        (3, b"GigabitEthernet1/0/24"), (4, struct.pack("!I", 0x28)), (5, CISCO_VERSION),
        (6, b"cisco WS-C3750E-48PD"), (0x0A, struct.pack("!H", 10)), (0x14, b"dist-sw-02"),
        (0x15, ber_oid("1.3.6.1.4.1.9.1.516")),
    ])))))
    F.append(("dhcp-discover", eth("ff:ff:ff:ff:ff:ff", ZTE_CPE, 0x0800, ipv4("0.0.0.0", "255.255.255.255", 17, udp(
        68, 67, dhcp4(1, ZTE_CPE, [(53, b"\x01"), (60, b"ZTE-F660"), (12, b"ont-f660-3"),
                                   (55, bytes([1, 3, 6, 15, 43, 60])), (43, b"\x01\x04ZXHN"),
                                   (124, struct.pack("!IB", 3902, 8) + b"\x07ZXHN-V7"),
                                   (125, struct.pack("!IB", 3902, 6) + b"\x01\x04F660")]))))))
    F.append(("dhcp-ack", eth(ZTE_CPE, GW, 0x0800, ipv4("10.3.3.1", "10.3.3.77", 17, udp(
        67, 68, dhcp4(2, ZTE_CPE, [(53, b"\x05"), (54, ip4("10.3.3.1"))], yiaddr="10.3.3.77"))))))
    duid = struct.pack("!HHI", 1, 1, 12345) + mac(HUAWEI_2)
    F.append(("dhcpv6-solicit", eth("33:33:00:01:00:02", HUAWEI_2, 0x86DD, ipv6("fe80::2a6e:d4ff:feff:6", "ff02::1:2", 17, udp(
        546, 547, b"\x01\x00\x00\x01" + dhcp6_opt(1, duid) +
        dhcp6_opt(16, struct.pack("!IH", 2011, 8) + b"HUAWEI:1") +
        dhcp6_opt(17, struct.pack("!IHH", 2011, 1, 4) + b"ONT1") +
        dhcp6_opt(39, b"\x00\x05ont-6\x07example\x00")), hlim=1))))
    vbs = [("1.3.6.1.2.1.1.1.0", ber(0x04, NE40E_SYSDESC)),
           ("1.3.6.1.2.1.1.2.0", ber_oid("1.3.6.1.4.1.2011.2.62.2.9")),
           ("1.3.6.1.2.1.1.5.0", ber(0x04, b"core-ne40e")),
           ("1.3.6.1.2.1.47.1.1.1.1.2.16777216", ber(0x04, b"NE40E-X8A chassis")),
           ("1.3.6.1.2.1.47.1.1.1.1.5.16777216", ber_int(3)),
           ("1.3.6.1.2.1.47.1.1.1.1.11.16777216", ber(0x04, b"2102113089P0B3000123")),
           ("1.3.6.1.2.1.47.1.1.1.1.12.16777216", ber(0x04, b"Huawei Technologies Co., Ltd.")),
           ("1.3.6.1.2.1.47.1.1.1.1.13.16777216", ber(0x04, b"NE40E-X8A"))]
    F.append(("snmp-response", eth(HOST, HUAWEI_2, 0x0800, ipv4("10.4.4.4", "10.4.4.100", 17, udp(
        161, 40000, snmp_response(b"s3cr3t-community", vbs))))))
    F.append(("snmp-request", eth(HUAWEI_2, HOST, 0x0800, ipv4("10.4.4.100", "10.4.4.4", 17, udp(
        40000, 161, snmp_response(b"s3cr3t-community", [("1.3.6.1.2.1.1.1.0", b"\x05\x00")], pdu=0xA0))))))
    F.append(("snmpv3-report", eth(HOST, HUAWEI_2, 0x0800, ipv4("10.4.4.4", "10.4.4.100", 17, udp(
        161, 40001, snmpv3_report(bytes.fromhex("800007db03286ed4ff0006")))))))
    F.append(("ssh", eth(HOST, ERICSSON, 0x0800, ipv4("10.5.5.5", "10.5.5.100", 6, tcp(
        22, 50000, b"SSH-2.0-ROSE_SSH_1.0\r\n")))))
    F.append(("telnet-synack", eth(HOST, ZTE_CPE, 0x0800, ipv4("10.6.6.6", "10.6.6.100", 6, tcp(
        23, 50001, b"", seq=0, flags=0x12)))))
    # a session whose start is not in the capture: nothing of it is read
    F.append(("telnet-midstream", eth(HOST, ZTE_CPE, 0x0800, ipv4("10.6.6.7", "10.6.6.100", 6, tcp(
        23, 50002, b"secret-output\r\nrouter#", seq=777)))))
    F.append(("telnet-1", eth(HOST, ZTE_CPE, 0x0800, ipv4("10.6.6.6", "10.6.6.100", 6, tcp(
        23, 50001, b"\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\r\n******************************\r\n", seq=1)))))
    F.append(("telnet-2", eth(HOST, ZTE_CPE, 0x0800, ipv4("10.6.6.6", "10.6.6.100", 6, tcp(
        23, 50001, b"Welcome to ZXR10 M6000-S\r\nUsername:", seq=60)))))
    F.append(("http", eth(HOST, HUAWEI_2, 0x0800, ipv4("10.7.7.7", "10.7.7.100", 6, tcp(
        80, 50002, b"HTTP/1.1 401 Unauthorized\r\nServer: HUAWEI HG8245H\r\n"
                   b"WWW-Authenticate: Basic realm=\"HG8245H\"\r\nContent-Length: 0\r\n\r\n")))))
    flight = tls_server_flight(cert_der)
    cut = 600
    F.append(("tls-1", eth(HOST, JUNIPER, 0x0800, ipv4("10.8.8.8", "10.8.8.100", 6, tcp(
        443, 50003, flight[:cut], seq=5000)))))
    F.append(("tls-2", eth(HOST, JUNIPER, 0x0800, ipv4("10.8.8.8", "10.8.8.100", 6, tcp(
        443, 50003, flight[cut:], seq=5000 + cut)))))
    F.append(("arp", eth("ff:ff:ff:ff:ff:ff", CISCO_SW, 0x0806, struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) +
                         mac(CISCO_SW) + ip4("10.2.2.2") + b"\0" * 6 + ip4("10.2.2.1"))))
    na = struct.pack("!BBHI", 136, 0, 0, 0x60000000) + ip6("2001:db8::7") + b"\x02\x01" + mac(HOST)
    F.append(("ndp-na", eth("33:33:00:00:00:01", HOST, 0x86DD, ipv6("fe80::fa4a:bfff:fe12:7", "ff02::1", 58, na, hlim=255))))
    # ordinary traffic from a host, and from a router forwarding for others
    F.append(("host-traffic", eth(GW, HOST, 0x0800, ipv4("10.9.9.9", "192.0.2.80", 6, tcp(40000, 80, b"", flags=2)))))
    for i in range(20):
        F.append(("routed", eth(HOST, GW, 0x0800, ipv4("198.51.100.%d" % (i + 1), "10.9.9.9", 6,
                                                      tcp(80, 40000, b"", flags=0x12), ttl=117))))
    return F


def expected():
    """What the identity set must produce: (subject kind, subject, key, value)."""
    return {
        "facts": [
            ["chassis", "mac:" + HUAWEI_SW, "lldp.sysname", "sw-access-01"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.sysdesc", HUAWEI_SYSDESC.decode()],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.port-id", "if:GigabitEthernet0/0/1"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.port-desc", "uplink to core"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.caps", "bridge,router"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.caps-enabled", "bridge"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.mgmt-addr", "10.1.1.2"],
            ["chassis", "mac:" + HUAWEI_SW, "ip", "10.1.1.2"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.port-vlan", "100"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.vlan-name.100", "mgmt"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.mau-type", "30"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.max-frame", "9216"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.hw-rev", "VER.B"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.fw-rev", "1.2.3"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.sw-rev", "V200R019C10SPC500"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.serial", "2102350DLL10K1000123"],
            ["chassis", "mac:" + HUAWEI_SW, "chassis.serial", "2102350DLL10K1000123"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.manufacturer", "Huawei Technologies Co., Ltd"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.model", "S5720-28X-SI-AC"],
            ["chassis", "mac:" + HUAWEI_SW, "lldp.med.asset-id", "asset-77"],
            ["chassis", "local:mx-edge-1", "lldp.sysname", "mx-edge-1"],
            ["chassis", "local:mx-edge-1", "lldp.port-id", "local:ge-0/0/0"],
            ["chassis", "local:mx-edge-1", "ip", "2001:db8::5"],
            ["chassis", "name:dist-sw-02.example.net", "cdp.platform", "cisco WS-C3750E-48PD"],
            ["chassis", "name:dist-sw-02.example.net", "cdp.version", CISCO_VERSION.decode()],
            ["chassis", "name:dist-sw-02.example.net", "cdp.port-id", "GigabitEthernet1/0/24"],
            ["chassis", "name:dist-sw-02.example.net", "cdp.capabilities", "switch,igmp"],
            ["chassis", "name:dist-sw-02.example.net", "cdp.native-vlan", "10"],
            ["chassis", "name:dist-sw-02.example.net", "cdp.sysname", "dist-sw-02"],
            ["chassis", "name:dist-sw-02.example.net", "sysObjectID", "1.3.6.1.4.1.9.1.516"],
            ["chassis", "name:dist-sw-02.example.net", "ip", "10.2.2.2"],
            ["chassis", "name:dist-sw-02.example.net", "ip", "2001:db8::2"],
            ["mac", ZTE_CPE, "dhcp.vendor-class", "ZTE-F660"],
            ["mac", ZTE_CPE, "dhcp.vendor-class", "ZXHN-V7"],
            ["mac", ZTE_CPE, "dhcp.hostname", "ont-f660-3"],
            ["mac", ZTE_CPE, "dhcp.prl", "1,3,6,15,43,60"],
            ["mac", ZTE_CPE, "dhcp.vendor-specific", "\x01\x04ZXHN"],
            ["mac", ZTE_CPE, "dhcp.enterprise", "3902"],
            ["mac", ZTE_CPE, "dhcp.vendor-opts.3902", "\x01\x04F660"],
            ["mac", ZTE_CPE, "ip", "10.3.3.77"],
            ["mac", HUAWEI_2, "dhcp.enterprise", "2011"],
            ["mac", HUAWEI_2, "dhcp.vendor-class", "HUAWEI:1"],
            ["mac", HUAWEI_2, "dhcp.vendor-opts.2011.1", "ONT1"],
            ["mac", HUAWEI_2, "dhcp.hostname", "ont-6.example"],
            ["ip", "10.4.4.4", "sysDescr", NE40E_SYSDESC.decode()],
            ["ip", "10.4.4.4", "sysObjectID", "1.3.6.1.4.1.2011.2.62.2.9"],
            ["ip", "10.4.4.4", "sysName", "core-ne40e"],
            ["ip", "10.4.4.4", "entPhysicalDescr.16777216", "NE40E-X8A chassis"],
            ["ip", "10.4.4.4", "entPhysicalClass.16777216", "3"],
            ["ip", "10.4.4.4", "entPhysicalSerialNum.16777216", "2102113089P0B3000123"],
            ["ip", "10.4.4.4", "entPhysicalMfgName.16777216", "Huawei Technologies Co., Ltd."],
            ["ip", "10.4.4.4", "entPhysicalModelName.16777216", "NE40E-X8A"],
            ["ip", "10.5.5.5", "ssh.banner", "SSH-2.0-ROSE_SSH_1.0"],
            ["ip", "10.6.6.6", "telnet.banner", "******************************\r\nWelcome to ZXR10 M6000-S\r\nUsername:"],
            ["ip", "10.7.7.7", "http.server", "HUAWEI HG8245H"],
            ["ip", "10.7.7.7", "http.realm", "HG8245H"],
            ["ip", "10.8.8.8", "tls.subject-o", "Juniper Networks"],
            ["ip", "10.8.8.8", "tls.subject-cn", "mx-edge-1.example.net"],
            ["ip", "10.8.8.8", "tls.issuer-o", "Juniper Networks"],
            ["ip", "10.8.8.8", "tls.subject", "C = US, O = Juniper Networks, CN = mx-edge-1.example.net"],
            ["mac", CISCO_SW, "ip", "10.2.2.2"],
            ["mac", HOST, "ip", "2001:db8::7"],
            ["mac", HOST, "ip", "10.9.9.9"],
            ["mac", GW, "mac.forwards", "yes"],
        ],
        "absent": [
            ["mac", GW, "ip", "198.51.100.1"],
            ["ip", "10.6.6.7", "telnet.banner", "secret-output\r\nrouter#"],
        ],
    }


def tunnel_frames(inner_eth, inner_ip):
    """The same inner frames through every tunnel kind."""
    out = []
    o_src, o_dst = "00:00:0c:01:01:01", "00:00:0c:02:02:02"
    outer = lambda proto, pl: eth(o_dst, o_src, 0x0800, ipv4("172.16.0.1", "172.16.0.2", proto, pl))
    out.append(("gre-ip", outer(47, gre(0x0800, inner_ip))))
    out.append(("gre-teb", outer(47, gre(0x6558, inner_eth, key=7))))
    out.append(("erspan1", outer(47, gre(0x88BE, inner_eth))))
    out.append(("erspan2", outer(47, gre(0x88BE, erspan2(inner_eth), seq=1))))
    out.append(("erspan3", outer(47, gre(0x22EB, erspan3(inner_eth), seq=1))))
    out.append(("vxlan", outer(17, udp(33333, 4789, vxlan(inner_eth)))))
    out.append(("geneve", outer(17, udp(33333, 6081, geneve(inner_eth)))))
    out.append(("mpls-ip", eth(o_dst, o_src, 0x8847, mpls([100, 200], inner_ip))))
    out.append(("mpls-pw", eth(o_dst, o_src, 0x8847, mpls([300], b"\0\0\0\0" + inner_eth))))
    out.append(("gtpu", outer(17, udp(2152, 2152, gtpu(inner_ip)))))
    out.append(("qinq", eth(o_dst, o_src, 0x88A8, vlan(100, 0x8100, vlan(200, 0x0800, inner_ip)))))
    return out


def malformed_frames():
    """(name, frame, expected protocol counted malformed)."""
    M = []
    M.append(("lldp-tlv-past-end", eth(LLDP_MCAST, HUAWEI_SW, 0x88CC, tlv_lldp(1, b"\x04" + mac(HUAWEI_SW))
                                        + struct.pack("!H", 5 << 9 | 400) + b"short"), "lldp"))
    M.append(("lldp-no-chassis", eth(LLDP_MCAST, HUAWEI_SW, 0x88CC, tlv_lldp(5, b"x") + tlv_lldp(0, b"")), "lldp"))
    M.append(("cdp-tlv-len0", eth8023(CDP_MCAST, CISCO_SW, llc_snap(0x00000C, 0x2000, b"\x02\xb4\x00\x00" +
                                                                     struct.pack("!HH", 1, 0) + b"loop")), "cdp"))
    M.append(("sctp-chunk-len0", eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 132,
                                                             struct.pack("!HHII", 36412, 36412, 1, 0) + struct.pack("!BBH", 0, 3, 0) + b"\0" * 12)), "sctp"))
    M.append(("ipv4-total-past-frame", eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, b"x"), total=1400)), "ipv4"))
    M.append(("ipv4-ihl-short", eth(HOST, GW, 0x0800, b"\x44" + b"\0" * 30), "ipv4"))
    M.append(("udp-len-past", eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, struct.pack("!HHHH", 1, 2, 999, 0))), "udp"))
    M.append(("tcp-offset-short", eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, struct.pack("!HHIIBBHHH", 1, 2, 0, 0, 2 << 4, 0, 0, 0, 0))), "tcp"))
    M.append(("arp-contradictory", eth("ff:ff:ff:ff:ff:ff", HOST, 0x0806, struct.pack("!HHBBH", 1, 0x0800, 8, 4, 1) + b"\0" * 24), "arp"))
    M.append(("dhcp-option-past", eth("ff:ff:ff:ff:ff:ff", ZTE_CPE, 0x0800, ipv4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, dhcp4(1, ZTE_CPE, [])[:-1] + b"\x3c\xf0abc"))), "dhcp"))
    M.append(("snmp-ber-past", eth(HOST, HUAWEI_2, 0x0800, ipv4("10.4.4.4", "10.4.4.100", 17, udp(161, 40000, b"\x30\x82\x10\x00\x02\x01\x01"))), "snmp"))
    M.append(("ethernet-short", mac(HOST)[:5], "ethernet"))
    deep = b""
    inner = eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 22, b"SSH-2.0-deep\r\n")))
    deep = inner
    for _ in range(12):
        deep = eth("00:00:0c:02:02:02", "00:00:0c:01:01:01", 0x0800, ipv4("172.16.0.1", "172.16.0.2", 47, gre(0x6558, deep)))
    M.append(("gre-too-deep", deep, "gre"))
    M.append(("vlan-chain", eth(HOST, GW, 0x8100, vlan(1, 0x8100, vlan(2, 0x8100, vlan(3, 0x8100, vlan(4, 0x8100, vlan(5, 0x8100, vlan(6, 0x8100, vlan(7, 0x8100, vlan(8, 0x8100, vlan(9, 0x8100, vlan(10, 0x0800, b""))))))))))), "vlan"))
    M.append(("ipv6-plen-past", eth(HOST, GW, 0x86DD, ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, b""))[:-8] + b"\0" * 4), "ipv6"))
    M.append(("gtpu-ext-len0", eth(HOST, GW, 0x0800, ipv4("172.16.0.1", "172.16.0.2", 17, udp(2152, 2152, struct.pack("!BBHIHBB", 0x34, 255, 8, 1, 0, 0, 0x85) + b"\x00\x00\x00\x00"))), "gtpu"))
    return M


def frame_to_ip(frame):
    return frame[14:]


def write_identity(d):
    os.makedirs(d, exist_ok=True)
    der = make_cert("/C=US/O=Juniper Networks/CN=mx-edge-1.example.net")
    F = identity_frames(der)
    for name, ng, gz in (("identity.pcap", False, False), ("identity.pcapng", True, False),
                         ("identity.pcap.gz", False, True), ("identity.pcapng.gz", True, True)):
        w = Writer(os.path.join(d, name), 1, ng, gz)
        for _, f in F:
            w.add(f)
        w.close()
    # the other link types: each frame re-framed
    w1 = Writer(os.path.join(d, "sll.pcap"), 113)
    w2 = Writer(os.path.join(d, "sll2.pcapng"), 276, ng=True)
    wr = Writer(os.path.join(d, "raw.pcap"), 101)
    wl = Writer(os.path.join(d, "loop.pcap"), 0)
    wlo = Writer(os.path.join(d, "loop-be.pcap"), 108)
    for name, f in F:
        etype = struct.unpack("!H", f[12:14])[0]
        src = ":".join("%02x" % b for b in f[6:12])
        proto = etype if etype > 1500 else 0x0004
        w1.add(sll(src, proto, f[14:]))
        w2.add(sll2(src, proto, f[14:]))
        if etype in (0x0800, 0x86DD):
            wr.add(f[14:])
            wl.add(struct.pack("<I", 2 if etype == 0x0800 else 30) + f[14:])
            wlo.add(struct.pack("!I", 2 if etype == 0x0800 else 24) + f[14:])
    for w in (w1, w2, wr, wl, wlo):
        w.close()
    w = Writer(os.path.join(d, "unsupported.pcap"), 105)      # 802.11: not read
    w.add(b"\x80\x00" + b"\0" * 30)
    w.close()
    # tunnels: an SSH banner over IP, an LLDP frame over Ethernet
    inner_ip = ipv4("10.50.0.5", "10.50.0.100", 6, tcp(22, 50010, b"SSH-2.0-Comware-7.1.064\r\n"))
    inner_eth = eth(LLDP_MCAST, ERICSSON, 0x88CC, lldp(7, b"router6000-1", 7, b"1/1", [(5, b"router6000-1")]))
    T = tunnel_frames(inner_eth, inner_ip)
    w = Writer(os.path.join(d, "tunnels.pcap"), 1)
    for _, f in T:
        w.add(f)
    w.close()
    # SCTP: several DATA chunks in one packet, a fragment, over IPv4 and IPv6
    w = Writer(os.path.join(d, "sctp.pcap"), 1)
    ch = [sctp_data(18, b"\x00\x11\x00\x05" + b"x" * 5, tsn=1), sctp_data(60, b"ngap", tsn=2),
          sctp_chunk(3, 0, b"\0" * 12), sctp_data(46, b"frag", tsn=3, flags=2)]
    w.add(eth(HOST, GW, 0x0800, ipv4("10.60.0.1", "10.60.0.2", 132, sctp(36412, 36412, ch))))
    w.add(eth(HOST, GW, 0x86DD, ipv6("2001:db8::60", "2001:db8::61", 132, sctp(38412, 38412, ch[:2]))))
    w.close()
    M = malformed_frames()
    w = Writer(os.path.join(d, "malformed.pcap"), 1)
    for _, f, _ in M:
        w.add(f)
    # a frame cut by the snap length is not malformed
    big = eth(HOST, GW, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(80, 1234, b"HTTP/1.1 200 OK\r\nServer: cut-test\r\n\r\n" + b"z" * 1000)))
    w.add(big[:96], wirelen=len(big))
    w.close()
    exp = expected()
    exp["malformed"] = {}
    for _, _, p in M:
        exp["malformed"][p] = exp["malformed"].get(p, 0) + 1
    exp["identity_frames"] = len(F)
    exp["tunnels"] = [n for n, _ in T]
    json.dump(exp, open(os.path.join(d, "expected.json"), "w"), indent=1)
    open(os.path.join(d, "cert.der"), "wb").write(der)


def write_seeds(d):
    """Per-dissector payloads and whole frames for the fuzzers."""
    der = make_cert("/C=CN/O=Huawei/CN=seed")
    F = identity_frames(der)
    os.makedirs(os.path.join(d, "frame"), exist_ok=True)
    inner_ip = ipv4("10.50.0.5", "10.50.0.100", 6, tcp(22, 50010, b"SSH-2.0-x\r\n"))
    inner_eth = eth(LLDP_MCAST, ERICSSON, 0x88CC, lldp(7, b"r", 7, b"1", []))
    allf = [(n, f) for n, f in F] + tunnel_frames(inner_eth, inner_ip) + [(n, f) for n, f, _ in malformed_frames()]
    for i, (n, f) in enumerate(allf):
        # the frame fuzzer's first byte picks the link type (0 = Ethernet)
        open(os.path.join(d, "frame", "%03d-%s" % (i, n)), "wb").write(b"\0" + f)
    # payloads per registry dissector: what follows the transport header
    per = {"lldp": [], "cdp": [], "dhcp": [], "dhcpv6": [], "snmp": [], "ssh": [], "telnet": [], "http": [], "tls": []}
    for n, f in F:
        et = struct.unpack("!H", f[12:14])[0]
        if n.startswith("lldp"):
            per["lldp"].append(f[14:])
        elif n == "cdp":
            per["cdp"].append(f[14 + 8:])
        elif et in (0x0800, 0x86DD):
            ipl = f[14:]
            if et == 0x0800:
                proto, body = ipl[9], ipl[20:]
            else:
                proto, body = ipl[6], ipl[40:]
            if proto == 17:
                pl = body[8:]
            elif proto == 6:
                pl = body[20:]
            else:
                continue
            key = {"dhcp-discover": "dhcp", "dhcp-ack": "dhcp", "dhcpv6-solicit": "dhcpv6", "snmp-response": "snmp",
                   "snmp-request": "snmp", "snmpv3-report": "snmp", "ssh": "ssh", "telnet-1": "telnet",
                   "telnet-2": "telnet", "http": "http", "tls-1": "tls", "tls-2": "tls"}.get(n)
            if key:
                per[key].append(pl)
    per["tls"].append(tls_server_flight(der))
    for k, v in per.items():
        os.makedirs(os.path.join(d, k), exist_ok=True)
        for i, pl in enumerate(v):
            open(os.path.join(d, k, "%02d" % i), "wb").write(pl)


LIVE_KEEP = ("lldp", "cdp", "dhcp-discover", "dhcp-ack", "arp", "lldp-name")


def live_named():
    der = make_cert("/C=US/O=Juniper Networks/CN=mx-edge-1.example.net")
    return [(n, f) for n, f in identity_frames(der) if n in LIVE_KEEP]


def live_frames():
    return [f for _, f in live_named()]


def live_count(repeat, name=None):
    return repeat * sum(1 for n, _ in live_named() if name is None or n == name)


def send(iface, repeat=3):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for _ in range(repeat):
        for f in live_frames():
            s.send(f)
    s.close()


# ---------------------------------------------------------------- benchmark capture

BENCH_OUIS = ["00:1e:10", "28:6e:d4", "f8:4a:bf", "08:60:83", "00:00:0c", "00:05:85", "00:01:ec",
              "00:04:96", "00:15:5d", "00:50:56", "d8:49:2f", "40:b0:76", "00:0e:5c", "3c:fd:fe"]


def write_bench(path, n, hosts=4000, seed=7):
    rnd = random.Random(seed)
    der = make_cert("/C=CN/O=Huawei Technologies Co., Ltd./CN=bench")
    ident = [f for _, f in identity_frames(der)]
    hl = []
    for i in range(hosts):
        oui = rnd.choice(BENCH_OUIS)
        m = "%s:%02x:%02x:%02x" % (oui, (i >> 16) & 255, (i >> 8) & 255, i & 255)
        hl.append((m, "10.%d.%d.%d" % (100 + (i >> 16), (i >> 8) & 255, i & 255 or 1)))
    w = Writer(path, 1)
    # precomputed templates: the bytes vary only in addresses and ports
    payloads = [b"", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x17\x03\x03\x00\x20" + b"q" * 32, b"d" * 200, b"e" * 1200]
    for k in range(n):
        if k % 33 == 0:     # ~3 % identity frames of every kind
            w.add(ident[(k // 33) % len(ident)])
            continue
        a, b = hl[rnd.randrange(hosts)], hl[rnd.randrange(hosts)]
        pl = payloads[k % len(payloads)]
        if k % 4 == 0:
            f = eth(b[0], a[0], 0x0800, ipv4(a[1], b[1], 17, udp(1024 + k % 50000, 53, pl[:100])))
        else:
            f = eth(b[0], a[0], 0x0800, ipv4(a[1], b[1], 6, tcp(1024 + k % 50000, 443, pl, seq=k)))
        w.add(f)
    w.close()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "identity":
        write_identity(sys.argv[2])
    elif cmd == "seeds":
        write_seeds(sys.argv[2])
    elif cmd == "send":
        send(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    elif cmd == "count":
        print(live_count(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
    elif cmd == "bench":
        write_bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 4000)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
