#!/usr/bin/env python3
"""check_facts.py DB EXPECTED.json [SCAN]: every expected fact is stored
as evidence of the scan (collector pcap, value byte for byte), and none of
the "absent" ones. Prints what is missing; exits 1 if anything is."""
import json
import sqlite3
import sys

db, exp = sys.argv[1], json.load(open(sys.argv[2]))
scan = int(sys.argv[3]) if len(sys.argv) > 3 else None
c = sqlite3.connect(db)
if scan is None:
    scan = c.execute("select max(id) from scans").fetchone()[0]
rows = set()
for sk, subj, key, val in c.execute(
        "select subject_kind, subject, key, value from evidence where scan_id=? and collector='pcap'", (scan,)):
    if isinstance(val, str):
        val = val.encode()
    rows.add((sk, subj, key, bytes(val)))
bad = 0
for sk, subj, key, val in exp["facts"]:
    if (sk, subj, key, val.encode("latin-1")) not in rows:
        near = sorted(r for r in rows if r[1] == subj and r[2] == key)
        print("missing: %s %s %s = %r (have %r)" % (sk, subj, key, val, near[:3]))
        bad += 1
for sk, subj, key, val in exp.get("absent", []):
    if (sk, subj, key, val.encode("latin-1")) in rows:
        print("present but must not be: %s %s %s = %r" % (sk, subj, key, val))
        bad += 1
print("%d facts checked, %d wrong" % (len(exp["facts"]) + len(exp.get("absent", [])), bad))
sys.exit(1 if bad else 0)
