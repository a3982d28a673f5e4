#!/usr/bin/env python3
"""Attribution accuracy on the development corpora, with naive anchors
scored by the same code in the same run (issue 10). Run by bench/accuracy.sh,
which serves the LibreNMS walks with snmpsim first.

  accuracy.py --bin ORIGINSCAN --corpora DIR --src SRC [--port P --work DIR]
              [--misses A|B|all] [--json FILE]

Corpora (../shared/corpora/README.md has the scoring rules):
  recog-dev.jsonl   one {"kind","value",hw_vendor,os_vendor,...} a line;
                    originscan answers with `identify -`
  librenms-dev/     snmpsim walks; originscan answers with a full `snmp`
                    scan of each (one community per file) and we score the
                    polled device of the report

Anchors, answering the same rows:
  substring   the first of ~40 well-known maker names found (case-blind
              substring) in the value (sysDescr for a walk)
  iana        the IANA registrant of the sysObjectID's enterprise number
              (rows or walks that carry an OID; else no answer)

Each corpus is split in two halves by a fixed hash of the fingerprint
(Recog) or the file name (LibreNMS): develop on the misses of half A only
(--misses A), and compare A with B to see over-fitting.

Right answer: names the expected maker, or a company in its ownership
chain (a parent at some date, or a brand/subsidiary of it) as data/vendors
records it; else (makers no curated vendor knows) the same name after
normalisation. High-risk false positive: a maker of the default policy's
groups (Huawei, ZTE, Hytera, Hikvision, Dahua) named where the expected
maker is of none of them, or is none.

Subsets: "net" = expected maker is a network-equipment maker (not an
operating system or software publisher, and the fingerprint's device is
not an office/end-user device: printers, PCs, TVs ...); "all" = every row.
Rows without an expected maker count in "all" only (an answer there is a
wrong answer).
stdlib only.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

LEGAL = set('co ltd limited inc incorporated corp corporation company llc gmbh '
            'ag sa plc bv oy oyj ab as spa srl kk pte pty ltda sas sarl nv se '
            'lp llp'.split())
# words that do not tell makers apart (dropped before names are compared)
GENERIC = set('networks network technologies technology tech systems system '
              'communications communication electronics electronic electric '
              'international group holdings holding solutions products industries '
              'the and of de'.split())

# The substring anchor: the maker names a naive matcher would list first.
SUBSTRING = ['Cisco', 'Juniper', 'Huawei', 'ZTE', 'Hewlett', 'HP', 'Aruba', 'Arista',
             'Extreme', 'Nokia', 'Alcatel', 'Ericsson', 'Brocade', 'Fortinet',
             'Palo Alto', 'Check Point', 'SonicWall', 'Netgear', 'D-Link', 'TP-Link',
             'Zyxel', 'MikroTik', 'Ubiquiti', 'Dell', 'IBM', 'Lenovo', 'H3C', 'Ruijie',
             'Hikvision', 'Dahua', 'Avaya', 'Nortel', '3Com', 'Allied Telesis',
             'Motorola', 'Siemens', 'Samsung', 'Xerox', 'Canon', 'Ricoh']

HIGH_RISK = {'huawei', 'zte', 'hytera', 'hikvision', 'dahua'}

# expected makers that publish operating systems or software, not devices
SOFTWARE = set(n for n in (
    'microsoft ubuntu canonical debian freebsd netbsd openbsd centos red hat redhat '
    'fedora project suse linux novell oracle vmware citrix symantec raspbian dd wrt '
    'opnsense tomato openwrt serenityos turbolinux sco berkeley software design '
    'openwall compuware alienvault smoothwall'.split()))
SOFTWARE_NAMES = {'microsoft', 'ubuntu', 'canonical', 'debian', 'freebsd', 'netbsd', 'openbsd',
                  'centos', 'red hat', 'fedora project', 'suse', 'linux', 'novell', 'oracle',
                  'vmware', 'citrix', 'symantec', 'raspbian', 'dd wrt', 'opnsense', 'tomato',
                  'openwrt', 'serenityos', 'turbolinux', 'sco', 'berkeley software design',
                  'openwall', 'compuware', 'alienvault', 'smoothwall', 'fidelis',
                  'bandura labs', 'fireeye', 'blue coat', 'sophos', 'pulse secure'}
END_USER = {'printer', 'multifunction device', 'laptop', 'smart tv', 'point of sale',
            'tape library', 'network scanner', 'desktop', 'workstation', 'web cam',
            'network audio', 'media server', 'ipTV', 'iptv', 'display controller'}


def norm(s):
    out = []
    for ch in (s or '').lower():
        out.append(ch if ch.isascii() and ch.isalnum() else ' ')
    w = ''.join(out).split()
    while w and w[-1] in LEGAL:
        w.pop()
    return w


def key(s):
    return [t for t in norm(s) if t not in GENERIC]


def half(name):
    return 'A' if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else 'B'


# ---------------------------------------------------------------- the KB's ownership chains

def read_vendors(src):
    """id -> set of ids linked by any parent link ever (both directions,
    transitively): ancestors and descendants."""
    parents = {}
    for f in glob.glob(os.path.join(src, 'data/vendors/*.vendors')):
        cur = None
        for line in open(f, encoding='utf-8'):
            m = re.match(r'^\[vendor ([^\]]+)\]', line)
            if m:
                cur = m.group(1).strip()
                parents.setdefault(cur, set())
                continue
            m = re.match(r'^parent\s*=\s*(\S+)', line)
            if m and cur:
                parents[cur].add(m.group(1))
    up = {}

    def ancestors(v, seen=None):
        if v in up:
            return up[v]
        seen = seen or set()
        out = set()
        for p in parents.get(v, ()):
            if p in seen:
                continue
            out.add(p)
            out |= ancestors(p, seen | {v})
        up[v] = out
        return out
    for v in list(parents):
        ancestors(v)
    return up


class Names:
    """Resolves maker names through `originscan identify --kind manufacturer`."""

    def __init__(self, binary):
        self.bin = binary
        self.cache = {}

    def resolve(self, names):
        todo = sorted({n for n in names if n and n not in self.cache})
        if not todo:
            return
        inp = ''.join(json.dumps({'kind': 'manufacturer', 'value': n}) + '\n' for n in todo)
        out = subprocess.run([self.bin, 'identify', '-'], input=inp, capture_output=True,
                             text=True).stdout.splitlines()
        for n, line in zip(todo, out):
            try:
                j = json.loads(line)
            except ValueError:
                j = {}
            self.cache[n] = j

    def vendor(self, name):
        j = self.cache.get(name) or {}
        v = j.get('vendor')
        return v if v and not j.get('registry_only') else None

    def group(self, name):
        return (self.cache.get(name) or {}).get('group')


class Answer:
    """What one system said of one row: a name, and the KB vendor/group when known."""

    def __init__(self, name=None, vendor=None, group=None, names=(), brand=None):
        self.name = name
        self.vendor = vendor
        self.group = group
        self.names = [n for n in names if n]
        self.brand = brand              # the brand on the box when another maker made it

    def named(self):
        return bool(self.name or self.vendor)


def expected_names(s):
    """'HPE|H3C' -> both; 'ADVA (Adtran Networks SE)' -> ADVA and Adtran Networks SE."""
    out = []
    for alt in s.split('|'):
        m = re.match(r'^(.*?)\s*\((.*)\)\s*$', alt)
        if m:
            out += [m.group(1).strip(), m.group(2).strip()]
        else:
            out.append(alt.strip())
    return [o for o in out if o]


class Scorer:
    def __init__(self, kb_links, names):
        self.links = kb_links
        self.names = names

    def related(self, a, b):
        return a == b or a in self.links.get(b, ()) or b in self.links.get(a, ())

    def right(self, ans, expected, also=()):
        """ans names one of the expected makers (or, for Recog, a maker its
        description names: also)."""
        if not ans.named():
            return False
        for exp in list(expected) + list(also):
            ev = self.names.vendor(exp)
            if ev and ans.vendor and self.related(ev, ans.vendor):
                return True
            if ev and ans.group and self.related(ev, ans.group):
                return True
            if ev and ans.brand and self.related(ev, ans.brand):
                return True
            ek = key(exp)
            if not ek:
                continue
            if ev and ans.vendor:
                continue        # both curated: the ownership chain decided
            for n in [ans.name] + ans.names:
                ak = key(n)
                if not ak:
                    continue
                k = min(len(ak), len(ek))
                if ak[:k] == ek[:k] or ''.join(ak) == ''.join(ek):
                    return True
        return False

    def high_risk(self, ans):
        g = ans.group or (self.names.group(ans.name) if ans.name else None)
        v = ans.vendor or (self.names.vendor(ans.name) if ans.name else None)
        return (g in HIGH_RISK) or (v in HIGH_RISK) or any(
            self.related(v, h) for h in HIGH_RISK if v)

    def expected_high_risk(self, expected):
        for e in expected:
            g, v = self.names.group(e), self.names.vendor(e)
            if g in HIGH_RISK or v in HIGH_RISK:
                return True
        return False


# ---------------------------------------------------------------- anchors

def substring_anchor(text):
    low = (text or '').lower()
    for n in SUBSTRING:
        if n.lower() in low:
            return n
    return None


def load_pens():
    pens = {}
    for line in open('/usr/share/wireshark/enterprises.tsv', encoding='utf-8', errors='replace'):
        m = re.match(r'^(\d+)\t([^\t\n]*)', line)
        if m:
            pens[int(m.group(1))] = m.group(2).strip()
    return pens


def oid_pen(oid):
    arcs = [a for a in (oid or '').strip().strip('.').split('.') if a != '']
    if len(arcs) >= 7 and arcs[:6] == ['1', '3', '6', '1', '4', '1'] and arcs[6].isdigit():
        return int(arcs[6])
    return None


# ---------------------------------------------------------------- Recog

def is_net(maker, device):
    if not maker:
        return False
    if ' '.join(norm(maker)) in SOFTWARE_NAMES:
        return False
    return (device or '').strip().lower() not in END_USER


def run_recog(args, names, pens):
    rows = [json.loads(l) for l in open(os.path.join(args.corpora, 'recog-dev.jsonl'))]
    inp = ''.join(json.dumps({'kind': r['kind'], 'value': r['value']}) + '\n' for r in rows)
    out = subprocess.run([args.bin, 'identify', '-'], input=inp, capture_output=True,
                         text=True).stdout.splitlines()
    if len(out) != len(rows):
        sys.exit('accuracy: identify answered %d lines for %d' % (len(out), len(rows)))
    items = []
    for r, line in zip(rows, out):
        j = json.loads(line)
        exp = r.get('hw_vendor') or r.get('os_vendor')
        if exp == '{service.vendor}':
            exp = None
        os_ans = Answer()
        if j.get('vendor'):
            os_ans = Answer(j.get('vendor_name'), None if j.get('registry_only') else j['vendor'],
                            None if j.get('registry_only') else j.get('group'),
                            [j.get('registrant')], j.get('brand'))
        sub = substring_anchor(r['value'])
        pen = oid_pen(r['value']) if r['kind'] == 'oid' else None
        iana = pens.get(pen) if pen is not None else None
        items.append({
            'id': r['fingerprint'] or r['value'], 'half': half(r['fingerprint'] or r['value']),
            'kind': r['kind'], 'value': r['value'], 'expected': expected_names(exp) if exp else [],
            'net': is_net(exp, r.get('device')),
            'also': [r.get('fingerprint') or ''],
            'answers': {'originscan': os_ans, 'substring': Answer(sub), 'iana': Answer(iana)},
            'basis': j.get('basis'), 'disputed': False,
        })
    return items


# ---------------------------------------------------------------- LibreNMS walks

def snmprec_value(path, oid):
    for line in open(path, encoding='utf-8', errors='replace'):
        parts = line.rstrip('\n').split('|', 2)
        if len(parts) == 3 and parts[0].strip('.') == oid:
            typ, val = parts[1], parts[2]
            if typ.endswith('x'):
                try:
                    val = bytes.fromhex(val).decode('utf-8', 'replace')
                except ValueError:
                    pass
            return val
    return None


def run_librenms(args, names, pens):
    d = os.path.join(args.corpora, 'librenms-dev')
    manifest = {}
    with open(os.path.join(d, 'MANIFEST.tsv'), encoding='utf-8') as f:
        head = f.readline().rstrip('\n').split('\t')
        for line in f:
            row = dict(zip(head, line.rstrip('\n').split('\t')))
            manifest[row['file']] = row
    db = os.path.join(args.work, 'librenms.db')
    if os.path.exists(db):
        os.remove(db)
    items = []
    for fn in sorted(manifest):
        row = manifest[fn]
        vendor = row['vendor']
        if vendor == 'ambiguous':
            continue
        community = fn[:-len('.snmprec')]
        env = dict(os.environ, ORIGINSCAN_COMMUNITY=community)
        p = subprocess.run([args.bin, 'snmp', '--db', db, '--port', str(args.port), '--retries', '2',
                            '127.0.0.1'], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit('accuracy: scan of %s failed: %s' % (fn, p.stderr.strip()))
        rep = subprocess.run([args.bin, 'report', '--db', db, '--scan', 'latest' if False else
                              scan_id_of(p.stderr), '--format', 'json'],
                             capture_output=True, text=True)
        if rep.returncode != 0:
            sys.exit('accuracy: report of %s failed: %s' % (fn, rep.stderr.strip()))
        r = json.loads(rep.stdout)
        dev = None
        for dv in r.get('devices', []):
            if dv.get('address') == '127.0.0.1' or '127.0.0.1' in (dv.get('addresses') or []):
                dev = dv
                break
        os_ans = Answer()
        disputed = False
        if dev and dev.get('vendor'):
            ro = dev.get('registry_only')
            os_ans = Answer(dev.get('vendor_name'), None if ro else dev.get('vendor'),
                            None if ro else dev.get('group'), [dev.get('name_seen'), dev.get('brand_name')],
                            dev.get('brand'))
        if dev:
            disputed = bool(dev.get('disputed'))
        path = os.path.join(d, fn)
        descr = snmprec_value(path, '1.3.6.1.2.1.1.1.0') or ''
        oid = snmprec_value(path, '1.3.6.1.2.1.1.2.0') or ''
        pen = oid_pen(oid)
        negative = vendor.startswith('none')
        exp = [] if negative else expected_names(vendor)
        items.append({
            'id': fn, 'half': half(fn), 'kind': 'walk', 'value': descr[:100],
            'expected': exp, 'net': not negative, 'also': [],
            'answers': {'originscan': os_ans, 'substring': Answer(substring_anchor(descr)),
                        'iana': Answer(pens.get(pen) if pen is not None else None)},
            'basis': (dev or {}).get('evidence', [{}])[0].get('basis') if dev and dev.get('evidence') else None,
            'disputed': disputed, 'oid': oid,
        })
    return items


def scan_id_of(stderr):
    m = re.search(r'scan (\d+) ', stderr)
    return m.group(1) if m else '0'


# ---------------------------------------------------------------- scoring

def score(items, sc, system, subset, halfsel, kind=None):
    n_exp = n_named = n_right = hrfp = 0
    for it in items:
        if halfsel != 'all' and it['half'] != halfsel:
            continue
        if kind and it['kind'] != kind:
            continue
        if subset == 'net' and not it['net']:
            continue
        a = it['answers'][system]
        exp = it['expected']
        if exp:
            n_exp += 1
        if a.named():
            n_named += 1
            if exp and sc.right(a, exp, it['also']):
                n_right += 1
            elif sc.high_risk(a) and not sc.expected_high_risk(exp):
                hrfp += 1
    return n_exp, n_named, n_right, hrfp


def negatives_right(items, sc, system, halfsel):
    """walks whose maker is 'none': right when nothing is named."""
    n = r = 0
    for it in items:
        if it['expected'] or (halfsel != 'all' and it['half'] != halfsel):
            continue
        n += 1
        r += not it['answers'][system].named()
    return n, r


def fmt(n, d):
    return '%.2f' % (n / d) if d else '  - '


def report(title, items, sc, kinds, walks=False):
    systems = ['originscan', 'substring', 'iana']
    print('\n== %s ==' % title)
    if walks:
        print('%-6s %-10s | %5s %6s %6s %5s' % ('half', 'system', 'walks', 'right', 'prec', 'hrFP'))
        for h in ('A', 'B', 'all'):
            for s in systems:
                ne, nn, nr, fp = score(items, sc, s, 'all', h)
                negn, negr = negatives_right(items, sc, s, h)
                print('%-6s %-10s | %5d %6s %6s %5d' % (h, s, ne + negn, fmt(nr + negr, ne + negn),
                                                       fmt(nr, nn - 0), fp))
        return
    print('%-6s %-16s %-10s | %5s %6s %6s %5s | %5s %6s %6s %5s' % (
        'half', 'kind', 'system', 'net', 'recall', 'prec', 'hrFP', 'all', 'recall', 'prec', 'hrFP'))
    for h in ('A', 'B', 'all'):
        for k in [None] + kinds:
            for s in systems:
                if s == 'iana' and k not in (None, 'oid'):
                    continue
                a = score(items, sc, s, 'net', h, k)
                b = score(items, sc, s, 'all', h, k)
                print('%-6s %-16s %-10s | %5d %6s %6s %5d | %5d %6s %6s %5d' % (
                    h, k or 'overall', s, a[0], fmt(a[2], a[0]), fmt(a[2], a[1]), a[3],
                    b[0], fmt(b[2], b[0]), fmt(b[2], b[1]), b[3]))
        print()


def misses(items, sc, halfsel, out):
    for it in items:
        if halfsel != 'all' and it['half'] != halfsel:
            continue
        a = it['answers']['originscan']
        exp = it['expected']
        ok = (sc.right(a, exp, it['also']) if exp else not a.named())
        if ok:
            continue
        tag = 'HRFP' if a.named() and sc.high_risk(a) and not sc.expected_high_risk(exp) else (
            'WRONG' if a.named() else 'MISS')
        out.write('%s\t%s\t%s\twant=%s\tgot=%s\t%s\t%s\n' % (
            tag, it['kind'], it['id'][:50], '|'.join(exp) or '-', a.name or '-',
            json.dumps(it['value'])[:160], it.get('basis') or ''))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--corpora', required=True)
    ap.add_argument('--src', required=True)
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--work', default='/tmp')
    ap.add_argument('--misses', choices=['A', 'B', 'all'])
    ap.add_argument('--only', choices=['recog', 'librenms'])
    args = ap.parse_args()

    pens = load_pens()
    names = Names(args.bin)
    sc = Scorer(read_vendors(args.src), names)
    corpora = []
    if args.only != 'librenms':
        corpora.append(('Recog examples (identify -)', run_recog(args, names, pens), False))
    if args.only != 'recog' and args.port:
        corpora.append(('LibreNMS walks (snmp scan, polled device)', run_librenms(args, names, pens), True))
    allnames = set()
    for _t, items, _w in corpora:
        for it in items:
            allnames |= set(it['expected']) | set(it['also'])
            for a in it['answers'].values():
                allnames.add(a.name)
    names.resolve(allnames)
    # anchors answer with names: the KB resolves them as it resolves the
    # expected makers, so both sides are compared the same way
    for _t, items, _w in corpora:
        for it in items:
            for sysname in ('substring', 'iana'):
                a = it['answers'][sysname]
                if a.name:
                    a.vendor, a.group = names.vendor(a.name), names.group(a.name)
    for title, items, walks in corpora:
        kinds = sorted({it['kind'] for it in items})
        report(title, items, sc, kinds, walks)
        if args.misses:
            print('-- misses of originscan, half %s --' % args.misses)
            misses(items, sc, args.misses, sys.stdout)


if __name__ == '__main__':
    main()
