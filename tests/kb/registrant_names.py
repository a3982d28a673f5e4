#!/usr/bin/env python3
"""List IEEE registrant names and the vendor each maps to (stdlib only).

A second, independent implementation of data/README.md's name
normalisation and alias/match rules, used to write and review
tests/kb/registrants.expected. The C test regenerates the same list with
the real loader and diffs it against that file.

  registrant_names.py expected      print "VENDOR<TAB>normalised name", sorted
  registrant_names.py must          check tests/kb/registrants.must
  registrant_names.py grep REGEX    registry names (normalised) matching REGEX,
                                    with the vendor they map to ("-" = none)

Registry sources: /usr/share/ieee-data/{oui,mam,oui36,iab}.csv (column
"Organization Name"), /usr/share/wireshark/manuf (third column, the long
name; the second column when a line has no third, and never the "# ..."
comment column) and /usr/share/wireshark/enterprises.tsv (IANA). Exits 1 on a name that maps to two vendors, on a bad
pattern, or on a failed line of registrants.must.
"""
import csv
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
IEEE = '/usr/share/ieee-data'
MANUF = '/usr/share/wireshark/manuf'
ENTERPRISES = '/usr/share/wireshark/enterprises.tsv'

LEGAL = set('co ltd limited inc incorporated corp corporation company llc gmbh '
            'ag sa plc bv oy oyj ab as spa srl kk pte pty ltda sas sarl nv se '
            'lp llp'.split())


def norm(raw):
    """data/README.md normalisation, on bytes: non [a-z0-9] -> space,
    collapse, trim, then strip trailing legal-form words repeatedly."""
    if isinstance(raw, str):
        raw = raw.encode('utf-8', 'surrogateescape')
    out = bytearray()
    for b in raw:
        if 65 <= b <= 90:
            b += 32
        out.append(b if (97 <= b <= 122 or 48 <= b <= 57) else 32)
    words = out.decode('ascii').split()
    while words and words[-1] in LEGAL:
        words.pop()
    return ' '.join(words)


def registry_names():
    """Yield every raw registrant name in the registry files."""
    for f in ('oui', 'mam', 'oui36', 'iab'):
        path = os.path.join(IEEE, f + '.csv')
        with open(path, newline='', encoding='utf-8', errors='surrogateescape') as fh:
            rows = csv.reader(fh)
            next(rows, None)
            for row in rows:
                if len(row) >= 3:
                    yield row[2]
    with open(MANUF, encoding='utf-8', errors='surrogateescape') as fh:
        for line in fh:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if len(cols) >= 3 and cols[2] and not cols[2].startswith('#'):
                yield cols[2]
            elif len(cols) >= 2:
                yield cols[1]
    with open(ENTERPRISES, encoding='utf-8', errors='surrogateescape') as fh:
        for line in fh:
            m = re.match(r'^(\d+)\t([^\t\n]*)', line)
            if m:
                yield ' '.join(m.group(2).replace('\t', ' ').split())


def load_vendors():
    """Return ({normalised alias: set(ids)}, [(compiled match, id)])."""
    aliases, matches, names = {}, [], []
    for path in sorted(glob.glob(os.path.join(ROOT, 'data', 'vendors', '*.vendors'))):
        vid = None
        with open(path, encoding='utf-8') as fh:
            for line in fh:
                s = line.strip()
                if not s or s.startswith('#'):
                    continue
                m = re.match(r'^\[vendor ([a-z0-9.-]+)\]$', s)
                if m:
                    vid = m.group(1)
                    continue
                if '=' not in s or vid is None:
                    continue
                key, val = (x.strip() for x in s.split('=', 1))
                if key == 'alias':
                    aliases.setdefault(norm(val), set()).add(vid)
                elif key == 'name':
                    names.append((norm(val), vid))
                elif key == 'match':
                    if not val.startswith('^'):
                        sys.exit(f'{path}: match not anchored: {val}')
                    matches.append((re.compile(val), vid))
    # the display name maps too, unless some alias has it (the loader's rule)
    for n, vid in names:
        if n and n not in aliases:
            aliases[n] = {vid}
    return aliases, matches


def mapper():
    aliases, matches = load_vendors()

    def vendors_of(name):
        # as the loader: an exact alias first; else the anchored patterns,
        # and a name two vendors' patterns claim maps to none (reported)
        hits = set(aliases.get(name, ()))
        if hits:
            return hits
        return {vid for rx, vid in matches if rx.search(name)}
    return vendors_of


def main(argv):
    vendors_of = mapper()
    cmd = argv[1] if len(argv) > 1 else 'expected'
    if cmd == 'expected':
        bad, lines = False, set()
        for name in {norm(n) for n in registry_names()}:
            hits = vendors_of(name)
            if len(hits) > 1:
                print(f'AMBIGUOUS {sorted(hits)}\t{name}', file=sys.stderr)
                bad = True
                continue
            for vid in hits:
                lines.add(f'{vid}\t{name}')
        sys.stdout.write(''.join(x + '\n' for x in sorted(lines)))
        return 1 if bad else 0
    if cmd == 'must':
        fails = total = 0
        with open(os.path.join(HERE, 'registrants.must'), encoding='utf-8') as fh:
            for n, line in enumerate(fh, 1):
                line = line.rstrip('\n')
                if not line or line.startswith('#'):
                    continue
                want, raw = line.split('\t', 1)
                hits = vendors_of(norm(raw))
                total += 1
                if want.startswith('!'):
                    ok = want[1:] not in hits
                else:
                    ok = hits == {want}
                if not ok:
                    fails += 1
                    print(f'registrants.must:{n}: {want} {raw!r} -> {sorted(hits)}')
        print(f'{total - fails} passed, {fails} failed')
        return 1 if fails else 0
    if cmd == 'grep':
        rx = re.compile(argv[2])
        for name in sorted({norm(n) for n in registry_names()}):
            if rx.search(name):
                print(f"{','.join(sorted(vendors_of(name))) or '-'}\t{name}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
