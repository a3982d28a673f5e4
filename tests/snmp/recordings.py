#!/usr/bin/env python3
"""The SNMP test recordings (snmpsim .snmprec) and the evidence each must
give, written from one description so the two cannot drift apart.

    python3 tests/snmp/recordings.py     # rewrites tests/snmp/*.snmprec, *.expected

Each device is a list of (oid, tag, value) rows as the agent holds them
-- the file is sorted by OID the way snmpsim needs, except where a device
is broken on purpose -- and a hand-written list of the evidence rows the
collector must store: (subject kind, subject, key, value). Values are text,
or bytes for anything binary; the .expected file writes bytes as hex:...
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
ENT = "1.3.6.1.2.1.47.1.1.1.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_MAN = "1.0.8802.1.1.2.1.4.2.1"
LLDP_MED = "1.0.8802.1.1.2.1.5.4795.1.3.3.1"
LLDP2_REM = "1.3.111.2.802.1.1.13.1.4.1.1"
LLDP2_MAN = "1.3.111.2.802.1.1.13.1.4.2.1"
CDP = "1.3.6.1.4.1.9.9.23.1.2.1.1"
ARP = "1.3.6.1.2.1.4.35.1"
ARP_MEDIA = "1.3.6.1.2.1.4.22.1"
BRIDGE = "1.3.6.1.2.1.17"
QFDB = "1.3.6.1.2.1.17.7.1.2.2.1"
DFDB = "1.3.6.1.2.1.17.4.3.1"


# The walks in the collector's order (collectors/snmp/snmp_tables.c), as the
# snmp.tables summary row names them.
WALKS = ["entPhysicalTable", "ifTable", "lldpRemTable", "lldpRemTable.sys", "lldpRemManAddrTable",
         "lldpXMedRemInventoryTable", "lldpV2RemTable", "lldpV2RemTable.sys", "lldpV2RemManAddrTable",
         "cdpCacheTable", "cdpCacheTable.more", "ipNetToPhysicalTable", "ipNetToMediaTable",
         "dot1dBaseBridgeAddress", "dot1qTpFdbTable", "dot1dTpFdbTable"]


def tables(default, **counts):
    """The snmp.tables row: each walk's count (keyword: the name with . as _),
    else default."""
    return " ".join("%s=%s" % (w, counts.get(w.replace(".", "_"), default)) for w in WALKS)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def mac_oid(s):
    return ".".join(str(b) for b in mac(s))


def system(rows, ev, descr, objid, name, location, contact, uptime):
    rows += [(SYS + ".1.0", 4, descr), (SYS + ".2.0", 6, objid), (SYS + ".3.0", 67, str(uptime)),
             (SYS + ".4.0", 4, contact), (SYS + ".5.0", 4, name), (SYS + ".6.0", 4, location)]
    ev += [("sysDescr", descr), ("sysObjectID", objid), ("sysUpTime", str(uptime)), ("sysContact", contact),
           ("sysName", name), ("sysLocation", location)]


# ---------------------------------------------------------------------------
# 1. A Cisco ASR 1001-X with a Huawei optic in it, LLDP neighbours (a Huawei
#    switch, a Yealink phone with LLDP-MED inventory, an odd one with a
#    binary local chassis id and a sparse row), ARP/ND and bridge tables.

def cisco_chassis():
    rows, ipev, other = [], [], []
    system(rows, ipev,
           "Cisco IOS Software [Amsterdam], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version "
           "17.3.4a, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
           "Copyright (c) 1986-2021 by Cisco Systems, Inc.\r\nCompiled Tue 20-Jul-21 04:59 by mcpre",
           "1.3.6.1.4.1.9.1.1861", "pe2-asr1001x.lab", "Lab rack C3", "noc@lab.example", 2983412)
    # entPhysicalTable: index, descr, vendortype, containedin, class, relpos, name, hw, fw, sw, serial, mfg, model
    ents = [
        (1, "Cisco ASR1001-X Chassis", "1.3.6.1.4.1.9.12.3.1.3.1861", 0, 3, -1, "Chassis", "V07", "", "",
         "FXS2233Q1AB", "Cisco Systems Inc", "ASR1001-X"),
        (2, "Cisco ASR1001-X Power Supply", "1.3.6.1.4.1.9.12.3.1.6.329", 1, 6, 0, "Power Supply Module 0",
         "V01", "", "", "ART2239F0XY", "Cisco Systems Inc", "ASR1001-X-PWR-AC"),
        (3, "Cisco ASR1001-X Fan Tray", "1.3.6.1.4.1.9.12.3.1.7.179", 1, 7, 1, "Fan Tray", "", "", "", "",
         "Cisco Systems Inc", ""),
        (4, "Cisco ASR1001-X Built-In SPA Interface Processor", "1.3.6.1.4.1.9.12.3.1.9.1.342", 1, 9, 2,
         "module 0", "V01", "16.9(3r)", "17.3.4a", "JAE22330ABC", "Cisco Systems Inc", "ASR1001-X"),
        (5, "subslot 0/0 transceiver container", "1.3.6.1.4.1.9.12.3.1.5.1", 4, 5, 0,
         "subslot 0/0 transceiver container 0", "", "", "", "", "", ""),
        (6, "10GBASE-LR SFP+ Module", "1.3.6.1.4.1.9.12.3.1.9.79.13", 5, 9, 0, "subslot 0/0 transceiver 0",
         "", "", "", "HA17210512345", "HUAWEI", "OSX010000"),
        (7, "TenGigabitEthernet0/0/0", "1.3.6.1.4.1.9.12.3.1.10.190", 6, 10, 0, "TenGigabitEthernet0/0/0",
         "", "", "", "", "", ""),
        (8, "10GBASE-SR SFP+ Module", "1.3.6.1.4.1.9.12.3.1.9.79.12", 5, 9, 1, "subslot 0/0 transceiver 1",
         "V03", "", "", "FNS21450ABC", "CISCO-FINISAR", "SFP-10G-SR"),
    ]
    cols = [(2, "Descr", 4), (3, "VendorType", 6), (4, "ContainedIn", 2), (5, "Class", 2), (6, "ParentRelPos", 2),
            (7, "Name", 4), (8, "HardwareRev", 4), (9, "FirmwareRev", 4), (10, "SoftwareRev", 4),
            (11, "SerialNum", 4), (12, "MfgName", 4), (13, "ModelName", 4)]
    for e in ents:
        for i, (col, name, tag) in enumerate(cols):
            val = str(e[1 + i])
            rows.append(("%s.%d.%d" % (ENT, col, e[0]), tag, val))
            if name:
                ipev.append(("entPhysical%s.%d" % (name, e[0]), val))
    # ifTable (ifMtu, column 4, is there and not collected)
    ifs = [(1, "GigabitEthernet0", 6, "00:a3:8e:1f:20:01"), (2, "TenGigabitEthernet0/0/0", 6, "00:a3:8e:1f:20:02"),
           (3, "Null0", 1, None), (4, "Loopback0", 24, None)]
    for i, d, t, m in ifs:
        rows += [("%s.2.%d" % (IF, i), 4, d), ("%s.3.%d" % (IF, i), 2, str(t)), ("%s.4.%d" % (IF, i), 2, "1500"),
                 ("%s.6.%d" % (IF, i), 4, mac(m) if m else b"")]
        ipev += [("ifDescr.%d" % i, d), ("ifType.%d" % i, str(t)), ("ifPhysAddress.%d" % i, mac(m) if m else b"")]
    # LLDP neighbours: (timemark, local port, index)
    huawei = "mac:70:7b:e8:5a:10:01"
    hsys = ("Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (CE6850 "
            "V200R005C10SPC800)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd.\r\nHUAWEI CE6850-48S6Q-HI")
    n1 = "0.2.1"
    rows += [("%s.4.%s" % (LLDP_REM, n1), 2, "4"), ("%s.5.%s" % (LLDP_REM, n1), 4, mac("70:7b:e8:5a:10:01")),
             ("%s.6.%s" % (LLDP_REM, n1), 2, "5"), ("%s.7.%s" % (LLDP_REM, n1), 4, "10GE1/0/1"),
             ("%s.8.%s" % (LLDP_REM, n1), 4, "to-pe2-asr1001x"), ("%s.9.%s" % (LLDP_REM, n1), 4, "agg1-ce6850"),
             ("%s.10.%s" % (LLDP_REM, n1), 4, hsys), ("%s.11.%s" % (LLDP_REM, n1), 4, b"\x28\x00"),
             ("%s.12.%s" % (LLDP_REM, n1), 4, b"\x28\x00")]
    other += [("chassis", huawei, "lldp.chassis-id", mac("70:7b:e8:5a:10:01")),
              ("chassis", huawei, "lldp.local-port", "2"),
              ("chassis", huawei, "mac", mac("70:7b:e8:5a:10:01")),
              ("chassis", huawei, "lldp.port-id", "if:10GE1/0/1"),
              ("chassis", huawei, "lldp.port-desc", "to-pe2-asr1001x"),
              ("chassis", huawei, "lldp.sysname", "agg1-ce6850"),
              ("chassis", huawei, "lldp.sysdesc", hsys),
              ("chassis", huawei, "lldp.caps", "bridge,router"),
              ("chassis", huawei, "lldp.caps-enabled", "bridge,router"),
              ("chassis", huawei, "lldp.mgmt-addr", "10.20.30.2"),
              ("chassis", huawei, "ip", "10.20.30.2")]
    phone = "ip:10.20.40.7"
    n2 = "0.3.2"
    rows += [("%s.4.%s" % (LLDP_REM, n2), 2, "5"), ("%s.5.%s" % (LLDP_REM, n2), 4, b"\x01\x0a\x14\x28\x07"),
             ("%s.6.%s" % (LLDP_REM, n2), 2, "3"), ("%s.7.%s" % (LLDP_REM, n2), 4, mac("80:5e:c0:11:22:33")),
             ("%s.8.%s" % (LLDP_REM, n2), 4, "WAN PORT"), ("%s.9.%s" % (LLDP_REM, n2), 4, "T54W805EC0112233"),
             ("%s.10.%s" % (LLDP_REM, n2), 4, "Yealink SIP-T54W 96.86.0.23"),
             ("%s.11.%s" % (LLDP_REM, n2), 4, b"\x24"), ("%s.12.%s" % (LLDP_REM, n2), 4, b"\x04")]
    other += [("chassis", phone, "lldp.chassis-id", b"\x01\x0a\x14\x28\x07"),
              ("chassis", phone, "lldp.local-port", "3"),
              ("chassis", phone, "ip", "10.20.40.7"),
              ("chassis", phone, "lldp.port-id", "mac:80:5e:c0:11:22:33"),
              ("chassis", phone, "lldp.port-desc", "WAN PORT"),
              ("chassis", phone, "lldp.sysname", "T54W805EC0112233"),
              ("chassis", phone, "lldp.sysdesc", "Yealink SIP-T54W 96.86.0.23"),
              ("chassis", phone, "lldp.caps", "bridge,telephone"),
              ("chassis", phone, "lldp.caps-enabled", "telephone")]
    odd = "hex:001a2bff"        # not text: hex, as the capture collector writes it
    n3 = "0.4.3"                # sparse: no descriptions, no capabilities
    rows += [("%s.4.%s" % (LLDP_REM, n3), 2, "7"), ("%s.5.%s" % (LLDP_REM, n3), 4, b"\x00\x1a\x2b\xff"),
             ("%s.6.%s" % (LLDP_REM, n3), 2, "7"), ("%s.7.%s" % (LLDP_REM, n3), 4, "17"),
             ("%s.9.%s" % (LLDP_REM, n3), 4, "odd-neighbour")]
    other += [("chassis", odd, "lldp.chassis-id", b"\x00\x1a\x2b\xff"),
              ("chassis", odd, "lldp.local-port", "4"),
              ("chassis", odd, "lldp.port-id", "local:17"),
              ("chassis", odd, "lldp.sysname", "odd-neighbour")]
    # management addresses: the address is in the index (subtype, length, octets)
    for n, sub, addr in ((n1, 1, "10.20.30.2"), (n2, 1, "10.20.40.7")):
        idx = "%s.%d.4.%s" % (n, sub, addr)
        rows += [("%s.3.%s" % (LLDP_MAN, idx), 2, "2"), ("%s.4.%s" % (LLDP_MAN, idx), 2, "6"),
                 ("%s.5.%s" % (LLDP_MAN, idx), 6, "0.0")]
    other += [("chassis", phone, "lldp.mgmt-addr", "10.20.40.7"), ("chassis", phone, "ip", "10.20.40.7")]
    med = [(1, "T54W", "lldp.med.hw-rev"), (2, "", "lldp.med.fw-rev"), (3, "96.86.0.23", "lldp.med.sw-rev"),
           (4, "8019A0123456789", "lldp.med.serial"), (5, "Yealink", "lldp.med.manufacturer"),
           (6, "SIP-T54W", "lldp.med.model"), (7, "", "lldp.med.asset-id")]
    for col, val, key in med:
        rows.append(("%s.%d.%s" % (LLDP_MED, col, n2), 4, val))
        other.append(("chassis", phone, key, val))
        if key == "lldp.med.serial":
            other.append(("chassis", phone, "chassis.serial", val))
    # ARP/ND (ipNetToPhysicalTable) and the older ipNetToMediaTable, which
    # is not walked when the newer one has rows
    v6 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xfa, 0xbc, 0x12, 0xff, 0xfe, 0x44, 0x55, 0x66]
    arp = [("2.1.4.10.20.30.2", "70:7b:e8:5a:10:01", "10.20.30.2"),
           ("2.1.4.10.20.30.9", "f8:bc:12:44:55:66", "10.20.30.9"),
           ("2.1.4.10.20.30.10", "00:00:00:00:00:00", None),          # incomplete: no device
           ("2.2.16." + ".".join(map(str, v6)), "f8:bc:12:44:55:66", "fe80::fabc:12ff:fe44:5566")]
    for idx, m, ip in arp:
        rows += [("%s.4.%s" % (ARP, idx), 4, mac(m)), ("%s.6.%s" % (ARP, idx), 2, "3")]
        if ip:
            other.append(("mac", m, "ip", ip))
    for ip, m in (("10.20.30.2", "70:7b:e8:5a:10:01"), ("10.20.30.9", "f8:bc:12:44:55:66")):
        rows.append(("%s.2.2.%s" % (ARP_MEDIA, ip), 4, mac(m)))
    # BRIDGE-MIB: base address, numPorts; Q-BRIDGE forwarding table (the
    # BRIDGE-MIB one is not walked when Q-BRIDGE has rows)
    rows += [(BRIDGE + ".1.1.0", 4, mac("00:a3:8e:1f:20:00")), (BRIDGE + ".1.2.0", 2, "4")]
    ipev.append(("dot1dBaseBridgeAddress", mac("00:a3:8e:1f:20:00")))
    fdb = [(10, "70:7b:e8:5a:10:01", 2, 3), (10, "c4:2f:90:11:22:33", 3, 3), (10, "00:a3:8e:1f:20:00", 0, 4),
           (20, "c4:2f:90:11:22:33", 3, 3), (20, "01:00:5e:00:00:01", 0, 5)]
    for vid, m, port, status in fdb:
        rows += [("%s.2.%d.%s" % (QFDB, vid, mac_oid(m)), 2, str(port)),
                 ("%s.3.%d.%s" % (QFDB, vid, mac_oid(m)), 2, str(status))]
        if not mac(m)[0] & 1:
            other.append(("mac", m, "fdb.port", str(port)))
        if status == 4:
            ipev.append(("fdb.self", mac(m)))
    rows += [("%s.1.%s" % (DFDB, mac_oid("70:7b:e8:5a:10:01")), 4, mac("70:7b:e8:5a:10:01")),
             ("%s.2.%s" % (DFDB, mac_oid("70:7b:e8:5a:10:01")), 2, "2"),
             ("%s.3.%s" % (DFDB, mac_oid("70:7b:e8:5a:10:01")), 2, "3")]
    # CISCO-CDP-MIB cdpCacheTable (ifIndex 2, device 1): the same neighbour
    # as the CDP frame of tests/pcapgen's identity capture, so that the two
    # collectors' rows can be compared (tests/integration/snmp_inventory.sh)
    dist = "name:dist-sw-02.example.net"
    version = ("Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, "
               "RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport")
    v6 = bytes.fromhex("20010db8000000000000000000000002")
    rows += [("%s.3.2.1" % CDP, 2, "1"), ("%s.4.2.1" % CDP, 4, bytes([10, 2, 2, 2])),
             ("%s.5.2.1" % CDP, 4, version), ("%s.6.2.1" % CDP, 4, "dist-sw-02.example.net"),
             ("%s.7.2.1" % CDP, 4, "GigabitEthernet1/0/24"), ("%s.8.2.1" % CDP, 4, "cisco WS-C3750E-48PD"),
             ("%s.9.2.1" % CDP, 4, b"\x00\x00\x00\x28"), ("%s.11.2.1" % CDP, 2, "10"),
             ("%s.12.2.1" % CDP, 2, "3"), ("%s.17.2.1" % CDP, 4, "dist-sw-02"),
             ("%s.18.2.1" % CDP, 6, "1.3.6.1.4.1.9.1.516"), ("%s.19.2.1" % CDP, 2, "20"),
             ("%s.20.2.1" % CDP, 4, v6)]
    other += [("chassis", dist, "cdp.device-id", "dist-sw-02.example.net"),
              ("chassis", dist, "cdp.local-port", "2"),
              ("chassis", dist, "cdp.address", "10.2.2.2"), ("chassis", dist, "ip", "10.2.2.2"),
              ("chassis", dist, "cdp.version", version),
              ("chassis", dist, "cdp.port-id", "GigabitEthernet1/0/24"),
              ("chassis", dist, "cdp.platform", "cisco WS-C3750E-48PD"),
              ("chassis", dist, "cdp.capabilities", "switch,igmp"),
              ("chassis", dist, "cdp.native-vlan", "10"),
              ("chassis", dist, "cdp.sysname", "dist-sw-02"),
              ("chassis", dist, "sysObjectID", "1.3.6.1.4.1.9.1.516"),
              ("chassis", dist, "cdp.address", "2001:db8::2"), ("chassis", dist, "ip", "2001:db8::2")]
    ipev.append(("snmp.tables", tables("skipped", entPhysicalTable=96, ifTable=12, lldpRemTable=9,
                                       lldpRemTable_sys=14, lldpRemManAddrTable=2, lldpXMedRemInventoryTable=7,
                                       cdpCacheTable=4, cdpCacheTable_more=8, ipNetToPhysicalTable=4,
                                       dot1dBaseBridgeAddress=1, dot1qTpFdbTable=10)))
    return rows, ipev, other, True


# ---------------------------------------------------------------------------
# 2. A broken agent: its ifTable loops (ifDescr.3 is followed by ifDescr.2:
#    the file is out of order on purpose, and snmpsim answers GETNEXT with
#    the next line), it has no ENTITY-MIB, its ARP table fails with genErr
#    on the second row, and its Q-BRIDGE table answers noSuchObject inside
#    a walk. What comes before each fault is kept.

def broken():
    rows, ipev, other = [], [], []
    system(rows, ipev, "Linux fw-lab 3.10.108 #1 SMP PREEMPT Tue Oct 3 10:11:12 CST 2017 armv7l",
           "1.3.6.1.4.1.8072.3.2.10", "broken-agent.lab", "Lab rack C4", "root@broken-agent", 77)
    rows += [(IF + ".2.1", 4, "eth0"), (IF + ".2.3", 4, "eth2"), (IF + ".2.2", 4, "eth1")]
    ipev += [("ifDescr.1", "eth0"), ("ifDescr.3", "eth2")]
    for i in (1, 2, 3):
        rows.append(("%s.3.%d" % (IF, i), 2, "6"))
        ipev.append(("ifType.%d" % i, "6"))
    for i in (1, 2, 3):
        m = "f8:bc:12:00:00:0%d" % i
        rows.append(("%s.6.%d" % (IF, i), 4, mac(m)))
        ipev.append(("ifPhysAddress.%d" % i, mac(m)))
    rows += [(ARP + ".4.1.1.4.192.0.2.1", 4, mac("f8:bc:12:00:00:09")),
             (ARP + ".4.1.1.4.192.0.2.2", "4:error", "op=get,status=genError")]
    other.append(("mac", "f8:bc:12:00:00:09", "ip", "192.0.2.1"))
    rows += [(QFDB + ".2.1." + mac_oid("00:1b:21:01:02:03"), 2, "5"),
             (QFDB + ".2.1." + mac_oid("00:1b:21:01:02:04"), "2:error", "op=get,status=noSuchObject"),
             (QFDB + ".3.1." + mac_oid("00:1b:21:01:02:03"), 2, "3"),
             (QFDB + ".3.1." + mac_oid("00:1b:21:01:02:04"), 2, "3")]
    other.append(("mac", "00:1b:21:01:02:03", "fdb.port", "5"))
    # what snmpsim (pysnmp) does with these faults, as recorded problems: it
    # echoes a GETBULK that hits the genErr row with NULL values, answers
    # the genErr row itself to GETNEXT with a NULL value, and answers the
    # noSuchObject row with an SNMPv1 noSuchName error
    ipev += [("snmp.problem", "ifTable: GETBULK answered without values; walking with GETNEXT"),
             ("snmp.problem", "ifTable: OID not increasing (1.3.6.1.2.1.2.2.1.2.2 after 1.3.6.1.2.1.2.2.1.2.3): "
              "the agent loops; column 2 stopped"),
             ("snmp.problem", "ipNetToPhysicalTable: GETNEXT answered without a value; walk stopped"),
             ("snmp.problem", "dot1qTpFdbTable: agent answered noSuchName (an SNMPv1 error) to GETNEXT; "
              "column 2 stopped"),
             ("snmp.tables", tables("skipped", entPhysicalTable=0, ifTable=8, lldpRemTable=0, lldpV2RemTable=0,
                                    cdpCacheTable=0, ipNetToPhysicalTable=1, dot1dBaseBridgeAddress=0,
                                    dot1qTpFdbTable=3))]
    return rows, ipev, other, False


# ---------------------------------------------------------------------------
# 3. An agent that chokes on part of a table: the second ifTable row takes
#    two seconds to produce (snmpsim's delay variation), longer than the
#    test's timeout (1.5 s) and shorter than two of them: on a busy machine
#    an answer has a second of slack either way. The GETBULK that includes it gets no answer, so the walk is
#    tried again with GETNEXT, which gets the first row, then no answer:
#    the device's walks stop there, what came first is kept.

def slow():
    rows, ipev, other = [], [], []
    system(rows, ipev, "Linux slow-lab 5.10.0 #1 SMP x86_64", "1.3.6.1.4.1.8072.3.2.10", "slow-agent.lab",
           "Lab rack C5", "root@slow-agent", 88)
    rows += [(IF + ".2.1", 4, "eth0"), (IF + ".2.2", "4:delay", "value=eth1,wait=2000"),
             (IF + ".3.1", 2, "6"), (IF + ".3.2", 2, "6"),
             (IF + ".6.1", 4, mac("f8:bc:12:00:01:01")), (IF + ".6.2", 4, mac("f8:bc:12:00:01:02"))]
    ipev += [("ifDescr.1", "eth0"), ("ifType.1", "6"), ("ifPhysAddress.1", mac("f8:bc:12:00:01:01")),
             ("snmp.problem", "ifTable: no reply to GETBULK; walking with GETNEXT"),
             ("snmp.problem", "ifTable: no reply; walks of this device stopped"),
             ("snmp.tables", tables("not-walked", entPhysicalTable=0, ifTable=3))]
    return rows, ipev, other, False


# ---------------------------------------------------------------------------
# 4. A Nokia 7750 SR that speaks IEEE8021-LLDP-V2-MIB only (one more index,
#    the destination MAC table's, and columns one further on): a Huawei
#    neighbour with an IPv4 and an IPv6 management address.

def nokia_lldpv2():
    rows, ipev, other = [], [], []
    system(rows, ipev, "TiMOS-C-20.10.R4 cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2021 Nokia.",
           "1.3.6.1.4.1.6527.1.3.17", "pe7-7750.lab", "Lab rack C7", "noc@lab.example", 4411)
    rows += [(IF + ".2.3", 4, "1/1/1"), (IF + ".3.3", 2, "6"), (IF + ".6.3", 4, mac("d0:99:d5:00:01:03"))]
    ipev += [("ifDescr.3", "1/1/1"), ("ifType.3", "6"), ("ifPhysAddress.3", mac("d0:99:d5:00:01:03"))]
    nb = "mac:e0:24:7f:00:00:07"
    hdesc = "Huawei YunShan OS\r\nVersion 1.22.0.1 (NE8000 V800R022C00SPC500)\r\nHUAWEI NE8000 M8"
    i = "0.3.1.1"       # timemark, local ifIndex, destination address index, remote index
    rows += [("%s.5.%s" % (LLDP2_REM, i), 2, "4"), ("%s.6.%s" % (LLDP2_REM, i), 4, mac("e0:24:7f:00:00:07")),
             ("%s.7.%s" % (LLDP2_REM, i), 2, "5"), ("%s.8.%s" % (LLDP2_REM, i), 4, "GE0/1/0"),
             ("%s.9.%s" % (LLDP2_REM, i), 4, "to-pe7"), ("%s.10.%s" % (LLDP2_REM, i), 4, "ne8000-7"),
             ("%s.11.%s" % (LLDP2_REM, i), 4, hdesc), ("%s.12.%s" % (LLDP2_REM, i), 4, b"\x28\x00"),
             ("%s.13.%s" % (LLDP2_REM, i), 4, b"\x08\x00"), ("%s.14.%s" % (LLDP2_REM, i), 2, "2")]
    other += [("chassis", nb, "lldp.chassis-id", mac("e0:24:7f:00:00:07")),
              ("chassis", nb, "lldp.local-port", "3"),
              ("chassis", nb, "mac", mac("e0:24:7f:00:00:07")),
              ("chassis", nb, "lldp.port-id", "if:GE0/1/0"),
              ("chassis", nb, "lldp.port-desc", "to-pe7"),
              ("chassis", nb, "lldp.sysname", "ne8000-7"),
              ("chassis", nb, "lldp.sysdesc", hdesc),
              ("chassis", nb, "lldp.caps", "bridge,router"),
              ("chassis", nb, "lldp.caps-enabled", "router")]
    v6 = bytes.fromhex("20010db8000700000000000000000007")
    for sub, a, text in ((1, bytes([10, 7, 0, 7]), "10.7.0.7"), (2, v6, "2001:db8:7::7")):
        idx = "%s.%d.%d.%s" % (i, sub, len(a), ".".join(str(b) for b in a))
        rows += [("%s.3.%s" % (LLDP2_MAN, idx), 2, "2"), ("%s.4.%s" % (LLDP2_MAN, idx), 66, "5")]
        other += [("chassis", nb, "lldp.mgmt-addr", text), ("chassis", nb, "ip", text)]
    ipev.append(("snmp.tables", tables("skipped", entPhysicalTable=0, ifTable=3, lldpRemTable=0, lldpV2RemTable=3,
                                       lldpV2RemTable_sys=6, lldpV2RemManAddrTable=2, cdpCacheTable=0,
                                       ipNetToPhysicalTable=0, ipNetToMediaTable=0, dot1dBaseBridgeAddress=0,
                                       dot1qTpFdbTable=0, dot1dTpFdbTable=0)))
    return rows, ipev, other, True


# name: (rows, evidence, SNMPv3 engine id the simulator is given)
DEVICES = {
    # Cisco's engine id format: enterprise 9, format 3 (a MAC: the base MAC)
    "cisco-asr1001x-huawei-optic": (cisco_chassis, "800000090300a38e1f2000"),
    # net-snmp's: enterprise 8072, format 4 (text)
    "broken-agent": (broken, "80001f880462726f6b656e2d6167656e74"),
    "slow-agent": (slow, "80001f8804736c6f772d6167656e74"),
    # Nokia's (ALU): enterprise 6527, format 3 (a MAC)
    "nokia-7750-lldpv2": (nokia_lldpv2, "8000197f03d099d5000100"),
}


def oid_key(o):
    return [int(x) for x in o.split(".")]


def encode(tag, val):
    if isinstance(val, bytes):
        if all(0x20 <= b < 0x7f for b in val) and val:
            return "%s|%s" % (tag, val.decode())
        return "%sx|%s" % (tag, val.hex())
    if all(0x20 <= ord(c) < 0x7f for c in val):
        return "%s|%s" % (tag, val)
    return "%sx|%s" % (tag, val.encode().hex())


def expected_value(val):
    b = val if isinstance(val, bytes) else val.encode()
    if all(0x20 <= x < 0x7f for x in b):
        return b.decode()
    return "hex:" + b.hex()


def main():
    for name, (fn, engine) in DEVICES.items():
        rows, ipev, other, sort = fn()
        ipev.insert(0, ("snmp.engine-id", bytes.fromhex(engine)))
        if sort:
            rows.sort(key=lambda r: oid_key(r[0]))
        with open(os.path.join(HERE, name + ".snmprec"), "w") as f:
            for o, tag, val in rows:
                f.write("%s|%s\n" % (o, encode(tag, val) if not isinstance(tag, str) or ":" not in tag
                                      else "%s|%s" % (tag, val)))
        with open(os.path.join(HERE, name + ".expected"), "w") as f:
            f.write("# evidence %s.snmprec must give: kind<TAB>subject<TAB>key<TAB>value (hex:... for bytes);\n"
                    "# subject @ is the agent's own address. Written by recordings.py.\n"
                    "# engine-id %s\n" % (name, engine))
            for k, v in ipev:
                f.write("ip\t@\t%s\t%s\n" % (k, expected_value(v)))
            for kind, subj, k, v in other:
                f.write("%s\t%s\t%s\t%s\n" % (kind, subj, k, expected_value(v)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
