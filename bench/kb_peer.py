#!/usr/bin/env python3
"""The peer baseline for bench/kb.sh, doing the same work in Python:
  mac FILE      longest-prefix lookup of every MAC over the same IEEE
                registries (dicts keyed by 36-, 28- and 24-bit prefixes)
  banners FILE  first/best-weight match of every {"kind","value"} line over
                the same data/rules patterns (those Python's re accepts)
Writes one JSON line per input, as originscan identify does."""
import csv, glob, json, os, re, sys

mode, path = sys.argv[1], sys.argv[2]
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = sys.stdout

if mode == "mac":
    tabs = {24: {}, 28: {}, 36: {}}
    for f, bits in (("oui.csv", 24), ("mam.csv", 28), ("oui36.csv", 36), ("iab.csv", 36)):
        for row in csv.reader(open("/usr/share/ieee-data/" + f, encoding="utf-8", errors="replace")):
            if len(row) > 2 and len(row[1]) * 4 == bits:
                try:
                    tabs[bits][int(row[1], 16)] = row[2]
                except ValueError:
                    pass
    for line in open(path):
        h = line.strip().replace(":", "")
        v = int(h, 16)
        name = None
        for bits in (36, 28, 24):
            name = tabs[bits].get(v >> (48 - bits))
            if name and name != "IEEE Registration Authority":
                break
        out.write(json.dumps({"kind": "mac", "value": line.strip(), "registrant": name}) + "\n")
else:
    rules = {}
    for f in sorted(glob.glob(os.path.join(src, "data/rules/*.rules"))):
        cur = None
        for line in open(f, encoding="utf-8"):
            if line.startswith("[rule "):
                cur = {"weight": 50}
            elif cur is not None and "=" in line and not line[0].isspace():
                k, v = (x.strip() for x in line.split("=", 1))
                if k in ("kind", "pattern", "flags", "vendor", "weight"):
                    cur[k] = v
                if "kind" in cur and "pattern" in cur and not cur.get("done"):
                    cur["done"] = 1
                    rules.setdefault(cur["kind"], []).append(cur)
    compiled = {}
    for kind, rs in rules.items():
        for r in rs:
            fl = 0
            for c in r.get("flags", ""):
                fl |= {"i": re.I, "s": re.S, "x": re.X, "m": re.M}.get(c, 0)
            try:
                compiled.setdefault(kind, []).append((re.compile(r["pattern"], fl), r))
            except re.error:
                pass
    for line in open(path):
        j = json.loads(line)
        best = None
        for rx, r in compiled.get(j["kind"], []):
            if rx.search(j["value"]) and (best is None or int(r.get("weight", 50)) > int(best.get("weight", 50))):
                best = r
        out.write(json.dumps({"kind": j["kind"], "value": j["value"], "vendor": best and best.get("vendor")}) + "\n")
