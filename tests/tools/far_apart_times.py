"""Times as far apart as a line can hold (nanoseconds in 64 bits reach the years 1677 to
2262) make a trace whose duration is their distance, in the JSON, the text and the HTML
page alike: no difference of two times wraps around, and a duration past the last time
ends the span there."""
import json
import re
import sys
import tempfile
from datetime import datetime, timezone

from treetool import check, run

tool = sys.argv[1]
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def span(name, sid, parent, start, **timing):
    o = {"name": name, "trace_id": TRACE, "span_id": sid, "parent_span_id": parent, "kind": "internal",
         "start_time": start, **timing, "status": {"code": "ok"}, "attributes": {}, "events": [], "links": []}
    return json.dumps(o).encode()


def ns(iso):
    t = datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (t.days * 86400 + t.seconds) * 10**9 + t.microseconds * 1000


lines = [
    span("root", "1000000000000001", None, "1700-01-01T00:00:00.000000Z", end_time="1700-01-01T00:00:01.000000Z"),
    span("late", "1000000000000002", "1000000000000001", "2250-01-01T00:00:00.000000Z",
         end_time="2261-01-01T00:00:00.000000Z"),
    span("endless", "1000000000000003", "1000000000000001", "2250-01-01T00:00:00.000000Z", duration_ms=1e300),
]
data = b"\n".join(lines) + b"\n"

r = run(tool, "--json", stdin=data)
check(r.returncode == 0 and r.stderr == b"", f"exit {r.returncode}, stderr {r.stderr!r}")
t = json.loads(r.stdout)
last = 2**63 - 1  # where the endless span is cut
want = (last - ns("1700-01-01T00:00:00Z")) // 1000 / 1000
check(t["spans"] == 3 and abs(t["duration_ms"] - want) <= want * 1e-12,
      f"trace duration {t['duration_ms']} ms, want {want} ms (1700 to the last time)")
kids = {k["name"]: k for k in t["roots"][0]["children"]}
late = (ns("2261-01-01T00:00:00Z") - ns("2250-01-01T00:00:00Z")) / 1e6
check(kids["late"]["duration_ms"] == late, f"late span {kids['late']['duration_ms']} ms, want {late}")

r = run(tool, stdin=data)
check(r.returncode == 0 and r.stderr == b"", f"text: exit {r.returncode}, stderr {r.stderr!r}")
text = r.stdout.decode().splitlines()
head = text[0]
m = re.search(r"  ([0-9.]+) s  3 spans", head)
check(m and abs(float(m.group(1)) - want / 1000) <= want * 1e-12, f"text header: {head!r}")
check(any(l.endswith("endless  1.000e+297 s") for l in text), f"the endless span's own figure, short: {text}")

with tempfile.NamedTemporaryFile(suffix=".html") as page:
    r = run(tool, "--html", page.name, stdin=data)
    check(r.returncode == 0 and r.stderr == b"", f"html: exit {r.returncode}, stderr {r.stderr!r}")
    bars = re.findall(r'class="bar" style="left:([-0-9.]+)%;width:([-0-9.]+)%"', open(page.name).read())
    check(len(bars) == 3, f"{len(bars)} bars")
    for left, width in bars:
        check(0 <= float(left) <= 100 and 0 <= float(width) and float(left) + float(width) <= 100.001,
              f"a bar outside its lane: left {left}%, width {width}%")
print("ok")
