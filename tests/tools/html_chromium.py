"""The --html page opened in headless Chromium: the DOM holds every span id of the trace
and a screenshot is not blank. Without Chromium the test is skipped (77), except in CI
(CI=true), where it fails."""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

from treetool import check, fail, fixture, input_records, run

tool = sys.argv[1]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    if os.environ.get("CI") == "true":
        fail("chromium is not installed (tests/tools/setup.sh installs it)")
    print("skip: chromium is not installed")
    sys.exit(77)


def browser(profile, *args):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120)


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA, non-interlaced PNG: (width, height, rows of bytes)."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = ihdr
    check(depth == 8 and ctype in (2, 6) and interlace == 0, f"PNG type {ihdr}")
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


with tempfile.TemporaryDirectory() as d:
    page = os.path.join(d, "traces.html")
    r = run(tool, "--html", page, fixture("fixture.jsonl"))
    check(r.returncode == 0 and r.stdout == b"", f"exit {r.returncode}, stdout {r.stdout[:200]!r}")
    html = open(page, encoding="utf-8").read()
    for bad in ("http://", "https://", "<script src", "<link", "@import", "url("):
        check(bad not in html, f"the page reaches out: {bad}")

    dom = browser(os.path.join(d, "p1"), "--dump-dom", "file://" + page)
    check(dom.returncode == 0, f"chromium --dump-dom: {dom.returncode} {dom.stderr[-500:]!r}")
    text = dom.stdout.decode()
    spans, _ = input_records(fixture("fixture.jsonl"))
    for tid, sid in spans:
        check(f'data-span-id="{sid}"' in text, f"span {sid} not in the DOM")
    for tid in {t for t, _ in spans}:
        check(f'data-trace-id="{tid}"' in text, f"trace {tid} not in the DOM")
    check(len(re.findall(r'class="row err[ "]', text)) == 1, "the span in error is marked")
    check('id="filter"' in text, "the filter box")

    shot = os.path.join(d, "shot.png")
    s = browser(os.path.join(d, "p2"), f"--screenshot={shot}", "--window-size=1200,800", "file://" + page)
    check(s.returncode == 0 and os.path.exists(shot), f"screenshot: {s.returncode} {s.stderr[-500:]!r}")
    w, h, bpp, rows = png_pixels(shot)
    background = rows[h - 1][-bpp:]  # the page's own background, bottom right
    differ = sum(1 for row in rows for x in range(0, w * bpp, bpp) if row[x:x + 3] != background[:3])
    check(differ > w * h // 100, f"the screenshot is blank: {differ} of {w * h} pixels differ from the background")
    red = sum(1 for row in rows for x in range(0, w * bpp, bpp) if row[x] > 180 and row[x + 1] < 80 and row[x + 2] < 80)
    check(red > 50, f"no red error bar in the screenshot ({red} red pixels)")
print("ok")
