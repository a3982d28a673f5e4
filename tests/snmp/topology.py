#!/usr/bin/env python3
"""snmpsim recordings of agents that name each other as LLDP/CDP
neighbours, for the crawl's tests and bench:

    topology.py DIR PREFIX SPEC

writes DIR/N.snmprec for agent N (1-based) at PREFIX.N (PREFIX of three
numbers), or at the address PREFIX + N (four). SPEC is a list of
'N:M[/via]' edges separated by commas: agent N lists agent M as a
neighbour, by LLDP-MIB (via lldp, the default), IEEE8021-LLDP-V2-MIB
(lldp2) or CISCO-CDP-MIB (cdp); M may be a full address (a neighbour that
is no agent of ours), and 'N:M/slow' makes agent N answer its system
group 1.5 s late. 'chain:K' is 1:2,2:1,2:3,3:2,...,K:K-1; 'ring:K' the
same plus K:1,1:K. Every agent has the system group and an ifTable row.
"""
import os
import sys

SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_MAN = "1.0.8802.1.1.2.1.4.2.1"
LLDP2_REM = "1.3.111.2.802.1.1.13.1.4.1.1"
LLDP2_MAN = "1.3.111.2.802.1.1.13.1.4.2.1"
CDP = "1.3.6.1.4.1.9.9.23.1.2.1.1"


def addr_of(prefix, n):
    if prefix.count(".") == 3:
        a = [int(x) for x in prefix.split(".")]
        v = (a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3]) + n
        return "%d.%d.%d.%d" % (v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255)
    return "%s.%d" % (prefix, n)


def edges(spec, prefix):
    out = []
    for w in spec.split(","):
        if w.startswith("chain:") or w.startswith("ring:"):
            k = int(w.split(":")[1])
            for i in range(1, k):
                out += [(i, addr_of(prefix, i + 1), "lldp"), (i + 1, addr_of(prefix, i), "lldp")]
            if w.startswith("ring:"):
                out += [(k, addr_of(prefix, 1), "lldp"), (1, addr_of(prefix, k), "lldp")]
            continue
        n, rest = w.split(":", 1)
        m, _, via = rest.partition("/")
        addr = m if "." in m else addr_of(prefix, int(m))
        out.append((int(n), addr, via or "lldp"))
    return out


def mac_of(addr):
    a = [int(x) for x in addr.split(".")]
    return [0x02, 0x00] + a           # locally administered: no maker


def main():
    d, prefix, spec = sys.argv[1], sys.argv[2], sys.argv[3]
    es = edges(spec, prefix)
    mine = {addr_of(prefix, n): n for n in range(1, 65536)} if prefix.count(".") == 3 else \
        {addr_of(prefix, n): n for n in range(1, 256)}
    agents = sorted({n for n, _, _ in es} | {mine[a] for _, a, v in es if a in mine})
    os.makedirs(d, exist_ok=True)
    for n in agents:
        rows = [(SYS + ".1.0", "4", "Linux crawl-%d 6.1.0 #1 SMP x86_64" % n),
                 (SYS + ".2.0", "6", "1.3.6.1.4.1.8072.3.2.10"), (SYS + ".3.0", "67", "100"),
                 (SYS + ".5.0", "4", "crawl-%d" % n),
                 (IF + ".2.1", "4", "eth0"), (IF + ".3.1", "2", "6")]
        k = 0
        for x, addr, via in es:
            if x != n:
                continue
            k += 1
            mac = mac_of(addr)
            macx = "".join("%02x" % b for b in mac)
            ab = [int(b) for b in addr.split(".")]
            if via == "lldp":
                i = "0.%d.%d" % (k, k)
                rows += [("%s.4.%s" % (LLDP_REM, i), "2", "4"), ("%s.5.%s" % (LLDP_REM, i), "4x", macx),
                         ("%s.6.%s" % (LLDP_REM, i), "2", "5"), ("%s.7.%s" % (LLDP_REM, i), "4", "eth%d" % k),
                         ("%s.9.%s" % (LLDP_REM, i), "4", "peer-of-%d" % n)]
                rows.append(("%s.3.%s.1.4.%s" % (LLDP_MAN, i, addr), "2", "2"))
            elif via == "lldp2":
                i = "0.%d.1.%d" % (k, k)
                rows += [("%s.5.%s" % (LLDP2_REM, i), "2", "4"), ("%s.6.%s" % (LLDP2_REM, i), "4x", macx),
                         ("%s.7.%s" % (LLDP2_REM, i), "2", "5"), ("%s.8.%s" % (LLDP2_REM, i), "4", "eth%d" % k)]
                rows.append(("%s.3.%s.1.4.%s" % (LLDP2_MAN, i, addr), "2", "2"))
            elif via == "cdp":
                i = "%d.1" % k
                rows += [("%s.3.%s" % (CDP, i), "2", "1"), ("%s.4.%s" % (CDP, i), "4x", "".join("%02x" % b for b in ab)),
                         ("%s.6.%s" % (CDP, i), "4", "cdp-peer-%s" % addr)]
        rows.sort(key=lambda r: [int(x) for x in r[0].split(".")])
        with open(os.path.join(d, "%d.snmprec" % n), "w") as f:
            for o, t, v in rows:
                f.write("%s|%s|%s\n" % (o, t, v))
    print(" ".join(str(n) for n in agents))


if __name__ == "__main__":
    main()
