"""--trace, --errors and --slowest choose traces; --stats gives percentiles per span name."""
import json
import re
import sys

from treetool import check, fixture, run

tool = sys.argv[1]
f = fixture("fixture.jsonl")


def ids(*args):
    r = run(tool, "--json", *args, f)
    check(r.returncode == 0, f"{args}: exit {r.returncode}")
    return [json.loads(l)["trace_id"] for l in r.stdout.decode().splitlines()]


A, B = "4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"
check(ids("--trace", B) == [B], "--trace")
check(ids("--trace", B.upper()) == [B], "--trace takes upper-case hex")
check(ids("--errors") == [A], "--errors")
check(ids("--slowest", "1") == [A], "--slowest 1")
check(ids("--slowest", "5") == [A, B], "--slowest orders slowest first")
r = run(tool, "--summary", "--trace", "11111111111111111111111111111111", f)
check(r.returncode == 0 and r.stdout == b"", "an absent trace prints nothing")

r = run(tool, "--stats", f)
rows = {}
for line in r.stdout.decode().splitlines():
    m = re.match(r"^(.*?)\s+(\d+)\s+([\d.]+ m?s)\s+([\d.]+ m?s)\s+([\d.]+ m?s)$", line)
    if m:
        rows[m.group(1)] = m.groups()[1:]
check(rows.get("execute_tool fetch_doc") == ("2", "40.0 ms", "1000.0 ms", "1000.0 ms"),
      f"fetch_doc count and p50/p95/p99: {rows.get('execute_tool fetch_doc')}")
check(rows.get("chat claude-sonnet-4-5") == ("1", "688.1 ms", "688.1 ms", "688.1 ms"), "chat percentiles")
check(len(rows) == 7, f"one row per span name: {sorted(rows)}")
check(r.stdout.decode().startswith("traces 2  spans 8  errors 1\n"), "stats totals")
print("ok")

# Percentiles over many values: 1..1000 ms, nearest rank, within the histogram's 1%.
lines = []
for i in range(1, 1001):
    lines.append('{"name":"op","trace_id":"%032x","span_id":"%016x","parent_span_id":null,"kind":"internal",'
                 '"start_time":"2026-03-14T10:00:00.000000Z","duration_ms":%d.0,"status":{"code":"ok"},'
                 '"attributes":{}}' % (i + 1, i, i))
r = run(tool, "--stats", stdin=("\n".join(lines) + "\n").encode())
row = [l.split() for l in r.stdout.decode().splitlines() if l.startswith("op ")][0]
check(row[1] == "1000", f"count {row}")
for got, want in ((float(row[2]), 500), (float(row[4]), 950), (float(row[6]), 990)):
    check(abs(got - want) <= want * 0.01, f"percentile {got} ms, wanted {want} ms within 1%: {row}")
print("ok (percentiles)")
