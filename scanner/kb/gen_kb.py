#!/usr/bin/env python3
"""Compile the packaged registries and data/ into C tables.

Reads, at build time:
  IEEE registries from Debian's ieee-data (oui.csv MA-L, mam.csv MA-M,
  oui36.csv MA-S, iab.csv IAB), Wireshark's manuf (newer assignments) and
  enterprises.tsv (IANA private enterprise numbers) from libwireshark-data,
  and every file under data/.
Writes kb_registry.c (sorted prefix tables + one string pool) and
kb_data.c (data/ files embedded verbatim, parsed by scanner/kb at start-up).

Nothing generated is edited by hand: change the inputs and rebuild.
stdlib only.
"""
import csv
import hashlib
import os
import re
import subprocess
import sys

# ISO 3166-1 alpha-2 codes, to pick the country out of a registrant address.
ISO = set("""AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV
CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF
GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG
NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK
TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA
ZM ZW""".split())

REG_CODES = {"MA-L": 0, "MA-M": 1, "MA-S": 2, "IAB": 3, "manuf": 4}


def country_of(address):
    """IEEE addresses end '... <city> <state> CC <postcode>': take the last
    token that is exactly a known two-letter code."""
    for tok in reversed(address.replace(",", " ").split()):
        if len(tok) == 2 and tok.isalpha() and tok.isupper() and tok in ISO:
            return tok
    return ""


def clean(s):
    s = " ".join(s.replace("\t", " ").split())
    return s


class Pool:
    """One string pool with de-duplication; offsets index into it."""

    def __init__(self):
        self.buf = bytearray(b"\0")
        self.index = {"": 0}

    def add(self, s):
        if s in self.index:
            return self.index[s]
        off = len(self.buf)
        self.buf += s.encode("utf-8", "replace") + b"\0"
        self.index[s] = off
        return off

    def emit(self, out, name):
        out.write("const char %s[%d] =\n" % (name, len(self.buf)))
        data = bytes(self.buf)
        step = 96
        for i in range(0, len(data), step):
            chunk = data[i:i + step]
            out.write('  "' + "".join(
                c if 32 <= ord(c) < 127 and c not in '"\\?' else "\\%03o" % ord(c)
                for c in chunk.decode("latin-1")) + '"\n')
        out.write(";\n")


def read_ieee(ieee_dir):
    files = [("oui.csv", 24), ("mam.csv", 28), ("oui36.csv", 36), ("iab.csv", 36)]
    entries = {}  # (bits, prefix) -> (name, cc, reg)
    for fname, bits in files:
        path = os.path.join(ieee_dir, fname)
        if not os.path.exists(path):
            sys.exit("gen_kb: missing %s (install ieee-data)" % path)
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            rd = csv.reader(f)
            next(rd, None)
            for row in rd:
                if len(row) < 3:
                    continue
                reg, hexa, name = row[0].strip(), row[1].strip(), clean(row[2])
                addr = row[3] if len(row) > 3 else ""
                if len(hexa) * 4 != bits or not re.fullmatch(r"[0-9A-Fa-f]+", hexa):
                    continue
                entries[(bits, int(hexa, 16))] = (name, country_of(addr), REG_CODES.get(reg, 0))
    return entries


def read_manuf(path):
    out = {}
    if not os.path.exists(path):
        sys.exit("gen_kb: missing %s (install libwireshark-data)" % path)
    pat = re.compile(r"^([0-9A-Fa-f]{2}(?:[:\-.][0-9A-Fa-f]{2}){2,5})(?:/(\d+))?$")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            m = pat.match(cols[0].strip())
            if not m:
                continue
            raw = bytes.fromhex(re.sub(r"[:\-.]", "", m.group(1)))
            bits = int(m.group(2)) if m.group(2) else 24
            if bits not in (24, 28, 36):
                continue
            val = int.from_bytes(raw.ljust(6, b"\0"), "big") >> (48 - bits)
            long_name = clean(cols[2]) if len(cols) > 2 and cols[2].strip() and not cols[2].startswith("#") else clean(cols[1])
            out[(bits, val)] = long_name
    return out


def read_enterprises(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"^(\d+)\t([^\t]*)", line.rstrip("\n"))
            if m:
                out.append((int(m.group(1)), clean(m.group(2))))
    out.sort()
    return out


def pkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                              capture_output=True, text=True, timeout=10).stdout.strip() or "?"
    except Exception:
        return "?"


def c_escape_bytes(data):
    parts = []
    for line in data.split(b"\n"):
        s = "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\?' else "\\%03o" % b
                    for b in line + b"\n")
        parts.append('  "%s"' % s)
    return "\n".join(parts)


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: gen_kb.py IEEE_DIR WIRESHARK_DIR DATA_DIR OUT_REGISTRY_C OUT_DATA_C")
    ieee_dir, ws_dir, data_dir, out_reg, out_data = sys.argv[1:]

    ieee = read_ieee(ieee_dir)
    manuf = read_manuf(os.path.join(ws_dir, "manuf"))
    # Registrant name -> country, from IEEE, so that a prefix known only to
    # the newer manuf still gets its registrant's country.
    name_cc = {}
    for (name, cc, _reg) in ieee.values():
        if cc:
            name_cc.setdefault(name.lower(), cc)
    merged = dict(ieee)
    newer = 0
    for key, name in manuf.items():
        if key in merged:
            continue
        merged[key] = (name, name_cc.get(name.lower(), ""), REG_CODES["manuf"])
        newer += 1

    ent = read_enterprises(os.path.join(ws_dir, "enterprises.tsv"))

    pool = Pool()
    tables = {24: [], 28: [], 36: []}
    for (bits, val), (name, cc, reg) in merged.items():
        tables[bits].append((val, pool.add(name), cc, reg))
    for t in tables.values():
        t.sort()
    ent_rows = [(n, pool.add(name)) for n, name in ent]

    # Version: the data/ files' digest and the registry packages' versions.
    h = hashlib.sha256()
    data_files = []
    for root, _dirs, files in os.walk(data_dir):
        for fn in files:
            if fn.endswith((".vendors", ".rules", ".policy", ".txt")):
                data_files.append(os.path.relpath(os.path.join(root, fn), data_dir))
    data_files.sort()
    for rel in data_files:
        with open(os.path.join(data_dir, rel), "rb") as f:
            h.update(rel.encode() + b"\0" + f.read())
    version = "data %s; ieee-data %s; wireshark %s" % (
        h.hexdigest()[:12], pkg_version("ieee-data"), pkg_version("libwireshark-data"))

    os.makedirs(os.path.dirname(os.path.abspath(out_reg)), exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(out_data)), exist_ok=True)
    with open(out_reg + ".tmp", "w") as out:
        out.write("/* Generated by scanner/kb/gen_kb.py: do not edit. */\n")
        out.write('#include "kb_tables.h"\n\n')
        pool.emit(out, "kb_pool")
        for bits in (24, 28, 36):
            rows = tables[bits]
            out.write("\nconst struct kb_oui_row kb_oui%d[%d] = {\n" % (bits, max(1, len(rows))))
            for val, off, cc, reg in rows:
                out.write("{0x%xULL,%d,%d,{'%s','%s'}},\n" % (
                    val, off, reg, cc[0] if cc else "\\0", cc[1] if cc else "\\0"))
            out.write("};\nconst size_t kb_oui%d_len = %d;\n" % (bits, len(rows)))
        # 24-bit prefixes with 28/36-bit assignments under them: lookups
        # elsewhere skip two searches
        parents = sorted({v >> 4 for v, *_ in tables[28]} | {v >> 12 for v, *_ in tables[36]})
        out.write("\nconst uint32_t kb_sub_parents[%d] = {%s};\n" % (
            max(1, len(parents)), ",".join("0x%x" % p for p in parents) or "0"))
        out.write("const size_t kb_sub_parents_len = %d;\n" % len(parents))
        # placeholder registrants, by their offset in the pool
        out.write("const uint32_t kb_off_ieee_ra = %d;\n" % pool.index.get("IEEE Registration Authority", 0xffffffff))
        out.write("const uint32_t kb_off_private = %d;\n" % pool.index.get("Private", 0xffffffff))
        out.write("\nconst struct kb_pen_row kb_pen[%d] = {\n" % len(ent_rows))
        for n, off in ent_rows:
            out.write("{%d,%d},\n" % (n, off))
        out.write("};\nconst size_t kb_pen_len = %d;\n" % len(ent_rows))
        out.write('const char kb_registry_version[] = "%s";\n' % version)
        out.write("const unsigned kb_registry_newer_from_manuf = %d;\n" % newer)
    os.replace(out_reg + ".tmp", out_reg)

    with open(out_data + ".tmp", "w") as out:
        out.write("/* Generated by scanner/kb/gen_kb.py: do not edit. */\n")
        out.write('#include "kb_tables.h"\n\n')
        for i, rel in enumerate(data_files):
            with open(os.path.join(data_dir, rel), "rb") as f:
                body = f.read()
            out.write("static const char file_%d[] =\n%s;\n" % (i, c_escape_bytes(body)))
        out.write("\nconst struct kb_file kb_files[%d] = {\n" % max(1, len(data_files)))
        for i, rel in enumerate(data_files):
            out.write('  {"%s", file_%d, sizeof(file_%d) - 1},\n' % (rel, i, i))
        out.write("};\nconst size_t kb_files_len = %d;\n" % len(data_files))
    os.replace(out_data + ".tmp", out_data)


if __name__ == "__main__":
    main()
