"""The tables of bench/compare.sh: medians (min-max) of its results, and each peer's
ratio to spanlog.

usage: python3 table.py results.tsv ROUNDS
"""
import csv
import statistics
import sys
from collections import defaultdict

path, rounds = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(path), delimiter="\t"))
peers = list(dict.fromkeys(r["peer"] for r in rows))
runs = defaultdict(list)  # (peer, threads, output) -> rows
for r in rows:
    runs[(r["peer"], r["threads"], r["output"])].append(r)


def values(peer, threads, output, key):
    return [float(r[key]) for r in runs[(peer, threads, output)] if r[key] not in ("", "-")]


def median(peer, threads, output, key):
    v = values(peer, threads, output, key)
    return statistics.median(v) if v else None


def ns(x):
    return f"{x:,.1f}" if x < 1000 else f"{x:,.0f}"


def rps(x):
    return f"{x / 1e6:.3g}"


def mib(x):
    return f"{x / 1024:.1f}"


def cell(peer, threads, output, key, fmt):
    v = values(peer, threads, output, key)
    if not v:
        return "-"
    return f"{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})"


def checks(peer):
    """the output files that passed; a failed /dev/null run is reported too"""
    files = runs[(peer, "1", "file")] + runs[(peer, "2", "file")]
    bad = [r["check"] for r in files + runs[(peer, "1", "null")] if r["check"] not in ("ok", "-")]
    ok = sum(r["check"] == "ok" for r in files)
    return f"{ok}/{len(files)} files ok" + (f" ({bad[0][:100]})" if bad else "")


def bytes_per_record(peer):
    b, n = median(peer, "1", "file", "bytes"), runs[(peer, "1", "file")]
    return f"{b / float(n[0]['n']):.0f}" if b and n else "-"


def n_of(peer):
    ns_ = sorted({int(r["n"]) for r in rows if r["peer"] == peer})
    return ", ".join(f"{x:,}" for x in ns_)


print(f"Medians of {rounds} rounds (min-max). Caller: ns per record and producer thread. "
      "End to end: millions of records/s, from the first call until the output is complete.\n")
print("| peer | N | caller ns, 1 thread | caller ns, 2 threads | end to end M/s, file, 1 thread "
      "| end to end M/s, file, 2 threads | end to end M/s, /dev/null, 1 thread | bytes/record "
      "| peak RSS MiB, file, 1 / 2 threads | checks |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for p in peers:
    rss1, rss2 = median(p, "1", "file", "rss_kb"), median(p, "2", "file", "rss_kb")
    print(f"| {p} | {n_of(p)} | {cell(p, '1', 'file', 'call_ns', ns)} | {cell(p, '2', 'file', 'call_ns', ns)} "
          f"| {cell(p, '1', 'file', 'e2e_rps', rps)} | {cell(p, '2', 'file', 'e2e_rps', rps)} "
          f"| {cell(p, '1', 'null', 'e2e_rps', rps)} | {bytes_per_record(p)} "
          f"| {mib(rss1) if rss1 else '-'} / {mib(rss2) if rss2 else '-'} | {checks(p)} |")

if "spanlog" not in peers:
    sys.exit(0)
print("\nEach peer's median divided by spanlog's (caller ns and RSS: above 1 costs more than "
      "spanlog; records/s: below 1 is slower than spanlog):\n")
cols = [("caller ns, 1 thread", "1", "file", "call_ns"), ("caller ns, 2 threads", "2", "file", "call_ns"),
        ("M/s, file, 1 thread", "1", "file", "e2e_rps"), ("M/s, file, 2 threads", "2", "file", "e2e_rps"),
        ("M/s, /dev/null, 1 thread", "1", "null", "e2e_rps"), ("peak RSS, 1 thread", "1", "file", "rss_kb"),
        ("peak RSS, 2 threads", "2", "file", "rss_kb")]
print("| peer | " + " | ".join(c[0] for c in cols) + " |")
print("|---|" + "---:|" * len(cols))
for p in peers:
    if p == "spanlog":
        continue
    cells = []
    for _, t, o, k in cols:
        a, b = median(p, t, o, k), median("spanlog", t, o, k)
        r = a / b if a and b else None
        cells.append("-" if r is None else f"{r:.2g}" if r < 10 else f"{r:.0f}")
    print(f"| {p} | " + " | ".join(cells) + " |")
