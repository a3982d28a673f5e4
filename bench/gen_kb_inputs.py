#!/usr/bin/env python3
"""Generate identify benchmark inputs: MACs drawn from the real registry
(plus unassigned, local and multicast ones) and banners of many kinds with
randomised versions, host names and serials, so that nearly every value is
distinct and is really classified."""
import csv, json, random, sys

out_dir, n_macs, n_banners = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(20261122)
pfx = []
for f in ("oui.csv", "mam.csv", "oui36.csv"):
    for row in csv.reader(open("/usr/share/ieee-data/" + f, encoding="utf-8", errors="replace")):
        if len(row) > 1 and row[0] in ("MA-L", "MA-M", "MA-S"):
            pfx.append(row[1])
with open(out_dir + "/macs.txt", "w") as f:
    for _ in range(n_macs):
        r = random.random()
        if r < 0.85:
            p = random.choice(pfx)
        elif r < 0.95:
            p = "%06X" % random.getrandbits(24)
        else:
            p = "%02X" % (random.getrandbits(8) | 2) + "%04X" % random.getrandbits(16)
        m = (p + "%012X" % random.getrandbits(48))[:12]
        f.write(":".join(m[j:j + 2] for j in range(0, 12, 2)).lower() + "\n")

R = random.randint
def v():
    return "%d.%d.%d" % (R(1, 20), R(0, 20), R(0, 99))
gens = [
    ("ssh-banner", lambda: "SSH-2.0-OpenSSH_%d.%dp%d Debian-%d+deb%du%d" % (R(6, 9), R(0, 9), R(1, 2), R(1, 9), R(9, 12), R(1, 5))),
    ("ssh-banner", lambda: "SSH-2.0-Cisco-1.%d" % R(20, 30)),
    ("ssh-banner", lambda: "SSH-2.0-HUAWEI-1.%d" % R(0, 9)),
    ("ssh-banner", lambda: "SSH-2.0-dropbear_20%d.%d" % (R(12, 24), R(10, 90))),
    ("ssh-banner", lambda: "SSH-2.0-Comware-7.1.%03d" % R(0, 99)),
    ("http-server", lambda: "Apache/2.4.%d (Debian)" % R(10, 62)),
    ("http-server", lambda: "nginx/1.%d.%d" % (R(10, 25), R(0, 9))),
    ("http-server", lambda: "Microsoft-IIS/%d.0" % R(7, 10)),
    ("http-server", lambda: "lighttpd/1.4.%d" % R(30, 70)),
    ("snmp-sysdescr", lambda: "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(%d)E%d, RELEASE SOFTWARE (fc%d)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-20%d by Cisco Systems, Inc.\r\nCompiled Wed 15-Dec-21 12:04 by mcpre" % (R(1, 7), R(1, 9), R(1, 4), R(15, 24))),
    ("snmp-sysdescr", lambda: "Juniper Networks, Inc. mx%d internet router, kernel JUNOS %d.%dR%d.%d, Build date: 2020-06-25 21:06:35 UTC Copyright (c) 1996-2020 Juniper Networks, Inc." % (R(1, 10) * 80, R(12, 23), R(1, 4), R(1, 3), R(1, 9))),
    ("snmp-sysdescr", lambda: "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.%d (NE40E V800R0%02dC00SPC%d00)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd.\r\nHUAWEI NE40E-X8A\r\n" % (R(100, 220), R(9, 22), R(1, 9))),
    ("snmp-sysdescr", lambda: "Linux host-%d 5.%d.0-%d-amd64 #1 SMP Debian 5.%d.%d-1 x86_64" % (R(1, 99999), R(4, 19), R(1, 30), R(4, 19), R(1, 200))),
    ("snmp-sysdescr", lambda: "TiMOS-C-%d.%d.R%d cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2020 Nokia." % (R(15, 23), R(3, 10), R(1, 9))),
    ("lldp-sysdesc", lambda: "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS %d.%dR%d.%d" % (R(15, 22), R(1, 4), R(1, 3), R(1, 9))),
    ("tls-subject", lambda: "C = US, ST = California, L = Sunnyvale, O = Fortinet, OU = FortiGate, CN = FGT60E%010d" % R(0, 10**9)),
    ("dhcp-vendor-class", lambda: "MSFT 5.0"),
    ("dhcp-vendor-class", lambda: "udhcp 1.%d.%d" % (R(20, 36), R(0, 3))),
]
with open(out_dir + "/banners.jsonl", "w") as f:
    for _ in range(n_banners):
        k, g = random.choice(gens)
        f.write(json.dumps({"kind": k, "value": g()}) + "\n")
