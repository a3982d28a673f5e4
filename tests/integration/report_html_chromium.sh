# The HTML report in a real browser (Debian's chromium, headless): it
# renders, the three charts are drawn (their bar colours are on the
# screenshot, taken at a phone's width), the device whose sysDescr holds
# <script> shows it as text and nothing of it runs (the page title would
# change), and it prints to PDF.
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || skip "chromium is not installed (scripts/install-deps installs it)"
PORT=$(free_port)
start_snmpsim $PORT 127.0.21 "$LAB"/0[1-8]-*.snmprec "$SRCDIR/tests/integration/hostile.snmprec"
DB="$TMP/h.db"
expect_exit 0 "$ORIGINSCAN" snmp --db "$DB" --port $PORT 127.0.21.1-127.0.21.9
expect_exit 0 "$ORIGINSCAN" report --db "$DB" --policy uk-ncsc --format html -o "$TMP/r.html"

chrome() {
  timeout 240 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --user-data-dir="$TMP/chrome" "$@" \
    2>>"$TMP/chrome.log"
}
chrome --dump-dom "file://$TMP/r.html" > "$TMP/dom.html" || { tail "$TMP/chrome.log"; fail "chromium could not render the report"; }
python3 - "$TMP/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
# it rendered: the title is ours, untouched by any injected script
t = re.search(r"<title>(.*?)</title>", dom).group(1)
assert t == "originscan exposure report, scan 1", t
assert "<script" not in dom.lower(), "a script element in the rendered DOM"
assert "pwned" not in t and "img" not in t
# the hostile sysDescr is there as text (the serialiser escapes text nodes)
assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=" in dom, "sysDescr not shown as text"
assert not re.search(r"<img[^>]*onerror", dom), "an injected element made it into the DOM"
for chart in ("chart-vendor", "chart-jurisdiction", "chart-domain"):
    m = re.search(r'<svg id="%s".*?</svg>' % chart, dom, re.S)
    assert m, chart
    assert len(re.findall(r'<rect class="bar"', m.group(0))) >= (1 if chart == "chart-domain" else 4), chart
PY
ok "renders; charts in the DOM; <script> shown as text"

chrome --window-size=412,2400 --hide-scrollbars --screenshot="$TMP/phone.png" "file://$TMP/r.html" >/dev/null
python3 - "$TMP/phone.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = {}
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = tuple(line[x:x + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = line
blue, red = colours.get((0x4a, 0x78, 0xa8), 0), colours.get((0xc0, 0x39, 0x2b), 0)
assert w == 412, w
assert blue > 200 and red > 200, ("chart bars not drawn", blue, red)
PY
ok "charts drawn on a phone-width screenshot"

chrome --no-pdf-header-footer --print-to-pdf="$TMP/r.pdf" "file://$TMP/r.html" >/dev/null
head -c 5 "$TMP/r.pdf" | grep -q '%PDF-' || fail "did not print"
[ "$(stat -c %s "$TMP/r.pdf")" -gt 20000 ] || fail "printed PDF suspiciously small"
ok "prints"
