#!/usr/bin/env python3
"""Compile the packaged registries and data/ into C tables.

Reads, at build time:
  IEEE registries from Debian's ieee-data (oui.csv MA-L, mam.csv MA-M,
  oui36.csv MA-S, iab.csv IAB), Wireshark's manuf (newer assignments) and
  enterprises.tsv (IANA private enterprise numbers) from libwireshark-data,
  and every file under data/.
Writes kb_registry.c (sorted prefix tables, the organisations, the
registry part of the name index, one string pool) and kb_data.c (data/
files embedded verbatim, parsed by scanner/kb at start-up).

Organisations: every registrant of IANA and the IEEE registries is one,
its spellings merged when they normalise to the same letters (case,
punctuation, spaces and legal suffixes aside: "ciscoSystems" and "Cisco
Systems, Inc" are one), its country the one its IEEE addresses give (else
one its name states: "Shenzhen ..." is CN). Name index: for each
organisation, its whole name (when some word of it tells it apart) and its
core word (the first word no other registrant, no dictionary and no list of
generic words below has), as lower-case token strings in an open-addressing
hash table the C side probes the same way (names.c).

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


# ---------------------------------------------------------------- organisations

ORG_IEEE, ORG_IANA, ORG_CC_FROM_NAME = 1, 2, 4
NO_ORG = 0xffffffff
N_PHRASE, N_CORE, N_PREFIX = 1, 2, 4   # name index entry flags (names.c knows them)
FIRST_BITS = 20                         # first-word filter: 2^20 bits (128 KiB)

LEGAL = set("co ltd limited inc incorporated corp corporation company llc gmbh ag sa "
            "plc bv oy oyj ab as spa srl kk pte pty ltda sas sarl nv se lp llp".split())
# Registrant "names" that name nobody.
PLACEHOLDERS = {"reserved", "none", "private", "ieee registration authority", "unassigned",
                "not assigned", "unknown", "test", "example"}
# Words that say what kind of company, not which one.
GENERIC = set("""technology technologies tech techs systems system networks network networking
communications communication comm comms telecom telecommunications telecommunication electronics
electronic electric electrical electro industries industry industrial international intl group
holdings holding solutions solution products product enterprises enterprise services service
software hardware devices device instruments instrument engineering labs lab laboratories
laboratory research development manufacturing manufacturer trading digital data computer
computers computing information info micro microsystems global national america american
americas europe european asia asian pacific worldwide world co company corporate the and of de
du des la le el en und et y for inc ltd gmbh science sciences scientific innovation innovations
integration design designs automation control controls power energy security secure smart
mobile wireless media multimedia vision video audio optical optics photonics semiconductor
semiconductors microelectronics net web online cloud internet consulting consultants
management partners associates institute university college school foundation association
agency ministry department office center centre""".split())
# Places that begin company names ("Shenzhen X Technology"): never a name's core.
CN_PLACES = set("""china chinese beijing shanghai shenzhen guangzhou hangzhou wuhan nanjing chengdu
xiamen suzhou zhuhai dongguan fuzhou tianjin qingdao jinan hefei xian changsha zhejiang jiangsu
guangdong fujian shandong hubei hunan sichuan henan hebei anhui jiangxi liaoning shenyang dalian
harbin kunming nanning ningbo wuxi changzhou foshan zhongshan huizhou jiaxing shaoxing wenzhou
yantai weifang zibo taiyuan shijiazhuang zhengzhou chongqing guiyang lanzhou urumqi hohhot
yinchuan xining lhasa haikou sanya nanchang""".split())
OTHER_PLACES = {"taiwan": "TW", "taipei": "TW", "hsinchu": "TW", "taichung": "TW", "kaohsiung": "TW",
                "hong": "", "kong": "", "japan": "JP", "tokyo": "JP", "osaka": "JP", "korea": "KR",
                "seoul": "KR", "india": "IN", "russia": "RU", "moscow": "RU", "israel": "IL",
                "germany": "DE", "france": "FR", "italia": "IT", "italy": "IT", "espana": "ES",
                "spain": "ES", "canada": "CA", "usa": "US", "uk": "GB", "britain": "GB", "singapore": "SG",
                "vietnam": "VN", "thailand": "TH", "malaysia": "MY", "indonesia": "ID", "brasil": "BR",
                "brazil": "BR", "mexico": "MX", "turkey": "TR", "iran": "IR", "ukraine": "UA",
                "poland": "PL", "sweden": "SE", "norway": "NO", "finland": "FI", "denmark": "DK",
                "netherlands": "NL", "belgium": "BE", "swiss": "CH", "switzerland": "CH",
                "austria": "AT", "australia": "AU", "zealand": "", "africa": "", "saudi": "SA"}
# Software, protocols and operating systems: a banner is full of these, and
# they name no maker of the device even when some registrant is called so.
STOP = set("""linux gnu bsd freebsd openbsd netbsd debian ubuntu redhat centos fedora suse apache
nginx openssh dropbear busybox udhcp udhcpc lighttpd boa goahead thttpd mini httpd windows unix
snmp snmpd netsnmp lwip openwrt ddwrt vxworks android java python perl http https html xml json
ipv4 ipv6 ethernet wifi wlan lte gsm umts voip sip pppoe dhcp dns ntp ftp tftp telnet smtp ldap
radius tacacs openssl gnutls mbedtls wolfssl libc glibc uclibc musl kernel firmware webserver
webui webadmin server client agent daemon router switch gateway bridge modem camera printer
version release build copyright rights reserved microsoft darwin xnu macos osx solaris sunos aix
hpux irix tru64 ultrix netware openvms qnx rtos threadx nucleus ecos freertos zephyr contiki
jboss tomcat jetty websphere weblogic iis squid varnish haproxy envoy traefik caddy openresty
tengine cherokee monkey hiawatha mongoose civetweb jetdirect rompager allegro mocana""".split())
# Last words that make a two-word name a company's ("Extreme Networks").
ORGISH = set("networks technologies systems communications electronics telecom "
             "microsystems labs".split())


def norm_words(name):
    """data/README.md normalisation as a word list."""
    out = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in name).split()
    while out and out[-1] in LEGAL:
        out.pop()
    return out


def read_words(path):
    """Ordinary English words (lower-case entries of a word list), to keep
    them out of the name index ("Network", "Apple", "Digital")."""
    if not os.path.exists(path):
        sys.exit("gen_kb: missing %s (install wamerican)" % path)
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if w and w == w.lower() and "'" not in w:
                words.add(w)
    return words


def fnv32(b):
    h = 2166136261
    for c in b:
        h = ((h ^ c) * 16777619) & 0xffffffff
    return h


class Orgs:
    def __init__(self, words):
        self.words = words
        self.by_key = {}
        self.index = {}

    def add(self, name, cc, flag):
        w = norm_words(name)
        if not w or " ".join(w) in PLACEHOLDERS or w[0] == "reserved":
            return
        key = "".join(w)
        o = self.by_key.get(key)
        if o is None:
            o = self.by_key[key] = {"spell": {}, "cc": {}, "flags": 0, "ieee": {}}
        o["spell"][name] = o["spell"].get(name, 0) + 1
        # a company rather than a person or a project: an IEEE registrant,
        # or a name with a legal form or a company word in it
        raw = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in name).split()
        if flag == ORG_IEEE or any(t in LEGAL or t in ORGISH or t in GENERIC for t in raw):
            o["company"] = True
        if flag == ORG_IEEE:
            o["ieee"][name] = o["ieee"].get(name, 0) + 1
        if cc:
            o["cc"][cc] = o["cc"].get(cc, 0) + 1
        o["flags"] |= flag

    def of(self, name):
        w = norm_words(name)
        return self.index.get("".join(w), NO_ORG)

    def ordinary(self, t):
        return t in self.words or (t.endswith("s") and t[:-1] in self.words)

    def glued(self, t):
        """A word and a company word written as one ("ControlSystems",
        "DataNetworks"); brands glued from ordinary words ("AirMagnet",
        "NetGear") stay."""
        for k in range(3, len(t) - 2):
            a, b = t[:k], t[k:]
            if (self.ordinary(a) or a in GENERIC) and b in GENERIC:
                return True
        return False

    def distinctive(self, t, df, first):
        """A word that tells one maker apart: not English, not generic,
        not a place or software, and rare among registrants, or else the
        first word of most names it is in (a brand with several registered
        companies: "Xerox ...", "Toshiba ...")."""
        letters = sum(c.isalpha() for c in t)
        if (len(t) < 4 or letters < 3 or self.ordinary(t) or t in GENERIC or t in CN_PLACES
                or t in OTHER_PLACES or t in STOP or self.glued(t)):
            return False
        n = df.get(t, 0)
        return n <= 2 or (n <= 15 and first.get(t, 0) * 5 >= n * 4)

    def finish(self):
        keys = sorted(self.by_key)
        self.rows = []
        self.company = []
        self.count = []
        for i, key in enumerate(keys):
            o = self.by_key[key]
            self.index[key] = i
            # display: the IEEE spelling most used, else the most used
            src = o["ieee"] or o["spell"]
            name = sorted(src.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            w = norm_words(name)
            flags = o["flags"]
            cc = sorted(o["cc"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if o["cc"] else ""
            if not cc:
                for t in w:
                    if t in CN_PLACES:
                        cc = "CN"
                    elif OTHER_PLACES.get(t):
                        cc = OTHER_PLACES[t]
                    if cc:
                        flags |= ORG_CC_FROM_NAME
                        break
            self.rows.append((name, "-".join(w), cc, flags, w))
            self.company.append(bool(o.get("company")))
            self.count.append(sum(o["spell"].values()))
        # the name index
        df, first = {}, {}
        for (_n, _s, _c, _f, w) in self.rows:
            for t in set(w):
                df[t] = df.get(t, 0) + 1
            if w:
                first[w[0]] = first.get(w[0], 0) + 1
        phrases, cores = {}, {}
        for i, (_n, _s, _c, _f, w) in enumerate(self.rows):
            if len(w) > 6:
                continue
            dist = [t for t in w if self.distinctive(t, df, first)]
            # a whole name of two words or more needs one word that is no
            # English, generic, place or software word, however common
            # among registrants ("Gallagher Group")
            rare = [t for t in w if len(t) >= 3 and not self.ordinary(t) and t not in GENERIC
                    and t not in CN_PLACES and t not in OTHER_PLACES and t not in STOP]
            if len(w) >= 2 and len(" ".join(w)) >= 6 and (
                    rare or (w[-1] in ORGISH and df.get(w[0], 0) <= 3 and w[0] not in GENERIC
                             and w[0] not in CN_PLACES and w[0] not in STOP and len(w[0]) >= 4)):
                phrases.setdefault(" ".join(w), set()).add(i)
            # one word alone names a company only when the registrant is
            # one: IANA also registers people ("Antti Backman")
            if self.company[i]:
                for t in dist[:3]:
                    cores.setdefault(t, set()).add(i)
        entries = []
        for text, who in phrases.items():
            if len(who) == 1:
                entries.append((text, next(iter(who)), N_PHRASE))
        for text, who in cores.items():
            if text in phrases:
                continue
            # a word several registrants share names the one with most of
            # their registrations ("epson": Seiko Epson, not Epson Research
            # Center); when none has most, it names none ("fuji")
            ranked = sorted(who, key=lambda i: (-self.count[i], i))
            total = sum(self.count[i] for i in who)
            if self.count[ranked[0]] * 5 >= total * 3:
                entries.append((text, ranked[0], N_CORE))
        entries.sort()
        self.entries = entries

    def intern(self, pool):
        self.name_off = [pool.add(r[0]) for r in self.rows]
        self.slug_off = [pool.add(r[1]) for r in self.rows]
        self.entry_off = [pool.add(e[0]) for e in self.entries]
        for (text, _org, _fl) in self.entries:       # the leading words, as prefixes
            w = text.split(" ")
            for k in range(1, len(w)):
                pool.add(" ".join(w[:k]))

    def emit(self, out, pool):
        out.write("\nconst struct kb_org_row kb_org[%d] = {\n" % max(1, len(self.rows)))
        for i, (_n, _s, cc, flags, _w) in enumerate(self.rows):
            out.write("{%d,%d,%d,{'%s','%s'}},\n" % (
                self.name_off[i], self.slug_off[i], flags,
                cc[0] if cc else "\\0", cc[1] if cc else "\\0"))
        out.write("};\nconst size_t kb_org_len = %d;\n" % len(self.rows))
        # slugs sorted, for lookups by id (rows are sorted by key, not slug)
        by_slug = sorted(range(len(self.rows)), key=lambda i: self.rows[i][1])
        out.write("const uint32_t kb_org_by_slug[%d] = {\n" % max(1, len(by_slug)))
        for j in range(0, len(by_slug), 16):
            out.write(",".join(str(i) for i in by_slug[j:j + 16]) + ",\n")
        out.write("};\n")
        # name index: entries (and the leading words of longer ones, marked
        # N_PREFIX, so that a lookup stops extending at once when no name
        # goes on), an open-addressing table of (hash << 32 | entry + 1),
        # and a bitmap of first words
        entries = list(self.entries)
        offs = list(self.entry_off)
        have = {e[0] for e in entries}
        for (text, _org, _fl) in self.entries:
            w = text.split(" ")
            for k in range(1, len(w)):
                pre = " ".join(w[:k])
                if pre not in have:
                    have.add(pre)
                    entries.append((pre, NO_ORG, N_PREFIX))
                    offs.append(pool.index[pre])
        n = len(entries)
        cap = 1
        while cap < 2 * n + 2:
            cap *= 2
        slots = [0] * cap
        first = [0] * ((1 << FIRST_BITS) >> 5)
        maxw = 1
        for k, (text, _org, _fl) in enumerate(entries):
            h = fnv32(text.encode())
            j = h & (cap - 1)
            while slots[j]:
                j = (j + 1) & (cap - 1)
            slots[j] = (h << 32) | (k + 1)
            f = fnv32(text.split(" ")[0].encode()) & ((1 << FIRST_BITS) - 1)
            first[f >> 5] |= 1 << (f & 31)
            maxw = max(maxw, text.count(" ") + 1)
        out.write("const struct kb_name_row kb_names[%d] = {\n" % max(1, n))
        for k, (_text, org, fl) in enumerate(entries):
            out.write("{%d,%d,%d},\n" % (offs[k], org, fl))
        out.write("};\nconst size_t kb_names_len = %d;\n" % n)
        out.write("const uint64_t kb_name_slots[%d] = {\n" % cap)
        for j in range(0, cap, 8):
            out.write(",".join("0x%xULL" % x for x in slots[j:j + 8]) + ",\n")
        out.write("};\nconst size_t kb_name_slots_len = %d;\n" % cap)
        out.write("const uint32_t kb_name_first[%d] = {\n" % len(first))
        for j in range(0, len(first), 16):
            out.write(",".join("0x%x" % x for x in first[j:j + 16]) + ",\n")
        out.write("};\nconst int kb_name_maxwords = %d;\n" % maxw)


def ordinary_in_data(data_dir, words):
    """The ordinary English words among the words of data/'s maker names
    (vendor name, alias and text keys; product-line keys): names.c wants
    such a one-word name written with a capital."""
    found = set()
    for root, _dirs, files in os.walk(data_dir):
        for fn in files:
            if not fn.endswith((".vendors", ".lines")):
                continue
            with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                for line in f:
                    t = line.strip()
                    if not t or t.startswith(("#", "[")) or "=" not in t:
                        continue
                    k, v = (x.strip() for x in t.split("=", 1))
                    text = k if fn.endswith(".lines") else (v.split("|")[0] if k in ("name", "alias", "text") else "")
                    for w in "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in text).split():
                        if w in words or (w.endswith("s") and w[:-1] in words):
                            found.add(w)
    return found


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
    if len(sys.argv) != 7:
        sys.exit("usage: gen_kb.py IEEE_DIR WIRESHARK_DIR DICT DATA_DIR OUT_REGISTRY_C OUT_DATA_C")
    ieee_dir, ws_dir, dict_path, data_dir, out_reg, out_data = sys.argv[1:]

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
    orgs = Orgs(read_words(dict_path))
    for (name, cc, _reg) in merged.values():
        orgs.add(name, cc, ORG_IEEE)
    for _n, name in ent:
        orgs.add(name, "", ORG_IANA)
    orgs.finish()

    pool = Pool()
    tables = {24: [], 28: [], 36: []}
    for (bits, val), (name, cc, reg) in merged.items():
        tables[bits].append((val, pool.add(name), cc, reg, orgs.of(name)))
    for t in tables.values():
        t.sort()
    ent_rows = [(n, pool.add(name), orgs.of(name)) for n, name in ent]
    orgs.intern(pool)
    ordinary = sorted(ordinary_in_data(data_dir, orgs.words))
    ordinary_off = [pool.add(w) for w in ordinary]

    # Version: the data/ files' digest and the registry packages' versions.
    h = hashlib.sha256()
    data_files = []
    for root, _dirs, files in os.walk(data_dir):
        for fn in files:
            if fn.endswith((".vendors", ".rules", ".policy", ".txt", ".lines")):
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
            for val, off, cc, reg, org in rows:
                out.write("{0x%xULL,%d,%d,%d,{'%s','%s'}},\n" % (
                    val, off, org, reg, cc[0] if cc else "\\0", cc[1] if cc else "\\0"))
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
        for n, off, org in ent_rows:
            out.write("{%d,%d,%d},\n" % (n, off, org))
        out.write("};\nconst size_t kb_pen_len = %d;\n" % len(ent_rows))
        orgs.emit(out, pool)
        out.write("const uint32_t kb_ordinary[%d] = {%s};\n" % (
            max(1, len(ordinary_off)), ",".join(str(o) for o in ordinary_off) or "0"))
        out.write("const size_t kb_ordinary_len = %d;\n" % len(ordinary_off))
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
